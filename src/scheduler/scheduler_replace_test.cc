// Scheduler simulation of permanent recovery: pod replace, incarnations and
// fencing, TASK_GONE_BY_OPERATOR, the old footprint cleaned, a scheduler
// restart in the middle of a replacement.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "http/fake_scheduler_api.h"
#include "keel/mesos/json.h"
#include "keel/mesos/resources.h"
#include "keel/offer/task_labels.h"
#include "keel/scheduler/scheduler.h"
#include "keel/state/pod_instance_store.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::Call;
using mesos::TaskState;
using ::testing::HasSubstr;

spec::ServiceSpec dataStore() {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  EXPECT_TRUE(spec.has_value()) << spec.error().toString();
  return *spec;
}

// What a launched TaskInfo holds: reservation ids, volume ids, incarnation.
struct Footprint {
  std::set<std::string> resourceIds;
  std::set<std::string> persistenceIds;
};

void collect(Footprint& f, const std::vector<mesos::Resource>& resources) {
  for (const mesos::Resource& r : resources) {
    const mesos::Labels* labels = mesos::reservationLabels(r);
    auto id = labels ? offer::labelValue(*labels, offer::kLabelResourceId) : std::nullopt;
    if (id) f.resourceIds.emplace(*id);
    if (r.disk && r.disk->persistence) f.persistenceIds.insert(r.disk->persistence->id);
  }
}

Footprint footprintOf(const mesos::TaskInfo& info) {
  Footprint f;
  collect(f, info.resources);
  if (info.executor) collect(f, info.executor->resources);
  return f;
}

std::string envOf(const mesos::TaskInfo& info, const std::string& name) {
  for (const auto& v : info.command->environment->variables) {
    if (v.name == name) return v.value.value_or("");
  }
  return "<unset>";
}

bool disjoint(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const std::string& x : a) {
    if (b.count(x)) return false;
  }
  return true;
}

class SchedulerReplaceTest : public ::testing::Test {
 protected:
  SchedulerReplaceTest() : sim(dataStore()) {}
  void SetUp() override { agents = sim.cluster.addAgents(4); }
  void startAndDeploy() {
    sim.startSubscribed();
    ASSERT_TRUE(sim.deploy());
  }
  // The stored TaskInfo of a task.
  mesos::TaskInfo stored(const std::string& name) {
    auto json = state::TaskStore(sim.persister).info(name);
    EXPECT_TRUE(json.has_value() && json->has_value()) << name;
    auto info = mesos::decodeJson<mesos::TaskInfo>(**json);
    EXPECT_TRUE(info.has_value());
    return *info;
  }
  std::string podRecord(const std::string& instance) {
    auto records = state::PodInstanceStore(sim.persister).list();
    EXPECT_TRUE(records.has_value());
    auto it = records->find(instance);
    return it == records->end() ? "" : it->second;
  }
  const plan::Step* recoveryStep(const std::string& instance) {
    return sim.scheduler->findPlan("recovery")->phases()[0].findStep(instance);
  }
  // Rounds until no offer is wanted (SUPPRESS) or `max` rounds pass.
  void roundsUntilSuppressed(int max = 10) {
    for (int i = 0; i < max && !sim.scheduler->suppressed(); ++i) {
      sim.round();
      sim.answerKills();
      sim.runStaged();
    }
  }
  // The operations of the ACCEPT that launched `taskId`.
  std::vector<mesos::OfferOperation> launchOperations(const mesos::TaskID& taskId) {
    for (const Call& c : sim.cluster.callsOf(Call::Type::kAccept)) {
      for (const mesos::OfferOperation& op : c.accept->operations) {
        if (!op.launchGroup) continue;
        for (const mesos::TaskInfo& t : op.launchGroup->taskGroup.tasks) {
          if (t.taskId == taskId) return c.accept->operations;
        }
      }
    }
    ADD_FAILURE() << "no launch of " << taskId.value;
    return {};
  }
  // Every DESTROYed persistence id and UNRESERVEd resource id.
  Footprint cleaned() {
    Footprint f;
    for (const Call& c : sim.cluster.callsOf(Call::Type::kAccept)) {
      for (const mesos::OfferOperation& op : c.accept->operations) {
        if (op.destroy) collect(f, op.destroy->volumes);
        if (op.unreserve) collect(f, op.unreserve->resources);
      }
    }
    return f;
  }

  testing::SchedulerSim sim;
  std::vector<std::string> agents;
};

