// End to end: the tutorial's data-store deployed by a ServiceRunner on a real
// LocalCluster, then uninstalled with the real `keel uninstall`: no task, no
// framework, no reservation and no volume directory is left, the scheduler's
// run() returns OK and its state directory is gone.
#include "http/fake_scheduler_api.h"
#include "keel/mesos/resources.h"
#include "scheduler/e2e_fixture.h"

namespace keel::scheduler::e2e {
namespace {

class UninstallE2eTest : public SchedulerE2eTest {
 protected:
  // Host directories of the persistent volumes on every agent.
  std::vector<std::string> volumeDirs() {
    std::vector<std::string> dirs;
    cluster->master().inspect([&](const local::MasterState& s) {
      for (const auto& [id, agent] : s.agents()) {
        for (const mesos::Resource& r : agent.total) {
          if (mesos::isPersistentVolume(r)) dirs.push_back(s.volumePath(id, r));
        }
      }
    });
    return dirs;
  }
  int reservations() {
    int n = 0;
    cluster->master().inspect([&](const local::MasterState& s) {
      for (const auto& [id, agent] : s.agents()) {
        for (const mesos::Resource& r : agent.total) n += mesos::isDynamicallyReserved(r);
      }
    });
    return n;
  }
};

TEST_F(UninstallE2eTest, KeelUninstallLeavesNothingOfTheService) {
  auto spec = http::loadDataStoreSpec(KEEL_SOURCE_DIR, {});
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

}  // namespace
}  // namespace keel::scheduler::e2e
