#include "cli/launch_settings.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "keel/scheduler/runner.h"

namespace keel::cli {

std::string absolutePath(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

Status writeFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return Status::ioError("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::ioError("cannot write " + path + ": " + ec.message());
  }
  return Status::ok();
}

Result<std::optional<LaunchSettings>> readLaunchSettings(const std::string& stateDir) {
  std::string path = stateDir + "/" + scheduler::kLaunchFileName;
  std::ifstream in(path);
  if (!in) return std::optional<LaunchSettings>();
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!j.is_object() || !j.contains("spec") || !j["spec"].is_string()) {
    return Status::corruption(path + ": not launch settings ({\"spec\", \"envFile\", ...})");
  }
  LaunchSettings s;
  s.input.specPath = j["spec"].get<std::string>();
  s.input.envFile = j.value("envFile", "");
  s.input.optionsFile = j.value("optionsFile", "");
  s.input.packageDir = j.value("packageDir", "");
  s.master = j.value("master", "");
  s.port = j.value("port", 0);
  return std::optional<LaunchSettings>(std::move(s));
}

Status writeLaunchSettings(const std::string& stateDir, const LaunchSettings& s) {
  nlohmann::json j = {{"spec", absolutePath(s.input.specPath)},
                      {"envFile", absolutePath(s.input.envFile)},
                      {"optionsFile", absolutePath(s.input.optionsFile)},
                      {"packageDir", absolutePath(s.input.packageDir)},
                      {"master", s.master},
                      {"port", s.port}};
  return writeFileAtomically(stateDir + "/" + scheduler::kLaunchFileName, j.dump(2) + "\n");
}

}  // namespace keel::cli
