// Offer outcomes: the explained result of evaluating one requirement against
// one offer, and the tracker behind /v2/debug/offers (dcos-commons'
// OfferOutcomeTrackerV2: the last 100 outcomes, counts per failing stage and
// per rejected agent).
//
// Thread-safety: OfferOutcome is a value. OfferOutcomeTracker is not
// synchronised: the scheduler's thread records; readers take summary()
// through that thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "keel/clock.h"
#include "keel/offer/stage.h"

namespace keel::offer {

struct OfferOutcome {
  TimePoint time;
  std::string podInstance;  // "data-1"
  std::vector<std::string> tasks;
  std::string offerId;
  std::string agentId;
  std::string hostname;
  bool passed = false;
  // In evaluation order; when !passed the last one is the failure.
  std::vector<StageOutcome> stages;

  // "PASS(PlacementStage): ..." lines, one per stage.
  std::vector<std::string> explanation() const;
  // The failing stage's name; empty when passed.
  std::string_view failedStage() const;
};

struct OfferOutcomeSummary {
  int64_t acceptedCount = 0;
  int64_t rejectedCount = 0;
  std::map<std::string, int64_t> failureReasons;  // failing stage -> count
  std::map<std::string, int64_t> rejectedAgents;  // agent id -> count
  std::vector<OfferOutcome> outcomes;             // oldest first
};

class OfferOutcomeTracker {
 public:
  static constexpr size_t kDefaultCapacity = 100;
  explicit OfferOutcomeTracker(size_t capacity = kDefaultCapacity);

  // Counts one evaluated pair without keeping it (no text; allocates only
  // the first time a stage or agent is seen).
  void count(bool passed, std::string_view failedStage, std::string_view agentId);
  // Counts it and keeps it among the last `capacity` outcomes.
  void record(OfferOutcome outcome);

  OfferOutcomeSummary summary() const;
  // The /v2/debug/offers body: {"acceptedCount":..,"rejectedCount":..,
  // "failureReasons":{stage:n},"rejectedAgents":{agent:n},"outcomes":[
  // {"timestamp":ms,"podInstanceName":..,"tasks":[..],"pass":bool,
  //  "offerId":..,"agentId":..,"hostname":..,"outcomeDetails":["PASS(..): .."]}]}.
  static std::string toJson(const OfferOutcomeSummary& summary);

 private:
  size_t capacity_;
  int64_t accepted_ = 0;
  int64_t rejected_ = 0;
  std::map<std::string, int64_t, std::less<>> byStage_;
  std::map<std::string, int64_t, std::less<>> byAgent_;
  std::deque<OfferOutcome> outcomes_;
};

}  // namespace keel::offer
