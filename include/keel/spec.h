// The service spec model: what a service author declares, in svc.yml (the
// dcos-commons format) or through the C++ builders (keel/spec_builder.h).
//
// A ServiceSpec is a plain value: copyable, comparable with ==, serialisable
// to JSON (keel/spec_json.h). It records everything the author declared,
// including features a given cluster may not offer (Docker images, virtual
// networks, GPUs, secrets, TLS): keel never drops a declaration silently;
// unsupportedFeatures() in keel/spec_validate.h names them.
//
// Units follow svc.yml: cpus in cores, memory and sizes in MB, times in
// seconds. Optional fields are std::optional where "unset" differs from any
// value (a default applied later, or a check that is absent).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace keel::spec {

enum class GoalState { kRunning, kFinish, kOnce };
enum class VolumeType { kRoot, kMount };
enum class DiscoveryVisibility { kFramework, kCluster, kExternal };
enum class TransportEncryptionType { kTls, kKeystore };
enum class HostVolumeMode { kReadWrite, kReadOnly };
enum class IpcMode { kPrivate, kShareParent };

const char* goalStateName(GoalState g);    // "RUNNING", "FINISH", "ONCE"
const char* volumeTypeName(VolumeType t);  // "ROOT", "MOUNT"

// One begin/end pair of a port range; either end may be open.
struct PortRange {
  std::optional<int64_t> begin;
  std::optional<int64_t> end;
  bool operator==(const PortRange&) const = default;
};

struct VipSpec {
  int64_t port = 0;
  std::string prefix;  // defaults to the port's name
  bool operator==(const VipSpec&) const = default;
};

struct PortSpec {
  std::string name;
  int64_t port = 0;    // 0: dynamic, chosen from the offer within `ranges`
  std::string envKey;  // env var that receives the port; empty: none
  bool advertise = false;
  std::optional<VipSpec> vip;
  std::vector<PortRange> ranges;
  bool operator==(const PortSpec&) const = default;
};

struct VolumeSpec {
  std::string name;  // key under `volumes:`; empty for a single `volume:`
  std::string path;  // container path, relative to the sandbox
  VolumeType type = VolumeType::kRoot;
  double sizeMb = 0;
  std::vector<std::string> profiles;  // MOUNT only
  bool operator==(const VolumeSpec&) const = default;
};

// A limit is either a number or "unlimited"; unset means "same as request".
struct ResourceLimit {
  bool unlimited = false;
  double value = 0;
  bool operator==(const ResourceLimit&) const = default;
};

struct ResourceLimits {
  std::optional<ResourceLimit> cpus;
  std::optional<ResourceLimit> memory;
  bool operator==(const ResourceLimits&) const = default;
};

// The resources a task runs with. Tasks with inline resources get a resource
// set of their own, named "<task>-resource-set" (as dcos-commons does).
struct ResourceSetSpec {
  std::string id;
  double cpus = 0;
  double gpus = 0;
  double memoryMb = 0;
  std::vector<PortSpec> ports;
  std::vector<VolumeSpec> volumes;
  std::optional<ResourceLimits> limits;
  bool operator==(const ResourceSetSpec&) const = default;
};

// Unset fields take Mesos' defaults when the check is built.
struct HealthCheckSpec {
  std::string cmd;
  std::optional<double> intervalS;
  std::optional<double> gracePeriodS;
  std::optional<int64_t> maxConsecutiveFailures;
  std::optional<double> delayS;
  std::optional<double> timeoutS;
  bool operator==(const HealthCheckSpec&) const = default;
};

struct ReadinessCheckSpec {
  std::string cmd;
  std::optional<double> intervalS;
  std::optional<double> delayS;
  std::optional<double> timeoutS;
  bool operator==(const ReadinessCheckSpec&) const = default;
};

// A config template: `templatePath` as written (relative to the spec file),
// `content` as read when the spec was loaded, rendered into `dest` (relative
// to the sandbox) before the task starts.
struct ConfigFileSpec {
  std::string name;
  std::string templatePath;
  std::string dest;
  std::string content;
  bool operator==(const ConfigFileSpec&) const = default;
};

struct DiscoverySpec {
  std::string prefix;
  DiscoveryVisibility visibility = DiscoveryVisibility::kCluster;
  bool operator==(const DiscoverySpec&) const = default;
};

struct TransportEncryptionSpec {
  std::string name;
  TransportEncryptionType type = TransportEncryptionType::kTls;
  bool operator==(const TransportEncryptionSpec&) const = default;
};

