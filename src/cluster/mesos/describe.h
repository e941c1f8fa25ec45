// One field listing per wire message, used by both the Encoder and the
// Decoder (codec_internal.h). Keys are the proto field names, in proto
// declaration order (the order Mesos writes them).
#pragma once

#include "cluster/mesos/codec_internal.h"
#include "keel/mesos/offer.h"
#include "keel/mesos/resource.h"
#include "keel/mesos/scheduler.h"
#include "keel/mesos/task.h"
#include "keel/mesos/task_status.h"
#include "keel/mesos/values.h"

namespace keel::mesos::detail {

// ---- values.h ----

template <typename V, typename Tag>
void describe(V& v, Id<Tag>& m) {
  v("value", m.value);
}
template <typename V>
void describe(V& v, UUID& m) {
  v("value", m.value);
}
template <typename V>
void describe(V& v, Label& m) {
  v("key", m.key);
  v("value", m.value);
}
template <typename V>
void describe(V& v, Labels& m) {
  v("labels", m.labels);
}
template <typename V>
void describe(V& v, DurationInfo& m) {
  v("nanoseconds", m.nanoseconds);
}
template <typename V>
void describe(V& v, Value::Scalar& m) {
  v("value", m.value);
}
template <typename V>
void describe(V& v, Value::Range& m) {
  v("begin", m.begin);
  v("end", m.end);
}
template <typename V>
void describe(V& v, Value::Ranges& m) {
  v("range", m.range);
}
template <typename V>
void describe(V& v, Value::Set& m) {
  v("item", m.item);
}
template <typename V>
void describe(V& v, Value::Text& m) {
  v("value", m.value);
}
template <typename V>
void describe(V& v, Attribute& m) {
  v("name", m.name);
  v("type", m.type);
  v("scalar", m.scalar);
  v("ranges", m.ranges);
  v("set", m.set);
  v("text", m.text);
}
template <typename V>
void describe(V& v, Address& m) {
  v("hostname", m.hostname);
  v("ip", m.ip);
  v("port", m.port);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, URL& m) {
  v("scheme", m.scheme);
  v("address", m.address);
  v("path", m.path);
  v.extra(m.unknown);
}

// ---- resource.h ----

template <typename V>
void describe(V& v, Volume::Source::HostPath& m) {
  v("path", m.path);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Volume::Source::SandboxPath& m) {
  v("type", m.type);
  v("path", m.path);
}
template <typename V>
void describe(V& v, Volume::Source& m) {
  v("type", m.type);
  v("host_path", m.hostPath);
  v("sandbox_path", m.sandboxPath);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Volume& m) {
  v("mode", m.mode);
  v("container_path", m.containerPath);
  v("host_path", m.hostPath);
  v("source", m.source);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Resource::AllocationInfo& m) {
  v("role", m.role);
}
template <typename V>
void describe(V& v, Resource::ReservationInfo& m) {
  v("type", m.type);
  v("role", m.role);
  v("principal", m.principal);
  v("labels", m.labels);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Resource::DiskInfo::Persistence& m) {
  v("id", m.id);
  v("principal", m.principal);
}
template <typename V>
void describe(V& v, Resource::DiskInfo::Source::Path& m) {
  v("root", m.root);
}
template <typename V>
void describe(V& v, Resource::DiskInfo::Source::Mount& m) {
  v("root", m.root);
}
template <typename V>
void describe(V& v, Resource::DiskInfo::Source& m) {
  v("type", m.type);
  v("path", m.path);
  v("mount", m.mount);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Resource::DiskInfo& m) {
  v("persistence", m.persistence);
  v("volume", m.volume);
  v("source", m.source);
}
template <typename V>
void describe(V& v, Resource& m) {
  v("provider_id", m.providerId);
  v("name", m.name);
  v("type", m.type);
  v("scalar", m.scalar);
  v("ranges", m.ranges);
  v("set", m.set);
  v("role", m.role);
  v("allocation_info", m.allocationInfo);
  v("reservation", m.reservation);
  v("reservations", m.reservations);
  v("disk", m.disk);
  v.extra(m.unknown);
}

// ---- task.h ----

template <typename V>
void describe(V& v, Environment::Variable& m) {
  v("name", m.name);
  v("type", m.type);
  v("value", m.value);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Environment& m) {
  v("variables", m.variables);
}
template <typename V>
void describe(V& v, CommandInfo::URI& m) {
  v("value", m.value);
  v("executable", m.executable);
  v("extract", m.extract);
  v("cache", m.cache);
  v("output_file", m.outputFile);
}
template <typename V>
void describe(V& v, CommandInfo& m) {
  v("uris", m.uris);
  v("environment", m.environment);
  v("shell", m.shell);
  v("value", m.value);
  v("arguments", m.arguments);
  v("user", m.user);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, NetworkInfo::IPAddress& m) {
  v("protocol", m.protocol);
  v("ip_address", m.ipAddress);
}
template <typename V>
void describe(V& v, NetworkInfo& m) {
  v("ip_addresses", m.ipAddresses);
  v("name", m.name);
  v("labels", m.labels);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, RLimitInfo::RLimit& m) {
  v("type", m.type);
  v("hard", m.hard);
  v("soft", m.soft);
}
template <typename V>
void describe(V& v, RLimitInfo& m) {
  v("rlimits", m.rlimits);
}
template <typename V>
void describe(V& v, ContainerInfo& m) {
  v("type", m.type);
  v("volumes", m.volumes);
  v("hostname", m.hostname);
  v("network_infos", m.networkInfos);
  v("rlimit_info", m.rlimitInfo);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, HealthCheck::HTTPCheckInfo& m) {
  v("protocol", m.protocol);
  v("scheme", m.scheme);
  v("port", m.port);
  v("path", m.path);
  v("statuses", m.statuses);
}
template <typename V>
void describe(V& v, HealthCheck::TCPCheckInfo& m) {
  v("protocol", m.protocol);
  v("port", m.port);
}
template <typename V>
void describe(V& v, HealthCheck& m) {
  v("delay_seconds", m.delaySeconds);
  v("interval_seconds", m.intervalSeconds);
  v("timeout_seconds", m.timeoutSeconds);
  v("consecutive_failures", m.consecutiveFailures);
  v("grace_period_seconds", m.gracePeriodSeconds);
  v("type", m.type);
  v("command", m.command);
  v("http", m.http);
  v("tcp", m.tcp);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, CheckInfo::Command& m) {
  v("command", m.command);
}
template <typename V>
void describe(V& v, CheckInfo::Http& m) {
  v("port", m.port);
  v("path", m.path);
}
template <typename V>
void describe(V& v, CheckInfo::Tcp& m) {
  v("port", m.port);
}
template <typename V>
void describe(V& v, CheckInfo& m) {
  v("type", m.type);
  v("command", m.command);
  v("http", m.http);
  v("tcp", m.tcp);
  v("delay_seconds", m.delaySeconds);
  v("interval_seconds", m.intervalSeconds);
  v("timeout_seconds", m.timeoutSeconds);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, KillPolicy& m) {
  v("grace_period", m.gracePeriod);
}
template <typename V>
void describe(V& v, ExecutorInfo& m) {
  v("type", m.type);
  v("executor_id", m.executorId);
  v("framework_id", m.frameworkId);
  v("command", m.command);
  v("container", m.container);
  v("resources", m.resources);
  v("name", m.name);
  v("data", m.data);
  v("shutdown_grace_period", m.shutdownGracePeriod);
  v("labels", m.labels);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, TaskInfo& m) {
  v("name", m.name);
  v("task_id", m.taskId);
  v("agent_id", m.agentId);
  v("resources", m.resources);
  v("executor", m.executor);
  v("command", m.command);
  v("container", m.container);
  v("health_check", m.healthCheck);
  v("check", m.check);
  v("kill_policy", m.killPolicy);
  v("data", m.data);
  v("labels", m.labels);
  v("max_completion_time", m.maxCompletionTime);
  v("limits", m.limits);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, TaskGroupInfo& m) {
  v("tasks", m.tasks);
}

// ---- task_status.h ----

template <typename V>
void describe(V& v, CheckStatusInfo::Command& m) {
  v("exit_code", m.exitCode);
}
template <typename V>
void describe(V& v, CheckStatusInfo::Http& m) {
  v("status_code", m.statusCode);
}
template <typename V>
void describe(V& v, CheckStatusInfo::Tcp& m) {
  v("succeeded", m.succeeded);
}
template <typename V>
void describe(V& v, CheckStatusInfo& m) {
  v("type", m.type);
  v("command", m.command);
  v("http", m.http);
  v("tcp", m.tcp);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, ContainerStatus& m) {
  v("container_id", m.containerId);
  v("network_infos", m.networkInfos);
  v("executor_pid", m.executorPid);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, TaskStatus::Limitation& m) {
  v("resources", m.resources);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, TaskStatus& m) {
  v("task_id", m.taskId);
  v("state", m.state);
  v("message", m.message);
  v("source", m.source);
  v("reason", m.reason);
  v("data", m.data);
  v("agent_id", m.agentId);
  v("executor_id", m.executorId);
  v("timestamp", m.timestamp);
  v("uuid", m.uuid);
  v("healthy", m.healthy);
  v("check_status", m.checkStatus);
  v("labels", m.labels);
  v("container_status", m.containerStatus);
  v("unreachable_time", m.unreachableTime);
  v("limitation", m.limitation);
  v.extra(m.unknown);
}

// ---- offer.h ----

template <typename V>
void describe(V& v, FrameworkInfo::Capability& m) {
  v("type", m.type);
}
template <typename V>
void describe(V& v, FrameworkInfo& m) {
  v("user", m.user);
  v("name", m.name);
  v("id", m.id);
  v("failover_timeout", m.failoverTimeout);
  v("checkpoint", m.checkpoint);
  v("role", m.role);
  v("roles", m.roles);
  v("hostname", m.hostname);
  v("principal", m.principal);
  v("webui_url", m.webuiUrl);
  v("capabilities", m.capabilities);
  v("labels", m.labels);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, MasterInfo& m) {
  v("id", m.id);
  v("ip", m.ip);
  v("port", m.port);
  v("pid", m.pid);
  v("hostname", m.hostname);
  v("version", m.version);
  v("address", m.address);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, DomainInfo::FaultDomain::RegionInfo& m) {
  v("name", m.name);
}
template <typename V>
void describe(V& v, DomainInfo::FaultDomain::ZoneInfo& m) {
  v("name", m.name);
}
template <typename V>
void describe(V& v, DomainInfo::FaultDomain& m) {
  v("region", m.region);
  v("zone", m.zone);
}
template <typename V>
void describe(V& v, DomainInfo& m) {
  v("fault_domain", m.faultDomain);
}
template <typename V>
void describe(V& v, OfferOperation::Launch& m) {
  v("task_infos", m.taskInfos);
}
template <typename V>
void describe(V& v, OfferOperation::LaunchGroup& m) {
  v("executor", m.executor);
  v("task_group", m.taskGroup);
}
template <typename V>
void describe(V& v, OfferOperation::Reserve& m) {
  v("source", m.source);
  v("resources", m.resources);
}
template <typename V>
void describe(V& v, OfferOperation::Unreserve& m) {
  v("resources", m.resources);
}
template <typename V>
void describe(V& v, OfferOperation::Create& m) {
  v("volumes", m.volumes);
}
template <typename V>
void describe(V& v, OfferOperation::Destroy& m) {
  v("volumes", m.volumes);
}
template <typename V>
void describe(V& v, OfferOperation& m) {
  v("type", m.type);
  v("id", m.id);
  v("launch", m.launch);
  v("launch_group", m.launchGroup);
  v("reserve", m.reserve);
  v("unreserve", m.unreserve);
  v("create", m.create);
  v("destroy", m.destroy);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Offer& m) {
  v("id", m.id);
  v("framework_id", m.frameworkId);
  v("agent_id", m.agentId);
  v("hostname", m.hostname);
  v("url", m.url);
  v("domain", m.domain);
  v("resources", m.resources);
  v("attributes", m.attributes);
  v("executor_ids", m.executorIds);
  v("allocation_info", m.allocationInfo);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Filters& m) {
  v("refuse_seconds", m.refuseSeconds);
}
template <typename V>
void describe(V& v, OperationStatus& m) {
  v("operation_id", m.operationId);
  v("state", m.state);
  v("message", m.message);
  v("converted_resources", m.convertedResources);
  v("uuid", m.uuid);
  v("agent_id", m.agentId);
  v("resource_provider_id", m.resourceProviderId);
  v.extra(m.unknown);
}

}  // namespace keel::mesos::detail
