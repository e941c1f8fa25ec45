// OfferEvaluator: one requirement against the offers of a cycle, first fit.
//
// Per offer cycle the scheduler summarises the offers once
// (summarizeOffers), then evaluates its candidate requirements in order.
// Each requirement tries the offers not used yet, in order; the first one
// passing every stage wins: it is marked used, its LaunchPlan built, and the
// new tasks are added to the placement context (so the next requirement's
// placement rules count them). Offers left unused are for garbage collection
// (keel/offer/unexpected_resources.h) and declining.
//
// Cost: evaluation formats no text; only the outcomes kept for explanation
// (the winner and the first `explainedFailures` failures) are evaluated a
// second time with reasons. Every pair is counted in the tracker.
//
// Thread-safety: none; one evaluator per scheduler thread.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "keel/clock.h"
#include "keel/offer/launch_builder.h"
#include "keel/offer/offer_summary.h"
#include "keel/offer/outcome.h"
#include "keel/offer/requirement.h"
#include "keel/result.h"

namespace keel::offer {

struct EvaluationOptions {
  size_t explainedFailures = 5;  // failing pairs per requirement kept with reasons
};

struct EvaluationResult {
  std::optional<LaunchPlan> launch;  // set when an offer passed
  std::optional<size_t> offerIndex;  // the winning offer's index in the span
  size_t offersEvaluated = 0;
  std::vector<std::pair<std::string, size_t>> failuresByStage;  // in pipeline order
  // For the step's message: where it launches, or why nothing fit with the
  // counts per stage and one example reason.
  std::string message;
  std::vector<OfferOutcome> outcomes;  // the explained ones, in evaluation order
};

class OfferEvaluator {
 public:
  explicit OfferEvaluator(ServiceContext service, UuidSource uuids = randomUuids(),
                          EvaluationOptions options = {});

  // InvalidArgument when the requirement cannot be evaluated at all
  // (buildPipeline's errors). `tracker` may be null.
  Result<EvaluationResult> evaluate(const PodInstanceRequirement& requirement,
                                    std::span<OfferSummary> offers, PlacementContext& placement,
                                    TimePoint now, OfferOutcomeTracker* tracker);

  const ServiceContext& service() const { return service_; }

 private:
  ServiceContext service_;
  UuidSource uuids_;
  EvaluationOptions options_;
  EvaluationContext scratch_;
};

}  // namespace keel::offer