TEST_F(SchedulerReplaceTest, ReplaceRelaunchesOnANewFootprintAndCleansTheOldOne) {
  startAndDeploy();
  mesos::TaskInfo old = stored("data-0-node");
  Footprint oldFootprint = footprintOf(old);
  ASSERT_EQ(oldFootprint.persistenceIds.size(), 1u);
  EXPECT_EQ(envOf(old, "POD_INCARNATION"), "0");
  EXPECT_EQ(offer::incarnationLabel(old.labels), 0);
  std::string recordAtKill;
  sim.cluster.beforeCall = [&](const Call& c) {
    if (c.type == Call::Type::kKill) recordAtKill = podRecord("data-0");
  };

  auto killed = sim.scheduler->restartPod("data-0", true);
  ASSERT_TRUE(killed.has_value()) << killed.error().toString();
  EXPECT_THAT(*killed, ::testing::ElementsAre("data-0-node"));
  ASSERT_EQ(sim.cluster.callsOf(Call::Type::kKill).size(), 1u);
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kKill)[0].kill->taskId, old.taskId);
  EXPECT_THAT(recordAtKill, HasSubstr(R"("incarnation":1)")) << "persisted before the KILL";
  EXPECT_THAT(recordAtKill, HasSubstr("pod replace requested by the operator"));
  ASSERT_NE(recoveryStep("data-0"), nullptr);
  EXPECT_THAT(recoveryStep("data-0")->message(), HasSubstr("RecoveryType: PERMANENT"));
  EXPECT_EQ(sim.planStatus("recovery"), "PENDING");

  ASSERT_TRUE(sim.deploy("recovery"));
  mesos::TaskInfo fresh = stored("data-0-node");
  Footprint freshFootprint = footprintOf(fresh);
  EXPECT_NE(fresh.taskId, old.taskId);
  EXPECT_EQ(envOf(fresh, "POD_INCARNATION"), "1");
  EXPECT_EQ(offer::incarnationLabel(fresh.labels), 1);
  ASSERT_EQ(freshFootprint.persistenceIds.size(), 1u) << "a new volume";
  EXPECT_TRUE(disjoint(freshFootprint.persistenceIds, oldFootprint.persistenceIds));
  EXPECT_TRUE(disjoint(freshFootprint.resourceIds, oldFootprint.resourceIds));
  EXPECT_THAT(recoveryStep("data-0")->message(),
              HasSubstr("has status: 'COMPLETE'. RecoveryType: PERMANENT"));
  EXPECT_THAT(podRecord("data-0"), ::testing::Not(HasSubstr("permanent_failure")));

  // Offers keep coming until the old footprint was offered back and cleaned.
  roundsUntilSuppressed();
  EXPECT_TRUE(sim.scheduler->suppressed());
  Footprint gone = cleaned();
  EXPECT_EQ(gone.persistenceIds, oldFootprint.persistenceIds) << "the old volume DESTROYed";
  for (const std::string& id : oldFootprint.resourceIds) {
    EXPECT_TRUE(gone.resourceIds.count(id)) << "reservation " << id << " not UNRESERVEd";
  }
  EXPECT_TRUE(disjoint(gone.resourceIds, freshFootprint.resourceIds));
  EXPECT_EQ(podRecord("data-0"), R"({"incarnation":1})");
  EXPECT_EQ(sim.planStatus("deploy"), "COMPLETE");
}

TEST_F(SchedulerReplaceTest, TheOldFootprintIsStillCleanedAfterASchedulerRestart) {
  startAndDeploy();
  Footprint oldFootprint = footprintOf(stored("data-0-node"));
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  sim.answerKills();
  sim.round();  // the replacement takes the old agent's offer: nothing cleaned yet
  sim.runStaged();
  ASSERT_EQ(sim.planStatus("recovery"), "COMPLETE");
  ASSERT_TRUE(cleaned().resourceIds.empty());
  ASSERT_THAT(podRecord("data-0"), HasSubstr("cleanup"));

  sim.startSubscribed();
  roundsUntilSuppressed();
  EXPECT_TRUE(sim.scheduler->suppressed());
  EXPECT_EQ(cleaned().persistenceIds, oldFootprint.persistenceIds);
  EXPECT_EQ(podRecord("data-0"), R"({"incarnation":1})");
}

