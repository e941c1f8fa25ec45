#include "offer/task_info_builder.h"

#include <cctype>
#include <cmath>
#include <limits>

#include "keel/offer/task_labels.h"
#include "offer/resource_util.h"

namespace keel::offer::detail {

namespace {

using RLimitType = mesos::RLimitInfo::RLimit::Type;

constexpr std::pair<std::string_view, RLimitType> kRLimits[] = {
    {"RLIMIT_AS", RLimitType::kRlmtAs},
    {"RLIMIT_CORE", RLimitType::kRlmtCore},
    {"RLIMIT_CPU", RLimitType::kRlmtCpu},
    {"RLIMIT_DATA", RLimitType::kRlmtData},
    {"RLIMIT_FSIZE", RLimitType::kRlmtFsize},
    {"RLIMIT_LOCKS", RLimitType::kRlmtLocks},
    {"RLIMIT_MEMLOCK", RLimitType::kRlmtMemlock},
    {"RLIMIT_MSGQUEUE", RLimitType::kRlmtMsgqueue},
    {"RLIMIT_NICE", RLimitType::kRlmtNice},
    {"RLIMIT_NOFILE", RLimitType::kRlmtNofile},
    {"RLIMIT_NPROC", RLimitType::kRlmtNproc},
    {"RLIMIT_RSS", RLimitType::kRlmtRss},
    {"RLIMIT_RTPRIO", RLimitType::kRlmtRtprio},
    {"RLIMIT_RTTIME", RLimitType::kRlmtRttime},
    {"RLIMIT_SIGPENDING", RLimitType::kRlmtSigpending},
    {"RLIMIT_STACK", RLimitType::kRlmtStack},
};

mesos::Label label(std::string_view key, std::string value) {
  return mesos::Label{std::string(key), std::move(value)};
}

mesos::Environment toEnvironment(const std::map<std::string, std::string>& env) {
  mesos::Environment out;
  for (const auto& [name, value] : env) {
    out.variables.push_back({name, mesos::Environment::Variable::Type::kValue, value, {}});
  }
  return out;
}

mesos::CommandInfo shellCommand(const std::string& cmd, const mesos::Environment& env) {
  mesos::CommandInfo command;
  command.shell = true;
  command.value = cmd;
  command.environment = env;
  return command;
}

std::string portsLabel(const std::vector<std::pair<std::string, uint64_t>>& ports) {
  std::string out;
  for (const auto& [name, port] : ports) out += strCat(out.empty() ? "" : ",", name, ':', port);
  return out;
}

mesos::Labels taskLabels(const LaunchBuilder& b, const spec::TaskSpec& task,
                         const std::string& ports) {
  const OfferSummary& offer = b.offer();
  mesos::Labels labels;
  auto& l = labels.labels;
  l.push_back(label(kLabelTargetConfiguration, b.service().targetConfigId));
  l.push_back(label(kLabelTaskType, b.requirement().pod.type));
  l.push_back(label(kLabelIndex, std::to_string(b.requirement().index)));
  l.push_back(label(kLabelGoalState, spec::goalStateName(task.goal)));
  l.push_back(label(kLabelOfferHostname, std::string(offer.hostname)));
  if (!offer.zone.empty()) l.push_back(label(kLabelOfferZone, std::string(offer.zone)));
  if (!offer.region.empty()) l.push_back(label(kLabelOfferRegion, std::string(offer.region)));
  if (!offer.attributes.empty()) {
    std::string text;
    for (const auto& [name, value] : offer.attributes) {
      text += strCat(text.empty() ? "" : ";", name, ':', value);
    }
    l.push_back(label(kLabelOfferAttributes, std::move(text)));
  }
  if (!ports.empty()) l.push_back(label(kLabelPorts, ports));
  l.push_back(label(kLabelIncarnation, std::to_string(b.requirement().incarnation)));
  for (const auto& [key, value] : task.labels) l.push_back(label(key, value));
  return labels;
}

std::optional<mesos::ContainerInfo> container(const spec::PodSpec& pod) {
  if (pod.rlimits.empty() && pod.volumes.empty()) return std::nullopt;
  mesos::ContainerInfo info;
  info.type = mesos::ContainerInfo::Type::kMesos;
  for (const auto& v : pod.volumes) {
    mesos::Volume volume;
    volume.mode = mesos::Volume::Mode::kRw;
    volume.containerPath = v.path;
    volume.source.emplace();
    volume.source->type = mesos::Volume::Source::Type::kSandboxPath;
    volume.source->sandboxPath = mesos::Volume::Source::SandboxPath{
        mesos::Volume::Source::SandboxPath::Type::kParent, v.path};
    info.volumes.push_back(std::move(volume));
  }
  if (!pod.rlimits.empty()) {
    info.rlimitInfo.emplace();
    for (const auto& r : pod.rlimits) {
      mesos::RLimitInfo::RLimit limit;
      for (const auto& [name, type] : kRLimits) {
        if (name == r.name) limit.type = type;
      }
      if (r.soft) limit.soft = static_cast<uint64_t>(*r.soft);
      if (r.hard) limit.hard = static_cast<uint64_t>(*r.hard);
      info.rlimitInfo->rlimits.push_back(limit);
    }
  }
  return info;
}

mesos::HealthCheck healthCheck(const spec::HealthCheckSpec& spec, const mesos::Environment& env) {
  mesos::HealthCheck check;
  check.type = mesos::HealthCheck::Type::kCommand;
  check.command = shellCommand(spec.cmd, env);
  check.delaySeconds = spec.delayS.value_or(kHealthDelayS);
  check.intervalSeconds = spec.intervalS.value_or(kHealthIntervalS);
  check.timeoutSeconds = spec.timeoutS.value_or(kHealthTimeoutS);
  check.consecutiveFailures = spec.maxConsecutiveFailures
                                  ? static_cast<uint32_t>(*spec.maxConsecutiveFailures)
                                  : kHealthConsecutiveFailures;
  check.gracePeriodSeconds = spec.gracePeriodS.value_or(kHealthGracePeriodS);
  return check;
}

mesos::CheckInfo readinessCheck(const spec::ReadinessCheckSpec& spec,
                                const mesos::Environment& env) {
  mesos::CheckInfo check;
  check.type = mesos::CheckInfo::Type::kCommand;
  check.command = mesos::CheckInfo::Command{shellCommand(spec.cmd, env)};
  check.delaySeconds = spec.delayS.value_or(kHealthDelayS);
  check.intervalSeconds = spec.intervalS.value_or(kHealthIntervalS);
  check.timeoutSeconds = spec.timeoutS.value_or(kHealthTimeoutS);
  return check;
}

void addLimits(mesos::TaskInfo& info, const spec::ResourceSetSpec* set) {
  if (set == nullptr || !set->limits) return;
  auto put = [&](const char* name, const std::optional<spec::ResourceLimit>& limit) {
    if (!limit) return;
    double v = limit->unlimited ? std::numeric_limits<double>::infinity() : limit->value;
    info.limits[name] = mesos::Value::Scalar{v};
  };
  put("cpus", set->limits->cpus);
  put("mem", set->limits->memory);
}

// A config template reaches the sandbox as a URI the fetcher downloads to its
// dest before the command starts: the scheduler renders it at launch and
// serves it at <artifactsUrl>/v1/artifacts/rendered/<task id>/<index>.
std::vector<mesos::CommandInfo::URI> uris(const LaunchBuilder& b, const spec::TaskSpec& task,
                                          const std::string& taskId) {
  std::vector<mesos::CommandInfo::URI> out;
  for (const auto& uri : b.requirement().pod.uris) out.push_back({uri, {}, {}, {}, {}});
  if (b.service().artifactsUrl.empty()) return out;
  for (size_t i = 0; i < task.configs.size(); ++i) {
    mesos::CommandInfo::URI uri;
    uri.value = renderedConfigUrl(b.service().artifactsUrl, taskId, i);
    uri.extract = false;
    uri.outputFile = task.configs[i].dest;
    out.push_back(std::move(uri));
  }
  return out;
}

}  // namespace

mesos::ExecutorInfo newExecutorInfo(const LaunchBuilder& b,
                                    std::vector<mesos::Resource> resources) {
  mesos::ExecutorInfo info;
  std::string instance = b.requirement().podInstanceName();
  info.type = mesos::ExecutorInfo::Type::kDefault;
  info.executorId.value = strCat(instance, "__", b.newUuid());
  if (!b.service().frameworkId.empty())
    info.frameworkId = mesos::FrameworkID{b.service().frameworkId};
  info.name = instance;
  info.resources = std::move(resources);
  info.container = mesos::ContainerInfo{};
  return info;
}

std::map<std::string, std::string> taskEnvironment(LaunchBuilder& b, const spec::TaskSpec& task) {
  const PodInstanceRequirement& req = b.requirement();
  const ServiceContext& svc = b.service();
  std::map<std::string, std::string> env(task.env.begin(), task.env.end());
  for (const auto& [k, v] : req.environment) env[k] = v;
  const spec::ResourceSetSpec* set = req.pod.resourceSet(task.resourceSet);
  const auto& ports = b.ports(task.resourceSet);
  if (set) {
    for (const auto& port : set->ports) {
      if (port.envKey.empty()) continue;
      for (const auto& [name, value] : ports) {
        if (name == port.name) env[port.envKey] = std::to_string(value);
      }
    }
  }
  env["TASK_NAME"] = taskName(req.pod.type, req.index, task.name);
  env["POD_INSTANCE_INDEX"] = std::to_string(req.index);
  env["POD_INCARNATION"] = std::to_string(req.incarnation);
  env["FRAMEWORK_NAME"] = svc.serviceName;
  env["FRAMEWORK_HOST"] = svc.frameworkHost;
  env["SCHEDULER_API_HOSTNAME"] = svc.schedulerApiHostname;
  env["SCHEDULER_API_PORT"] = std::to_string(svc.schedulerApiPort);
  if (!b.offer().zone.empty()) env["ZONE"] = std::string(b.offer().zone);
  if (!b.offer().region.empty()) env["REGION"] = std::string(b.offer().region);
  return env;
}

mesos::TaskInfo buildTaskInfo(LaunchBuilder& b, const spec::TaskSpec& task,
                              const mesos::ExecutorInfo& executor) {
  const PodInstanceRequirement& req = b.requirement();
  mesos::TaskInfo info;
  info.name = taskName(req.pod.type, req.index, task.name);
  info.taskId.value = taskId(b.service().serviceName, info.name, b.newUuid());
  info.agentId = b.offer().offer->agentId;
  info.resources = b.taskResources(task.resourceSet);
  mesos::Environment env = toEnvironment(taskEnvironment(b, task));
  info.command = shellCommand(task.cmd, env);
  info.command->uris = uris(b, task, info.taskId.value);
  info.command->user = b.service().user;
  info.container = container(req.pod);
  if (task.healthCheck) info.healthCheck = healthCheck(*task.healthCheck, env);
  if (task.readinessCheck) info.check = readinessCheck(*task.readinessCheck, env);
  if (task.killGracePeriodS) {
    info.killPolicy =
        mesos::KillPolicy{mesos::DurationInfo{*task.killGracePeriodS * 1'000'000'000}};
  }
  info.labels = taskLabels(b, task, portsLabel(b.ports(task.resourceSet)));
  addLimits(info, req.pod.resourceSet(task.resourceSet));
  info.executor = executor;
  return info;
}

}  // namespace keel::offer::detail
