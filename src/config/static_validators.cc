// Static rules: what any configuration, the first one included, must satisfy.
#include "keel/config/config_template.h"
#include "keel/placement.h"
#include "validators.h"

namespace keel::config::internal {
namespace {

void checkLimit(const std::optional<spec::ResourceLimit>& limit, double request,
                const std::string& what, const std::string& where, Errors& errors) {
  if (!limit || limit->unlimited || limit->value >= request) return;
  errors.push_back({"", where + ".resource-limits." + what,
                    "the " + what + " limit " + numberText(limit->value) +
                        " is below the request " + numberText(request) +
                        ": a task would be throttled or killed below what was reserved for it. "
                        "Raise the limit to at least " +
                        numberText(request) + ", set it to \"unlimited\", or lower " + what});
}

}  // namespace

void checkPlacement(const spec::ServiceSpec*, const spec::ServiceSpec& candidate, Errors& errors) {
  for (const spec::PodSpec& pod : candidate.pods) {
    auto parsed = spec::parsePlacement(pod.placement);
    if (parsed) continue;
    errors.push_back({"", "pods." + pod.type + ".placement",
                      "the placement of pod '" + pod.type + "' does not parse: " +
                          parsed.error().message() + ". Fix the constraint or remove placement"});
  }
}

void checkResourceLimits(const spec::ServiceSpec*, const spec::ServiceSpec& candidate,
                         Errors& errors) {
  for (const spec::PodSpec& pod : candidate.pods) {
    for (const spec::ResourceSetSpec& set : pod.resourceSets) {
      if (!set.limits) continue;
      std::string where = resourceSetPath(pod, set);
      checkLimit(set.limits->cpus, set.cpus, "cpus", where, errors);
      checkLimit(set.limits->memory, set.memoryMb, "memory", where, errors);
    }
  }
}

void checkConfigDests(const spec::ServiceSpec*, const spec::ServiceSpec& candidate,
                      Errors& errors) {
  for (const spec::PodSpec& pod : candidate.pods) {
    for (const spec::TaskSpec& task : pod.tasks) {
      for (const spec::ConfigFileSpec& config : task.configs) {
        Status ok = checkConfigDest(config.name, config.dest);
        if (ok) continue;
        errors.push_back(
            {"", "pods." + pod.type + ".tasks." + task.name + ".configs." + config.name + ".dest",
             ok.message()});
      }
    }
  }
}

}  // namespace keel::config::internal
