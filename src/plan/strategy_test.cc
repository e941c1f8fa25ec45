#include "keel/plan_strategy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/plan_operations.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using S = ElementStatus;
using testing::candidateNames;
using testing::complete;
using testing::drive;
using testing::onePhasePlan;

// Children given as plain values, for strategies in isolation.
class FakeChildren final : public StrategyChildren {
 public:
  explicit FakeChildren(std::vector<S> statuses) : statuses_(std::move(statuses)) {}
  size_t size() const override { return statuses_.size(); }
  S status(size_t i) const override { return statuses_[i]; }
  bool isInterrupted(size_t) const override { return false; }
  bool isEligible(size_t i) const override {
    return statuses_[i] != S::kComplete && statuses_[i] != S::kError;
  }

 private:
  std::vector<S> statuses_;
};

std::vector<size_t> pick(const Strategy& s, std::vector<S> statuses) {
  std::vector<size_t> out;
  s.candidates(FakeChildren(std::move(statuses)), out);
  return out;
}

struct StrategyCase {
  const char* sentence;
  std::vector<S> children;
  std::vector<size_t> expected;
};

void runCases(const Strategy& strategy, const std::vector<StrategyCase>& cases) {
  for (const StrategyCase& c : cases) {
    EXPECT_EQ(pick(strategy, c.children), c.expected) << strategy.name() << ": " << c.sentence;
  }
}

TEST(SerialStrategy, ReleasesTheNextChildOnlyWhenThePreviousCompletes) {
  runCases(*serialStrategy(),
           {
               {"the first child of a fresh parent", {S::kPending, S::kPending}, {0}},
               {"the running child stays the candidate", {S::kStarting, S::kPending}, {0}},
               {"the child after COMPLETE ones", {S::kComplete, S::kPending, S::kPending}, {1}},
               {"nothing behind an ERROR child", {S::kComplete, S::kError, S::kPending}, {}},
               {"nothing when all are COMPLETE", {S::kComplete, S::kComplete}, {}},
           });
}

TEST(ParallelStrategy, ReleasesEveryEligibleChild) {
  runCases(*parallelStrategy(),
           {
               {"all of a fresh parent", {S::kPending, S::kPending, S::kPending}, {0, 1, 2}},
               {"all but COMPLETE and ERROR ones",
                {S::kComplete, S::kPending, S::kError, S::kStarted},
                {1, 3}},
           });
}

TEST(BoundedParallelStrategy, KeepsAtMostItsLimitOfChildrenAtWork) {
  runCases(
      *parallelStrategy(2),
      {
          {"the first two of a fresh parent", {S::kPending, S::kPending, S::kPending}, {0, 1}},
          {"a running child uses a slot", {S::kPending, S::kStarting, S::kPending}, {0, 1}},
          {"two running children use both slots", {S::kPending, S::kStarting, S::kStarted}, {1, 2}},
          {"COMPLETE children free their slots",
           {S::kComplete, S::kComplete, S::kPending, S::kPending, S::kPending},
           {2, 3}},
      });
  EXPECT_EQ(parallelStrategy(3)->name(), "parallel(3)");
}

TEST(DependencyStrategy, ReleasesAChildWhenEverythingItDependsOnIsComplete) {
  // 0 <- 1 <- 2, and 3 independent.
  auto strategy = dependencyStrategy({{}, {0}, {1}, {}});
  ASSERT_TRUE(strategy.has_value()) << strategy.error();
  runCases(**strategy,
           {
               {"roots first", {S::kPending, S::kPending, S::kPending, S::kPending}, {0, 3}},
               {"a child after its prerequisite",
                {S::kComplete, S::kPending, S::kPending, S::kComplete},
                {1}},
               {"not behind a restarted transitive prerequisite",
                {S::kPending, S::kComplete, S::kPending, S::kComplete},
                {0}},
           });
}

