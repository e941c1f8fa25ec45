// End to end, the tutorial's data-store on a real LocalCluster (5 agents)
// run by a ServiceRunner whose scheduler is restarted with a new DATA_COUNT:
// - from five data nodes to three with DATA_ALLOW_DECOMMISSION=true: the
//   decommission plan completes, data-3 and data-4 are gone (no task, no
//   reservation, no volume directory) and data-0..2 run on as they were;
// - from three to five: data-3 and data-4 start, nothing else restarts.
#include <set>

#include "http/fake_scheduler_api.h"
#include "scheduler/e2e_fixture.h"
#include "testing/paths.h"

namespace keel::scheduler::e2e {
namespace {

class DecommissionE2eTest : public SchedulerE2eTest {
 protected:
  void SetUp() override { startCluster(5); }  // data nodes avoid each other
};

TEST_F(DecommissionE2eTest, ScalingDataFromFiveToThreeLeavesNothingOfData3And4) {
  auto five = http::loadDataStoreSpec(keel::testing::sourceDir(), {{"DATA_COUNT", "5"}});
  ASSERT_TRUE(five) << five.error().toString();
  startRunner(*five);
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 60s)) << plan("deploy").dump();
  std::map<std::string, std::string> volumes = taskVolumes();
  ASSERT_EQ(volumes.size(), 7u);
  std::map<std::string, std::string> ids;
  for (const char* pod : {"data-0", "data-1", "data-2"}) ids[pod] = taskId(pod, "node");
  int reservedBefore = reservations();
  EXPECT_EQ(get("/v1/plans/decommission").status, 404) << "no plan while nothing to remove";

  stopRunner();
  auto three = http::loadDataStoreSpec(keel::testing::sourceDir(),
                                       {{"DATA_COUNT", "3"}, {"DATA_ALLOW_DECOMMISSION", "true"}});
  ASSERT_TRUE(three) << three.error().toString();
  startRunner(*three);
  ASSERT_TRUE(waitForPlan("decommission", "COMPLETE", 30s)) << plan("decommission").dump();
  json p = plan("decommission");
  ASSERT_EQ(p["phases"].size(), 2u);
  EXPECT_EQ(p["phases"][0]["name"], "data-4");
  EXPECT_EQ(p["phases"][1]["name"], "data-3");
  EXPECT_EQ(planStatus("deploy"), "COMPLETE");

  std::map<std::string, mesos::TaskState> tasks = masterTasks();
  EXPECT_EQ(tasks.size(), 5u);
  EXPECT_FALSE(tasks.contains("data-3-node"));
  EXPECT_FALSE(tasks.contains("data-4-node"));
  for (const auto& [pod, id] : ids) EXPECT_EQ(taskId(pod, "node"), id) << pod << " untouched";
  EXPECT_EQ(get("/v1/pod/data-3/info").status, 404);
  for (const char* task : {"data-3-node", "data-4-node"}) {
    EXPECT_TRUE(pollUntil([&] { return !std::filesystem::exists(volumes[task]); }, 10s))
        << volumes[task];
  }
  for (const char* task : {"data-0-node", "data-1-node", "data-2-node"}) {
    EXPECT_TRUE(std::filesystem::exists(volumes[task])) << volumes[task];
  }
  EXPECT_EQ(volumeDirs().size(), 5u);
  EXPECT_LT(reservations(), reservedBefore);
  EXPECT_EQ(reservations() * 7, reservedBefore * 5) << "the same reservations per node left";
}

// The tutorial's scale-up: the scheduler restarted with DATA_COUNT=5 starts
// data-3 and data-4, each on an agent of its own, and leaves the others
// running as they were.
TEST_F(DecommissionE2eTest, ScalingDataFromThreeToFiveStartsData3And4AndTouchesNothingElse) {
  auto three = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  ASSERT_TRUE(three) << three.error().toString();
  startRunner(*three);
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 60s)) << plan("deploy").dump();
  std::map<std::string, std::string> ids;
  for (const char* pod : {"meta-data-0", "meta-data-1", "data-0", "data-1", "data-2"}) {
    ids[pod] = taskId(pod, "node");
  }

  stopRunner();
  auto five = http::loadDataStoreSpec(keel::testing::sourceDir(), {{"DATA_COUNT", "5"}});
  ASSERT_TRUE(five) << five.error().toString();
  startRunner(*five);
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 60s)) << plan("deploy").dump();
  std::map<std::string, mesos::TaskState> tasks = masterTasks();
  EXPECT_EQ(tasks.size(), 7u);
  EXPECT_EQ(tasks["data-3-node"], mesos::TaskState::kTaskRunning);
  EXPECT_EQ(tasks["data-4-node"], mesos::TaskState::kTaskRunning);
  for (const auto& [pod, id] : ids) EXPECT_EQ(taskId(pod, "node"), id) << pod << " untouched";
  std::set<std::string> agents;
  cluster->master().inspect([&](const local::MasterState& s) {
    for (const auto& [key, t] : s.tasks()) {
      if (t.info.name.rfind("data-", 0) == 0 && !mesos::isTerminal(t.latest.state)) {
        agents.insert(t.agentId);
      }
    }
  });
  EXPECT_EQ(agents.size(), 5u) << "data nodes avoid each other";
}

}  // namespace
}  // namespace keel::scheduler::e2e
