#include "keel/plan_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "keel/plan_generator.h"
#include "keel/plan_operations.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using json = nlohmann::ordered_json;
using testing::complete;
using testing::dataStoreSpec;

Plan dataStore() { return generateDeployPlan(dataStoreSpec(), seededIds(1)).value(); }

TEST(PlanToJson, HasTheShapeOfTheV1PlansApi) {
  Plan plan = dataStore();
  complete(plan, plan.phases()[0].steps()[0]);
  json j = json::parse(planToJson(plan));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_THAT(keys, ::testing::ElementsAre("phases", "errors", "status", "strategy"));
  EXPECT_EQ(j["status"], "IN_PROGRESS");
  EXPECT_EQ(j["strategy"], "serial");
  EXPECT_EQ(j["errors"], json::array());
  const json& phase = j["phases"][0];
  EXPECT_EQ(phase["id"], plan.phases()[0].id());
  EXPECT_EQ(phase["name"], "meta-data");
  EXPECT_EQ(phase["status"], "IN_PROGRESS");
  EXPECT_EQ(phase["strategy"], "serial");
  EXPECT_EQ(phase["steps"][0], (json{{"id", plan.phases()[0].steps()[0].id()},
                                     {"name", "meta-data-0:[node]"},
                                     {"status", "COMPLETE"},
                                     {"message", ""}}));
  EXPECT_EQ(j["phases"][1]["steps"].size(), 3u);
}

TEST(PlanToJson, ExplainsWaitingDelayedAndFailedSteps) {
  Plan plan = dataStore();
  Phase& data = plan.phases()[1];
  ASSERT_TRUE(setDecisionPoint(plan, {"data", "data-0:[node]"}, true).has_value());
  ASSERT_TRUE(data.steps()[1].markDelayed(fromEpochMillis(0), "").isOk());
  ASSERT_TRUE(data.steps()[2].markError("volume lost").isOk());
  json j = json::parse(planToJson(plan));
  const json& steps = j["phases"][1]["steps"];
  EXPECT_EQ(steps[0]["status"], "WAITING");
  EXPECT_EQ(steps[0]["message"], "Waiting for continue (decision point)");
  EXPECT_EQ(steps[1]["message"], "Delayed until 1970-01-01T00:00:00.000Z");
  EXPECT_EQ(steps[2]["message"], "volume lost");
  EXPECT_EQ(j["status"], "ERROR");
  EXPECT_EQ(j["errors"], (json{"data/data-2:[node]: volume lost"}));
  EXPECT_EQ(planHttpStatus(plan), 417);
}

// The renderings are written directly, not through a JSON DOM: they must be
// the bytes nlohmann's dump() writes for the same values.
TEST(PlanToJson, IsByteForByteWhatAJsonLibraryWritesForAwkwardText) {
  Plan plan = dataStore();
  Step& step = plan.phases()[1].steps()[0];
  const std::string awkward = "quote\" back\\slash\nnew\ttab\r\b\f ctl\x01\x1f del\x7f é ✓ 🚀";
  step.setMessage(awkward);
  json expected = json::parse(planToJson(plan));
  EXPECT_EQ(expected["phases"][1]["steps"][0]["message"], awkward);
  EXPECT_EQ(planToJson(plan), expected.dump());
  EXPECT_EQ(planToSeedJson(plan), json::parse(planToSeedJson(plan)).dump());
  EXPECT_EQ(planToJson(plan, 2), expected.dump(2));
}

