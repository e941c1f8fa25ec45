// Garbage collection of reservations nobody owns: reserved resources of the
// service's role that an offer carries but no known TaskInfo references
// (decommissioned or replaced pods, an uninstall, an agent that came back).
//
// Only resources dynamically reserved to the service's role whose namespace
// label is the service's name (or absent, legacy) are candidates; another
// service's reservations under the same role are left alone. Call it on the
// offers that no requirement used, after the TaskInfos of this cycle's
// launches were persisted (they are "known").
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "keel/mesos/offer.h"
#include "keel/offer/requirement.h"

namespace keel::offer {

struct KnownResources {
  std::set<std::string, std::less<>> resourceIds;
  std::set<std::string, std::less<>> persistenceIds;
};

// The resource_ids and persistence ids of the tasks' and executors' resources.
KnownResources knownResourcesOf(std::span<const mesos::TaskInfo> tasks);

// DESTROY for unknown persistent volumes (a volume whose persistence id or
// resource_id is unknown), then one UNRESERVE for every unknown reserved
// resource (volumes as plain reserved disk after their DESTROY). Empty when
// the offer holds nothing unexpected.
std::vector<mesos::OfferOperation> unexpectedResourceOperations(const mesos::Offer& offer,
                                                                const ServiceContext& service,
                                                                const KnownResources& known);

// DESTROY for the persistent volumes, then one UNRESERVE for every reserved
// resource of the service (as above: its role, its namespace) that
// `selected` picks from the offer: what a decommission or an uninstall
// releases. Empty when it picks nothing.
std::vector<mesos::OfferOperation> releaseOperations(
    const mesos::Offer& offer, const ServiceContext& service,
    const std::function<bool(const mesos::Resource&)>& selected);

// The resource ids the UNRESERVEs of `ops` release.
std::vector<std::string> unreservedIds(const std::vector<mesos::OfferOperation>& ops);

}  // namespace keel::offer
