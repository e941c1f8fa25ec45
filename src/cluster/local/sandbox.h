// Task sandboxes: the directory layout of an executor run, volume links and
// the environment a task sees. Thread-safe (file system only).
#pragma once

#include <string>
#include <vector>

#include "cluster/local/agent_protocol.h"
#include "keel/status.h"

namespace keel::local {

// <runDir>/tasks/<taskId>
std::string taskSandboxPath(const std::string& runDir, const std::string& taskId);

// Creates the sandbox and, for each volume, a symlink at
// <sandbox>/<containerPath> to the host directory (parents created; an
// absolute container path is taken relative to the sandbox).
Status prepareSandbox(const std::string& sandbox, const std::vector<VolumeMount>& volumes);

// The task's environment as NAME=value strings: the executor's own
// environment, then MESOS_SANDBOX, MESOS_TASK_ID, MESOS_FRAMEWORK_ID,
// MESOS_AGENT_ID, MESOS_EXECUTOR_ID, MESOS_DIRECTORY, then the task's
// variables, then `extra` (later entries win).
std::vector<std::string> taskEnvironment(
    const ExecutorConfig& config, const TaskLaunch& task, const std::string& sandbox,
    const std::vector<std::pair<std::string, std::string>>& extra = {});

}  // namespace keel::local