TEST_F(SchedulerReplaceTest, AnUninstallReleasesTheOldFootprintToo) {
  startAndDeploy();
  Footprint oldFootprint = footprintOf(stored("data-0-node"));
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  sim.answerKills();
  sim.round();  // the replacement launches; its old footprint is not cleaned yet
  sim.runStaged();
  ASSERT_TRUE(cleaned().resourceIds.empty());

  int uninstalled = 0;
  sim.scheduler->setOnUninstalled([&] { ++uninstalled; });
  ASSERT_TRUE(sim.scheduler->uninstall().has_value());
  const plan::Plan& p = *sim.scheduler->findPlan("uninstall");
  for (const std::string& id : oldFootprint.resourceIds) {
    EXPECT_NE(p.phases()[1].findStep("unreserve-" + id), nullptr) << id;
  }
  EXPECT_EQ(sim.scheduler->restartPod("data-1", true).error().code(),
            StatusCode::kFailedPrecondition);
  for (int i = 0; i < 20 && uninstalled == 0; ++i) {
    sim.round();
    sim.answerKills();
  }
  ASSERT_EQ(uninstalled, 1);
  for (const std::string& id : oldFootprint.resourceIds) {
    EXPECT_TRUE(cleaned().resourceIds.count(id)) << "reservation " << id << " not UNRESERVEd";
  }
}

TEST_F(SchedulerReplaceTest, ReplacingATaskReplacesItsPodAndUnknownNamesAreNotFound) {
  startAndDeploy();
  EXPECT_EQ(sim.scheduler->restartPod("data-9", true).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(sim.scheduler->restartTask("data-9-node", true).code(), StatusCode::kNotFound);
  EXPECT_TRUE(podRecord("data-9").empty()) << "nothing recorded for an unknown pod";
  ASSERT_TRUE(sim.scheduler->restartTask("data-1-node", true).isOk());
  ASSERT_NE(recoveryStep("data-1"), nullptr);
  EXPECT_THAT(recoveryStep("data-1")->message(), HasSubstr("RecoveryType: PERMANENT"));
  EXPECT_THAT(recoveryStep("data-1")->message(), HasSubstr("replace of task data-1-node"));
  ASSERT_TRUE(sim.deploy("recovery"));
  EXPECT_EQ(offer::incarnationLabel(stored("data-1-node").labels), 1);
}

TEST_F(SchedulerReplaceTest, AReplaceDuringDeployIsDoneByTheDeployStepOnANewFootprint) {
  sim.startSubscribed();
  sim.round();  // meta-data-0 launched, still STAGING
  mesos::TaskInfo old = stored("meta-data-0-node");
  ASSERT_TRUE(sim.scheduler->restartPod("meta-data-0", true).has_value());
  sim.answerKills();  // KILLED: the deploy step goes back to PENDING
  ASSERT_TRUE(sim.deploy());
  mesos::TaskInfo fresh = stored("meta-data-0-node");
  EXPECT_EQ(offer::incarnationLabel(fresh.labels), 1);
  EXPECT_TRUE(disjoint(footprintOf(fresh).resourceIds, footprintOf(old).resourceIds));
  ASSERT_NE(recoveryStep("meta-data-0"), nullptr);
  EXPECT_TRUE(recoveryStep("meta-data-0")->isComplete());
  EXPECT_THAT(recoveryStep("meta-data-0")->message(),
              HasSubstr("RecoveryType: PERMANENT. replaced by the deploy plan"));
  EXPECT_EQ(sim.planStatus("recovery"), "COMPLETE");
  EXPECT_THAT(podRecord("meta-data-0"), ::testing::Not(HasSubstr("permanent_failure")));
}

TEST_F(SchedulerReplaceTest, ARestartBetweenKillAndRelaunchStillReplaces) {
  startAndDeploy();
  mesos::TaskInfo old = stored("data-0-node");
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  size_t killsBefore = sim.cluster.callsOf(Call::Type::kKill).size();

  // The scheduler dies before the task stopped; a new one takes over.
  sim.start();
  sim.subscribe();
  sim.pump();  // reconciliation: the old task still RUNNING, never adopted
  auto kills = sim.cluster.callsOf(Call::Type::kKill);
  ASSERT_GT(kills.size(), killsBefore) << "the older incarnation is killed again";
  EXPECT_EQ(kills.back().kill->taskId, old.taskId);
  EXPECT_EQ(sim.planStatus("deploy"), "COMPLETE") << "the recovery plan owns data-0";
  ASSERT_NE(recoveryStep("data-0"), nullptr);
  EXPECT_THAT(recoveryStep("data-0")->message(), HasSubstr("RecoveryType: PERMANENT"));

  ASSERT_TRUE(sim.deploy("recovery"));
  mesos::TaskInfo fresh = stored("data-0-node");
  EXPECT_EQ(offer::incarnationLabel(fresh.labels), 1);
  EXPECT_TRUE(disjoint(footprintOf(fresh).persistenceIds, footprintOf(old).persistenceIds))
      << "relaunched on a new volume, not in place";
  bool reserved = false, created = false;
  for (const mesos::OfferOperation& op : launchOperations(fresh.taskId)) {
    reserved |= op.reserve.has_value();
    created |= op.create.has_value();
  }
  EXPECT_TRUE(reserved && created) << "new reservations and a new volume";
}

TEST_F(SchedulerReplaceTest, ATaskOfAnOlderIncarnationIsKilledNotAdopted) {
  startAndDeploy();
  mesos::TaskInfo old = stored("data-0-node");
  sim.cluster.agentDown(old.agentId.value);  // a partition: TASK_UNREACHABLE
  sim.pump();
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  // meta-data-0, unreachable on the same agent, waits for it in the recovery
  // plan; data-0's replacement does not wait.
  for (int i = 0; i < 20 && !recoveryStep("data-0")->isComplete(); ++i) {
    sim.round();
    sim.answerKills();
    sim.runStaged();
  }
  ASSERT_TRUE(recoveryStep("data-0")->isComplete())
      << "an unreachable old task does not block the replacement";
  ASSERT_NE(recoveryStep("meta-data-0"), nullptr) << "deployed on data-0's agent";
  EXPECT_FALSE(recoveryStep("meta-data-0")->isComplete());
  mesos::TaskInfo fresh = stored("data-0-node");
  EXPECT_NE(fresh.agentId, old.agentId);

  // The agent comes back with the old task still running.
  mesos::TaskStatus running;
  running.taskId = old.taskId;
  running.agentId = old.agentId;
  running.state = TaskState::kTaskRunning;
  running.uuid = mesos::Bytes{"returning-agent-1"};
  sim.clock.advance(std::chrono::seconds(6));  // no earlier KILL still counts as in flight
  size_t kills = sim.cluster.callsOf(Call::Type::kKill).size();
  sim.scheduler->onUpdate(running);
  ASSERT_EQ(sim.cluster.callsOf(Call::Type::kKill).size(), kills + 1);
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kKill).back().kill->taskId, old.taskId);
  EXPECT_EQ(stored("data-0-node").taskId, fresh.taskId);
  EXPECT_TRUE(recoveryStep("data-0")->isComplete());
  auto view = sim.scheduler->tasks();
  ASSERT_TRUE(view.has_value());
  for (const http::TaskView& t : *view) {
    if (t.name == "data-0-node") {
      EXPECT_EQ(t.taskId, fresh.taskId.value);
    }
  }
}

