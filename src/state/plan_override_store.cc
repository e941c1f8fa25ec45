#include "keel/state/plan_override_store.h"

#include "keel/state/keys.h"
#include "keel/state/layout.h"
#include "state/store_util.h"

namespace keel::state {
namespace {

Result<std::string> planPath(const std::string& plan) {
  Result<std::string> segment = encodeSegment(plan);
  if (!segment.has_value()) return segment.error().withContext("plan name");
  return childPath(layout::kPlanOverrides, *segment);
}

Result<std::string> overridePath(const std::string& plan, const std::string& key) {
  KEEL_ASSIGN_OR_RETURN(std::string base, planPath(plan));
  Result<std::string> segment = encodeSegment(key);
  if (!segment.has_value()) return segment.error().withContext("plan override key");
  return childPath(base, *segment);
}

std::string where(const std::string& plan, const std::string& key) {
  return "plan \"" + plan + "\" override \"" + key + "\"";
}

}  // namespace

PlanOverrideStore::PlanOverrideStore(Persister& persister) : persister_(persister) {}

Status PlanOverrideStore::put(const std::string& plan, const std::string& key,
                              const std::string& value) {
  KEEL_ASSIGN_OR_RETURN(std::string path, overridePath(plan, key));
  return persister_.set(path, value).status().withContext("storing " + where(plan, key));
}

Status PlanOverrideStore::erase(const std::string& plan, const std::string& key) {
  KEEL_ASSIGN_OR_RETURN(std::string path, overridePath(plan, key));
  Status erased = persister_.erase(path);
  if (erased.code() == StatusCode::kNotFound) return Status::ok();
  return erased.withContext("erasing " + where(plan, key));
}

Result<std::map<std::string, std::string>> PlanOverrideStore::list(const std::string& plan) {
  KEEL_ASSIGN_OR_RETURN(std::string base, planPath(plan));
  Result<std::vector<std::string>> keys = detail::listNames(persister_, base);
  if (!keys.has_value()) return keys.error().withContext("listing plan \"" + plan + "\"");
  std::map<std::string, std::string> overrides;
  for (const std::string& key : *keys) {
    KEEL_ASSIGN_OR_RETURN(std::string segment, encodeSegment(key));
    Result<std::optional<std::string>> value =
        detail::getOptional(persister_, childPath(base, segment));
    if (!value.has_value()) return value.error().withContext("reading " + where(plan, key));
    // An override erased between listing and reading is simply gone.
    if (value->has_value()) overrides.emplace(key, **value);
  }
  return overrides;
}

}  // namespace keel::state
