// Regressions found by the fault simulation (sim_faults_test.cc), each
// reproduced directly: a pod that waited forever for an agent removed after
// its task had ended (seed 34), a TASK_GONE_BY_OPERATOR stored by a
// scheduler that died before recording the permanent failure (seed 28 with
// automatic replacement on), a lost replacement launch reverted to the
// replaced footprint (seed 49), and the old footprint's cleanup lost with a
// rescinded offer (seed 154).
#include <gtest/gtest.h>

#include <set>

#include "http/fake_scheduler_api.h"
#include "keel/offer/task_labels.h"
#include "scheduler/pod_instances.h"
#include "scheduler/sim_invariants.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::TaskState;
using testing::SchedulerSim;
using testing::SimInvariants;

spec::ServiceSpec dataStore() {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  EXPECT_TRUE(spec.has_value());
  return *spec;
}

std::string taskIdOf(SchedulerSim& sim, const std::string& name) {
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    if (offer::taskNameFromTaskId(id) == name) return id;
  }
  return "";
}

int64_t incarnation(SchedulerSim& sim, const std::string& instance) {
  PodInstances pods(sim.persister);
  EXPECT_TRUE(pods.load().isOk());
  return pods.incarnation(instance);
}

// Rounds until the five tasks run and every plan is complete; the
// invariants hold after each.
void settle(SchedulerSim& sim, SimInvariants& check, int rounds = 30) {
  for (int i = 0; i < rounds; ++i) {
    sim.round();
    sim.answerKills();
    sim.runStaged();
    std::vector<std::string> bad = check.check();
    ASSERT_TRUE(bad.empty()) << bad.front();
    bool done = sim.cluster.activeTaskIds().size() == 5;
    for (plan::Plan* p : sim.scheduler->plans()) done = done && p->isComplete();
    if (done) break;
  }
  ASSERT_EQ(sim.cluster.activeTaskIds().size(), 5u) << check.describeState();
  for (plan::Plan* p : sim.scheduler->plans()) {
    ASSERT_TRUE(p->isComplete()) << check.describeState();
  }
  std::vector<std::string> bad = check.checkSettled();
  EXPECT_TRUE(bad.empty()) << bad.front();
}

// data-1-node fails, and before it is relaunched in place its agent is
// removed for good: the master sends nothing for a task that had ended.
// Returns the removed agent.
std::string failThenRemoveAgent(SchedulerSim& sim) {
  std::string id = taskIdOf(sim, "data-1-node");
  std::string agent = sim.cluster.agentOf(id);
  sim.cluster.sendTaskState(id, TaskState::kTaskFailed, std::nullopt, "exit 1");
  sim.pump();
  sim.cluster.removeAgent(agent);
  sim.pump();
  return agent;
}

// The data-store deployed on six agents, every invariant holding.
class SimRegression : public ::testing::Test {
 protected:
  void SetUp() override {
    sim.cluster.addAgents(6);
    sim.startSubscribed();
    ASSERT_TRUE(sim.deploy());
    ASSERT_TRUE(check.check().empty());
  }

  SchedulerSim sim{dataStore()};
  SimInvariants check{sim};
};

TEST_F(SimRegression, AnEndedTaskWhoseAgentIsRemovedIsReplacedElsewhere) {
  std::string gone = failThenRemoveAgent(sim);
  settle(sim, check);
  EXPECT_EQ(incarnation(sim, "data-1"), 1);
  EXPECT_NE(sim.cluster.agentOf(taskIdOf(sim, "data-1-node")), gone);
}

TEST_F(SimRegression, AnAgentRemovedWhileTheSchedulerIsDownIsFoundByReconciliation) {
  std::string id = taskIdOf(sim, "data-1-node");
  std::string gone = sim.cluster.agentOf(id);
  sim.cluster.sendTaskState(id, TaskState::kTaskFailed, std::nullopt, "exit 1");
  sim.pump();
  sim.scheduler.reset();
  sim.cluster.disconnect();
  sim.cluster.removeAgent(gone);
  sim.startSubscribed();
  settle(sim, check);
  EXPECT_EQ(incarnation(sim, "data-1"), 1);
  EXPECT_NE(sim.cluster.agentOf(taskIdOf(sim, "data-1-node")), gone);
}

