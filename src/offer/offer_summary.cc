#include "keel/offer/offer_summary.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "keel/offer/task_labels.h"
#include "offer/resource_util.h"

namespace keel::offer {

namespace {

std::string scalarText(double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  return std::string(buf, end);
}

std::string attributeText(const mesos::Attribute& attribute) {
  if (attribute.text) return attribute.text->value;
  if (attribute.scalar) return scalarText(attribute.scalar->value);
  if (attribute.ranges) return detail::formatRanges(attribute.ranges->range);
  if (attribute.set) {
    std::string out = "{";
    for (size_t i = 0; i < attribute.set->item.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += attribute.set->item[i];
    }
    return out + "}";
  }
  return {};
}

std::string diskProfile(const mesos::Resource& resource) {
  const auto& unknown = resource.disk->source->unknown;
  if (unknown.text.find("profile") == std::string::npos) return {};
  auto json = nlohmann::json::parse(unknown.text, nullptr, false);
  if (!json.is_object() || !json.contains("profile") || !json["profile"].is_string()) return {};
  return json["profile"].get<std::string>();
}

bool allocatedElsewhere(const mesos::Resource& resource, std::string_view role) {
  return resource.allocationInfo && resource.allocationInfo->role &&
         *resource.allocationInfo->role != role;
}

void addUnreserved(OfferSummary& summary, const mesos::Resource& resource) {
  const std::string& name = resource.name;
  if (resource.type == mesos::Value::Type::kRanges && name == "ports" && resource.ranges) {
    for (const auto& range : resource.ranges->range) summary.ports.push_back(range);
    return;
  }
  if (resource.type != mesos::Value::Type::kScalar || !resource.scalar) return;
  int64_t millis = detail::scalarToMillis(resource.scalar->value);
  if (name == "cpus") {
    summary.cpus += millis;
  } else if (name == "mem") {
    summary.mem += millis;
  } else if (name == "gpus") {
    summary.gpus += millis;
  } else if (name == "disk") {
    if (mesos::isMountDisk(resource)) {
      const auto& mount = resource.disk->source->mount;
      std::string_view root = mount && mount->root ? std::string_view(*mount->root) : "";
      summary.mounts.push_back(MountDisk{millis, root, diskProfile(resource), &resource});
    } else if (!resource.disk || !resource.disk->source) {
      summary.disk += millis;
    }
  }
}

bool byKey(const ReservedEntry& a, const ReservedEntry& b) { return a.key < b.key; }

const mesos::Resource* findEntry(const std::vector<ReservedEntry>& entries, std::string_view key) {
  auto it = std::lower_bound(entries.begin(), entries.end(), ReservedEntry{key, nullptr}, byKey);
  return it != entries.end() && it->key == key ? it->resource : nullptr;
}

}  // namespace

const std::string* OfferSummary::attribute(std::string_view name) const {
  for (const auto& [key, value] : attributes) {
    if (key == name) return &value;
  }
  return nullptr;
}

const mesos::Resource* OfferSummary::reservedById(std::string_view resourceId) const {
  return findEntry(reserved, resourceId);
}

const mesos::Resource* OfferSummary::volumeByPersistenceId(std::string_view persistenceId) const {
  return findEntry(volumes, persistenceId);
}

bool OfferSummary::hasUnreservedPort(uint64_t port) const {
  for (const auto& range : ports) {
    if (port >= range.begin && port <= range.end) return true;
  }
  return false;
}

OfferSummary summarizeOffer(const mesos::Offer& offer, std::string_view role) {
  OfferSummary summary;
  summary.offer = &offer;
  summary.agentId = offer.agentId.value;
  summary.hostname = offer.hostname;
  if (offer.domain && offer.domain->faultDomain) {
    summary.zone = offer.domain->faultDomain->zone.name;
    summary.region = offer.domain->faultDomain->region.name;
  }
  for (const auto& attribute : offer.attributes) {
    summary.attributes.emplace_back(attribute.name, attributeText(attribute));
  }
  for (const auto& resource : offer.resources) {
    if (allocatedElsewhere(resource, role)) continue;
    std::optional<std::string> reservedTo = mesos::reservationRole(resource);
    if (!reservedTo) {
      addUnreserved(summary, resource);
      continue;
    }
    if (*reservedTo != role) continue;
    std::string_view id = detail::resourceId(resource);
    if (id.empty()) continue;
    summary.reserved.push_back(ReservedEntry{id, &resource});
    std::string_view persistence = detail::persistenceId(resource);
    if (!persistence.empty()) summary.volumes.push_back(ReservedEntry{persistence, &resource});
  }
  std::sort(summary.ports.begin(), summary.ports.end(),
            [](const auto& a, const auto& b) { return a.begin < b.begin; });
  std::sort(summary.reserved.begin(), summary.reserved.end(), byKey);
  std::sort(summary.volumes.begin(), summary.volumes.end(), byKey);
  return summary;
}

std::vector<OfferSummary> summarizeOffers(std::span<const mesos::Offer> offers,
                                          std::string_view role) {
  std::vector<OfferSummary> out;
  out.reserve(offers.size());
  for (const auto& offer : offers) out.push_back(summarizeOffer(offer, role));
  return out;
}

}  // namespace keel::offer
