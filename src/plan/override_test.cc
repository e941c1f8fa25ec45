#include "keel/plan_override.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/plan_generator.h"
#include "keel/plan_operations.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using S = ElementStatus;
using testing::complete;
using testing::dataStoreSpec;

// What keel/state's PlanOverrideStore holds for one plan.
using Store = std::map<std::string, std::string>;

void persist(Store& store, const std::vector<OverrideChange>& changes) {
  for (const OverrideChange& c : changes) {
    if (c.value) {
      store[c.key] = *c.value;
    } else {
      store.erase(c.key);
    }
  }
}

void persist(Store& store, const Result<OperationResult>& r) {
  ASSERT_TRUE(r.has_value()) << r.error();
  persist(store, r->changes);
}

TEST(PlanOverride, RoundTripsThroughItsEncoding) {
  ElementOverrides all;
  all.interrupted = true;
  all.decisionPoint = false;
  all.status = StatusOverride::kRestarted;
  ElementOverrides params;
  params.parameters = std::map<std::string, std::string>{{"A", "1"}, {"B", "x y"}};
  params.interrupted = false;
  ElementOverrides forced;
  forced.status = StatusOverride::kForcedComplete;
  const std::vector<PlanOverride> cases = {
      {ElementLevel::kPlan, "", "", params},
      {ElementLevel::kPhase, "data", "", all},
      {ElementLevel::kStep, "data", "data-0:[node, sidecar]", all},
      {ElementLevel::kStep, "a.b/c", "x.y", forced},
  };
  for (const PlanOverride& o : cases) {
    auto back = PlanOverride::decode(o.encode());
    ASSERT_TRUE(back.has_value()) << back.error();
    EXPECT_EQ(*back, o) << o.encode();
  }
}

TEST(PlanOverride, KeysEscapeEverythingButSafeCharacters) {
  EXPECT_EQ(overrideKey(ElementLevel::kPlan, "", ""), "plan");
  EXPECT_EQ(overrideKey(ElementLevel::kPhase, "meta-data", ""), "phase.meta-data");
  EXPECT_EQ(overrideKey(ElementLevel::kStep, "data", "data-0:[node]"),
            "step.data.data-0%3A%5Bnode%5D");
  EXPECT_EQ(overrideKey(ElementLevel::kStep, "a.b", "c"), "step.a%2Eb.c");
  EXPECT_NE(overrideKey(ElementLevel::kStep, "a.b", "c"),
            overrideKey(ElementLevel::kStep, "a", "b.c"));
}

TEST(PlanOverride, RejectsRecordsItDidNotWrite) {
  for (const char* bad : {"", "not json", "{}", R"({"version":2,"level":"plan"})",
                          R"({"version":1,"level":"galaxy"})",
                          R"({"version":1,"level":"step","status":"exploded"})"}) {
    auto r = PlanOverride::decode(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kCorruption) << bad;
  }
}

TEST(Overrides, SurviveASchedulerRestart) {
  Store store;
  Plan before = generateDeployPlan(dataStoreSpec(), seededIds(1)).value();
  complete(before, before.phases()[0].steps()[0]);
  persist(store, forceCompleteElement(before, {"meta-data", "meta-data-1:[node]"}));
  persist(store, interruptElement(before, {"data", ""}));
  persist(store, setDecisionPoint(before, {"data", "data-2:[node]"}, true));
  persist(store, restartElement(before, {"meta-data", "meta-data-0:[node]"}));
  EXPECT_EQ(store, overrideRecords(before));

  Plan after = generateDeployPlan(dataStoreSpec(), seededIds(99)).value();
  auto report = applyOverrides(after, store);
  ASSERT_TRUE(report.has_value()) << report.error();
  EXPECT_EQ(report->applied, store.size());
  EXPECT_THAT(report->unmatched, IsEmpty());
  EXPECT_EQ(overrideRecords(after), store);
  EXPECT_THAT(takeOverrideChanges(after), IsEmpty()) << "applied records are already stored";
  EXPECT_EQ(after.findPhase("meta-data")->steps()[0].status(), S::kPending);
  EXPECT_EQ(after.findPhase("meta-data")->steps()[1].status(), S::kComplete);
  EXPECT_TRUE(after.findPhase("data")->interrupted());
  EXPECT_TRUE(after.findPhase("data")->steps()[2].decisionPoint());
  EXPECT_TRUE(after.findPhase("data")->steps()[2].interrupted());
  EXPECT_PLAN_INVARIANTS(after);
}

TEST(Overrides, KeepACanaryReleasedAcrossARestart) {
  spec::ServiceSpec spec = dataStoreSpec();
  spec::PlanSpec deploy;
  deploy.name = "deploy";
  deploy.phases.push_back({"data", "serial-canary", "data", {}});
  Store store;
  Plan before = generatePlan(spec, deploy, seededIds(1)).value();
  persist(store, continueElement(before, {"data", ""}));
  Plan after = generatePlan(spec, deploy, seededIds(50)).value();
  ASSERT_TRUE(applyOverrides(after, store).has_value());
  EXPECT_THAT(testing::candidateNames(after), ElementsAre("data-0:[node]"));
}

TEST(Overrides, KeepStartParametersAndTheStartedStateOfACustomPlan) {
  spec::ServiceSpec spec = dataStoreSpec();
  spec::PlanSpec backup{"backup", "serial", {{"b", "serial", "data", {}}}};
  Store store;
  Plan before = generatePlan(spec, backup, seededIds(1)).value();
  persist(store, startPlan(before, {{"BUCKET", "b1"}}));
  Plan after = generatePlan(spec, backup, seededIds(2)).value();
  ASSERT_TRUE(after.interrupted());
  ASSERT_TRUE(applyOverrides(after, store).has_value());
  EXPECT_FALSE(after.interrupted());
  EXPECT_EQ(after.parameters(), (std::map<std::string, std::string>{{"BUCKET", "b1"}}));
}

TEST(Overrides, EraseTheRecordWhenTheElementReturnsToItsGeneratedState) {
  Store store;
  Plan plan = generateDeployPlan(dataStoreSpec(), seededIds(1)).value();
  Step& step = plan.phases()[0].steps()[0];
  complete(plan, step);
  persist(store, restartElement(plan, {"meta-data", "meta-data-0:[node]"}));
  ASSERT_EQ(store.size(), 1u);
  complete(plan, step);
  persist(store, takeOverrideChanges(plan));
  EXPECT_THAT(store, IsEmpty()) << "the restart is done";
}

TEST(Overrides, ReportRecordsForElementsThatNoLongerExist) {
  Plan plan = generateDeployPlan(dataStoreSpec(), seededIds(1)).value();
  PlanOverride gone{ElementLevel::kStep, "data", "data-7:[node]", {}};
  gone.overrides.status = StatusOverride::kForcedComplete;
  auto report = applyOverrides(plan, {{gone.key(), gone.encode()}});
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->applied, 0u);
  EXPECT_THAT(report->unmatched, ElementsAre(gone.key()));
}

TEST(Overrides, RefuseARecordStoredUnderAnotherElementsKey) {
  Plan plan = generateDeployPlan(dataStoreSpec(), seededIds(1)).value();
  PlanOverride o{ElementLevel::kPhase, "data", "", {}};
  o.overrides.interrupted = true;
  auto report = applyOverrides(plan, {{"phase.meta-data", o.encode()}});
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code(), StatusCode::kCorruption);
  EXPECT_FALSE(plan.findPhase("data")->interrupted()) << "nothing applied";
}

}  // namespace
}  // namespace keel::plan
