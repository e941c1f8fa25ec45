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

void OfferOutcomeTracker::count(bool passed, std::string_view failedStage,
                                std::string_view agentId) {
  if (passed) {
    ++accepted_;
    return;
  }
  ++rejected_;
  bump(byStage_, failedStage);
  bump(byAgent_, agentId);
}

void OfferOutcomeTracker::record(OfferOutcome outcome) {
  count(outcome.passed, outcome.failedStage(), outcome.agentId);
  if (capacity_ == 0) return;
  if (outcomes_.size() == capacity_) outcomes_.pop_front();
  outcomes_.push_back(std::move(outcome));
}

OfferOutcomeSummary OfferOutcomeTracker::summary() const {
  OfferOutcomeSummary s;
  s.acceptedCount = accepted_;
  s.rejectedCount = rejected_;
  s.failureReasons.insert(byStage_.begin(), byStage_.end());
  s.rejectedAgents.insert(byAgent_.begin(), byAgent_.end());
  s.outcomes.assign(outcomes_.begin(), outcomes_.end());
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
