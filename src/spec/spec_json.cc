#include "keel/spec_json.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace keel::spec {
namespace {

using json = nlohmann::ordered_json;

// Enum <-> name tables.
template <typename E>
struct Names {
  std::vector<std::pair<E, const char*>> items;
  const char* name(E e) const {
    for (const auto& [v, n] : items) {
      if (v == e) return n;
    }
    return "UNKNOWN";
  }
  E parse(const json& j, const char* key) const {
    std::string s = j.get<std::string>();
    for (const auto& [v, n] : items) {
      if (s == n) return v;
    }
    throw std::invalid_argument(std::string("unknown value '") + s + "' for " + key);
  }
};

const Names<GoalState> kGoals{
    {{GoalState::kRunning, "RUNNING"}, {GoalState::kFinish, "FINISH"}, {GoalState::kOnce, "ONCE"}}};
const Names<VolumeType> kVolumeTypes{{{VolumeType::kRoot, "ROOT"}, {VolumeType::kMount, "MOUNT"}}};
const Names<DiscoveryVisibility> kVisibilities{{{DiscoveryVisibility::kFramework, "FRAMEWORK"},
                                                {DiscoveryVisibility::kCluster, "CLUSTER"},
                                                {DiscoveryVisibility::kExternal, "EXTERNAL"}}};
const Names<TransportEncryptionType> kTlsTypes{
    {{TransportEncryptionType::kTls, "TLS"}, {TransportEncryptionType::kKeystore, "KEYSTORE"}}};
const Names<HostVolumeMode> kModes{
    {{HostVolumeMode::kReadWrite, "RW"}, {HostVolumeMode::kReadOnly, "RO"}}};
const Names<IpcMode> kIpcModes{
    {{IpcMode::kPrivate, "PRIVATE"}, {IpcMode::kShareParent, "SHARE_PARENT"}}};

template <typename T>
void putOpt(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
template <typename T>
void getOpt(const json& j, const char* key, std::optional<T>& v) {
  if (j.contains(key)) v = j.at(key).get<T>();
}
template <typename T>
void get(const json& j, const char* key, T& v) {
  if (j.contains(key)) v = j.at(key).get<T>();
}
json labelsJson(const std::vector<std::pair<std::string, std::string>>& labels) {
  json out = json::array();
  for (const auto& [k, v] : labels) out.push_back(json::array({k, v}));
  return out;
}
void getLabels(const json& j, const char* key,
               std::vector<std::pair<std::string, std::string>>& labels) {
  if (!j.contains(key)) return;
  for (const auto& kv : j.at(key))
    labels.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
}
template <typename T, typename F>
json listJson(const std::vector<T>& items, F encode) {
  json out = json::array();
  for (const auto& i : items) out.push_back(encode(i));
  return out;
}
template <typename T, typename F>
void getList(const json& j, const char* key, std::vector<T>& items, F decode) {
  if (!j.contains(key)) return;
  const json& list = j.at(key);
  if (!list.is_array()) {
    throw std::invalid_argument(std::string("'") + key + "' must be an array, not " +
                                list.type_name());
  }
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) {
      throw std::invalid_argument(std::string("'") + key + "[" + std::to_string(i) +
                                  "]' must be an object, not " + list[i].type_name());
    }
    items.push_back(decode(list[i]));
  }
}

json encodePort(const PortSpec& p) {
  json j{{"name", p.name}, {"port", p.port}, {"env-key", p.envKey}, {"advertise", p.advertise}};
  if (p.vip) j["vip"] = json{{"port", p.vip->port}, {"prefix", p.vip->prefix}};
  j["ranges"] = listJson(p.ranges, [](const PortRange& r) {
    json rj = json::object();
    putOpt(rj, "begin", r.begin);
    putOpt(rj, "end", r.end);
    return rj;
  });
  return j;
}
PortSpec decodePort(const json& j) {
  PortSpec p;
  get(j, "name", p.name);
  get(j, "port", p.port);
  get(j, "env-key", p.envKey);
  get(j, "advertise", p.advertise);
  if (j.contains("vip"))
    p.vip =
        VipSpec{j.at("vip").at("port").get<int64_t>(), j.at("vip").at("prefix").get<std::string>()};
  getList(j, "ranges", p.ranges, [](const json& rj) {
    PortRange r;
    getOpt(rj, "begin", r.begin);
    getOpt(rj, "end", r.end);
    return r;
  });
  return p;
}

