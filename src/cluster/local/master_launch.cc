#include "cluster/local/master_launch.h"

#include <chrono>

#include "cluster/local/resource_ops.h"

namespace keel::local {
namespace {

Seconds secondsOr(const std::optional<double>& v, double fallback) {
  return Seconds(v.value_or(fallback));
}

std::vector<std::pair<std::string, std::string>> envOf(const mesos::CommandInfo& command) {
  std::vector<std::pair<std::string, std::string>> env;
  if (!command.environment) return env;
  for (const auto& v : command.environment->variables) {
    if (v.value) env.emplace_back(v.name, *v.value);
  }
  return env;
}

std::string rlimitName(mesos::RLimitInfo::RLimit::Type type) {
  static const char* const kNames[] = {
      "UNKNOWN",    "RLMT_AS",      "RLMT_CORE",     "RLMT_CPU",        "RLMT_DATA",   "RLMT_FSIZE",
      "RLMT_LOCKS", "RLMT_MEMLOCK", "RLMT_MSGQUEUE", "RLMT_NICE",       "RLMT_NOFILE", "RLMT_NPROC",
      "RLMT_RSS",   "RLMT_RTPRIO",  "RLMT_RTTIME",   "RLMT_SIGPENDING", "RLMT_STACK"};
  auto index = static_cast<size_t>(type);
  return index < std::size(kNames) ? kNames[index] : "UNKNOWN";
}

std::optional<HealthCheckSpec> healthCheckOf(const mesos::TaskInfo& task) {
  if (!task.healthCheck) return std::nullopt;
  const mesos::HealthCheck& h = *task.healthCheck;
  HealthCheckSpec spec;
  mesos::HealthCheck::Type type = h.type.value_or(
      h.http ? mesos::HealthCheck::Type::kHttp
             : (h.tcp ? mesos::HealthCheck::Type::kTcp : mesos::HealthCheck::Type::kCommand));
  if (type == mesos::HealthCheck::Type::kHttp && h.http) {
    spec.target.kind = CheckKind::kHttp;
    spec.target.port = static_cast<uint16_t>(h.http->port);
    spec.target.path = h.http->path.value_or("/");
  } else if (type == mesos::HealthCheck::Type::kTcp && h.tcp) {
    spec.target.kind = CheckKind::kTcp;
    spec.target.port = static_cast<uint16_t>(h.tcp->port);
  } else if (h.command) {
    spec.target.kind = CheckKind::kCommand;
    spec.target.command = h.command->value.value_or("");
    spec.target.env = envOf(*h.command);
  } else {
    return std::nullopt;
  }
  spec.delay = secondsOr(h.delaySeconds, 15);
  spec.interval = secondsOr(h.intervalSeconds, 10);
  spec.timeout = secondsOr(h.timeoutSeconds, 20);
  spec.gracePeriod = secondsOr(h.gracePeriodSeconds, 10);
  spec.consecutiveFailures = h.consecutiveFailures.value_or(3);
  return spec;
}

std::optional<CheckSpec> checkOf(const mesos::TaskInfo& task) {
  if (!task.check) return std::nullopt;
  const mesos::CheckInfo& c = *task.check;
  CheckSpec spec;
  if (c.http) {
    spec.target.kind = CheckKind::kHttp;
    spec.target.port = static_cast<uint16_t>(c.http->port);
    spec.target.path = c.http->path.value_or("/");
  } else if (c.tcp) {
    spec.target.kind = CheckKind::kTcp;
    spec.target.port = static_cast<uint16_t>(c.tcp->port);
  } else if (c.command) {
    spec.target.kind = CheckKind::kCommand;
    spec.target.command = c.command->command.value.value_or("");
    spec.target.env = envOf(c.command->command);
  } else {
    return std::nullopt;
  }
  spec.delay = secondsOr(c.delaySeconds, 15);
  spec.interval = secondsOr(c.intervalSeconds, 10);
  spec.timeout = secondsOr(c.timeoutSeconds, 20);
  return spec;
}

}  // namespace

TaskLaunch toTaskLaunch(const mesos::TaskInfo& task, const VolumePathFn& volumePath) {
  TaskLaunch launch;
  launch.taskId = task.taskId.value;
  launch.name = task.name;
  if (task.command) {
    launch.shell = task.command->shell.value_or(true);
    launch.command = task.command->value.value_or("");
    launch.arguments = task.command->arguments;
    launch.env = envOf(*task.command);
    for (const auto& uri : task.command->uris) {
      launch.uris.push_back({uri.value, uri.extract.value_or(true), uri.executable.value_or(false),
                             uri.outputFile.value_or("")});
    }
  }
  launch.cpus = scalarSum(task.resources, "cpus");
  launch.memMb = scalarSum(task.resources, "mem");
  if (task.container && task.container->rlimitInfo) {
    for (const auto& r : task.container->rlimitInfo->rlimits) {
      launch.rlimits.push_back({rlimitName(r.type), r.soft, r.hard});
    }
  }
  for (const mesos::Resource& r : task.resources) {
    if (!isPersistentVolume(r) || !r.disk->volume) continue;
    launch.volumes.push_back({volumePath(r), r.disk->volume->containerPath,
                              r.disk->volume->mode == mesos::Volume::Mode::kRo});
  }
  launch.healthCheck = healthCheckOf(task);
  launch.check = checkOf(task);
  if (task.killPolicy && task.killPolicy->gracePeriod) {
    launch.killGracePeriod = std::chrono::duration_cast<Duration>(
        std::chrono::nanoseconds(task.killPolicy->gracePeriod->nanoseconds));
  }
  return launch;
}

std::optional<std::string> invalidIdReason(const std::string& id) {
  if (id.empty()) return "ID must not be empty";
  if (id.size() > 255) return "ID must not be greater than 255 characters";
  if (id == "." || id == "..") return "'" + id + "' is disallowed";
  for (char c : id) {
    if (c == '/' || c == '\\') return "'/' and '\\' are disallowed";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "control characters are disallowed";
  }
  return std::nullopt;
}

}  // namespace keel::local
