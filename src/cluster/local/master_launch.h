// Translation of Mesos TaskInfo / ExecutorInfo into the agent runtime's
// LaunchRequest, and the TaskInfo checks the master makes before a launch.
// Internal to src/cluster/local.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "cluster/local/agent_runtime.h"
#include "keel/mesos/resource.h"
#include "keel/mesos/task.h"

namespace keel::local {

// The host directory of each persistent volume resource of a task.
using VolumePathFn = std::function<std::string(const mesos::Resource&)>;

// One task as the runtime launches it: command, environment, URIs, cpus and
// mem from its resources, rlimits, persistent volumes (host path from
// `volumePath`, container path from the volume), health check, check and
// kill policy with the Mesos defaults.
TaskLaunch toTaskLaunch(const mesos::TaskInfo& task, const VolumePathFn& volumePath);

// Whether `id` is a valid Mesos id (task, executor, persistence, operation):
// the reason when it is not.
std::optional<std::string> invalidIdReason(const std::string& id);

}  // namespace keel::local