json encodeVolume(const VolumeSpec& v) {
  return json{{"name", v.name},
              {"path", v.path},
              {"type", kVolumeTypes.name(v.type)},
              {"size", v.sizeMb},
              {"profiles", v.profiles}};
}
VolumeSpec decodeVolume(const json& j) {
  VolumeSpec v;
  get(j, "name", v.name);
  get(j, "path", v.path);
  if (j.contains("type")) v.type = kVolumeTypes.parse(j.at("type"), "volume type");
  get(j, "size", v.sizeMb);
  get(j, "profiles", v.profiles);
  return v;
}

json encodeLimit(const ResourceLimit& l) { return l.unlimited ? json("unlimited") : json(l.value); }
ResourceLimit decodeLimit(const json& j) {
  if (j.is_string() && j.get<std::string>() == "unlimited") return ResourceLimit{true, 0};
  return ResourceLimit{false, j.get<double>()};
}

json encodeResourceSet(const ResourceSetSpec& r) {
  json j{{"id", r.id}, {"cpus", r.cpus}, {"gpus", r.gpus}, {"memory", r.memoryMb}};
  j["ports"] = listJson(r.ports, encodePort);
  j["volumes"] = listJson(r.volumes, encodeVolume);
  if (r.limits) {
    json l = json::object();
    if (r.limits->cpus) l["cpus"] = encodeLimit(*r.limits->cpus);
    if (r.limits->memory) l["memory"] = encodeLimit(*r.limits->memory);
    j["resource-limits"] = l;
  }
  return j;
}
ResourceSetSpec decodeResourceSet(const json& j) {
  ResourceSetSpec r;
  get(j, "id", r.id);
  get(j, "cpus", r.cpus);
  get(j, "gpus", r.gpus);
  get(j, "memory", r.memoryMb);
  getList(j, "ports", r.ports, decodePort);
  getList(j, "volumes", r.volumes, decodeVolume);
  if (j.contains("resource-limits")) {
    const json& l = j.at("resource-limits");
    r.limits = ResourceLimits{};
    if (l.contains("cpus")) r.limits->cpus = decodeLimit(l.at("cpus"));
    if (l.contains("memory")) r.limits->memory = decodeLimit(l.at("memory"));
  }
  return r;
}

json encodeTask(const TaskSpec& t) {
  json j{
      {"name", t.name}, {"goal", kGoals.name(t.goal)}, {"essential", t.essential}, {"cmd", t.cmd}};
  j["env"] = t.env;
  j["labels"] = labelsJson(t.labels);
  j["configs"] = listJson(t.configs, [](const ConfigFileSpec& c) {
    return json{
        {"name", c.name}, {"template", c.templatePath}, {"dest", c.dest}, {"content", c.content}};
  });
  j["resource-set"] = t.resourceSet;
  if (const auto& h = t.healthCheck) {
    json hj{{"cmd", h->cmd}};
    putOpt(hj, "interval", h->intervalS);
    putOpt(hj, "grace-period", h->gracePeriodS);
    putOpt(hj, "max-consecutive-failures", h->maxConsecutiveFailures);
    putOpt(hj, "delay", h->delayS);
    putOpt(hj, "timeout", h->timeoutS);
    j["health-check"] = hj;
  }
  if (const auto& r = t.readinessCheck) {
    json rj{{"cmd", r->cmd}};
    putOpt(rj, "interval", r->intervalS);
    putOpt(rj, "delay", r->delayS);
    putOpt(rj, "timeout", r->timeoutS);
    j["readiness-check"] = rj;
  }
  if (t.discovery) {
    j["discovery"] = json{{"prefix", t.discovery->prefix},
                          {"visibility", kVisibilities.name(t.discovery->visibility)}};
  }
  putOpt(j, "kill-grace-period", t.killGracePeriodS);
  j["transport-encryption"] =
      listJson(t.transportEncryption, [](const TransportEncryptionSpec& te) {
        return json{{"name", te.name}, {"type", kTlsTypes.name(te.type)}};
      });
  if (t.ipcMode) j["ipc-mode"] = kIpcModes.name(*t.ipcMode);
  putOpt(j, "shm-size", t.shmSizeMb);
  return j;
}

void decodeChecks(const json& j, TaskSpec& t) {
  if (j.contains("health-check")) {
    const json& hj = j.at("health-check");
    HealthCheckSpec h;
    get(hj, "cmd", h.cmd);
    getOpt(hj, "interval", h.intervalS);
    getOpt(hj, "grace-period", h.gracePeriodS);
    getOpt(hj, "max-consecutive-failures", h.maxConsecutiveFailures);
    getOpt(hj, "delay", h.delayS);
    getOpt(hj, "timeout", h.timeoutS);
    t.healthCheck = h;
  }
  if (j.contains("readiness-check")) {
    const json& rj = j.at("readiness-check");
    ReadinessCheckSpec r;
    get(rj, "cmd", r.cmd);
    getOpt(rj, "interval", r.intervalS);
    getOpt(rj, "delay", r.delayS);
    getOpt(rj, "timeout", r.timeoutS);
    t.readinessCheck = r;
  }
}