// The TASK_GONE_BY_OPERATOR is stored, and the scheduler dies before it
// records the permanent failure: the next one learns it by reconciliation.
TEST_F(SimRegression, AGoneByOperatorStoredBeforeACrashStillReplacesThePod) {
  std::string id = taskIdOf(sim, "data-1-node");
  std::string gone = sim.cluster.agentOf(id);
  std::set<std::string> instances;
  for (const std::string& t : sim.cluster.activeTaskIds()) {
    if (sim.cluster.agentOf(t) != gone) continue;
    std::string name = offer::taskNameFromTaskId(t).value_or("");
    instances.insert(name.substr(0, name.size() - std::string("-node").size()));
  }
  sim.persister.crashAt = sim.persister.commitCalls;
  sim.persister.crashMode = testing::FlakyPersister::Crash::kAfterCommit;
  sim.cluster.removeAgent(gone);
  sim.pump();
  ASSERT_TRUE(sim.persister.crashed);
  ASSERT_TRUE(sim.restartAfterCrash().isOk());
  settle(sim, check);
  for (const std::string& instance : instances)
    EXPECT_EQ(incarnation(sim, instance), 1) << instance;
}

// Offers made and rescinded before the scheduler sees them: its ACCEPTs of
// them are dropped (TASK_DROPPED for launches). Returns the offers.
std::vector<std::string> offersRescindedInFlight(SchedulerSim& sim) {
  sim.cluster.allocate();
  std::vector<std::string> ids;
  for (const auto& [id, offer] : sim.cluster.master().offers()) {
    if (offer.frameworkId == sim.cluster.frameworkId()) ids.push_back(id);
  }
  for (const std::string& id : ids) sim.cluster.rescindOffer(id);
  sim.pump();
  return ids;
}

TEST_F(SimRegression, ALostReplacementLaunchIsRedoneOnANewFootprint) {
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  sim.answerKills();
  sim.clock.advance(std::chrono::seconds(6));
  sim.scheduler->tick();
  sim.cluster.tick();
  sim.pump();
  size_t launches = sim.launches().size();
  offersRescindedInFlight(sim);
  ASSERT_GT(sim.launches().size(), launches) << "the replacement was launched on a stale offer";
  ASSERT_TRUE(check.check().empty());
  // Its TASK_DROPPED: the replacement is marked again, not reverted to the
  // replaced incarnation's footprint (being cleaned).
  PodInstances pods(sim.persister);
  ASSERT_TRUE(pods.load().isOk());
  ASSERT_NE(pods.failure("data-0"), nullptr);
  EXPECT_EQ(pods.incarnation("data-0"), 1);
  settle(sim, check);
  EXPECT_EQ(incarnation(sim, "data-0"), 1);
}

TEST_F(SimRegression, ACleanupOnARescindedOfferIsSentAgain) {
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  sim.answerKills();
  // Rounds until the replacement is launched; its old footprint then waits
  // to be offered back.
  for (int i = 0; i < 10 && incarnation(sim, "data-0") == 1 && taskIdOf(sim, "data-0-node").empty();
       ++i) {
    sim.round();
    sim.runStaged();
  }
  PodInstances pods(sim.persister);
  ASSERT_TRUE(pods.load().isOk());
  size_t watched = pods.cleanupReservations().size();
  ASSERT_GT(watched, 0u) << "the old footprint is not cleaned yet";
  sim.clock.advance(std::chrono::seconds(6));
  sim.scheduler->tick();
  sim.cluster.tick();
  sim.pump();
  auto unreserves = [&] {
    size_t n = 0;
    for (const mesos::Call& c : sim.cluster.callsOf(mesos::Call::Type::kAccept)) {
      for (const mesos::OfferOperation& op : c.accept->operations) n += op.unreserve ? 1 : 0;
    }
    return n;
  };
  size_t sent = unreserves();
  offersRescindedInFlight(sim);
  ASSERT_GT(unreserves(), sent) << "the cleanup was sent on a rescinded offer";
  ASSERT_TRUE(pods.load().isOk());
  EXPECT_EQ(pods.cleanupReservations().size(), watched) << "the dropped cleanup is watched again";
  settle(sim, check);
  ASSERT_TRUE(pods.load().isOk());
  EXPECT_TRUE(pods.cleanupReservations().empty());
}

}  // namespace
}  // namespace keel::scheduler
