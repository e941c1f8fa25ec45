// What offer evaluation is asked to place: one pod instance's tasks, with the
// service's identity, the instance's previous launch (its footprint) and the
// tasks already placed in the service (for placement rules).
//
// A requirement is a plain value built by the scheduler for each candidate
// step of an offer cycle (dcos-commons' PodInstanceRequirement).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "keel/mesos/task.h"
#include "keel/spec.h"

namespace keel::offer {

// NONE: a first launch or a restart in place; TRANSIENT: relaunch on the
// pod's reserved resources; PERMANENT: a new footprint (the old reservations
// are left to garbage collection), placement checked again.
enum class RecoveryType { kNone, kTransient, kPermanent };
const char* recoveryTypeName(RecoveryType type);  // "NONE", "TRANSIENT", "PERMANENT"

// Where ids come from: a new UUID per call. randomUuids() in production,
// seededUuids(seed) in tests (seededUuid(seed), seededUuid(seed + 1), ...).
using UuidSource = std::function<std::string()>;
UuidSource randomUuids();
UuidSource seededUuids(uint64_t seed);

// The service and framework on whose behalf operations are built, and the
// values injected into every task's environment.
struct ServiceContext {
  std::string serviceName;  // FRAMEWORK_NAME, reservation `namespace` label
  std::string role;         // reservations' role, e.g. "data-store-role"
  std::string principal;
  std::string frameworkId;
  std::string user = "root";  // CommandInfo.user
  std::string frameworkHost;  // FRAMEWORK_HOST
  std::string schedulerApiHostname;
  int64_t schedulerApiPort = 0;
  std::string targetConfigId;  // the `target_configuration` label
  // Base URL of the scheduler's API ("http://host:port"); when set, each
  // config template of a task is fetched to its dest from
  // renderedConfigUrl(<base>, <task id>, <index>) (keel/offer/task_labels.h).
  std::string artifactsUrl;
};

// One task currently placed in the service (running or holding resources).
struct PlacedTask {
  std::string taskName;     // "data-0-node"
  std::string podType;      // "data"
  std::string podInstance;  // "data-0"
  std::string agentId;
  std::string hostname;
  std::string zone;                                             // empty: unknown
  std::string region;                                           // empty: unknown
  std::vector<std::pair<std::string, std::string>> attributes;  // name, text value
};

struct PlacementContext {
  std::vector<PlacedTask> tasks;
};

// The placement facts a TaskInfo built by keel carries in its labels
// (task_type, index, offer_hostname, offer_zone, offer_region,
// offer_attributes) and its agent id. Tasks without a task_type label are
// skipped by placementContextFrom.
PlacedTask placedTaskFromTaskInfo(const mesos::TaskInfo& task);
PlacementContext placementContextFrom(std::span<const mesos::TaskInfo> tasks);

struct PodInstanceRequirement {
  spec::PodSpec pod;
  int64_t index = 0;
  std::vector<std::string> tasksToLaunch;  // task names of `pod`
  RecoveryType recovery = RecoveryType::kNone;
  // The TaskInfos last launched for this pod instance (all its tasks, as
  // persisted): their reserved resources (resource_id labels), persistent
  // volumes (persistence ids), dynamic ports and executor.
  std::vector<mesos::TaskInfo> previousTasks;
  // Some task of this instance is still running: its executor (from
  // previousTasks) is reused and no executor resources are needed.
  bool executorRunning = false;
  // Extra task environment (plan parameters, routed TASKCFG_* values).
  std::map<std::string, std::string> environment;
  // The pod instance's incarnation (0 until its first permanent
  // replacement): every task gets it as POD_INCARNATION and in the
  // `incarnation` label.
  int64_t incarnation = 0;

  std::string podInstanceName() const;  // "<pod>-<index>"
};

}  // namespace keel::offer