TaskSpec decodeTask(const json& j) {
  TaskSpec t;
  get(j, "name", t.name);
  if (j.contains("goal")) t.goal = kGoals.parse(j.at("goal"), "goal");
  get(j, "essential", t.essential);
  get(j, "cmd", t.cmd);
  get(j, "env", t.env);
  getLabels(j, "labels", t.labels);
  getList(j, "configs", t.configs, [](const json& c) {
    return ConfigFileSpec{c.at("name").get<std::string>(), c.at("template").get<std::string>(),
                          c.at("dest").get<std::string>(), c.at("content").get<std::string>()};
  });
  get(j, "resource-set", t.resourceSet);
  decodeChecks(j, t);
  if (j.contains("discovery")) {
    const json& d = j.at("discovery");
    t.discovery = DiscoverySpec{d.at("prefix").get<std::string>(),
                                kVisibilities.parse(d.at("visibility"), "visibility")};
  }
  getOpt(j, "kill-grace-period", t.killGracePeriodS);
  getList(j, "transport-encryption", t.transportEncryption, [](const json& te) {
    return TransportEncryptionSpec{te.at("name").get<std::string>(),
                                   kTlsTypes.parse(te.at("type"), "type")};
  });
  if (j.contains("ipc-mode")) t.ipcMode = kIpcModes.parse(j.at("ipc-mode"), "ipc-mode");
  getOpt(j, "shm-size", t.shmSizeMb);
  return t;
}

json encodePodExtras(const PodSpec& p) {
  json j = json::object();
  j["rlimits"] = listJson(p.rlimits, [](const RLimitSpec& r) {
    json rj{{"name", r.name}};
    putOpt(rj, "soft", r.soft);
    putOpt(rj, "hard", r.hard);
    return rj;
  });
  j["secrets"] = listJson(p.secrets, [](const SecretSpec& s) {
    return json{
        {"name", s.name}, {"secret", s.secretPath}, {"env-key", s.envKey}, {"file", s.filePath}};
  });
  j["host-volumes"] = listJson(p.hostVolumes, [](const HostVolumeSpec& h) {
    return json{{"name", h.name},
                {"host-path", h.hostPath},
                {"container-path", h.containerPath},
                {"mode", kModes.name(h.mode)}};
  });
  j["external-volumes"] = listJson(p.externalVolumes, [](const ExternalVolumeSpec& e) {
    return json{{"name", e.name},
                {"type", e.type},
                {"volume-name", e.volumeName},
                {"volume-mode", e.volumeMode},
                {"driver-name", e.driverName},
                {"driver-options", e.driverOptions},
                {"container-path", e.containerPath}};
  });
  j["networks"] = listJson(p.networks, [](const NetworkSpec& n) {
    return json{{"name", n.name},
                {"labels", labelsJson(n.labels)},
                {"host-ports", n.hostPorts},
                {"container-ports", n.containerPorts}};
  });
  return j;
}

json encodePod(const PodSpec& p) {
  json j{
      {"type", p.type},           {"count", p.count}, {"allow-decommission", p.allowDecommission},
      {"placement", p.placement}, {"uris", p.uris},   {"pre-reserved-role", p.preReservedRole}};
  j["volumes"] = listJson(p.volumes, encodeVolume);
  j["resource-sets"] = listJson(p.resourceSets, encodeResourceSet);
  j["tasks"] = listJson(p.tasks, encodeTask);
  j.update(encodePodExtras(p));
  putOpt(j, "image", p.image);
  j["share-pid-namespace"] = p.sharePidNamespace;
  j["seccomp-unconfined"] = p.seccompUnconfined;
  j["seccomp-profile-name"] = p.seccompProfileName;
  if (p.ipcMode) j["ipc-mode"] = kIpcModes.name(*p.ipcMode);
  putOpt(j, "shm-size", p.shmSizeMb);
  return j;
}

