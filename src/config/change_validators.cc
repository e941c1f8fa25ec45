// Change rules about the service's identity and its pods' counts and roles.
#include "validators.h"

namespace keel::config::internal {
namespace {

// "data-3" or "data-3..data-4".
std::string instanceRange(const std::string& type, int64_t first, int64_t last) {
  std::string out = type + "-" + std::to_string(first);
  if (last > first) out += ".." + type + "-" + std::to_string(last);
  return out;
}

}  // namespace

void checkServiceName(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                      Errors& errors) {
  if (oldTarget->name == candidate.name) return;
  errors.push_back({"", "name",
                    "the service name cannot change ('" + oldTarget->name + "' -> '" +
                        candidate.name +
                        "'): it names the framework, its reservations and its stored state. "
                        "Set name back to '" +
                        oldTarget->name + "', or install the new name as a separate service"});
}

void checkServiceUser(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                      Errors& errors) {
  const std::string& was = oldTarget->scheduler.user;
  const std::string& now = candidate.scheduler.user;
  if (was == now) return;
  errors.push_back({"", "scheduler.user",
                    "the service user cannot change ('" + was + "' -> '" + now +
                        "'): files the tasks wrote to their persistent volumes belong to '" + was +
                        "'. Set scheduler.user back to '" + was + "'"});
}

void checkPreReservedRole(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                          Errors& errors) {
  for (const spec::PodSpec& pod : candidate.pods) {
    const spec::PodSpec* old = oldTarget->pod(pod.type);
    if (old == nullptr || old->preReservedRole == pod.preReservedRole) continue;
    errors.push_back({"", "pods." + pod.type + ".pre-reserved-role",
                      "the pre-reserved role of pod '" + pod.type + "' cannot change ('" +
                          old->preReservedRole + "' -> '" + pod.preReservedRole +
                          "'): its running instances hold reservations refined from '" +
                          old->preReservedRole + "'. Set pre-reserved-role back to '" +
                          old->preReservedRole + "', or add a pod type with the new role"});
  }
}

void checkPodShrink(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                    Errors& errors) {
  for (const spec::PodSpec& old : oldTarget->pods) {
    const spec::PodSpec* pod = candidate.pod(old.type);
    std::string where = "pods." + old.type;
    if (pod == nullptr) {
      if (old.allowDecommission) continue;
      errors.push_back(
          {"", where,
           "pod '" + old.type + "' (count " + std::to_string(old.count) +
               ") is missing from the new configuration, and the current configuration does not "
               "allow its decommission: removing it would destroy its tasks and volumes. Keep the "
               "pod, or first deploy it with allow-decommission: true, then remove it"});
      continue;
    }
    if (pod->count >= old.count || pod->allowDecommission) continue;
    errors.push_back(
        {"", where + ".count",
         "pod '" + old.type + "' count cannot shrink from " + std::to_string(old.count) + " to " +
             std::to_string(pod->count) +
             " without allow-decommission: " + instanceRange(old.type, pod->count, old.count - 1) +
             " and their volumes would be destroyed. Set count >= " + std::to_string(old.count) +
             ", or set allow-decommission: true on pod '" + old.type + "' to decommission them"});
  }
}

}  // namespace keel::config::internal
