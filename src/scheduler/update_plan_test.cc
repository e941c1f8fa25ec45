// Configuration changes roll out through the spec's "update" plan once the
// service has deployed (dcos-commons' rule), in simulation: a bounded
// parallel rollout and a canary that waits for the operator.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "keel/plan_operations.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

spec::ServiceSpec withUpdatePlan(const std::string& dataStrategy,
                                 std::map<std::string, std::string> env = {}) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), env);
  EXPECT_TRUE(spec.has_value()) << spec.error().toString();
  spec->plans.push_back(
      {"update",
       "serial",
       {{"meta-data", "serial", "meta-data", {}}, {"data", dataStrategy, "data", {}}}});
  return *spec;
}

class UpdatePlan : public ::testing::Test {
 protected:
  void deployThenChange(const std::string& dataStrategy) {
    sim = std::make_unique<testing::SchedulerSim>(withUpdatePlan(dataStrategy));
    sim->cluster.addAgents(3);
    sim->startSubscribed();
    std::vector<std::string> names;
    for (plan::Plan* p : sim->scheduler->plans()) names.push_back(p->name());
    EXPECT_THAT(names, ::testing::Not(::testing::Contains("update")));
    EXPECT_EQ(sim->scheduler->findPlan("deploy")->phases()[1].strategy().name(), "serial")
        << "the first deployment runs the deploy plan";
    ASSERT_TRUE(sim->deploy());
    launchesBefore = sim->launches().size();
    sim->spec_ = withUpdatePlan(dataStrategy, {{"DATA_CPU", "0.2"}});
    sim->start();  // the scheduler restarts with the changed environment
    sim->subscribe();
    sim->pump();
  }
  // Data steps in flight or done after a round without status updates.
  size_t dataRelaunched() { return sim->launches().size() - launchesBefore; }

  std::unique_ptr<testing::SchedulerSim> sim;
  size_t launchesBefore = 0;
};

TEST_F(UpdatePlan, RollsOutABoundedParallelUpdateTwoPodsAtATime) {
  deployThenChange("parallel(2)");
  plan::Plan& deploy = *sim->scheduler->findPlan("deploy");
  EXPECT_EQ(deploy.phases()[1].strategy().name(), "parallel(2)");
  for (int i = 0; i < 4; ++i) {
    sim->round();
    sim->answerKills();
  }
  EXPECT_EQ(dataRelaunched(), 2u) << "two data pods at once, the third waits";
  ASSERT_TRUE(sim->deploy());
  EXPECT_EQ(dataRelaunched(), 3u);
}

TEST_F(UpdatePlan, WaitsForTheOperatorBeforeACanary) {
  deployThenChange("canary");
  for (int i = 0; i < 3; ++i) {
    sim->round();
    sim->answerKills();
  }
  EXPECT_EQ(dataRelaunched(), 0u) << "the canary phase waits";
  plan::Plan& deploy = *sim->scheduler->findPlan("deploy");
  ASSERT_TRUE(plan::continueElement(deploy, {"data", ""}).has_value());
  for (int i = 0; i < 3; ++i) {
    sim->round();
    sim->answerKills();
    sim->runStaged();
  }
  EXPECT_EQ(dataRelaunched(), 1u) << "one canary released by one continue";
}

}  // namespace
}  // namespace keel::scheduler
