// End to end: the tutorial's data-store deployed by a ServiceRunner on a real
// LocalCluster, then uninstalled with the real `keel uninstall`: no task, no
// framework, no reservation and no volume directory is left, the scheduler's
// run() returns OK and its state directory is gone.
#include <set>

#include "http/fake_scheduler_api.h"
#include "keel/mesos/client.h"
#include "scheduler/e2e_fixture.h"
#include "testing/paths.h"

namespace keel::scheduler::e2e {
namespace {

using UninstallE2eTest = SchedulerE2eTest;

TEST_F(UninstallE2eTest, KeelUninstallLeavesNothingOfTheService) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  ASSERT_TRUE(spec) << spec.error().toString();
  startRunner(*spec);
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 120s)) << plan("deploy").dump();
  std::vector<std::string> volumes = volumeDirs();
  ASSERT_EQ(volumes.size(), 5u);
  for (const std::string& v : volumes) EXPECT_TRUE(std::filesystem::exists(v)) << v;
  ASSERT_GT(reservations(), 0);
  ASSERT_EQ(frameworkCount(), 1u);

  Exit uninstall = runKeel("uninstall --url " + url + " --timeout 60", dir.path());
  EXPECT_EQ(uninstall.code, 0) << uninstall.out << uninstall.err;
  EXPECT_NE(uninstall.out.find("uninstalling data-store: 5 tasks to kill"), std::string::npos)
      << uninstall.out;
  EXPECT_NE(uninstall.out.find("uninstalled"), std::string::npos) << uninstall.out;

  thread.join();
  EXPECT_TRUE(result.isOk()) << result.toString();
  EXPECT_TRUE(runner->uninstalled());
  EXPECT_FALSE(std::filesystem::exists(stateDir())) << "the scheduler's state is deleted";
  EXPECT_TRUE(masterTasks().empty());
  EXPECT_TRUE(pollUntil([&] { return frameworkCount() == 0; }, 10s)) << "torn down";
  EXPECT_EQ(reservations(), 0);
  EXPECT_TRUE(volumeDirs().empty());
  for (const std::string& v : volumes) {
    EXPECT_TRUE(pollUntil([&] { return !std::filesystem::exists(v); }, 10s)) << v;
  }
}

// An agent that is down holds its reservations back: the uninstall waits
// for them, a scheduler restarted meanwhile goes on uninstalling (nothing
// else runs), and once the agent is back its volumes and reservations go.
TEST_F(UninstallE2eTest, AnUninstallHeldByADownAgentSurvivesASchedulerRestart) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  ASSERT_TRUE(spec) << spec.error().toString();
  startRunner(*spec);
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 120s)) << plan("deploy").dump();
  std::string down;
  std::set<std::string> downTasks;  // may stay unreachable (not terminal) while it is down
  cluster->master().inspect([&](const local::MasterState& s) {
    for (const auto& [key, task] : s.tasks()) {
      if (task.info.name == "data-0-node") down = task.agentId;
    }
    for (const auto& [key, task] : s.tasks()) {
      if (task.agentId == down) downTasks.insert("kill-task-" + task.info.name);
    }
  });
  ASSERT_FALSE(down.empty());
  ASSERT_TRUE(cluster->master().agentDown(down).isOk());

  ASSERT_EQ(post("/v1/uninstall").status, 202);
  // Everything but the down agent's reservations is done.
  auto heldOnlyByTheDownAgent = [&] {
    json p = plan("uninstall");
    if (!p.is_object() || p["phases"].size() != 3) return false;
    int waiting = 0;
    for (const json& step : p["phases"][0]["steps"]) {
      if (step["status"] != "COMPLETE" && !downTasks.contains(step.value("name", ""))) {
        return false;
      }
    }
    for (const json& step : p["phases"][1]["steps"]) {
      if (step["status"] == "COMPLETE") continue;
      if (step.value("message", "").find(down) == std::string::npos) return false;
      ++waiting;
    }
    return waiting > 0 && p["phases"][2]["status"] != "COMPLETE";
  };
  ASSERT_TRUE(pollUntil(heldOnlyByTheDownAgent, 30s, 20ms)) << plan("uninstall").dump();

  stopRunner();
  EXPECT_TRUE(result.isOk()) << result.toString();
  EXPECT_FALSE(runner->uninstalled());
  ASSERT_TRUE(std::filesystem::exists(stateDir()));
  EXPECT_EQ(frameworkCount(), 1u);

  startRunner(*spec);
  EXPECT_EQ(get("/v1/plans/deploy").status, 404) << "only the uninstall plan runs";
  ASSERT_TRUE(pollUntil(heldOnlyByTheDownAgent, 30s, 20ms)) << plan("uninstall").dump();
  ASSERT_TRUE(cluster->master().agentUp(down).isOk());
  ASSERT_TRUE(pollUntil([&] { return runner->uninstalled(); }, 30s)) << plan("uninstall").dump();
  thread.join();
  EXPECT_TRUE(result.isOk()) << result.toString();
  EXPECT_FALSE(std::filesystem::exists(stateDir()));
  EXPECT_TRUE(pollUntil([&] { return frameworkCount() == 0; }, 10s));
  EXPECT_EQ(reservations(), 0);
  EXPECT_TRUE(volumeDirs().empty());
}

// Someone tore the framework down while its scheduler was stopped: the next
// scheduler is refused by the master ("Framework has been removed") and run()
// returns an error saying what is lost, instead of retrying for ever.
TEST_F(UninstallE2eTest, AFrameworkRemovedWhileTheSchedulerWasAwayStopsItWithAClearError) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  ASSERT_TRUE(spec) << spec.error().toString();
  startRunner(*spec);
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 120s)) << plan("deploy").dump();
  stopRunner();
  ASSERT_TRUE(result.isOk()) << result.toString();
  mesos::MesosClientConfig config;
  config.masterUrl = cluster->url();
  cluster->master().inspect([&](const local::MasterState& s) {
    ASSERT_EQ(s.frameworks().size(), 1u);
    config.framework = s.frameworks().begin()->second.info;
  });
  std::atomic<bool> subscribed = false;
  mesos::MesosClientListener listener;
  listener.onSubscribed = [&](const mesos::FrameworkID&, Duration) { subscribed = true; };
  auto client = mesos::MesosClient::create(config, listener);
  ASSERT_TRUE(client) << client.error().toString();
  (*client)->start();
  ASSERT_TRUE(pollUntil([&] { return subscribed.load(); }, 10s));
  ASSERT_TRUE((*client)->teardown().isOk());
  (*client)->stop();
  ASSERT_TRUE(pollUntil([&] { return frameworkCount() == 0; }, 10s));

  startRunner(*spec);
  thread.join();
  EXPECT_EQ(result.code(), StatusCode::kFailedPrecondition) << result.toString();
  EXPECT_NE(result.message().find("its tasks are gone"), std::string::npos) << result.toString();
  EXPECT_FALSE(runner->uninstalled());
  EXPECT_TRUE(std::filesystem::exists(stateDir())) << "nothing deleted";
}

}  // namespace
}  // namespace keel::scheduler::e2e
