#include "keel/offer/evaluator.h"

#include "keel/offer/pipeline.h"
#include "keel/offer/task_labels.h"
#include "offer/resource_util.h"

namespace keel::offer {

using detail::strCat;

namespace {

OfferOutcome explainPair(Pipeline& pipeline, const PodInstanceRequirement& req,
                         const OfferSummary& offer, EvaluationContext& scratch, TimePoint now) {
  OfferOutcome outcome;
  outcome.time = now;
  outcome.podInstance = req.podInstanceName();
  outcome.tasks = req.tasksToLaunch;
  outcome.offerId = offer.offer->id.value;
  outcome.agentId = offer.agentId;
  outcome.hostname = offer.hostname;
  outcome.passed = pipeline.evaluate(offer, scratch, &outcome.stages).passed;
  return outcome;
}

void addPlacedTasks(const LaunchPlan& plan, const PodInstanceRequirement& req,
                    const OfferSummary& offer, PlacementContext& placement) {
  for (const auto& task : plan.taskInfos) {
    PlacedTask placed;
    placed.taskName = task.name;
    placed.podType = req.pod.type;
    placed.podInstance = req.podInstanceName();
    placed.agentId = offer.agentId;
    placed.hostname = offer.hostname;
    placed.zone = offer.zone;
    placed.region = offer.region;
    placed.attributes = offer.attributes;
    placement.tasks.push_back(std::move(placed));
  }
}

std::string failureMessage(const std::string& instance, const EvaluationResult& result) {
  if (result.offersEvaluated == 0) return strCat(instance, ": no offer to evaluate");
  std::string text = strCat(instance, ": no offer fits (", result.offersEvaluated, " offers: ");
  for (size_t i = 0; i < result.failuresByStage.size(); ++i) {
    const auto& [stage, count] = result.failuresByStage[i];
    text += strCat(i ? ", " : "", stage, ' ', count);
  }
  text += ')';
  for (const auto& outcome : result.outcomes) {
    if (outcome.passed || outcome.stages.empty()) continue;
    text += strCat("; e.g. agent ", outcome.agentId, ": ", outcome.stages.back().text());
    break;
  }
  return text;
}

// Counts per failing stage, the step's message, and the placement of the
// launched tasks.
void finish(const Pipeline& pipeline, const std::vector<size_t>& failures,
            const PodInstanceRequirement& req, std::span<OfferSummary> offers,
            PlacementContext& placement, EvaluationResult& result) {
  for (size_t s = 0; s < failures.size(); ++s) {
    if (failures[s] > 0) {
      result.failuresByStage.emplace_back(std::string(pipeline.stages()[s]->name()), failures[s]);
    }
  }
  std::string instance = req.podInstanceName();
  if (!result.launch) {
    result.message = failureMessage(instance, result);
    return;
  }
  const OfferSummary& offer = offers[*result.offerIndex];
  result.message = strCat(instance, ": launching on agent ", offer.agentId, " (", offer.hostname,
                          ") after ", result.offersEvaluated, " offers");
  addPlacedTasks(*result.launch, req, offer, placement);
}

}  // namespace

OfferEvaluator::OfferEvaluator(ServiceContext service, UuidSource uuids, EvaluationOptions options)
    : service_(std::move(service)), uuids_(std::move(uuids)), options_(options) {}

Result<EvaluationResult> OfferEvaluator::evaluate(const PodInstanceRequirement& req,
                                                  std::span<OfferSummary> offers,
                                                  PlacementContext& placement, TimePoint now,
                                                  OfferOutcomeTracker* tracker) {
  KEEL_ASSIGN_OR_RETURN(Pipeline pipeline, buildPipeline(req, service_, placement));
  EvaluationResult result;
  std::vector<size_t> failures(pipeline.stages().size(), 0);
  size_t explained = 0;
  const std::string instance = tracker ? req.podInstanceName() : std::string();
  for (size_t i = 0; i < offers.size(); ++i) {
    OfferSummary& offer = offers[i];
    if (offer.used) continue;
    ++result.offersEvaluated;
    Pipeline::Verdict verdict = pipeline.evaluate(offer, scratch_);
    if (verdict.passed || explained < options_.explainedFailures) {
      OfferOutcome outcome = explainPair(pipeline, req, offer, scratch_, now);
      if (tracker) tracker->record(outcome);
      result.outcomes.push_back(std::move(outcome));
      if (!verdict.passed) ++explained;
    } else if (tracker) {
      tracker->count(false, pipeline.stages()[verdict.failedStage]->name(), offer.agentId,
                     instance);
    }
    if (!verdict.passed) {
      ++failures[verdict.failedStage];
      continue;
    }
    result.launch = pipeline.build(offer, uuids_);
    result.offerIndex = i;
    offer.used = true;
    break;
  }
  finish(pipeline, failures, req, offers, placement, result);
  return result;
}

}  // namespace keel::offer
