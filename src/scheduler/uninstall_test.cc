// Uninstall simulation: the data-store service deployed on the fake cluster,
// then uninstalled (POST /v1/uninstall's SchedulerApi::uninstall): tasks
// killed, volumes destroyed and reservations released, TEARDOWN last; and
// a scheduler restarted mid-uninstall goes on uninstalling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "keel/mesos/resources.h"
#include "keel/state/properties_store.h"
#include "scheduler/scheduler_sim.h"
#include "scheduler/uninstall.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::Call;

class UninstallTest : public ::testing::Test {
 protected:
  UninstallTest() : sim(*http::loadDataStoreSpec(keel::testing::sourceDir(), {})) {}
  void SetUp() override {
    sim.cluster.addAgents(3);
    sim.startSubscribed();
    ASSERT_TRUE(sim.deploy()) << sim.planStatus("deploy");
    watchUninstalled();
  }
  void watchUninstalled() {
    sim.scheduler->setOnUninstalled([this] { ++uninstalledCalls; });
  }
  // Rounds (kills answered as executors do) until the scheduler says it
  // is done, at most `maxRounds`.
  bool runUninstall(int maxRounds = 20) {
    for (int i = 0; i < maxRounds && uninstalledCalls == 0; ++i) {
      sim.round();
      sim.answerKills();
    }
    return uninstalledCalls == 1;
  }
  // Reserved resources (volumes included) of the service's role on any agent.
  int reservationsLeft() const {
    int n = 0;
    for (const auto& [id, agent] : sim.cluster.master().agents()) {
      for (const mesos::Resource& r : agent.total) {
        n += mesos::isDynamicallyReserved(r) || mesos::isPersistentVolume(r);
      }
    }
    return n;
  }
  std::string uninstallStatus() {
    return std::string(plan::statusName(sim.scheduler->findPlan(kUninstallPlan)->status()));
  }

  testing::SchedulerSim sim;
  int uninstalledCalls = 0;
};

TEST_F(UninstallTest, KillsReleasesEveryReservationThenTearsDown) {
  ASSERT_GT(reservationsLeft(), 0);
  // Nothing is destroyed before the decision is durable, and every released
  // reservation is stored before its ACCEPT.
  sim.cluster.beforeCall = [this](const Call& c) {
    if (c.type != Call::Type::kAccept) return;
    state::PropertiesStore props(sim.persister);
    EXPECT_EQ(props.get(kUninstallingProperty).value(), "true");
    std::string released = props.get(kUninstallReleasedProperty).value().value_or("");
    for (const mesos::OfferOperation& op : c.accept->operations) {
      EXPECT_FALSE(op.launchGroup.has_value()) << "nothing is launched while uninstalling";
      if (!op.unreserve) continue;
      EXPECT_FALSE(op.unreserve->resources.empty());
      EXPECT_FALSE(released.empty());
    }
  };
  Result<std::string> started = sim.scheduler->uninstall();
  ASSERT_TRUE(started) << started.error().toString();
  EXPECT_THAT(*started, ::testing::HasSubstr("5 tasks to kill"));
  ASSERT_EQ(sim.scheduler->plans().size(), 1u);
  EXPECT_EQ(sim.scheduler->plans()[0]->name(), "uninstall");
  EXPECT_EQ(sim.scheduler->findPlan("deploy"), nullptr);
  EXPECT_THAT(*sim.scheduler->uninstall(), ::testing::HasSubstr("already under way"));

  ASSERT_TRUE(runUninstall()) << uninstallStatus();
  EXPECT_EQ(uninstallStatus(), "COMPLETE");
  EXPECT_TRUE(sim.cluster.activeTaskIds().empty());
  EXPECT_EQ(reservationsLeft(), 0);
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kTeardown).size(), 1u);
  EXPECT_TRUE(sim.cluster.master().frameworks().empty());
  const plan::Plan& p = *sim.scheduler->findPlan(kUninstallPlan);
  EXPECT_EQ(p.phases()[0].steps().size(), 5u);
  EXPECT_GE(p.phases()[1].steps().size(), 5u);  // at least one reservation per task
  // TEARDOWN came after every DESTROY/UNRESERVE.
  size_t teardown = 0, lastRelease = 0;
  for (size_t i = 0; i < sim.cluster.calls.size(); ++i) {
    const Call& c = sim.cluster.calls[i];
    if (c.type == Call::Type::kTeardown) teardown = i;
    if (c.type == Call::Type::kAccept) lastRelease = i;
  }
  EXPECT_GT(teardown, lastRelease);
}

TEST_F(UninstallTest, ASchedulerRestartedMidUninstallGoesOn) {
  ASSERT_TRUE(sim.scheduler->uninstall());
  sim.round();
  sim.answerKills();
  // A failover before the uninstall finished.
  sim.start();
  watchUninstalled();
  EXPECT_TRUE(sim.scheduler->uninstalling());
  EXPECT_EQ(sim.scheduler->findPlan("deploy"), nullptr);
  ASSERT_NE(sim.scheduler->findPlan(kUninstallPlan), nullptr);
  sim.subscribe();
  sim.pump();
  ASSERT_TRUE(runUninstall()) << uninstallStatus();
  EXPECT_EQ(reservationsLeft(), 0);
  EXPECT_TRUE(sim.cluster.activeTaskIds().empty());
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kTeardown).size(), 1u);
  EXPECT_TRUE(sim.cluster.master().frameworks().empty());
}

}  // namespace
}  // namespace keel::scheduler

namespace keel::scheduler {
namespace {

// A scheduler stopped after TEARDOWN but before its state was deleted: the
// next one is refused by the master ("Framework has been removed") and
// finishes the uninstall instead of failing for good.
TEST_F(UninstallTest, AFrameworkRemovedAfterEveryReleaseFinishesTheUninstall) {
  ASSERT_TRUE(sim.scheduler->uninstall());
  ASSERT_TRUE(runUninstall()) << uninstallStatus();
  sim.start();  // the state is still there
  uninstalledCalls = 0;
  watchUninstalled();
  ASSERT_TRUE(sim.scheduler->uninstalling());
  Status s = sim.scheduler->onFrameworkRemoved("Framework has been removed");
  EXPECT_TRUE(s.isOk()) << s.toString();
  EXPECT_EQ(uninstalledCalls, 1);
}

TEST_F(UninstallTest, AFrameworkRemovedBeforeTheReleasesSaysWhatStaysReserved) {
  ASSERT_TRUE(sim.scheduler->uninstall());
  sim.start();
  watchUninstalled();
  Status s = sim.scheduler->onFrameworkRemoved("Framework has been removed");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("before the uninstall released"));
  EXPECT_THAT(s.message(), ::testing::HasSubstr("on agent"));
  EXPECT_EQ(uninstalledCalls, 0);
}

TEST_F(UninstallTest, AFrameworkRemovedOutsideAnUninstallIsAnErrorSayingWhatIsLost) {
  Status s = sim.scheduler->onFrameworkRemoved("Framework has been removed");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("its tasks are gone"));
  EXPECT_EQ(uninstalledCalls, 0);
}

}  // namespace
}  // namespace keel::scheduler
