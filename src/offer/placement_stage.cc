#include "offer/stages.h"

namespace keel::offer::detail {

StageOutcome PlacementStage::evaluate(EvaluationContext& ctx) {
  if (!error_.empty()) return StageOutcome::fail(name(), ctx.explain ? error_ : std::string());
  if (!ctx.explain) {
    return placement_.evaluate(*ctx.offer, nullptr) ? StageOutcome::pass(name())
                                                    : StageOutcome::fail(name());
  }
  std::string reason;
  bool ok = placement_.evaluate(*ctx.offer, &reason);
  return ok ? StageOutcome::pass(name(), std::move(reason))
            : StageOutcome::fail(name(), std::move(reason));
}

}  // namespace keel::offer::detail
