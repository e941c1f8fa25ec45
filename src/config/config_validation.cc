#include "keel/config/config_validation.h"

#include <sstream>

#include "validators.h"

namespace keel::config {
namespace {

void runValidators(const std::vector<ConfigValidator>& validators,
                   const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                   std::vector<ConfigError>& errors) {
  for (const ConfigValidator& v : validators) {
    if (v.needsOldTarget && oldTarget == nullptr) continue;
    size_t before = errors.size();
    v.check(oldTarget, candidate, errors);
    for (size_t i = before; i < errors.size(); ++i) {
      if (errors[i].validator.empty()) errors[i].validator = v.name;
    }
  }
}

}  // namespace

std::string ConfigError::toString() const {
  return where.empty() ? message : where + ": " + message;
}

const std::vector<ConfigValidator>& defaultConfigValidators() {
  using namespace internal;
  static const std::vector<ConfigValidator> kValidators = {
      {"service-name", true, checkServiceName},
      {"service-user", true, checkServiceUser},
      {"pre-reserved-role", true, checkPreReservedRole},
      {"volumes", true, checkVolumes},
      {"pod-shrink", true, checkPodShrink},
      {"placement", false, checkPlacement},
      {"resource-limits", false, checkResourceLimits},
      {"config-dest", false, checkConfigDests},
  };
  return kValidators;
}

std::vector<ConfigError> validateConfigChange(const spec::ServiceSpec& oldTarget,
                                              const spec::ServiceSpec& candidate,
                                              const std::vector<ConfigValidator>& extra) {
  std::vector<ConfigError> errors;
  runValidators(defaultConfigValidators(), &oldTarget, candidate, errors);
  runValidators(extra, &oldTarget, candidate, errors);
  return errors;
}

std::vector<ConfigError> validateFirstConfig(const spec::ServiceSpec& candidate,
                                             const std::vector<ConfigValidator>& extra) {
  std::vector<ConfigError> errors;
  runValidators(defaultConfigValidators(), nullptr, candidate, errors);
  runValidators(extra, nullptr, candidate, errors);
  return errors;
}

namespace internal {

std::string numberText(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string resourceSetPath(const spec::PodSpec& pod, const spec::ResourceSetSpec& set) {
  for (const spec::TaskSpec& task : pod.tasks) {
    if (task.resourceSet == set.id && set.id == task.name + "-resource-set")
      return "pods." + pod.type + ".tasks." + task.name;
  }
  return "pods." + pod.type + ".resource-sets." + set.id;
}

}  // namespace internal
}  // namespace keel::config
