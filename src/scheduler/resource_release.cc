#include "scheduler/resource_release.h"

#include "keel/mesos/calls.h"
#include "keel/offer/unexpected_resources.h"
#include "keel/state/properties_store.h"

namespace keel::scheduler {

std::set<std::string> parseIdLines(const std::optional<std::string>& text) {
  std::set<std::string> ids;
  if (!text) return ids;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    if (end > start) ids.insert(text->substr(start, end - start));
    start = end + 1;
  }
  return ids;
}

std::string joinIdLines(const std::set<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += id + "\n";
  return out;
}

ReleaseOutcome releaseReservations(state::Persister& persister, SchedulerDriver& driver,
                                   const std::string& property, std::set<std::string>& released,
                                   const mesos::Offer& offer,
                                   const std::vector<mesos::OfferOperation>& ops,
                                   double refuseSeconds) {
  ReleaseOutcome out;
  out.ids = offer::unreservedIds(ops);
  std::set<std::string> next = released;
  next.insert(out.ids.begin(), out.ids.end());
  Status stored = state::PropertiesStore(persister).put(property, joinIdLines(next));
  if (!stored.isOk()) {
    (void)driver.decline({offer.id}, refuseSeconds);
    out.decision =
        "declined: released reservations not stored, not releasing them yet: " + stored.toString();
    return out;
  }
  Status s = driver.accept({offer.id}, ops, mesos::refuseFor(refuseSeconds));
  out.decision = std::string(ops.size() == 2 ? "DESTROY + UNRESERVE" : "UNRESERVE") + " of " +
                 std::to_string(out.ids.size()) + " reservations" +
                 (s.isOk() ? "" : "; ACCEPT failed: " + s.message());
  if (s.isOk()) {
    released = std::move(next);
    out.released = true;
  }
  return out;
}

}  // namespace keel::scheduler
