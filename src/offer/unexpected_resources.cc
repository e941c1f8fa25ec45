#include "keel/offer/unexpected_resources.h"

#include "keel/mesos/resources.h"
#include "keel/offer/task_labels.h"
#include "offer/resource_util.h"

namespace keel::offer {

namespace {

void collect(KnownResources& known, const std::vector<mesos::Resource>& resources) {
  for (const auto& r : resources) {
    std::string_view id = detail::resourceId(r);
    if (!id.empty()) known.resourceIds.emplace(id);
    std::string_view persistence = detail::persistenceId(r);
    if (!persistence.empty()) known.persistenceIds.emplace(persistence);
  }
}

bool ours(const mesos::Resource& r, const ServiceContext& service) {
  if (mesos::reservationRole(r) != service.role || !mesos::isDynamicallyReserved(r)) return false;
  const mesos::Labels* labels = mesos::reservationLabels(r);
  if (labels == nullptr || !labelValue(*labels, kLabelResourceId)) return false;
  auto ns = labelValue(*labels, kLabelNamespace);
  return !ns || *ns == service.serviceName;
}

bool unknown(const mesos::Resource& r, const KnownResources& known) {
  std::string_view persistence = detail::persistenceId(r);
  if (!persistence.empty() && !known.persistenceIds.contains(persistence)) return true;
  return !known.resourceIds.contains(detail::resourceId(r));
}

}  // namespace

KnownResources knownResourcesOf(std::span<const mesos::TaskInfo> tasks) {
  KnownResources known;
  for (const auto& task : tasks) {
    collect(known, task.resources);
    if (task.executor) collect(known, task.executor->resources);
  }
  return known;
}

std::vector<mesos::OfferOperation> unexpectedResourceOperations(const mesos::Offer& offer,
                                                                const ServiceContext& service,
                                                                const KnownResources& known) {
  return releaseOperations(offer, service,
                           [&](const mesos::Resource& r) { return unknown(r, known); });
}

std::vector<mesos::OfferOperation> releaseOperations(
    const mesos::Offer& offer, const ServiceContext& service,
    const std::function<bool(const mesos::Resource&)>& selected) {
  using Op = mesos::OfferOperation;
  Op destroy;
  destroy.type = Op::Type::kDestroy;
  destroy.destroy.emplace();
  Op unreserve;
  unreserve.type = Op::Type::kUnreserve;
  unreserve.unreserve.emplace();
  for (const auto& r : offer.resources) {
    if (!ours(r, service) || !selected(r)) continue;
    if (mesos::isPersistentVolume(r)) destroy.destroy->volumes.push_back(r);
    unreserve.unreserve->resources.push_back(mesos::withoutPersistence(r));
  }
  std::vector<Op> ops;
  if (!destroy.destroy->volumes.empty()) ops.push_back(std::move(destroy));
  if (!unreserve.unreserve->resources.empty()) ops.push_back(std::move(unreserve));
  return ops;
}

std::vector<std::string> unreservedIds(const std::vector<mesos::OfferOperation>& ops) {
  std::vector<std::string> ids;
  for (const mesos::OfferOperation& op : ops) {
    if (!op.unreserve) continue;
    for (const mesos::Resource& r : op.unreserve->resources) {
      std::string_view id = detail::resourceId(r);
      if (!id.empty()) ids.emplace_back(id);
    }
  }
  return ids;
}

}  // namespace keel::offer
