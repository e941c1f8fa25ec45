#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/plan.h"
#include "keel/plan_override.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using S = ElementStatus;
using testing::drive;
using testing::onePhasePlan;

TEST(Step, FollowsTheNormalProgressionToComplete) {
  Plan plan = onePhasePlan(1, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  EXPECT_EQ(step.status(), S::kPending);
  for (S to : {S::kPrepared, S::kStarting, S::kStarted, S::kComplete}) {
    drive(plan, step, to);
    EXPECT_EQ(step.status(), to);
  }
  EXPECT_EQ(plan.status(), S::kComplete);
}

TEST(Step, RefusesAnIllegalTransitionAndChangesNothing) {
  Plan plan = onePhasePlan(1, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  Status st = step.markStarted();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(st.message(), HasSubstr("p-0: illegal transition PENDING -> STARTED"));
  EXPECT_EQ(step.status(), S::kPending);
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Step, StaysInErrorUntilAnOperatorRestartsIt) {
  Plan plan = onePhasePlan(1, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  drive(plan, step, S::kError);
  EXPECT_THAT(step.errors(), ElementsAre("failed"));
  EXPECT_EQ(step.markPending().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(plan.status(), S::kError);
  step.restart();
  EXPECT_EQ(step.status(), S::kPending);
  EXPECT_TRUE(step.errors().empty());
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Step, ShowsWaitingOnlyWhileInterruptedAndNotYetLaunched) {
  Plan plan = onePhasePlan(1, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  step.setInterrupted(true);
  EXPECT_EQ(step.displayStatus(), S::kWaiting);
  step.setInterrupted(false);
  drive(plan, step, S::kPrepared);
  step.setInterrupted(true);
  EXPECT_EQ(step.displayStatus(), S::kWaiting);
  drive(plan, step, S::kStarting);
  EXPECT_EQ(step.displayStatus(), S::kStarting);
}

TEST(Step, LosesAForcedCompletionWhenTheSchedulerFindsTheWorkUndone) {
  Plan plan = onePhasePlan(1, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  step.forceComplete();
  EXPECT_EQ(step.overrides().status, StatusOverride::kForcedComplete);
  (void)takeOverrideChanges(plan);
  drive(plan, step, S::kPending);
  EXPECT_EQ(step.overrides().status, StatusOverride::kNone);
  auto changes = takeOverrideChanges(plan);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].value, std::nullopt) << "the record is erased";
}

TEST(Step, KeepsARestartUntilTheStepCompletesAgain) {
  Plan plan = onePhasePlan(1, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  testing::complete(plan, step);
  step.restart();
  EXPECT_EQ(step.overrides().status, StatusOverride::kRestarted);
  drive(plan, step, S::kPrepared);
  drive(plan, step, S::kStarting);
  EXPECT_EQ(step.overrides().status, StatusOverride::kRestarted);
  drive(plan, step, S::kComplete);
  EXPECT_EQ(step.overrides().status, StatusOverride::kNone);
}

TEST(DirtyAssets, LetAStepKeepItsOwnPodInstance) {
  Plan plan = onePhasePlan(2, parallelStrategy());
  const Step& a = plan.phases()[0].steps()[0];
  const Step& b = plan.phases()[0].steps()[1];
  DirtyAssets dirty;
  dirty.add(a);
  EXPECT_TRUE(dirty.allows(a));
  EXPECT_TRUE(dirty.allows(b));
  EXPECT_EQ(dirty.owner("p-0"), &a);
  EXPECT_EQ(dirty.owner("p-1"), nullptr);
}

TEST(Ids, AreDeterministicWhenSeeded) {
  IdGenerator a = seededIds(42);
  IdGenerator b = seededIds(42);
  std::string first = a();
  EXPECT_EQ(first, b());
  EXPECT_NE(first, a());
  EXPECT_NE(randomIds()(), randomIds()());
}

}  // namespace
}  // namespace keel::plan
