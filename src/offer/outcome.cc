#include "keel/offer/outcome.h"

#include <nlohmann/json.hpp>

namespace keel::offer {

std::vector<std::string> OfferOutcome::explanation() const {
  std::vector<std::string> lines;
  lines.reserve(stages.size());
  for (const auto& stage : stages) lines.push_back(stage.text());
  return lines;
}

std::string_view OfferOutcome::failedStage() const {
  if (passed || stages.empty()) return {};
  return stages.back().stage;
}

OfferOutcomeTracker::OfferOutcomeTracker(size_t capacity) : capacity_(capacity) {}

namespace {

void bump(std::map<std::string, int64_t, std::less<>>& counts, std::string_view key) {
  auto it = counts.find(key);
  if (it == counts.end()) it = counts.emplace(std::string(key), 0).first;
  ++it->second;
}

}  // namespace

void OfferOutcomeTracker::Counts::add(bool passed, std::string_view failedStage,
                                      std::string_view agentId) {
  if (passed) {
    ++accepted;
    return;
  }
  ++rejected;
  bump(byStage, failedStage);
  bump(byAgent, agentId);
}

void OfferOutcomeTracker::Counts::addTo(OfferOutcomeSummary& s) const {
  s.acceptedCount += accepted;
  s.rejectedCount += rejected;
  for (const auto& [stage, n] : byStage) s.failureReasons[stage] += n;
  for (const auto& [agent, n] : byAgent) s.rejectedAgents[agent] += n;
}

void OfferOutcomeTracker::count(bool passed, std::string_view failedStage, std::string_view agentId,
                                std::string_view podInstance) {
  all_.add(passed, failedStage, agentId);
  auto it = byInstance_.find(podInstance);
  if (it == byInstance_.end()) it = byInstance_.emplace(std::string(podInstance), Counts{}).first;
  it->second.add(passed, failedStage, agentId);
}

void OfferOutcomeTracker::record(OfferOutcome outcome) {
  count(outcome.passed, outcome.failedStage(), outcome.agentId, outcome.podInstance);
  if (capacity_ == 0) return;
  if (outcomes_.size() == capacity_) outcomes_.pop_front();
  outcomes_.push_back(std::move(outcome));
}

OfferOutcomeSummary OfferOutcomeTracker::summary() const {
  OfferOutcomeSummary s;
  all_.addTo(s);
  s.outcomes.assign(outcomes_.begin(), outcomes_.end());
  return s;
}

OfferOutcomeSummary OfferOutcomeTracker::summary(
    const std::function<bool(std::string_view podInstance)>& select) const {
  OfferOutcomeSummary s;
  for (const auto& [instance, counts] : byInstance_) {
    if (select(instance)) counts.addTo(s);
  }
  for (const OfferOutcome& o : outcomes_) {
    if (select(o.podInstance)) s.outcomes.push_back(o);
  }
  return s;
}

std::string OfferOutcomeTracker::toJson(const OfferOutcomeSummary& summary) {
  nlohmann::json outcomes = nlohmann::json::array();
  for (const auto& o : summary.outcomes) {
    outcomes.push_back({{"timestamp", toEpochMillis(o.time)},
                        {"podInstanceName", o.podInstance},
                        {"tasks", o.tasks},
                        {"pass", o.passed},
                        {"offerId", o.offerId},
                        {"agentId", o.agentId},
                        {"hostname", o.hostname},
                        {"outcomeDetails", o.explanation()}});
  }
  nlohmann::json body = {{"acceptedCount", summary.acceptedCount},
                         {"rejectedCount", summary.rejectedCount},
                         {"failureReasons", summary.failureReasons},
                         {"rejectedAgents", summary.rejectedAgents},
                         {"outcomes", std::move(outcomes)}};
  return body.dump();
}

}  // namespace keel::offer