void decodePodExtras(const json& j, PodSpec& p) {
  getList(j, "rlimits", p.rlimits, [](const json& r) {
    RLimitSpec out;
    get(r, "name", out.name);
    getOpt(r, "soft", out.soft);
    getOpt(r, "hard", out.hard);
    return out;
  });
  getList(j, "secrets", p.secrets, [](const json& s) {
    return SecretSpec{s.at("name").get<std::string>(), s.at("secret").get<std::string>(),
                      s.at("env-key").get<std::string>(), s.at("file").get<std::string>()};
  });
  getList(j, "host-volumes", p.hostVolumes, [](const json& h) {
    return HostVolumeSpec{h.at("name").get<std::string>(), h.at("host-path").get<std::string>(),
                          h.at("container-path").get<std::string>(),
                          kModes.parse(h.at("mode"), "mode")};
  });
  getList(j, "external-volumes", p.externalVolumes, [](const json& e) {
    ExternalVolumeSpec out;
    get(e, "name", out.name);
    get(e, "type", out.type);
    get(e, "volume-name", out.volumeName);
    get(e, "volume-mode", out.volumeMode);
    get(e, "driver-name", out.driverName);
    get(e, "driver-options", out.driverOptions);
    get(e, "container-path", out.containerPath);
    return out;
  });
  getList(j, "networks", p.networks, [](const json& n) {
    NetworkSpec out;
    get(n, "name", out.name);
    getLabels(n, "labels", out.labels);
    get(n, "host-ports", out.hostPorts);
    get(n, "container-ports", out.containerPorts);
    return out;
  });
}

PodSpec decodePod(const json& j) {
  PodSpec p;
  get(j, "type", p.type);
  get(j, "count", p.count);
  get(j, "allow-decommission", p.allowDecommission);
  get(j, "placement", p.placement);
  get(j, "uris", p.uris);
  get(j, "pre-reserved-role", p.preReservedRole);
  getList(j, "volumes", p.volumes, decodeVolume);
  getList(j, "resource-sets", p.resourceSets, decodeResourceSet);
  getList(j, "tasks", p.tasks, decodeTask);
  decodePodExtras(j, p);
  getOpt(j, "image", p.image);
  get(j, "share-pid-namespace", p.sharePidNamespace);
  get(j, "seccomp-unconfined", p.seccompUnconfined);
  get(j, "seccomp-profile-name", p.seccompProfileName);
  if (j.contains("ipc-mode")) p.ipcMode = kIpcModes.parse(j.at("ipc-mode"), "ipc-mode");
  getOpt(j, "shm-size", p.shmSizeMb);
  return p;
}

json encodePlan(const PlanSpec& plan) {
  json j{{"name", plan.name}, {"strategy", plan.strategy}};
  j["phases"] = listJson(plan.phases, [](const PhaseSpec& ph) {
    json pj{{"name", ph.name}, {"strategy", ph.strategy}, {"pod", ph.pod}};
    pj["steps"] = listJson(ph.steps, [](const StepSpec& s) {
      return json{{"index", s.index}, {"tasks", s.taskGroups}};
    });
    return pj;
  });
  return j;
}

PlanSpec decodePlan(const json& j) {
  PlanSpec plan;
  get(j, "name", plan.name);
  get(j, "strategy", plan.strategy);
  getList(j, "phases", plan.phases, [](const json& pj) {
    PhaseSpec ph;
    get(pj, "name", ph.name);
    get(pj, "strategy", ph.strategy);
    get(pj, "pod", ph.pod);
    getList(pj, "steps", ph.steps, [](const json& s) {
      StepSpec step;
      get(s, "index", step.index);
      get(s, "tasks", step.taskGroups);
      return step;
    });
    return ph;
  });
  return plan;
}

}  // namespace

std::string toJson(const ServiceSpec& spec, JsonStyle style) {
  json j{{"name", spec.name}, {"web-url", spec.webUrl}};
  j["scheduler"] = json{{"principal", spec.scheduler.principal},
                        {"user", spec.scheduler.user},
                        {"zookeeper", spec.scheduler.zookeeper}};
  j["pods"] = listJson(spec.pods, encodePod);
  j["plans"] = listJson(spec.plans, encodePlan);
  return style == JsonStyle::kPretty ? j.dump(2) : j.dump();
}

Result<ServiceSpec> serviceSpecFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Status::invalidArgument("service spec JSON: not a JSON object");
  for (const char* key : {"name", "pods"}) {
    if (!j.contains(key)) {
      return Status::invalidArgument(std::string("service spec JSON: '") + key + "' is missing");
    }
  }
  try {
    ServiceSpec spec;
    get(j, "name", spec.name);
    get(j, "web-url", spec.webUrl);
    if (j.contains("scheduler")) {
      const json& s = j.at("scheduler");
      get(s, "principal", spec.scheduler.principal);
      get(s, "user", spec.scheduler.user);
      get(s, "zookeeper", spec.scheduler.zookeeper);
    }
    getList(j, "pods", spec.pods, decodePod);
    getList(j, "plans", spec.plans, decodePlan);
    return spec;
  } catch (const std::exception& e) {
    return Status::invalidArgument(std::string("service spec JSON: ") + e.what());
  }
}

}  // namespace keel::spec