struct TaskSpec {
  std::string name;
  GoalState goal = GoalState::kRunning;
  bool essential = true;
  std::string cmd;
  std::map<std::string, std::string> env;
  std::vector<std::pair<std::string, std::string>> labels;  // in declared order
  std::vector<ConfigFileSpec> configs;
  std::string resourceSet;  // id of a ResourceSetSpec of the pod
  std::optional<HealthCheckSpec> healthCheck;
  std::optional<ReadinessCheckSpec> readinessCheck;
  std::optional<DiscoverySpec> discovery;
  std::optional<int64_t> killGracePeriodS;
  std::vector<TransportEncryptionSpec> transportEncryption;
  std::optional<IpcMode> ipcMode;    // declared; not offered by the local cluster
  std::optional<int64_t> shmSizeMb;  // declared; not offered by the local cluster
  bool operator==(const TaskSpec&) const = default;
};

struct RLimitSpec {
  std::string name;             // RLIMIT_*
  std::optional<int64_t> soft;  // unset: unlimited
  std::optional<int64_t> hard;
  bool operator==(const RLimitSpec&) const = default;
};

struct SecretSpec {
  std::string name;
  std::string secretPath;
  std::string envKey;
  std::string filePath;
  bool operator==(const SecretSpec&) const = default;
};

struct HostVolumeSpec {
  std::string name;
  std::string hostPath;
  std::string containerPath;
  HostVolumeMode mode = HostVolumeMode::kReadWrite;
  bool operator==(const HostVolumeSpec&) const = default;
};

struct ExternalVolumeSpec {
  std::string name;
  std::string type;  // DOCKER
  std::string volumeName;
  std::string volumeMode;
  std::string driverName;
  std::string driverOptions;
  std::string containerPath;
  bool operator==(const ExternalVolumeSpec&) const = default;
};

struct NetworkSpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<int64_t> hostPorts;
  std::vector<int64_t> containerPorts;
  bool operator==(const NetworkSpec&) const = default;
};

struct PodSpec {
  std::string type;
  int64_t count = 0;
  bool allowDecommission = false;
  std::string placement;  // constraint text as written; empty: anywhere
  std::vector<std::string> uris;
  std::vector<RLimitSpec> rlimits;
  std::vector<VolumeSpec> volumes;  // pod-level, shared by its tasks
  std::vector<ResourceSetSpec> resourceSets;
  std::vector<TaskSpec> tasks;
  std::string preReservedRole = "*";
  std::vector<SecretSpec> secrets;
  std::vector<HostVolumeSpec> hostVolumes;
  std::vector<ExternalVolumeSpec> externalVolumes;
  std::optional<std::string> image;   // declared; Docker images are not run by keel
  std::vector<NetworkSpec> networks;  // declared; virtual networks are not offered
  bool sharePidNamespace = false;
  bool seccompUnconfined = false;
  std::string seccompProfileName;
  std::optional<IpcMode> ipcMode;
  std::optional<int64_t> shmSizeMb;

  const TaskSpec* task(const std::string& name) const;
  const ResourceSetSpec* resourceSet(const std::string& id) const;
  bool operator==(const PodSpec&) const = default;
};

// One entry of a phase's `steps:` list: for pod instance `index` ("default"
// for all others), each inner list is one step launching those tasks together.
struct StepSpec {
  std::string index;  // a decimal instance index, or "default"
  std::vector<std::vector<std::string>> taskGroups;
  bool operator==(const StepSpec&) const = default;
};

struct PhaseSpec {
  std::string name;
  std::string strategy = "serial";  // serial, parallel, serial-canary, canary, parallel-canary
  std::string pod;
  std::vector<StepSpec> steps;  // empty: one step per instance with all tasks
  bool operator==(const PhaseSpec&) const = default;
};

struct PlanSpec {
  std::string name;
  std::string strategy = "serial";  // serial, parallel
  std::vector<PhaseSpec> phases;
  bool operator==(const PlanSpec&) const = default;
};

struct SchedulerSpec {
  std::string principal;  // default "<name>-principal"
  std::string user = "root";
  std::string zookeeper = "master.mesos:2181";
  bool operator==(const SchedulerSpec&) const = default;
};

struct ServiceSpec {
  std::string name;
  std::string webUrl;
  SchedulerSpec scheduler;
  std::vector<PodSpec> pods;    // in declared order: the default deploy order
  std::vector<PlanSpec> plans;  // in declared order

  const PodSpec* pod(const std::string& type) const;
  const PlanSpec* plan(const std::string& name) const;
  bool operator==(const ServiceSpec&) const = default;
};

// The service's role, as dcos-commons derives it: "<name>-role" with '/'
// replaced by "__".
std::string serviceRole(const ServiceSpec& spec);

}  // namespace keel::spec
