#include "keel/state/pod_instance_store.h"

#include "keel/state/keys.h"
#include "keel/state/layout.h"
#include "state/store_util.h"

namespace keel::state {
namespace {

Result<std::string> instancePath(const std::string& podInstance) {
  Result<std::string> segment = encodeSegment(podInstance);
  if (!segment.has_value()) return segment.error().withContext("pod instance name");
  return childPath(layout::kPodInstances, *segment);
}

std::string where(const std::string& podInstance) { return "pod instance \"" + podInstance + "\""; }

}  // namespace

Status PodInstanceStore::put(const std::string& podInstance, const std::string& value) {
  KEEL_ASSIGN_OR_RETURN(std::string path, instancePath(podInstance));
  return persister_.set(path, value).status().withContext("storing " + where(podInstance));
}

Status PodInstanceStore::erase(const std::string& podInstance) {
  KEEL_ASSIGN_OR_RETURN(std::string path, instancePath(podInstance));
  Status erased = persister_.erase(path);
  if (erased.code() == StatusCode::kNotFound) return Status::ok();
  return erased.withContext("erasing " + where(podInstance));
}

Result<std::map<std::string, std::string>> PodInstanceStore::list() {
  Result<std::vector<std::string>> names = detail::listNames(persister_, layout::kPodInstances);
  if (!names.has_value()) return names.error().withContext("listing pod instances");
  std::map<std::string, std::string> records;
  for (const std::string& name : *names) {
    KEEL_ASSIGN_OR_RETURN(std::string path, instancePath(name));
    Result<std::optional<std::string>> value = detail::getOptional(persister_, path);
    if (!value.has_value()) return value.error().withContext("reading " + where(name));
    if (value->has_value()) records.emplace(name, **value);
  }
  return records;
}

}  // namespace keel::state
