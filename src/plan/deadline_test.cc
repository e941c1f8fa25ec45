#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/plan.h"
#include "keel/plan_operations.h"
#include "plan/plan_test_util.h"
#include "testing/manual_clock.h"

namespace keel::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using S = ElementStatus;
using testing::drive;
using testing::onePhasePlan;

TEST(Deadline, TurnsAStalledStepIntoAnErrorWithItsReason) {
  keel::testing::ManualClock clock;
  Plan plan = onePhasePlan(2, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  drive(plan, step, S::kPrepared);
  drive(plan, step, S::kStarting);
  step.setProgressDeadline(clock.now() + std::chrono::minutes(10));

  clock.advance(std::chrono::minutes(10));
  EXPECT_THAT(plan.tick(clock.now()), IsEmpty()) << "not before the deadline has passed";
  EXPECT_EQ(step.status(), S::kStarting);

  clock.advance(std::chrono::seconds(1));
  auto events = plan.tick(clock.now());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], "p/p-0: progress deadline 2026-01-01T00:10:00.000Z passed while STARTING");
  EXPECT_EQ(step.status(), S::kError);
  EXPECT_THAT(step.errors(), ElementsAre(HasSubstr("passed while STARTING")));
  EXPECT_EQ(plan.status(), S::kError);
  EXPECT_PLAN_INVARIANTS(plan);
  EXPECT_THAT(plan.tick(clock.now()), IsEmpty()) << "reported once";
}

TEST(Deadline, DoesNotApplyToCompleteOrInterruptedSteps) {
  keel::testing::ManualClock clock;
  Plan plan = onePhasePlan(2, parallelStrategy());
  Step& done = plan.phases()[0].steps()[0];
  Step& paused = plan.phases()[0].steps()[1];
  testing::complete(plan, done);
  paused.setInterrupted(true);
  done.setProgressDeadline(clock.now());
  paused.setProgressDeadline(clock.now());
  clock.advance(std::chrono::hours(1));
  EXPECT_THAT(plan.tick(clock.now()), IsEmpty());
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(Deadline, TurnsAStalledPhaseIntoAnErrorUntilRestarted) {
  keel::testing::ManualClock clock;
  Plan plan = onePhasePlan(2, serialStrategy());
  Phase& phase = plan.phases()[0];
  phase.setProgressDeadline(clock.now() + std::chrono::minutes(5));
  clock.advance(std::chrono::minutes(6));
  auto events = plan.tick(clock.now());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_THAT(events[0], HasSubstr("p: progress deadline"));
  EXPECT_EQ(phase.status(), S::kError);
  EXPECT_THAT(plan.errors(), ElementsAre(HasSubstr("p: progress deadline")));
  EXPECT_THAT(testing::candidateNames(plan), IsEmpty());
  EXPECT_PLAN_INVARIANTS(plan);

  phase.setProgressDeadline(std::nullopt);
  ASSERT_TRUE(restartElement(plan, {"p", ""}).has_value());
  EXPECT_EQ(phase.status(), S::kPending);
  EXPECT_THAT(testing::candidateNames(plan), ElementsAre("p-0"));
}

TEST(Backoff, ReturnsADelayedStepToPendingWhenItEnds) {
  keel::testing::ManualClock clock;
  Plan plan = onePhasePlan(1, serialStrategy());
  Step& step = plan.phases()[0].steps()[0];
  drive(plan, step, S::kPrepared);
  ASSERT_TRUE(step.markDelayed(clock.now() + std::chrono::seconds(60), "task failed").isOk());
  EXPECT_EQ(plan.status(), S::kDelayed);
  clock.advance(std::chrono::seconds(59));
  EXPECT_THAT(plan.tick(clock.now()), IsEmpty());
  clock.advance(std::chrono::seconds(1));
  EXPECT_THAT(plan.tick(clock.now()), ElementsAre("p/p-0: backoff ended, PENDING"));
  EXPECT_EQ(step.status(), S::kPending);
  EXPECT_EQ(step.delayedUntil(), std::nullopt);
  EXPECT_PLAN_INVARIANTS(plan);
}

}  // namespace
}  // namespace keel::plan
