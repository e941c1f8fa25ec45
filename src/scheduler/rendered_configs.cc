#include "scheduler/rendered_configs.h"

#include <nlohmann/json.hpp>

namespace keel::scheduler {
namespace {

config::Env envOf(const mesos::TaskInfo& info) {
  config::Env env;
  if (!info.command || !info.command->environment) return env;
  for (const auto& v : info.command->environment->variables) env[v.name] = v.value.value_or("");
  return env;
}

}  // namespace

Result<std::map<std::string, std::string>> renderLaunchConfigs(
    const spec::PodSpec& pod, const std::string& podInstance,
    const std::vector<mesos::TaskInfo>& infos) {
  std::map<std::string, std::string> out;
  for (const mesos::TaskInfo& info : infos) {
    std::string prefix = podInstance + "-";
    if (info.name.rfind(prefix, 0) != 0) continue;
    const spec::TaskSpec* task = pod.task(info.name.substr(prefix.size()));
    if (task == nullptr || task->configs.empty()) continue;
    Result<std::vector<config::RenderedConfig>> files =
        config::renderTaskConfigs(*task, envOf(info));
    if (!files) return files.error();
    nlohmann::json list = nlohmann::json::array();
    for (const config::RenderedConfig& f : *files) {
      list.push_back({{"name", f.name}, {"dest", f.dest}, {"text", f.text}});
    }
    out[info.name] =
        nlohmann::json{{"taskId", info.taskId.value}, {"files", std::move(list)}}.dump();
  }
  return out;
}

Result<std::string> renderedFile(const std::string& stored, const std::string& taskId,
                                 size_t index) {
  nlohmann::json j = nlohmann::json::parse(stored, nullptr, false);
  std::string what = "Config " + std::to_string(index) + " of task " + taskId;
  if (j.is_discarded() || !j.is_object() || !j.contains("files") || !j["files"].is_array()) {
    return Status::corruption(what + ": the stored rendered configs are not valid JSON");
  }
  if (j.value("taskId", "") != taskId || index >= j["files"].size()) {
    return Status::notFound(what + " not found");
  }
  const nlohmann::json& file = j["files"][index];
  if (!file.contains("text") || !file["text"].is_string()) {
    return Status::corruption(what + ": the stored file has no text");
  }
  return file["text"].get<std::string>();
}

}  // namespace keel::scheduler
