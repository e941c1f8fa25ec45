// What changed between two configurations of a service, per pod type, and
// what the change does to the running pod instances.
//
// A pod's *task config* is everything its tasks are launched with: commands,
// env, resources, ports, volumes, health and readiness checks, config
// templates, URIs, rlimits, secrets, labels, ... — the whole pod spec except
// count, placement and allow-decommission. When it changes, every instance
// that exists before and after the change is relaunched (dcos-commons'
// DefaultConfigurationUpdater compares pod specs the same way). Count,
// placement and allow-decommission changes restart nothing: a count change
// adds or decommissions instances; placement applies to instances placed from
// now on. Service-level changes (web-url, scheduler settings, plans) restart
// no task.
//
// Used by the scheduler to decide which pod instances get an update step, and
// by `keel update preview` to show the change.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "keel/spec.h"

namespace keel::config {

// One changed value. `path` is a key path in the spec's JSON form
// (keel/spec_json.h), relative to the pod for pod changes ("tasks.node.cmd",
// "tasks.node.env.LOG_LEVEL", "resource-sets.shared.cpus") and to the service
// otherwise ("web-url", "plans.deploy.strategy"); list elements are named by
// their name, id or path. A task's own resource set ("<task>-resource-set")
// reads as the task's, as in svc.yml: "tasks.node.cpus". `before`/`after` are JSON text, empty
// when the value is absent on that side.
struct FieldChange {
  std::string path;
  std::string before;
  std::string after;
  bool operator==(const FieldChange&) const = default;
};

enum class PodChange { kUnchanged, kAdded, kRemoved, kChanged };
const char* podChangeName(PodChange c);  // "unchanged", "added", "removed", "changed"

struct PodDiff {
  std::string type;
  PodChange change = PodChange::kUnchanged;
  int64_t oldCount = 0;  // 0 for an added pod
  int64_t newCount = 0;  // 0 for a removed pod
  // Changes that relaunch the pod's existing instances.
  std::vector<FieldChange> taskConfigChanges;
  // count, placement, allow-decommission: no instance restarts.
  std::vector<FieldChange> otherChanges;
  std::vector<int64_t> relaunched;      // indexes in both configs, when task config changed
  std::vector<int64_t> added;           // oldCount .. newCount-1
  std::vector<int64_t> decommissioned;  // newCount .. oldCount-1

  bool taskConfigChanged() const { return !taskConfigChanges.empty(); }
};

struct ConfigDiff {
  // Service-level changes (no task restarts), "pod-order" among them: the
  // pod types in declared order (the default deploy order).
  std::vector<FieldChange> serviceChanges;
  // Every pod type: the candidate's in its order, then removed ones in the
  // old order. Unchanged pods are included with change == kUnchanged.
  std::vector<PodDiff> pods;

  // True when the two configurations are equal.
  bool empty() const;
  // Pod instance names ("data-0") per kind of effect, in pod order.
  std::vector<std::string> relaunchedInstances() const;
  std::vector<std::string> addedInstances() const;
  std::vector<std::string> decommissionedInstances() const;
};

// True when tasks launched for `a` need no relaunch to run as `b`: the pod
// specs are equal apart from count, placement and allow-decommission.
bool sameTaskConfig(const spec::PodSpec& a, const spec::PodSpec& b);

ConfigDiff diffConfigs(const spec::ServiceSpec& from, const spec::ServiceSpec& to);

// Human-readable, one pod a block, e.g.
//   pod data: changed, count 3 -> 5
//     relaunch: data-0, data-1, data-2 (task config changed)
//       tasks.node.cpus: 0.1 -> 0.2
//     add: data-3, data-4
// "no changes" for an empty diff. Long values (config template contents)
// are abbreviated.
std::string formatConfigDiff(const ConfigDiff& diff);

// The diff as a JSON object (text): {"service-changes": [...], "pods": [{
// "type", "change", "old-count", "new-count", "task-config-changes",
// "other-changes", "relaunch", "add", "decommission"}], "relaunch": [...],
// "add": [...], "decommission": [...]} with instance names; a change is
// {"path", "before", "after"} with the values as JSON (null when absent).
std::string configDiffToJson(const ConfigDiff& diff, int indent = 2);

}  // namespace keel::config
