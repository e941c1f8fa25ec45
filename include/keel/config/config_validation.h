// Validation of a candidate service configuration against the current target
// configuration: what an operator may change in a running service, and what
// every configuration must satisfy before it can become the target.
//
// dcos-commons' DefaultConfigValidators, as one table of small validators.
// Change rules (need an old target):
//   service-name         the service's name cannot change
//   service-user         scheduler.user cannot change
//   pre-reserved-role    a pod's pre-reserved-role cannot change
//   volumes              persistent volumes (container path, type, size,
//                        profiles) of a pod or of a task present in both
//                        configurations cannot change, appear or disappear
//   pod-shrink           a pod's count cannot go down unless the candidate pod
//                        has allow-decommission: true; a pod cannot be removed
//                        unless the old target's pod had allow-decommission
// Static rules (also for the first configuration):
//   placement            a pod's placement parses (keel/placement.h)
//   resource-limits      a resource limit covers its request
//   config-dest          a config template's dest is relative and inside
//                        the sandbox (keel/config/config_template.h)
//
// Each error says what changed, where (pod, task, volume names as svc.yml key
// paths), why it is refused and how to fix it. An invalid candidate is never
// partially applied: the caller keeps the old target.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "keel/spec.h"

namespace keel::config {

struct ConfigError {
  std::string validator;  // the rule broken: "volumes", "pod-shrink", ...
  std::string where;      // svc.yml key path: "pods.data.tasks.node.volume"
  std::string message;    // what changed, why it is refused, how to fix it

  // "<where>: <message>", or the message alone when `where` is empty.
  std::string toString() const;
  bool operator==(const ConfigError&) const = default;
};

// One rule. `oldTarget` is null for the first configuration; a change rule
// (needsOldTarget) is then not run. Appends its findings to `errors`.
struct ConfigValidator {
  std::string name;
  bool needsOldTarget = false;
  std::function<void(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                     std::vector<ConfigError>& errors)>
      check;
};

// The built-in rules above, change rules first, in a fixed order.
const std::vector<ConfigValidator>& defaultConfigValidators();

// Every finding of the default validators followed by `extra` (service
// specific rules, as dcos-commons' setCustomConfigValidators). Empty when the
// candidate may become the target.
std::vector<ConfigError> validateConfigChange(const spec::ServiceSpec& oldTarget,
                                              const spec::ServiceSpec& candidate,
                                              const std::vector<ConfigValidator>& extra = {});

// The first configuration of a service: only the static rules (and the extra
// rules that do not need an old target).
std::vector<ConfigError> validateFirstConfig(const spec::ServiceSpec& candidate,
                                             const std::vector<ConfigValidator>& extra = {});

}  // namespace keel::config