TEST(PlanToJson, ReplacesBytesThatAreNotUtf8InsteadOfFailing) {
  Plan plan = dataStore();
  plan.phases()[1].steps()[0].setMessage("bad \xff\xc3( \xed\xa0\x80 end\xe2\x82");
  json j = json::parse(planToJson(plan));
  EXPECT_EQ(j["phases"][1]["steps"][0]["message"],
            "bad \xEF\xBF\xBD\xEF\xBF\xBD( \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end"
            "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(PlanToSeedJson, UsesBlocksAndDecisionPointsLikeTheTutorial) {
  Plan plan = dataStore();
  ASSERT_TRUE(setDecisionPoint(plan, {"data", "data-1:[node]"}, true).has_value());
  Step& first = plan.phases()[0].steps()[0];
  ASSERT_TRUE(first.markPrepared().isOk());
  ASSERT_TRUE(first.markStarting().isOk());
  json j = json::parse(planToSeedJson(plan));
  EXPECT_FALSE(j.contains("strategy"));
  const json& block = j["phases"][0]["blocks"][0];
  std::vector<std::string> keys;
  for (auto it = block.begin(); it != block.end(); ++it) keys.push_back(it.key());
  EXPECT_THAT(keys,
              ::testing::ElementsAre("id", "status", "name", "message", "has_decision_point"));
  EXPECT_EQ(block["status"], "IN_PROGRESS") << "seed-era statuses only";
  EXPECT_EQ(block["name"], "meta-data-0") << "the tutorial's block names";
  EXPECT_EQ(block["message"], "Block: meta-data-0");
  EXPECT_EQ(j["phases"][1]["blocks"][1]["has_decision_point"], true);
  EXPECT_EQ(j["phases"][1]["blocks"][0]["has_decision_point"], false);
  EXPECT_EQ(j["status"], "IN_PROGRESS");
}

TEST(PlanToSeedJson, BlockNamesResolveBackToTheirSteps) {
  Plan plan = dataStore();
  json j = json::parse(planToSeedJson(plan));
  Phase& data = plan.phases()[1];
  for (size_t i = 0; i < 3; ++i) {
    std::string name = j["phases"][1]["blocks"][i]["name"];
    EXPECT_EQ(name, "data-" + std::to_string(i));
    EXPECT_EQ(data.findStep(name), &data.steps()[i]);
  }
  EXPECT_EQ(data.findStep("data-9"), nullptr);
  EXPECT_EQ(data.findStep("meta-data-0"), nullptr) << "another phase's pod instance";
}

TEST(PlanTree, ListsErrorsAfterTheTree) {
  Plan plan = dataStore();
  ASSERT_TRUE(plan.phases()[0].steps()[1].markError("no offers").isOk());
  complete(plan, plan.phases()[0].steps()[0]);
  EXPECT_EQ(planTree(plan),
            "deploy (serial strategy) (ERROR)\n"
            "├─ meta-data (serial strategy) (ERROR)\n"
            "│  ├─ meta-data-0:[node] (COMPLETE)\n"
            "│  └─ meta-data-1:[node] (ERROR)\n"
            "└─ data (serial strategy) (PENDING)\n"
            "   ├─ data-0:[node] (PENDING)\n"
            "   ├─ data-1:[node] (PENDING)\n"
            "   └─ data-2:[node] (PENDING)\n"
            "\n"
            "Errors:\n"
            "- meta-data/meta-data-1:[node]: no offers");
}

TEST(PlanHttpStatus, IsOkWhenCompleteAndAcceptedWhileInProgress) {
  Plan plan = dataStore();
  EXPECT_EQ(planHttpStatus(plan), 202);
  ASSERT_TRUE(forceCompleteElement(plan, {}).has_value());
  EXPECT_EQ(planHttpStatus(plan), 200);
}

TEST(PlanOwnErrors, MakeTheStatusErrorAndOutliveRestartAndForceComplete) {
  Plan plan = dataStore();
  plan.setOwnErrors({"configuration change refused: volume size"});
  EXPECT_EQ(plan.status(), ElementStatus::kError);
  EXPECT_EQ(planHttpStatus(plan), 417);
  ASSERT_TRUE(plan.phases()[0].steps()[0].markError("no offers").isOk());
  EXPECT_THAT(plan.errors(), ::testing::ElementsAre("configuration change refused: volume size",
                                                    "meta-data/meta-data-0:[node]: no offers"));
  plan.restart();
  plan.forceComplete();
  EXPECT_TRUE(plan.isComplete()) << "the steps are done; the plan says what it refused";
  Plan copy = plan;
  EXPECT_EQ(copy.errors(), std::vector<std::string>{"configuration change refused: volume size"});
  EXPECT_EQ(json::parse(planToJson(copy))["errors"][0],
            "configuration change refused: volume size");
  EXPECT_EQ(copy.status(), ElementStatus::kError);
  copy.setOwnErrors({});
  EXPECT_EQ(copy.status(), ElementStatus::kComplete);
}

}  // namespace
}  // namespace keel::plan
