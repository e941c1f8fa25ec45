// Rolling an update back, in simulation: the previous target returns at
// once, the pods of the aborted configuration relaunch with it, and the
// aborted configuration stays refused across restarts until it changes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using ::testing::HasSubstr;

spec::ServiceSpec dataStore(const std::string& dataCpu) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {{"DATA_CPU", dataCpu}});
  EXPECT_TRUE(spec.has_value()) << spec.error().toString();
  return *spec;
}

class Rollback : public ::testing::Test {
 protected:
  Rollback() : sim(dataStore("0.1")) {}
  void SetUp() override {
    sim.cluster.addAgents(3);
    restartWith("0.1");
    ASSERT_TRUE(sim.deploy());
    first = sim.scheduler->targetConfigId();
  }
  void restartWith(const std::string& dataCpu) {
    sim.spec_ = dataStore(dataCpu);
    sim.startSubscribed();
  }
  // Rounds until every deploy step is COMPLETE (the plan itself may show
  // errors: a refused or rolled-back configuration).
  bool settle() {
    for (int i = 0; i < 20; ++i) {
      if (sim.scheduler->findPlan("deploy")->isComplete()) return true;
      sim.round();
      sim.answerKills();
      sim.runStaged();
    }
    return sim.scheduler->findPlan("deploy")->isComplete();
  }
  // The cpus of the latest launch of `task`.
  double cpusOf(const std::string& task) {
    double cpus = -1;
    for (const mesos::Call& c : sim.cluster.callsOf(mesos::Call::Type::kAccept)) {
      for (const mesos::OfferOperation& op : c.accept->operations) {
        if (!op.launchGroup) continue;
        for (const mesos::TaskInfo& t : op.launchGroup->taskGroup.tasks) {
          if (t.name != task) continue;
          for (const mesos::Resource& r : t.resources) {
            if (r.name == "cpus" && r.scalar) cpus = r.scalar->value;
          }
        }
      }
    }
    return cpus;
  }

  testing::SchedulerSim sim;
  std::string first;
};

TEST_F(Rollback, IsRefusedWhenTheTargetCameFromNoUpdate) {
  Result<std::string> r = sim.scheduler->rollBack("");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.error().message(), HasSubstr("no earlier configuration to roll back to"));
}

TEST_F(Rollback, RelaunchesTheUpdatedPodsWithThePreviousConfigurationAndKeepsItRefused) {
  restartWith("0.2");
  std::string second = sim.scheduler->targetConfigId();
  ASSERT_NE(second, first);
  ASSERT_TRUE(settle());
  EXPECT_DOUBLE_EQ(cpusOf("data-2-node"), 0.2);
  size_t launches = sim.launches().size();

  Result<std::string> r = sim.scheduler->rollBack("data nodes slow after the change");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_EQ(*r, "rolling back from configuration " + second + " to " + first);
  EXPECT_EQ(sim.scheduler->targetConfigId(), first);
  const plan::Plan& deploy = *sim.scheduler->findPlan("deploy");
  ASSERT_FALSE(deploy.errors().empty());
  EXPECT_THAT(deploy.errors()[0], HasSubstr("data nodes slow after the change"));
  ASSERT_TRUE(settle());
  EXPECT_EQ(sim.launches().size(), launches + 3) << "the three data pods, meta-data untouched";
  EXPECT_DOUBLE_EQ(cpusOf("data-2-node"), 0.1);
  EXPECT_EQ(sim.scheduler->rollBack("").error().code(), StatusCode::kFailedPrecondition)
      << "one step back only";

  restartWith("0.2");  // the same environment again: still refused
  EXPECT_EQ(sim.scheduler->targetConfigId(), first);
  ASSERT_FALSE(sim.scheduler->configErrors().empty());
  EXPECT_THAT(sim.scheduler->configErrors()[0], HasSubstr("which was rolled back to " + first));
  ASSERT_TRUE(settle());
  EXPECT_EQ(sim.launches().size(), launches + 3) << "nothing relaunched";

  restartWith("0.3");  // a changed configuration is an update again
  EXPECT_NE(sim.scheduler->targetConfigId(), first);
  EXPECT_TRUE(sim.scheduler->configErrors().empty());
  ASSERT_TRUE(sim.deploy());
  EXPECT_DOUBLE_EQ(cpusOf("data-2-node"), 0.3);
}

}  // namespace
}  // namespace keel::scheduler
