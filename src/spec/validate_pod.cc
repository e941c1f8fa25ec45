// Validation of tasks and of a pod's container settings.
#include <algorithm>
#include <set>

#include "keel/spec_validate.h"
#include "validate_internal.h"

namespace keel::spec::internal {
namespace {

void validateLabels(const std::vector<std::pair<std::string, std::string>>& labels,
                    const std::string& path, DiagnosticSink& sink) {
  for (const auto& [k, v] : labels) {
    if (k.find_first_not_of(" \t") == std::string::npos) {
      sink.error(
          path,
          "expected labels as comma-separated key:value pairs (k1:v1,k2:v2), found an empty key");
      return;
    }
  }
}

void validateTaskIpc(const PodSpec& pod, const TaskSpec& task, const std::string& path,
                     DiagnosticSink& sink) {
  if (task.ipcMode == IpcMode::kShareParent) {
    if (task.shmSizeMb) {
      sink.error(path + ".shm-size",
                 "shm-size does not apply when ipc-mode is SHARE_PARENT: the task uses its "
                 "pod's shared memory; remove `shm-size` or use ipc-mode PRIVATE");
    }
    if (pod.ipcMode != IpcMode::kPrivate) {
      sink.error(path + ".ipc-mode",
                 "ipc-mode SHARE_PARENT needs the pod to declare `ipc-mode: PRIVATE`");
    }
  }
  if (task.shmSizeMb && *task.shmSizeMb <= 0) {
    sink.error(path + ".shm-size", "expected a shm-size in MB greater than 0, found '" +
                                       std::to_string(*task.shmSizeMb) + "'");
  }
}

void validateTaskResources(const PodSpec& pod, const TaskSpec& task, const std::string& path,
                           DiagnosticSink& sink) {
  const ResourceSetSpec* rs = pod.resourceSet(task.resourceSet);
  if (rs == nullptr) {
    std::string declared;
    for (const auto& r : pod.resourceSets) declared += (declared.empty() ? "" : ", ") + r.id;
    sink.error(path + ".resource-set",
               "task '" + task.name + "' uses resource set '" + task.resourceSet +
                   "', which pod '" + pod.type + "' does not declare" +
                   (declared.empty() ? "" : " (declared: " + declared + ")"));
    return;
  }
  bool empty = rs->cpus <= 0 && rs->gpus <= 0 && rs->memoryMb <= 0 && rs->ports.empty() &&
               rs->volumes.empty();
  if (empty) {
    sink.error(path, "task '" + task.name +
                         "' has no resources: declare `cpus` (> 0) and `memory`, or use a " +
                         "`resource-set` of pod '" + pod.type + "'");
  }
}

void validateConfigs(const TaskSpec& task, const std::string& path, DiagnosticSink& sink) {
  for (const auto& c : task.configs) {
    std::string cp = path + ".configs." + c.name;
    if (c.templatePath.empty()) sink.error(cp + ".template", "a config needs a `template` file");
    if (c.dest.empty())
      sink.error(cp + ".dest", "a config needs a `dest` path (relative to the sandbox)");
  }
}

void validateRLimit(const RLimitSpec& r, const std::string& path, DiagnosticSink& sink) {
  const auto& names = validRLimitNames();
  if (std::find(names.begin(), names.end(), r.name) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    sink.error(path, "'" + r.name + "' is not a valid rlimit; expected one of: " + list +
                         " (see setrlimit(2))");
    return;
  }
  if (r.soft.has_value() != r.hard.has_value()) {
    sink.error(path, "soft and hard rlimits must be either both set or both unset");
  } else if (r.soft && (*r.soft < -1 || *r.hard < -1)) {
    sink.error(path, "rlimits must be >= 0, or -1 for unlimited");
  } else if (r.soft && ((*r.soft == -1) != (*r.hard == -1))) {
    sink.error(path, "soft and hard rlimits must both be -1 (unlimited) when one is");
  } else if (r.soft && *r.soft != -1 && *r.soft > *r.hard) {
    sink.error(path, "soft rlimit " + std::to_string(*r.soft) + " is above the hard rlimit " +
                         std::to_string(*r.hard) + ": soft must be <= hard");
  }
}

void validateNetwork(const NetworkSpec& n, const std::string& path, DiagnosticSink& sink) {
  validateLabels(n.labels, path + ".labels", sink);
  bool mapping = !n.hostPorts.empty() || !n.containerPorts.empty();
  if (!mapping) return;
  if (n.name != "mesos-bridge") {
    sink.error(path, "virtual network '" + n.name +
                         "' does not support host->container port mapping " +
                         "(host-ports/container-ports); only mesos-bridge does");
  } else if (n.hostPorts.size() != n.containerPorts.size()) {
    sink.error(path, "host-ports and container-ports must list the same number of ports");
  }
}

}  // namespace

void validateTask(const PodSpec& pod, const TaskSpec& task, DiagnosticSink& sink) {
  std::string path = taskPath(pod, task);
  validateTaskResources(pod, task, path, sink);
  validateLabels(task.labels, path + ".labels", sink);
  validateConfigs(task, path, sink);
  validateTaskIpc(pod, task, path, sink);
  if (task.killGracePeriodS && *task.killGracePeriodS < 0) {
    sink.error(path + ".kill-grace-period", "expected a number of seconds >= 0, found '" +
                                                std::to_string(*task.killGracePeriodS) + "'");
  }
  if (task.healthCheck && task.healthCheck->cmd.empty())
    sink.error(path + ".health-check.cmd", "empty command");
  if (task.readinessCheck && task.readinessCheck->cmd.empty()) {
    sink.error(path + ".readiness-check.cmd", "empty command");
  }
  std::set<std::string> names;
  for (const auto& te : task.transportEncryption) {
    if (!names.insert(te.name).second) {
      sink.error(path + ".transport-encryption",
                 "transport-encryption name '" + te.name + "' is used twice");
    }
  }
}

void validatePodContainer(const PodSpec& pod, DiagnosticSink& sink) {
  std::string path = podPath(pod);
  if (pod.image && pod.image->find_first_not_of(" \t") == std::string::npos) {
    sink.error(path + ".image",
               "expected a Docker image name, found an empty string; remove `image` to run "
               "without one");
  }
  for (const auto& n : pod.networks) validateNetwork(n, path + ".networks." + n.name, sink);
  for (const auto& r : pod.rlimits) validateRLimit(r, path + ".rlimits." + r.name, sink);
  if (pod.seccompUnconfined && !pod.seccompProfileName.empty()) {
    sink.error(path + ".seccomp-profile-name",
               "cannot specify seccomp-unconfined and seccomp-profile-name at " +
                   std::string("the same time: keep one"));
  }
  if (pod.ipcMode == IpcMode::kShareParent) {
    sink.error(path + ".ipc-mode",
               "a pod's ipc-mode must be PRIVATE (SHARE_PARENT applies to tasks only)");
  }
  if (pod.shmSizeMb && *pod.shmSizeMb <= 0) {
    sink.error(path + ".shm-size", "expected a shm-size in MB greater than 0, found '" +
                                       std::to_string(*pod.shmSizeMb) + "'");
  }
}

}  // namespace keel::spec::internal
