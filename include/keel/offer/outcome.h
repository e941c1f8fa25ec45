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

  // Counts one evaluated pair of `podInstance` without keeping it (no text;
  // allocates only the first time a stage, agent or pod instance is seen).
  void count(bool passed, std::string_view failedStage, std::string_view agentId,
             std::string_view podInstance = {});
  // Counts it and keeps it among the last `capacity` outcomes.
  void record(OfferOutcome outcome);

  OfferOutcomeSummary summary() const;
  // Only the pod instances `select` accepts: their counts (since the
  // tracker started, kept or not) and their kept outcomes.
  OfferOutcomeSummary summary(
      const std::function<bool(std::string_view podInstance)>& select) const;
  // The /v2/debug/offers body: {"acceptedCount":..,"rejectedCount":..,
  // "failureReasons":{stage:n},"rejectedAgents":{agent:n},"outcomes":[
  // {"timestamp":ms,"podInstanceName":..,"tasks":[..],"pass":bool,
  //  "offerId":..,"agentId":..,"hostname":..,"outcomeDetails":["PASS(..): .."]}]}.
  static std::string toJson(const OfferOutcomeSummary& summary);

 private:
  struct Counts {
    int64_t accepted = 0;
    int64_t rejected = 0;
    std::map<std::string, int64_t, std::less<>> byStage;
    std::map<std::string, int64_t, std::less<>> byAgent;
    void add(bool passed, std::string_view failedStage, std::string_view agentId);
    void addTo(OfferOutcomeSummary& s) const;
  };
  size_t capacity_;
  Counts all_;
  std::map<std::string, Counts, std::less<>> byInstance_;
  std::deque<OfferOutcome> outcomes_;
};

}  // namespace keel::offer
