#include "cluster/local/checkpoint_json.h"

#include "cluster/local/node_text_cache.h"

#include <chrono>
#include <string>

#include "keel/mesos/json.h"

namespace keel::local::checkpoint {
namespace {

template <typename T>
json wire(const T& message) {
  return mesos::encodeJson(message);
}

template <typename T>
Result<T> unwire(const json& j) {
  if (!j.is_string()) return Status::corruption("expected a JSON string");
  return mesos::decodeJson<T>(j.get<std::string>());
}

}  // namespace

json resourcesJson(const Resources& resources) {
  json out = json::array();
  for (const mesos::Resource& r : resources) out.push_back(wire(r));
  return out;
}

Result<Resources> resourcesFrom(const json& j) {
  Resources out;
  for (const json& r : j) {
    KEEL_ASSIGN_OR_RETURN(mesos::Resource resource, unwire<mesos::Resource>(r));
    out.push_back(std::move(resource));
  }
  return out;
}

int64_t millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// ------------------------------------------------------------------ agents

json agentJson(const AgentRecord& a) {
  const AgentConfig& c = a.config;
  json attributes = json::array();
  for (const auto& [k, v] : c.attributes) attributes.push_back({k, v});
  return {{"id", c.id},
          {"hostname", c.hostname},
          {"cpus", c.cpus},
          {"mem", c.memMb},
          {"disk", c.diskMb},
          {"ports", {c.ports.begin, c.ports.end}},
          {"region", c.region},
          {"zone", c.zone},
          {"attributes", attributes},
          {"work_dir", c.workDir},
          {"health", std::string(agentHealthName(a.health))},
          {"total", resourcesJson(a.total)}};
}

Result<AgentRecord> agentFrom(const json& j) {
  AgentRecord a;
  AgentConfig& c = a.config;
  c.id = j.at("id");
  c.hostname = j.at("hostname");
  c.cpus = j.at("cpus");
  c.memMb = j.at("mem");
  c.diskMb = j.at("disk");
  c.ports = {j.at("ports").at(0), j.at("ports").at(1)};
  c.region = j.at("region");
  c.zone = j.at("zone");
  for (const json& kv : j.at("attributes")) c.attributes.emplace_back(kv.at(0), kv.at(1));
  c.workDir = j.at("work_dir");
  std::string health = j.at("health");
  a.health = health == "DOWN"      ? AgentHealth::kDown
             : health == "REMOVED" ? AgentHealth::kRemoved
                                   : AgentHealth::kUp;
  KEEL_ASSIGN_OR_RETURN(a.total, resourcesFrom(j.at("total")));
  return a;
}

// -------------------------------------------------------------- frameworks

json frameworkJson(const FrameworkRecord& f) {
  return {{"info", wire(f.info)},
          {"suppressed_roles", f.suppressedRoles},
          {"registered_ms", millis(f.registeredAt)}};
}

Result<FrameworkRecord> frameworkFrom(const json& j) {
  FrameworkRecord f;
  KEEL_ASSIGN_OR_RETURN(f.info, unwire<mesos::FrameworkInfo>(j.at("info")));
  if (!f.info.id) return Status::corruption("framework without id");
  f.suppressedRoles = j.at("suppressed_roles").get<std::set<std::string>>();
  f.registeredAt = TimePoint(std::chrono::milliseconds(j.at("registered_ms").get<int64_t>()));
  return f;
}

// ------------------------------------------------------ tasks and executors

json taskJson(const TaskRecord& t) {
  json pending = json::array();
  for (const PendingUpdate& u : t.unacknowledged) pending.push_back(wire(u.status));
  return {{"info", wire(t.info)},
          {"framework_id", t.frameworkId},
          {"agent_id", t.agentId},
          {"executor_id", t.executorId},
          {"role", t.role},
          {"resources", resourcesJson(t.resources)},
          {"latest", wire(t.latest)},
          {"unacknowledged", pending},
          {"released", t.resourcesReleased}};
}

Result<TaskRecord> taskFrom(const json& j) {
  TaskRecord t;
  KEEL_ASSIGN_OR_RETURN(t.info, unwire<mesos::TaskInfo>(j.at("info")));
  t.frameworkId = j.at("framework_id");
  t.agentId = j.at("agent_id");
  t.executorId = j.at("executor_id");
  t.role = j.at("role");
  KEEL_ASSIGN_OR_RETURN(t.resources, resourcesFrom(j.at("resources")));
  KEEL_ASSIGN_OR_RETURN(t.latest, unwire<mesos::TaskStatus>(j.at("latest")));
  for (const json& u : j.at("unacknowledged")) {
    KEEL_ASSIGN_OR_RETURN(mesos::TaskStatus status, unwire<mesos::TaskStatus>(u));
    t.unacknowledged.push_back({std::move(status)});
  }
  t.resourcesReleased = j.at("released");
  stampFixedFields(t);
  return t;
}

json executorJson(const ExecutorRecord& e) {
  return {
      {"info", wire(e.info)}, {"framework_id", e.frameworkId},           {"agent_id", e.agentId},
      {"role", e.role},       {"resources", resourcesJson(e.resources)}, {"task_ids", e.taskIds}};
}

Result<ExecutorRecord> executorFrom(const json& j) {
  ExecutorRecord e;
  KEEL_ASSIGN_OR_RETURN(e.info, unwire<mesos::ExecutorInfo>(j.at("info")));
  e.frameworkId = j.at("framework_id");
  e.agentId = j.at("agent_id");
  e.role = j.at("role");
  KEEL_ASSIGN_OR_RETURN(e.resources, resourcesFrom(j.at("resources")));
  e.taskIds = j.at("task_ids").get<std::set<std::string>>();
  return e;
}

json operationsJson(const std::vector<PendingOperationUpdate>& updates) {
  json out = json::array();
  for (const PendingOperationUpdate& u : updates) {
    out.push_back({{"framework_id", u.frameworkId}, {"status", wire(u.status)}});
  }
  return out;
}

Result<std::vector<PendingOperationUpdate>> operationsFrom(const json& j) {
  std::vector<PendingOperationUpdate> out;
  for (const json& u : j) {
    PendingOperationUpdate update;
    update.frameworkId = u.at("framework_id");
    KEEL_ASSIGN_OR_RETURN(update.status, unwire<mesos::OperationStatus>(u.at("status")));
    out.push_back(std::move(update));
  }
  return out;
}

}  // namespace keel::local::checkpoint
