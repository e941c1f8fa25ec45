// OfferSummary: what evaluation needs to know about one offer, computed once
// per offer cycle so that the (requirement x offer) hot path reads numbers
// and short sorted lists instead of walking Mesos resources.
//
// Scalars are kept in thousandths (Mesos' fixed-point precision), so 0.1 +
// 0.2 cpus compare exactly. "Unreserved" means: no reservation (or legacy
// role "*") and allocated to the service's role (or unallocated). "Ours"
// means: dynamically reserved to the service's role with a resource_id label.
// Other resources (other roles, static reservations, reserved without a
// resource_id) are ignored, as dcos-commons' filterBadResources does.
//
// Lifetime: a summary points into its Offer, which must outlive it and stay
// unchanged. Thread-safety: plain values; evaluation marks `used`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/mesos/offer.h"

namespace keel::offer {

// An unreserved MOUNT disk: consumed whole.
struct MountDisk {
  int64_t sizeMillis = 0;  // MB x 1000
  std::string_view root;
  std::string profile;  // disk.source.profile; empty: none
  const mesos::Resource* resource = nullptr;
};

// A reserved resource of ours, indexed by its resource_id or persistence id.
struct ReservedEntry {
  std::string_view key;
  const mesos::Resource* resource = nullptr;
};

struct OfferSummary {
  const mesos::Offer* offer = nullptr;
  std::string_view agentId;
  std::string_view hostname;
  std::string_view zone;    // empty: the offer has no fault domain
  std::string_view region;  // empty: the offer has no fault domain
  std::vector<std::pair<std::string, std::string>> attributes;  // name, text value

  // Unreserved, in thousandths (cpus, MB of mem, gpus, MB of ROOT disk).
  int64_t cpus = 0;
  int64_t mem = 0;
  int64_t gpus = 0;
  int64_t disk = 0;
  std::vector<mesos::Value::Range> ports;  // unreserved, sorted, inclusive
  std::vector<MountDisk> mounts;           // unreserved MOUNT disks

  std::vector<ReservedEntry> reserved;  // ours, sorted by resource_id
  std::vector<ReservedEntry> volumes;   // ours with a persistence id, sorted by it

  // Set when a requirement has taken this offer in the current cycle.
  bool used = false;

  // The attribute's text value (scalars as written by Mesos, sets as
  // "{a,b}", ranges as "[a-b,c-d]"); nullptr when the agent lacks it.
  const std::string* attribute(std::string_view name) const;
  const mesos::Resource* reservedById(std::string_view resourceId) const;
  const mesos::Resource* volumeByPersistenceId(std::string_view persistenceId) const;
  bool hasUnreservedPort(uint64_t port) const;
};

OfferSummary summarizeOffer(const mesos::Offer& offer, std::string_view role);
std::vector<OfferSummary> summarizeOffers(std::span<const mesos::Offer> offers,
                                          std::string_view role);

}  // namespace keel::offer