TEST(DependencyStrategy, RejectsCyclesAndUnknownChildren) {
  auto cycle = dependencyStrategy({{2}, {0}, {1}});
  ASSERT_FALSE(cycle.has_value());
  EXPECT_EQ(cycle.error().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(cycle.error().message(), ::testing::HasSubstr("cycle among children 0, 1, 2"));
  auto range = dependencyStrategy({{5}});
  ASSERT_FALSE(range.has_value());
  EXPECT_THAT(range.error().message(), ::testing::HasSubstr("depends on child 5"));
}

TEST(CanaryStrategy, ReleasesTwoCanaryStepsOneContinueAtATimeThenTheUnderlyingStrategy) {
  Plan plan = onePhasePlan(4, canaryStrategy(parallelStrategy()));
  Phase& phase = plan.phases()[0];
  EXPECT_EQ(phase.strategy().name(), "parallel-canary");
  EXPECT_EQ(phase.status(), S::kWaiting);
  EXPECT_THAT(candidateNames(plan), IsEmpty());

  ASSERT_TRUE(continueElement(plan, {"p", ""})->changed);
  EXPECT_THAT(candidateNames(plan), ElementsAre("p-0"));
  complete(plan, phase.steps()[0]);
  EXPECT_EQ(phase.status(), S::kWaiting);
  EXPECT_THAT(candidateNames(plan), IsEmpty());

  ASSERT_TRUE(continueElement(plan, {"p", ""})->changed);
  EXPECT_THAT(candidateNames(plan), ElementsAre("p-1", "p-2", "p-3"));
  EXPECT_PLAN_INVARIANTS(plan);
}

TEST(CanaryStrategy, PlanLevelContinueDoesNotReleaseAPhaseCanary) {
  Plan plan = onePhasePlan(3, canaryStrategy(serialStrategy()));
  auto result = continueElement(plan, {});
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->changed);
  EXPECT_THAT(candidateNames(plan), IsEmpty());
}

TEST(CanaryStrategy, WorksOverPhasesAtPlanLevel) {
  IdGenerator ids = seededIds(7);
  std::vector<Phase> phases;
  for (const char* n : {"a", "b", "c"})
    phases.push_back(testing::makePhase(n, 1, serialStrategy(), ids));
  Plan plan =
      testing::makePlan("deploy", std::move(phases), canaryStrategy(serialStrategy(), 1), ids);
  EXPECT_EQ(plan.strategy().name(), "serial-canary");
  EXPECT_EQ(plan.status(), S::kWaiting);
  EXPECT_THAT(candidateNames(plan), IsEmpty());
  ASSERT_TRUE(continueElement(plan, {})->changed);
  EXPECT_THAT(candidateNames(plan), ElementsAre("a-0"));
  complete(plan, plan.phases()[0].steps()[0]);
  EXPECT_THAT(candidateNames(plan), ElementsAre("b-0"));
}

TEST(StrategyNames, AcceptTheSvcYmlNamesAndRejectOthers) {
  struct Case {
    std::string name;
    std::string shown;
  };
  for (const Case& c : std::vector<Case>{{"serial", "serial"},
                                         {"parallel", "parallel"},
                                         {"serial-canary", "serial-canary"},
                                         {"canary", "serial-canary"},
                                         {"parallel-canary", "parallel-canary"},
                                         {"parallel(2)", "parallel(2)"},
                                         {"parallel(10)", "parallel(10)"}}) {
    auto s = phaseStrategyFromName(c.name);
    ASSERT_TRUE(s.has_value()) << c.name;
    EXPECT_EQ((*s)->name(), c.shown);
  }
  EXPECT_FALSE(planStrategyFromName("canary").has_value());
  for (const char* wrong :
       {"parallel(0)", "parallel()", "parallel(2", "parallel(x)", "parallel(-1)", "parallel(2)x"}) {
    EXPECT_FALSE(phaseStrategyFromName(wrong).has_value()) << wrong;
  }
  EXPECT_FALSE(planStrategyFromName("parallel(2)").has_value());
  auto bad = phaseStrategyFromName("random");
  ASSERT_FALSE(bad.has_value());
  EXPECT_THAT(bad.error().message(), ::testing::HasSubstr("expected one of: serial, parallel"));
}

TEST(SerialPhase, BlocksOnADelayedStepUntilItsBackoffEnds) {
  Plan plan = onePhasePlan(2, serialStrategy());
  Step& first = plan.phases()[0].steps()[0];
  drive(plan, first, S::kPrepared);
  TimePoint until = fromEpochMillis(10'000);
  ASSERT_TRUE(first.markDelayed(until, "task failed").isOk());
  EXPECT_PLAN_INVARIANTS(plan);
  EXPECT_THAT(candidateNames(plan), IsEmpty());
  EXPECT_EQ(plan.phases()[0].status(), S::kDelayed);
  plan.tick(until);
  EXPECT_THAT(candidateNames(plan), ElementsAre("p-0"));
}

}  // namespace
}  // namespace keel::plan
