#include "keel/offer/stage.h"

#include "offer/resource_util.h"

namespace keel::offer {

std::string StageOutcome::text() const {
  return detail::strCat(passed() ? "PASS(" : "FAIL(", stage, "): ", reason);
}

void EvaluationContext::reset(const OfferSummary& summary, bool explainReasons) {
  offer = &summary;
  explain = explainReasons;
  cpus = summary.cpus;
  mem = summary.mem;
  gpus = summary.gpus;
  disk = summary.disk;
  takenPorts.clear();
  takenMounts.assign(summary.mounts.size(), 0);
}

bool EvaluationContext::portFree(uint64_t port) const {
  if (!offer->hasUnreservedPort(port)) return false;
  for (uint64_t taken : takenPorts) {
    if (taken == port) return false;
  }
  return true;
}

}  // namespace keel::offer