TEST_F(SchedulerReplaceTest, TaskGoneByOperatorReplacesThePodAutomatically) {
  startAndDeploy();
  mesos::TaskInfo old = stored("data-1-node");
  sim.cluster.removeAgent(old.agentId.value);
  sim.pump();
  ASSERT_NE(recoveryStep("data-1"), nullptr);
  EXPECT_THAT(recoveryStep("data-1")->message(), HasSubstr("RecoveryType: PERMANENT"));
  EXPECT_THAT(podRecord("data-1"), HasSubstr("TASK_GONE_BY_OPERATOR"));
  ASSERT_TRUE(sim.deploy("recovery"));
  mesos::TaskInfo fresh = stored("data-1-node");
  EXPECT_NE(fresh.agentId, old.agentId);
  EXPECT_EQ(envOf(fresh, "POD_INCARNATION"), "1");
  // Nothing of the removed agent can come back to be cleaned: no wait for it.
  roundsUntilSuppressed(3);
  EXPECT_TRUE(sim.scheduler->suppressed());
}

TEST_F(SchedulerReplaceTest, ALaunchPersistedBeforeARestartIsNotReplacedAgain) {
  startAndDeploy();
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  sim.answerKills();
  // The replacement's ACCEPT goes out, then the store fails: the mark is not
  // cleared, and the scheduler dies.
  sim.cluster.beforeCall = [&](const Call& c) {
    if (c.type == Call::Type::kAccept) sim.persister.failing = true;
  };
  sim.round();
  sim.cluster.beforeCall = nullptr;
  sim.persister.failing = false;
  mesos::TaskInfo launched = stored("data-0-node");
  ASSERT_EQ(offer::incarnationLabel(launched.labels), 1);
  ASSERT_THAT(podRecord("data-0"), HasSubstr("permanent_failure"));
  size_t launches = sim.launches().size();

  sim.start();
  EXPECT_THAT(podRecord("data-0"), ::testing::Not(HasSubstr("permanent_failure")));
  sim.subscribe();
  sim.pump();
  sim.runStaged();
  for (int i = 0; i < 3; ++i) sim.round();
  EXPECT_EQ(sim.launches().size(), launches) << "no second replacement";
  EXPECT_EQ(stored("data-0-node").taskId, launched.taskId);
}

}  // namespace
}  // namespace keel::scheduler
