#include "cluster/local/sandbox.h"

#include <unistd.h>

#include <filesystem>
#include <map>

extern char** environ;

namespace keel::local {

namespace fs = std::filesystem;

std::string taskSandboxPath(const std::string& runDir, const std::string& taskId) {
  return runDir + "/tasks/" + taskId;
}

Status prepareSandbox(const std::string& sandbox, const std::vector<VolumeMount>& volumes) {
  std::error_code ec;
  fs::create_directories(sandbox, ec);
  if (ec) return Status::ioError("sandbox " + sandbox + ": " + ec.message());
  for (const auto& volume : volumes) {
    fs::path relative = fs::path(volume.containerPath).relative_path();
    if (relative.empty()) return Status::invalidArgument("volume with an empty container path");
    fs::path link = fs::path(sandbox) / relative;
    fs::create_directories(link.parent_path(), ec);
    if (ec)
      return Status::ioError("volume parent " + link.parent_path().string() + ": " + ec.message());
    fs::remove(link, ec);
    fs::create_directory_symlink(volume.hostPath, link, ec);
    if (ec) return Status::ioError("volume link " + link.string() + ": " + ec.message());
  }
  return Status::ok();
}

std::vector<std::string> taskEnvironment(
    const ExecutorConfig& config, const TaskLaunch& task, const std::string& sandbox,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  env["MESOS_SANDBOX"] = sandbox;
  env["MESOS_DIRECTORY"] = sandbox;
  env["MESOS_TASK_ID"] = task.taskId;
  env["MESOS_FRAMEWORK_ID"] = config.frameworkId;
  env["MESOS_AGENT_ID"] = config.agentId;
  env["MESOS_SLAVE_ID"] = config.agentId;
  env["MESOS_EXECUTOR_ID"] = config.executorId;
  for (const auto& [k, v] : task.env) env[k] = v;
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

}  // namespace keel::local
