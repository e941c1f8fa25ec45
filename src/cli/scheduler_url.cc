#include "cli/scheduler_url.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace keel::cli {
namespace {

namespace fs = std::filesystem;

std::string trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// "http://host[:port]" with an optional trailing slash; where names the
// source for the error.
Result<std::string> checkUrl(std::string url, const std::string& where) {
  url = trim(url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("http://", 0) != 0 || url.size() == 7 || url.find('/', 7) != std::string::npos) {
    return Status::invalidArgument(where + " '" + url +
                                   "' is not a scheduler URL: expected http://HOST[:PORT], e.g. "
                                   "http://127.0.0.1:8123");
  }
  return url;
}

std::vector<std::string> servicesWithUrl(const fs::path& services) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(services, ec)) {
    if (fs::exists(entry.path() / "scheduler.url")) names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> readUrlFile(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return Status::invalidArgument("cannot read " + file.string());
  }
  return checkUrl(line, file.string());
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string keelHome(const EnvLookup& env) {
  if (auto home = env("KEEL_HOME"); home && !home->empty()) return *home;
  if (auto home = env("HOME"); home && !home->empty()) return *home + "/.keel";
  return "/tmp/keel-" + std::to_string(::getuid());
}

std::string serviceDirName(const std::string& service) {
  std::string name = service;
  while (!name.empty() && name.front() == '/') name.erase(0, 1);
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

Result<std::string> resolveSchedulerUrl(const ConnectOptions& options, const EnvLookup& env) {
  if (!options.url.empty()) return checkUrl(options.url, "--url");
  if (auto url = env("KEEL_URL"); url && !url->empty()) return checkUrl(*url, "KEEL_URL");
  fs::path services = fs::path(keelHome(env)) / "services";
  std::vector<std::string> running = servicesWithUrl(services);
  if (!options.service.empty()) {
    fs::path file = services / serviceDirName(options.service) / "scheduler.url";
    if (fs::exists(file)) return readUrlFile(file);
    return Status::invalidArgument(
        "service '" + options.service + "' has no " + file.string() +
        ": is `keel run` running for it?" +
        (running.empty() ? std::string() : " Services with a scheduler: " + joined(running)));
  }
  if (running.size() == 1) return readUrlFile(services / running[0] / "scheduler.url");
  if (running.empty()) {
    return Status::invalidArgument("no scheduler found: no service under " + services.string() +
                                   " has a scheduler.url. Start one with `keel run`, or say "
                                   "where it is with --url URL or KEEL_URL");
  }
  return Status::invalidArgument("several services have a scheduler (" + joined(running) +
                                 "): choose one with --service NAME, or give --url URL");
}

}  // namespace keel::cli
