#include "keel/plan_coordinator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/plan_operations.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::names;

// A plan `name` with one parallel phase whose steps work on `pods`.
Plan planOn(const std::string& name, const std::vector<std::string>& pods, uint64_t seed) {
  IdGenerator ids = seededIds(seed);
  std::vector<Step> steps;
  for (const std::string& pod : pods) {
    steps.emplace_back(ids(), name + ":" + pod, pod, std::vector<std::string>{"node"});
  }
  std::vector<Phase> phases;
  phases.emplace_back(ids(), "phase", std::move(steps), parallelStrategy());
  return Plan(ids(), name, std::move(phases), serialStrategy());
}

std::vector<std::string> planNames(const PlanCoordinator& c) {
  std::vector<std::string> out;
  for (const Plan* p : c.plans()) out.push_back(p->name());
  return out;
}

TEST(PlanPriority, PutsDeployThenRecoveryThenDecommissionThenCustomPlans) {
  Plan backup = planOn("backup", {}, 1);
  Plan decommission = planOn("decommission", {}, 2);
  Plan recovery = planOn("recovery", {}, 3);
  Plan deploy = planOn("deploy", {}, 4);
  Plan restore = planOn("restore", {}, 5);
  PlanCoordinator c({&backup, &decommission, &recovery, &deploy, &restore});
  EXPECT_THAT(planNames(c), ElementsAre("deploy", "recovery", "decommission", "backup", "restore"));
}

TEST(PlanCoordinator, GivesEachPodInstanceToOneStepAcrossPlans) {
  Plan deploy = planOn("deploy", {"data-0", "data-1"}, 1);
  Plan recovery = planOn("recovery", {"data-1", "data-2"}, 2);
  PlanCoordinator c({&recovery, &deploy});
  EXPECT_THAT(names(c.candidates()),
              ElementsAre("deploy:data-0", "deploy:data-1", "recovery:data-2"));
  EXPECT_PLAN_INVARIANTS(deploy);
}

TEST(PlanCoordinator, TreatsPreparedAndStartingStepsOfLaterPlansAsDirty) {
  Plan deploy = planOn("deploy", {"data-0", "data-1"}, 1);
  Plan recovery = planOn("recovery", {"data-1"}, 2);
  ASSERT_TRUE(recovery.phases()[0].steps()[0].markPrepared().isOk());
  PlanCoordinator c({&deploy, &recovery});
  EXPECT_THAT(names(c.candidates()), ElementsAre("deploy:data-0", "recovery:data-1"))
      << "deploy must not take data-1 while recovery works on it, and recovery keeps it";
}

TEST(PlanCoordinator, DoesNotCountStartedStepsAsDirty) {
  Plan deploy = planOn("deploy", {"data-0"}, 1);
  Plan recovery = planOn("recovery", {"data-0"}, 2);
  Step& s = recovery.phases()[0].steps()[0];
  ASSERT_TRUE(s.markPrepared().isOk());
  ASSERT_TRUE(s.markStarting().isOk());
  ASSERT_TRUE(s.markStarted().isOk());
  PlanCoordinator c({&deploy, &recovery});
  EXPECT_THAT(names(c.candidates()), ElementsAre("deploy:data-0"));
}

TEST(PlanCoordinator, SkipsInterruptedPlansButKeepsTheirInFlightStepsDirty) {
  Plan deploy = planOn("deploy", {"data-0"}, 1);
  Plan backup = planOn("backup", {"data-0", "data-1"}, 2);
  ASSERT_TRUE(deploy.phases()[0].steps()[0].markPrepared().isOk());
  ASSERT_TRUE(interruptElement(deploy, {}).has_value());
  PlanCoordinator c({&deploy, &backup});
  EXPECT_THAT(names(c.candidates()), ElementsAre("backup:data-1"));
}

TEST(PlanCoordinator, OffersOneStepPerPodInstanceWithinAPlanToo) {
  Plan deploy = planOn("deploy", {"data-0", "data-0", "data-1"}, 1);
  PlanCoordinator c({&deploy});
  auto candidates = c.candidates();
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0].step->podInstance(), "data-0");
  EXPECT_EQ(candidates[1].step->podInstance(), "data-1");
  EXPECT_EQ(candidates[0].plan, &deploy);
  EXPECT_EQ(candidates[0].phase, &deploy.phases()[0]);
  Plan none = planOn("deploy", {}, 9);
  EXPECT_THAT(PlanCoordinator({&none}).candidates(), IsEmpty());
}

}  // namespace
}  // namespace keel::plan
