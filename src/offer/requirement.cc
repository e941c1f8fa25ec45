#include "keel/offer/requirement.h"

#include "keel/ids.h"
#include "keel/offer/task_labels.h"
#include "offer/resource_util.h"

namespace keel::offer {

const char* recoveryTypeName(RecoveryType type) {
  switch (type) {
    case RecoveryType::kNone:
      return "NONE";
    case RecoveryType::kTransient:
      return "TRANSIENT";
    case RecoveryType::kPermanent:
      return "PERMANENT";
  }
  return "?";
}

UuidSource randomUuids() {
  return [] { return randomUuid(); };
}

UuidSource seededUuids(uint64_t seed) {
  return [next = seed]() mutable { return seededUuid(next++); };
}

std::string PodInstanceRequirement::podInstanceName() const {
  return detail::strCat(pod.type, '-', index);
}

namespace {

std::vector<std::pair<std::string, std::string>> parseAttributes(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    size_t end = text.find(';');
    std::string_view item = text.substr(0, end);
    size_t colon = item.find(':');
    if (colon != std::string_view::npos) {
      out.emplace_back(std::string(item.substr(0, colon)), std::string(item.substr(colon + 1)));
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace

PlacedTask placedTaskFromTaskInfo(const mesos::TaskInfo& task) {
  PlacedTask placed;
  placed.taskName = task.name;
  placed.agentId = task.agentId.value;
  if (!task.labels) return placed;
  auto get = [&](std::string_view key) {
    return std::string(labelValue(*task.labels, key).value_or(std::string_view()));
  };
  placed.podType = get(kLabelTaskType);
  std::string index = get(kLabelIndex);
  if (!placed.podType.empty()) placed.podInstance = placed.podType + "-" + index;
  placed.hostname = get(kLabelOfferHostname);
  placed.zone = get(kLabelOfferZone);
  placed.region = get(kLabelOfferRegion);
  placed.attributes = parseAttributes(get(kLabelOfferAttributes));
  return placed;
}

PlacementContext placementContextFrom(std::span<const mesos::TaskInfo> tasks) {
  PlacementContext context;
  for (const auto& task : tasks) {
    PlacedTask placed = placedTaskFromTaskInfo(task);
    if (!placed.podType.empty()) context.tasks.push_back(std::move(placed));
  }
  return context;
}

}  // namespace keel::offer
