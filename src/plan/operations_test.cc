#include "keel/plan_operations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/plan_generator.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using S = ElementStatus;
using testing::candidateNames;
using testing::complete;
using testing::dataStoreSpec;

Plan dataStorePlan() { return generateDeployPlan(dataStoreSpec(), seededIds(1)).value(); }

Step& stepOf(Plan& plan, const std::string& phase, const std::string& step) {
  return *plan.findPhase(phase)->findStep(step);
}

TEST(Operations, AddressElementsByNameOrByIdAndNameWhatIsMissing) {
  Plan plan = dataStorePlan();
  const Phase& data = *plan.findPhase("data");
  struct Case {
    const char* sentence;
    ElementPath path;
    StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"a phase by name", {"data", ""}, StatusCode::kOk, ""},
      {"a phase by id", {data.id(), ""}, StatusCode::kOk, ""},
      {"a step by names", {"data", "data-1:[node]"}, StatusCode::kOk, ""},
      {"a step by ids", {data.id(), data.steps()[1].id()}, StatusCode::kOk, ""},
      {"an unknown phase", {"nope", ""}, StatusCode::kNotFound, "Phase nope not found"},
      {"an unknown step", {"data", "data-9"}, StatusCode::kNotFound, "Step data-9 not found"},
      {"a step of another phase",
       {"meta-data", "data-1:[node]"},
       StatusCode::kNotFound,
       "Step data-1:[node] not found"},
      {"a step without its phase",
       {"", "data-1:[node]"},
       StatusCode::kInvalidArgument,
       "Missing phase"},
  };
  for (const Case& c : cases) {
    Plan copy = plan;
    auto r = interruptElement(copy, c.path);
    EXPECT_EQ(r.status().code(), c.code) << c.sentence;
    if (!r.has_value()) {
      EXPECT_EQ(r.error().message(), c.message) << c.sentence;
    }
    EXPECT_PLAN_INVARIANTS(copy);
  }
}

TEST(Operations, InterruptPausesNewWorkAndContinueResumesIt) {
  Plan plan = dataStorePlan();
  ASSERT_TRUE(interruptElement(plan, {})->changed);
  EXPECT_EQ(plan.status(), S::kWaiting);
  EXPECT_THAT(candidateNames(plan), IsEmpty());
  EXPECT_FALSE(interruptElement(plan, {})->changed) << "already interrupted";
  ASSERT_TRUE(continueElement(plan, {})->changed);
  EXPECT_THAT(candidateNames(plan), ElementsAre("meta-data-0:[node]"));
  EXPECT_FALSE(continueElement(plan, {})->changed) << "already running";
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Operations, InterruptLetsAStartingStepFinish) {
  Plan plan = dataStorePlan();
  Step& first = stepOf(plan, "meta-data", "meta-data-0:[node]");
  ASSERT_TRUE(first.markPrepared().isOk());
  ASSERT_TRUE(first.markStarting().isOk());
  ASSERT_TRUE(interruptElement(plan, {"meta-data", ""})->changed);
  EXPECT_EQ(first.displayStatus(), S::kStarting);
  ASSERT_TRUE(first.markComplete().isOk());
  EXPECT_THAT(candidateNames(plan), IsEmpty()) << "the phase is interrupted";
  EXPECT_EQ(plan.findPhase("meta-data")->status(), S::kWaiting);
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Operations, InterruptOfACompleteElementIsANoOp) {
  Plan plan = dataStorePlan();
  ASSERT_TRUE(forceCompleteElement(plan, {"meta-data", ""})->changed);
  auto r = interruptElement(plan, {"meta-data", ""});
  EXPECT_FALSE(r->changed);
  EXPECT_TRUE(r->changes.empty());
}

