#include "keel/offer/unexpected_resources.h"

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
  if (detail::reservationRole(r) != service.role) return false;
  const auto* reservation = detail::currentReservation(r);
  if (reservation == nullptr || !reservation->labels) return false;
  if (!labelValue(*reservation->labels, kLabelResourceId)) return false;
  auto ns = labelValue(*reservation->labels, kLabelNamespace);
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
  using Op = mesos::OfferOperation;
  Op destroy;
  destroy.type = Op::Type::kDestroy;
  destroy.destroy.emplace();
  Op unreserve;
  unreserve.type = Op::Type::kUnreserve;
  unreserve.unreserve.emplace();
  for (const auto& r : offer.resources) {
    if (!ours(r, service) || !unknown(r, known)) continue;
    mesos::Resource plain = r;
    if (plain.disk && plain.disk->persistence) {
      destroy.destroy->volumes.push_back(r);
      plain.disk->persistence.reset();
      plain.disk->volume.reset();
      if (!plain.disk->source) plain.disk.reset();
    }
    unreserve.unreserve->resources.push_back(std::move(plain));
  }
  std::vector<Op> ops;
  if (!destroy.destroy->volumes.empty()) ops.push_back(std::move(destroy));
  if (!unreserve.unreserve->resources.empty()) ops.push_back(std::move(unreserve));
  return ops;
}

}  // namespace keel::offer
