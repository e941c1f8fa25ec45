#include "keel/offer/outcome.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace keel::offer {
namespace {

OfferOutcome outcome(int i, bool passed) {
  OfferOutcome o;
  o.time = fromEpochMillis(1000 + i);
  o.podInstance = "data-" + std::to_string(i);
  o.tasks = {"node"};
  o.offerId = "o" + std::to_string(i);
  o.agentId = "a" + std::to_string(i % 3);
  o.hostname = "h";
  o.passed = passed;
  o.stages.push_back(StageOutcome::pass("PlacementStage", "fits"));
  if (!passed) o.stages.push_back(StageOutcome::fail("ResourceStage", "needs 1 cpus"));
  return o;
}

TEST(OfferOutcome, ExplainsEachStageAsPassOrFail) {
  OfferOutcome o = outcome(1, false);
  EXPECT_THAT(o.explanation(), ::testing::ElementsAre("PASS(PlacementStage): fits",
                                                      "FAIL(ResourceStage): needs 1 cpus"));
  EXPECT_EQ(o.failedStage(), "ResourceStage");
  EXPECT_EQ(outcome(2, true).failedStage(), "");
}

TEST(OfferOutcomeTracker, KeepsTheLastHundredOutcomesAndCountsAll) {
  OfferOutcomeTracker tracker;
  for (int i = 0; i < 150; ++i) tracker.record(outcome(i, i % 5 == 0));
  tracker.count(false, "PlacementStage", "a9");
  auto s = tracker.summary();
  EXPECT_EQ(s.acceptedCount, 30);
  EXPECT_EQ(s.rejectedCount, 121);
  EXPECT_EQ(s.failureReasons["ResourceStage"], 120);
  EXPECT_EQ(s.failureReasons["PlacementStage"], 1);
  EXPECT_EQ(s.rejectedAgents["a9"], 1);
  EXPECT_EQ(s.rejectedAgents["a1"], 40);
  ASSERT_EQ(s.outcomes.size(), 100u);
  EXPECT_EQ(s.outcomes.front().podInstance, "data-50");
  EXPECT_EQ(s.outcomes.back().podInstance, "data-149");
}

TEST(OfferOutcomeTracker, ASelectionCountsOnlyTheSelectedPodInstances) {
  OfferOutcomeTracker tracker(4);
  for (int i = 0; i < 10; ++i) tracker.record(outcome(i % 2, i % 2 == 1));  // data-0 fails
  tracker.count(false, "PlacementStage", "a7", "data-0");
  tracker.count(false, "PlacementStage", "a8", "meta-0");
  auto data0 = tracker.summary([](std::string_view i) { return i == "data-0"; });
  EXPECT_EQ(data0.acceptedCount, 0);
  EXPECT_EQ(data0.rejectedCount, 6);
  EXPECT_EQ(data0.failureReasons["ResourceStage"], 5);
  EXPECT_EQ(data0.failureReasons["PlacementStage"], 1);
  EXPECT_EQ(data0.rejectedAgents.count("a8"), 0u);
  ASSERT_EQ(data0.outcomes.size(), 2u);  // of the last 4 kept
  EXPECT_EQ(data0.outcomes[0].podInstance, "data-0");
  auto data1 = tracker.summary([](std::string_view i) { return i == "data-1"; });
  EXPECT_EQ(data1.acceptedCount, 5);
  EXPECT_EQ(data1.rejectedCount, 0);
  EXPECT_TRUE(data1.failureReasons.empty());
  auto none = tracker.summary([](std::string_view) { return false; });
  EXPECT_EQ(none.acceptedCount + none.rejectedCount, 0);
  EXPECT_TRUE(none.outcomes.empty());
  EXPECT_EQ(tracker.summary().rejectedCount, 7);
}

TEST(OfferOutcomeTracker, RendersTheDebugOffersBody) {
  OfferOutcomeTracker tracker(2);
  tracker.record(outcome(7, false));
  auto json = nlohmann::json::parse(OfferOutcomeTracker::toJson(tracker.summary()));
  EXPECT_EQ(json["rejectedCount"], 1);
  EXPECT_EQ(json["failureReasons"]["ResourceStage"], 1);
  EXPECT_EQ(json["rejectedAgents"]["a1"], 1);
  ASSERT_EQ(json["outcomes"].size(), 1u);
  const auto& o = json["outcomes"][0];
  EXPECT_EQ(o["podInstanceName"], "data-7");
  EXPECT_EQ(o["pass"], false);
  EXPECT_EQ(o["timestamp"], 1007);
  EXPECT_EQ(o["outcomeDetails"][1], "FAIL(ResourceStage): needs 1 cpus");
}

}  // namespace
}  // namespace keel::offer