TEST(Operations, ForceCompleteOfAPhaseCompletesEveryStepAndRecordsEach) {
  Plan plan = dataStorePlan();
  auto r = forceCompleteElement(plan, {"meta-data", ""});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->changes.size(), 2u);
  EXPECT_EQ(plan.findPhase("meta-data")->status(), S::kComplete);
  EXPECT_THAT(candidateNames(plan), ElementsAre("data-0:[node]"));
  EXPECT_FALSE(forceCompleteElement(plan, {"meta-data", ""})->changed);
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Operations, RestartOfAStepSendsItBackToPendingAndReleasesIt) {
  Plan plan = dataStorePlan();
  Step& step = stepOf(plan, "meta-data", "meta-data-0:[node]");
  ASSERT_TRUE(interruptElement(plan, {"meta-data", "meta-data-0:[node]"})->changed);
  complete(plan, step);
  ASSERT_TRUE(restartElement(plan, {"meta-data", "meta-data-0:[node]"})->changed);
  EXPECT_EQ(step.status(), S::kPending);
  EXPECT_FALSE(step.interrupted());
  EXPECT_THAT(candidateNames(plan), ElementsAre("meta-data-0:[node]"));
  EXPECT_FALSE(restartElement(plan, {"meta-data", "meta-data-0:[node]"})->changed);
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Operations, RestartClearsStepErrors) {
  Plan plan = dataStorePlan();
  Step& step = stepOf(plan, "meta-data", "meta-data-0:[node]");
  ASSERT_TRUE(step.markError("disk full").isOk());
  EXPECT_EQ(plan.status(), S::kError);
  ASSERT_TRUE(restartElement(plan, {"meta-data", ""})->changed);
  EXPECT_EQ(plan.status(), S::kPending);
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Operations, ContinueOnAPhasePassesItsNextDecisionPoint) {
  Plan plan = dataStorePlan();
  ASSERT_TRUE(setDecisionPoint(plan, {"meta-data", "meta-data-1:[node]"}, true)->changed);
  complete(plan, stepOf(plan, "meta-data", "meta-data-0:[node]"));
  EXPECT_THAT(candidateNames(plan), IsEmpty());
  EXPECT_EQ(plan.findPhase("meta-data")->status(), S::kWaiting);
  EXPECT_EQ(plan.status(), S::kWaiting);
  ASSERT_TRUE(continueElement(plan, {"meta-data", ""})->changed);
  EXPECT_THAT(candidateNames(plan), ElementsAre("meta-data-1:[node]"));
  EXPECT_TRUE(stepOf(plan, "meta-data", "meta-data-1:[node]").decisionPoint());
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Operations, DecisionPointsNeedAStep) {
  Plan plan = dataStorePlan();
  auto r = setDecisionPoint(plan, {"meta-data", ""}, true);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
}

TEST(Operations, StartValidatesParameterNames) {
  Plan plan = dataStorePlan();
  struct Case {
    std::string name;
    bool valid;
  };
  for (const Case& c : std::vector<Case>{{"BACKUP_DIR", true},
                                         {"_x1", true},
                                         {"a", true},
                                         {"1ABC", false},
                                         {"", false},
                                         {"A-B", false},
                                         {"A B", false}}) {
    auto r = startPlan(plan, {{c.name, "v"}});
    EXPECT_EQ(r.has_value(), c.valid) << "'" << c.name << "'";
    if (!c.valid) {
      EXPECT_EQ(r.error().message(), c.name + " is not a valid environment variable name");
    }
  }
}

TEST(Operations, StartAndStopDriveACustomPlan) {
  spec::ServiceSpec spec = dataStoreSpec();
  spec::PlanSpec backup;
  backup.name = "backup";
  backup.phases.push_back({"backup", "serial", "data", {}});
  Plan plan = generatePlan(spec, backup, seededIds(3)).value();
  EXPECT_TRUE(plan.interrupted()) << "custom plans start interrupted";
  EXPECT_THAT(candidateNames(plan), IsEmpty());

  ASSERT_TRUE(startPlan(plan, {{"BUCKET", "s3://b"}}).has_value());
  EXPECT_EQ(plan.parameters().at("BUCKET"), "s3://b");
  EXPECT_THAT(candidateNames(plan), ElementsAre("data-0:[node]"));

  complete(plan, plan.phases()[0].steps()[0]);
  ASSERT_TRUE(stopPlan(plan).has_value());
  EXPECT_TRUE(plan.interrupted());
  EXPECT_EQ(plan.phases()[0].steps()[0].status(), S::kPending);

  ASSERT_TRUE(forceCompleteElement(plan, {}).has_value());
  ASSERT_TRUE(startPlan(plan, {}).has_value());
  EXPECT_EQ(plan.status(), S::kPending) << "starting a COMPLETE plan restarts it";
  EXPECT_PLAN_INVARIANTS(plan);
}

}  // namespace
}  // namespace keel::plan
