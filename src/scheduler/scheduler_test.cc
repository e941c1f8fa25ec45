// Scheduler simulation: the data-store service against the fake cluster
// (keel's master model) with a manual clock.
#include "keel/scheduler/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "http/fake_scheduler_api.h"
#include "keel/mesos/json.h"
#include "keel/offer/task_labels.h"
#include "keel/plan_operations.h"
#include "keel/state/task_store.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::Call;
using mesos::TaskState;
using ::testing::HasSubstr;

spec::ServiceSpec dataStore(std::map<std::string, std::string> overrides = {}) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), overrides);
  EXPECT_TRUE(spec.has_value()) << spec.error().toString();
  return *spec;
}

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() : sim(dataStore()) {}
  void SetUp() override {
    agents = sim.cluster.addAgents(3);
    sim.startSubscribed();
  }
  const plan::Step& step(const std::string& planName, const std::string& phase, size_t i) {
    return sim.scheduler->findPlan(planName)->findPhase(phase)->steps()[i];
  }
  std::string stepStatus(const std::string& phase, size_t i) {
    return std::string(plan::statusName(step("deploy", phase, i).status()));
  }

  testing::SchedulerSim sim;
  std::vector<std::string> agents;
};

TEST_F(SchedulerTest, DeploysMetaDataBeforeDataEachDataNodeOnItsOwnAgent) {
  ASSERT_TRUE(sim.deploy()) << sim.planStatus("deploy");
  auto launches = sim.launches();
  std::vector<std::string> names;
  for (const auto& [name, agent] : launches) names.push_back(name);
  EXPECT_THAT(names, ::testing::ElementsAre("meta-data-0-node", "meta-data-1-node", "data-0-node",
                                            "data-1-node", "data-2-node"));
  std::set<std::string> dataAgents, metaAgents;
  for (const auto& [name, agent] : launches) {
    (name.rfind("data-", 0) == 0 ? dataAgents : metaAgents).insert(agent);
  }
  EXPECT_EQ(dataAgents.size(), 3u) << "placement AVOID data: one data node per agent";
  EXPECT_EQ(metaAgents.size(), 2u);
  EXPECT_EQ(sim.cluster.activeTaskIds().size(), 5u);
  EXPECT_EQ(sim.planStatus("recovery"), "COMPLETE");
  plan::Plan* recovery = sim.scheduler->findPlan("recovery");
  ASSERT_EQ(recovery->phases().size(), 1u) << "the tutorial's empty recovery plan";
  EXPECT_EQ(recovery->phases()[0].name(), "recovery");
  EXPECT_TRUE(recovery->phases()[0].steps().empty());
  EXPECT_TRUE(sim.scheduler->suppressed()) << "nothing left to do: offers suppressed";
}

TEST_F(SchedulerTest, PersistsTaskInfosBeforeAcceptAndStatusesBeforeAcknowledge) {
  state::TaskStore store(sim.persister);
  int accepts = 0, acks = 0;
  sim.cluster.beforeCall = [&](const Call& call) {
    if (call.type == Call::Type::kAccept) {
      for (const mesos::OfferOperation& op : call.accept->operations) {
        if (!op.launchGroup) continue;
        for (const mesos::TaskInfo& t : op.launchGroup->taskGroup.tasks) {
          auto info = store.info(t.name);
          ASSERT_TRUE(info.has_value() && info->has_value()) << t.name << " not stored";
          EXPECT_THAT(**info, HasSubstr(t.taskId.value));
          ++accepts;
        }
      }
    }
    if (call.type == Call::Type::kAcknowledge) {
      std::string name = *offer::taskNameFromTaskId(call.acknowledge->taskId.value);
      auto stored = store.status(name);
      ASSERT_TRUE(stored.has_value() && stored->has_value()) << name;
      auto status = mesos::decodeJson<mesos::TaskStatus>(**stored);
      ASSERT_TRUE(status.has_value());
      EXPECT_EQ(status->uuid, call.acknowledge->uuid) << "the acknowledged update is stored";
      ++acks;
    }
  };
  ASSERT_TRUE(sim.deploy());
  EXPECT_EQ(accepts, 5);
  EXPECT_EQ(acks, 5);
}

TEST_F(SchedulerTest, KillsTasksTheStoreDoesNotKnowAndOlderLaunches) {
  ASSERT_TRUE(sim.deploy());
  mesos::TaskStatus ghost;
  ghost.taskId.value = offer::taskId("data-store", "ghost-0-node", "1234");
  ghost.state = TaskState::kTaskRunning;
  ghost.agentId = mesos::AgentID{agents[0]};
  sim.scheduler->onUpdate(ghost);
  mesos::TaskStatus older = ghost;
  older.taskId.value = offer::taskId("data-store", "data-0-node", "an-older-launch");
  sim.scheduler->onUpdate(older);
  std::vector<std::string> killed;
  for (const Call& c : sim.cluster.callsOf(Call::Type::kKill))
    killed.push_back(c.kill->taskId.value);
  EXPECT_THAT(killed, ::testing::ElementsAre(ghost.taskId.value, older.taskId.value));
  state::TaskStore store(sim.persister);
  EXPECT_FALSE(store.info("ghost-0-node")->has_value()) << "a stray task is not stored";
}

TEST_F(SchedulerTest, TooFewResourcesLeaveTheStepPendingWithTheReason) {
  testing::SchedulerSim small(dataStore({{"METADATA_CPU", "2.5"}}));
  small.cluster.addAgents(3);
  small.start();
  small.subscribe();
  for (int i = 0; i < 3; ++i) small.round();
  const plan::Step& first = small.scheduler->findPlan("deploy")->phases()[0].steps()[0];
  EXPECT_EQ(first.status(), plan::ElementStatus::kPending);
  EXPECT_THAT(first.message(), HasSubstr("cpus")) << first.message();
  EXPECT_TRUE(small.launches().empty());
  std::string outcomes = small.scheduler->offerOutcomesJson({});
  EXPECT_THAT(outcomes, HasSubstr("\"rejectedCount\":"));
  EXPECT_THAT(outcomes, HasSubstr("meta-data-0"));
  EXPECT_THAT(outcomes, ::testing::Not(HasSubstr("\"rejectedCount\":0")));
  EXPECT_THAT(small.scheduler->offerOutcomesJson({"deploy", "data", ""}),
              ::testing::Not(HasSubstr("meta-data-0")))
      << "filtered by phase";
}

TEST_F(SchedulerTest, InterruptStopsNewStepsAndContinueResumes) {
  sim.round();
  sim.runStaged();
  ASSERT_EQ(stepStatus("meta-data", 0), "COMPLETE");
  plan::Plan* deploy = sim.scheduler->findPlan("deploy");
  auto interrupted = plan::interruptElement(*deploy, {});
  ASSERT_TRUE(interrupted.has_value());
  ASSERT_TRUE(sim.scheduler->persistOverrides("deploy", interrupted->changes).isOk());
  for (int i = 0; i < 3; ++i) {
    sim.round();
    sim.runStaged();
  }
  EXPECT_EQ(sim.launches().size(), 1u) << "interrupted: no new step";
  EXPECT_EQ(stepStatus("meta-data", 1), "PENDING");
  EXPECT_EQ(sim.planStatus("deploy"), "WAITING");
  auto resumed = plan::continueElement(*deploy, {});
  ASSERT_TRUE(resumed.has_value());
  ASSERT_TRUE(sim.scheduler->persistOverrides("deploy", resumed->changes).isOk());
  ASSERT_TRUE(sim.deploy());
  EXPECT_EQ(sim.launches().size(), 5u);
}

TEST_F(SchedulerTest, InterruptSurvivesARestart) {
  plan::Plan* deploy = sim.scheduler->findPlan("deploy");
  auto interrupted = plan::interruptElement(*deploy, {});
  ASSERT_TRUE(sim.scheduler->persistOverrides("deploy", interrupted->changes).isOk());
  sim.start();
  EXPECT_TRUE(sim.scheduler->findPlan("deploy")->interrupted());
}

TEST_F(SchedulerTest, ACompletedRestartIsNotReplayedAfterAFailover) {
  ASSERT_TRUE(sim.deploy());
  plan::Plan* deploy = sim.scheduler->findPlan("deploy");
  auto restarted = plan::restartElement(*deploy, {"data", "data-0"});
  ASSERT_TRUE(restarted.has_value() && restarted->changed);
  ASSERT_TRUE(sim.scheduler->persistOverrides("deploy", restarted->changes).isOk());
  ASSERT_TRUE(sim.deploy());
  size_t launches = sim.launches().size();
  ASSERT_EQ(launches, 6u) << "data-0 relaunched once";

  sim.start();  // the restart ended with the step's completion: nothing to replay
  sim.subscribe();
  sim.pump();
  EXPECT_EQ(stepStatus("data", 0), "COMPLETE");
  ASSERT_TRUE(sim.deploy());
  EXPECT_EQ(sim.launches().size(), launches);
}

TEST_F(SchedulerTest, FailoverReconcilesBeforeLaunchingAndKeepsRunningTasks) {
  // meta-data deployed, data-0 launched but not yet running.
  for (int i = 0; i < 2; ++i) {
    sim.round();
    sim.runStaged();
  }
  sim.round();
  ASSERT_EQ(sim.launches().size(), 3u);
  std::vector<std::string> before = sim.cluster.activeTaskIds();

  sim.start();  // a new scheduler process over the same store
  EXPECT_EQ(stepStatus("meta-data", 0), "COMPLETE");
  EXPECT_EQ(stepStatus("meta-data", 1), "COMPLETE");
  EXPECT_EQ(stepStatus("data", 0), "STARTING") << "its launch is still alive";
  sim.subscribe();
  auto reconciles = sim.cluster.callsOf(Call::Type::kReconcile);
  ASSERT_FALSE(reconciles.empty());
  EXPECT_EQ(reconciles.back().reconcile->tasks.size(), 3u);
  for (const auto& t : reconciles.back().reconcile->tasks) EXPECT_TRUE(t.agentId.has_value());

  // Offers that arrive before the answers are declined, nothing launched.
  std::vector<mesos::Event> answers = sim.cluster.takeEvents();
  sim.clock.advance(std::chrono::seconds(6));
  sim.cluster.tick();
  sim.cluster.allocate();
  size_t accepts = sim.cluster.callsOf(Call::Type::kAccept).size();
  for (const mesos::Event& e : sim.cluster.takeEvents()) sim.deliver(e);
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kAccept).size(), accepts);
  EXPECT_FALSE(sim.scheduler->reconciled());
  for (const mesos::Event& e : answers) sim.deliver(e);
  EXPECT_TRUE(sim.scheduler->reconciled());

  ASSERT_TRUE(sim.deploy());
  EXPECT_EQ(sim.launches().size(), 5u) << "running tasks were not launched again";
  std::vector<std::string> after = sim.cluster.activeTaskIds();
  for (const std::string& id : before) EXPECT_THAT(after, ::testing::Contains(id));
}

TEST_F(SchedulerTest, ReconciliationIsResentUntilAnswered) {
  ASSERT_TRUE(sim.deploy());
  sim.start();
  sim.subscribe();
  size_t sent = sim.cluster.callsOf(Call::Type::kReconcile).size();
  (void)sim.cluster.takeEvents();  // the answers are lost
  sim.clock.advance(std::chrono::seconds(3));
  sim.scheduler->tick();
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kReconcile).size(), sent) << "back-off 4 s";
  sim.clock.advance(std::chrono::seconds(1));
  sim.scheduler->tick();
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kReconcile).size(), sent + 1);
  sim.pump();
  EXPECT_TRUE(sim.scheduler->reconciled());
}

TEST_F(SchedulerTest, FailedLaunchGoesBackToPendingAndRelaunchesOnItsReservations) {
  sim.round();
  ASSERT_EQ(sim.launches().size(), 1u);
  std::string id = sim.cluster.activeTaskIds().at(0);
  sim.cluster.sendTaskState(id, TaskState::kTaskFailed, std::nullopt, "exit 1");
  sim.pump();
  EXPECT_EQ(stepStatus("meta-data", 0), "PENDING");
  EXPECT_THAT(step("deploy", "meta-data", 0).message(), HasSubstr("TASK_FAILED: exit 1"));
  sim.round();
  auto launches = sim.launches();
  ASSERT_EQ(launches.size(), 2u);
  EXPECT_EQ(launches[1].first, "meta-data-0-node");
  EXPECT_EQ(launches[1].second, launches[0].second) << "relaunched on its reservations";
  Call accept = sim.cluster.callsOf(Call::Type::kAccept).back();
  for (const mesos::OfferOperation& op : accept.accept->operations) {
    EXPECT_FALSE(op.reserve.has_value()) << "nothing reserved again";
    EXPECT_FALSE(op.create.has_value()) << "the volume is reused";
  }
}

TEST_F(SchedulerTest, ARecoveryStepMessageIsComposedOnceWhateverItsStatusChanges) {
  ASSERT_TRUE(sim.deploy());
  auto message = [&] {
    return sim.scheduler->findPlan("recovery")->phases()[0].steps()[0].message();
  };
  auto once = [](const std::string& m) { return m.find("has status") == m.rfind("has status"); };
  std::string failed;
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    if (offer::taskNameFromTaskId(id) == "data-1-node") failed = id;
  }
  sim.cluster.sendTaskState(failed, TaskState::kTaskFailed, std::nullopt, "disk full");
  sim.pump();
  sim.round();
  std::string relaunched;
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    if (offer::taskNameFromTaskId(id) == "data-1-node") relaunched = id;
  }
  ASSERT_NE(relaunched, failed);
  for (TaskState st : {TaskState::kTaskStarting, TaskState::kTaskRunning}) {
    sim.cluster.sendTaskState(relaunched, st);
    sim.pump();
    EXPECT_TRUE(once(message())) << message();
  }
  EXPECT_EQ(sim.planStatus("recovery"), "COMPLETE") << message();
  const plan::Step& done = sim.scheduler->findPlan("recovery")->phases()[0].steps()[0];
  EXPECT_EQ(message(),
            "'data-1 [" + done.id() + "]' has status: 'COMPLETE'. RecoveryType: TRANSIENT")
      << "a finished step keeps no stale launch text";
}

TEST_F(SchedulerTest, TaskEndingAfterDeployIsRecoveredInPlace) {
  ASSERT_TRUE(sim.deploy());
  auto before = sim.launches();
  std::string data1;
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    if (offer::taskNameFromTaskId(id) == "data-1-node") data1 = id;
  }
  ASSERT_FALSE(data1.empty());
  sim.cluster.sendTaskState(data1, TaskState::kTaskFailed, std::nullopt, "disk full");
  sim.pump();
  plan::Plan* recovery = sim.scheduler->findPlan("recovery");
  ASSERT_EQ(recovery->phases().size(), 1u);
  EXPECT_EQ(recovery->phases()[0].name(), "recovery");
  ASSERT_EQ(recovery->phases()[0].steps().size(), 1u);
  const plan::Step& recoveryStep = recovery->phases()[0].steps()[0];
  EXPECT_EQ(recoveryStep.name(), "data-1");
  EXPECT_THAT(recoveryStep.message(), HasSubstr("RecoveryType: TRANSIENT"));
  EXPECT_EQ(sim.planStatus("recovery"), "PENDING");
  EXPECT_EQ(sim.planStatus("deploy"), "COMPLETE");
  ASSERT_TRUE(sim.deploy("recovery"));
  auto after = sim.launches();
  ASSERT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(after.back().first, "data-1-node");
  std::string agentBefore;
  for (const auto& [name, agent] : before) {
    if (name == "data-1-node") agentBefore = agent;
  }
  EXPECT_EQ(after.back().second, agentBefore);
  const plan::Step& done = sim.scheduler->findPlan("recovery")->phases()[0].steps()[0];
  EXPECT_THAT(done.message(), HasSubstr("has status: 'COMPLETE'. RecoveryType: TRANSIENT"));
}

TEST_F(SchedulerTest, RestartPodKillsItsTasksAndRecoveryRelaunchesThem) {
  ASSERT_TRUE(sim.deploy());
  auto killed = sim.scheduler->restartPod("data-2", false);
  ASSERT_TRUE(killed.has_value());
  EXPECT_THAT(*killed, ::testing::ElementsAre("data-2-node"));
  EXPECT_EQ(sim.scheduler->restartPod("data-9", false).error().code(), StatusCode::kNotFound);
  ASSERT_EQ(sim.cluster.callsOf(Call::Type::kKill).size(), 1u);
  sim.cluster.sendTaskState(sim.cluster.callsOf(Call::Type::kKill)[0].kill->taskId.value,
                            TaskState::kTaskKilled);
  sim.pump();
  EXPECT_EQ(sim.planStatus("recovery"), "PENDING");
  ASSERT_TRUE(sim.deploy("recovery"));
  EXPECT_EQ(sim.launches().back().first, "data-2-node");
}

TEST_F(SchedulerTest, SuppressesWhenIdleAndRevivesForNewWork) {
  ASSERT_TRUE(sim.deploy());
  EXPECT_TRUE(sim.scheduler->suppressed());
  size_t revives = sim.cluster.callsOf(Call::Type::kRevive).size();
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", false).has_value());
  sim.cluster.sendTaskState(sim.cluster.callsOf(Call::Type::kKill)[0].kill->taskId.value,
                            TaskState::kTaskKilled);
  sim.pump();
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kRevive).size(), revives + 1);
  EXPECT_FALSE(sim.scheduler->suppressed());
}

TEST_F(SchedulerTest, ServesTasksAndConfigurationsToTheApi) {
  ASSERT_TRUE(sim.deploy());
  auto tasks = sim.scheduler->tasks();
  ASSERT_TRUE(tasks.has_value());
  ASSERT_EQ(tasks->size(), 5u);
  EXPECT_EQ((*tasks)[0].name, "data-0-node");
  EXPECT_EQ((*tasks)[0].podType, "data");
  EXPECT_EQ((*tasks)[0].state, "RUNNING");
  auto target = sim.scheduler->targetConfigurationId();
  ASSERT_TRUE(target.has_value() && target->has_value());
  EXPECT_EQ(**target, sim.scheduler->targetConfigId());
  EXPECT_THAT(*sim.scheduler->configurationJson(**target), HasSubstr("data-store"));
  EXPECT_EQ(*sim.scheduler->frameworkId(), sim.cluster.frameworkId());
  auto names = sim.scheduler->plans();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0]->name(), "deploy");
  EXPECT_EQ(names[1]->name(), "recovery");
}

TEST_F(SchedulerTest, SameSpecKeepsTheTargetAndAChangedSpecBecomesIt) {
  std::string first = sim.scheduler->targetConfigId();
  sim.start();
  EXPECT_EQ(sim.scheduler->targetConfigId(), first);
  // Same store, changed spec.
  auto s = Scheduler::create(dataStore({{"DATA_COUNT", "4"}}), sim.persister, sim.clock,
                             sim.cluster, {});
  ASSERT_TRUE(s.has_value());
  EXPECT_NE((*s)->targetConfigId(), first);
  EXPECT_EQ((*s)->configurationIds()->size(), 2u);
  EXPECT_TRUE((*s)->configErrors().empty());
}

TEST_F(SchedulerTest, AValidChangeRelaunchesTheChangedPodsOneAtATime) {
  ASSERT_TRUE(sim.deploy());
  size_t before = sim.launches().size();
  sim.spec_ = dataStore({{"DATA_CPU", "0.2"}});
  sim.start();
  EXPECT_EQ(stepStatus("meta-data", 0), "COMPLETE") << "meta-data did not change";
  EXPECT_EQ(stepStatus("data", 0), "PENDING") << "data-0 runs the old config";
  sim.subscribe();
  sim.pump();
  ASSERT_TRUE(sim.deploy()) << step("deploy", "data", 0).message();
  auto launches = sim.launches();
  ASSERT_EQ(launches.size(), before + 3);
  EXPECT_EQ(launches[before].first, "data-0-node");
  EXPECT_EQ(launches[before + 2].first, "data-2-node");
  EXPECT_EQ(sim.cluster.activeTaskIds().size(), 5u);
  for (size_t i = before; i < launches.size(); ++i) {
    for (const auto& [name, agent] : std::vector(launches.begin(), launches.begin() + before)) {
      if (name == launches[i].first) {
        EXPECT_EQ(agent, launches[i].second) << "in place";
      }
    }
  }
}

TEST_F(SchedulerTest, ARefusedChangeKeepsRunningTheStoredTarget) {
  ASSERT_TRUE(sim.deploy());
  std::string first = sim.scheduler->targetConfigId();
  auto s = Scheduler::create(dataStore({{"DATA_DISK", "128"}}), sim.persister, sim.clock,
                             sim.cluster, {});
  ASSERT_TRUE(s.has_value()) << s.error().toString();
  EXPECT_EQ((*s)->targetConfigId(), first) << "a volume's size may not change";
  ASSERT_FALSE((*s)->configErrors().empty());
  EXPECT_THAT((*s)->configErrors()[0], HasSubstr("volume"));
  EXPECT_EQ((*s)->spec().pods[1].resourceSets[0].volumes[0].sizeMb, 64);
  const plan::Plan& deploy = *(*s)->findPlan("deploy");
  EXPECT_TRUE(deploy.isComplete()) << "the running tasks match the stored target";
  EXPECT_EQ(deploy.status(), plan::ElementStatus::kError) << "the refusal is shown";
  ASSERT_EQ(deploy.errors().size(), (*s)->configErrors().size());
  EXPECT_THAT(deploy.errors()[0], HasSubstr("configuration change refused, still running "
                                            "configuration " +
                                            first));
  EXPECT_THAT(deploy.errors()[0], HasSubstr("volume"));
  EXPECT_TRUE((*s)->findPlan("recovery")->errors().empty());
}

}  // namespace
}  // namespace keel::scheduler

namespace keel::scheduler {
namespace {

std::map<std::string, std::string> envOf(const mesos::TaskInfo& task) {
  std::map<std::string, std::string> env;
  if (task.command && task.command->environment) {
    for (const auto& v : task.command->environment->variables) env[v.name] = v.value.value_or("");
  }
  return env;
}

TEST_F(SchedulerTest, TasksGetTheSchedulersEnvironment) {
  sim.scheduler->setApiEndpoint("127.0.0.1", 4242);
  sim.round();
  Call accept = sim.cluster.callsOf(Call::Type::kAccept).at(0);
  const mesos::TaskInfo* task = nullptr;
  for (const mesos::OfferOperation& op : accept.accept->operations) {
    if (op.launchGroup) task = &op.launchGroup->taskGroup.tasks.at(0);
  }
  ASSERT_NE(task, nullptr);
  auto env = envOf(*task);
  EXPECT_EQ(env["TASK_NAME"], "meta-data-0-node");
  EXPECT_EQ(env["POD_INSTANCE_INDEX"], "0");
  EXPECT_EQ(env["FRAMEWORK_NAME"], "data-store");
  EXPECT_EQ(env["FRAMEWORK_HOST"], "data-store.keel.local");
  EXPECT_EQ(env["SCHEDULER_API_HOSTNAME"], "127.0.0.1");
  EXPECT_EQ(env["SCHEDULER_API_PORT"], "4242");
}

TEST(SchedulerReadinessTest, StepIsStartedUntilTheReadinessCheckPasses) {
  spec::ServiceSpec spec = dataStore();
  spec.pods[0].tasks[0].readinessCheck = spec::ReadinessCheckSpec{"test -f ready", 1, 0, 5};
  testing::SchedulerSim sim(spec);
  sim.cluster.addAgents(3);
  sim.start();
  sim.subscribe();
  sim.round();
  std::string id = sim.cluster.activeTaskIds().at(0);
  const plan::Step& first = sim.scheduler->findPlan("deploy")->phases()[0].steps()[0];
  sim.cluster.sendTaskState(id, TaskState::kTaskRunning);
  sim.pump();
  EXPECT_EQ(first.status(), plan::ElementStatus::kStarted);
  sim.cluster.sendTaskState(id, TaskState::kTaskRunning, 1);
  sim.pump();
  EXPECT_EQ(first.status(), plan::ElementStatus::kStarted) << "check failing";
  sim.cluster.sendTaskState(id, TaskState::kTaskRunning, 0);
  sim.pump();
  EXPECT_EQ(first.status(), plan::ElementStatus::kComplete);
}

TEST_F(SchedulerTest, ReservationsNobodyKnowsAreDestroyedAndUnreserved) {
  ASSERT_TRUE(sim.deploy());
  std::string data2;
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    if (offer::taskNameFromTaskId(id) == "data-2-node") data2 = id;
  }
  // data-2 is decommissioned behind the scheduler's back: its task ends and
  // its record goes; its reservations and volume stay on the agent.
  sim.cluster.sendTaskState(data2, TaskState::kTaskKilled);
  sim.pump();
  state::TaskStore store(sim.persister);
  ASSERT_TRUE(store.erase("data-2-node").isOk());
  sim.spec_ = dataStore({{"DATA_COUNT", "2"}});
  sim.spec_.pods[1].allowDecommission = true;  // else the shrink is refused
  sim.start();
  ASSERT_TRUE(sim.scheduler->configErrors().empty()) << sim.scheduler->configErrors()[0];
  sim.subscribe();
  sim.pump();
  // Nothing to do means no offers (suppressed); a pod restart brings them.
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", false).has_value());
  for (int i = 0; i < 3; ++i) {
    sim.answerKills();
    sim.round();
    sim.runStaged();
  }
  bool destroyed = false, unreserved = false;
  for (const Call& c : sim.cluster.callsOf(Call::Type::kAccept)) {
    for (const mesos::OfferOperation& op : c.accept->operations) {
      destroyed |= op.destroy.has_value();
      unreserved |= op.unreserve.has_value();
    }
  }
  EXPECT_TRUE(destroyed) << "the volume of data-2";
  EXPECT_TRUE(unreserved) << "the reservations of data-2";
  EXPECT_EQ(sim.cluster.activeTaskIds().size(), 4u);
}

}  // namespace
}  // namespace keel::scheduler

namespace keel::scheduler {
namespace {

TEST_F(SchedulerTest, AStatusNotPersistedIsNotAcknowledgedAndComesBack) {
  sim.round();
  std::string id = sim.cluster.activeTaskIds().at(0);
  size_t acks = sim.cluster.callsOf(Call::Type::kAcknowledge).size();
  sim.persister.failing = true;
  sim.cluster.sendTaskState(id, TaskState::kTaskRunning);
  sim.pump();
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kAcknowledge).size(), acks) << "not acknowledged";
  EXPECT_EQ(stepStatus("meta-data", 0), "STARTING");
  sim.persister.failing = false;
  sim.clock.advance(std::chrono::seconds(11));  // the master's update retry
  sim.cluster.tick();
  sim.pump();
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kAcknowledge).size(), acks + 1);
  EXPECT_EQ(stepStatus("meta-data", 0), "COMPLETE");
}

TEST_F(SchedulerTest, KillsAreRepeatedUntilTheTaskEnds) {
  ASSERT_TRUE(sim.deploy());
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", false).has_value());
  ASSERT_EQ(sim.cluster.callsOf(Call::Type::kKill).size(), 1u);
  std::string id = sim.cluster.callsOf(Call::Type::kKill)[0].kill->taskId.value;
  sim.clock.advance(std::chrono::seconds(4));
  sim.scheduler->tick();
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kKill).size(), 1u);
  sim.clock.advance(std::chrono::seconds(1));
  sim.scheduler->tick();
  ASSERT_EQ(sim.cluster.callsOf(Call::Type::kKill).size(), 2u) << "the KILL is repeated";
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kKill)[1].kill->taskId.value, id);
  sim.cluster.sendTaskState(id, TaskState::kTaskKilled);
  sim.pump();
  sim.clock.advance(std::chrono::seconds(10));
  sim.scheduler->tick();
  EXPECT_EQ(sim.cluster.callsOf(Call::Type::kKill).size(), 2u) << "not after the task ended";
}

TEST(SchedulerFrameworkId, AnIdThatCannotBePersistedLaunchesNothingUntilItIs) {
  testing::SchedulerSim sim(dataStore());
  sim.cluster.addAgents(3);
  sim.start();
  sim.persister.failing = true;
  sim.subscribe();
  for (int i = 0; i < 3; ++i) sim.round();
  EXPECT_TRUE(sim.launches().empty());
  EXPECT_FALSE(sim.scheduler->storedFrameworkId().has_value());
  sim.persister.failing = false;
  sim.round();
  ASSERT_EQ(sim.scheduler->storedFrameworkId(), sim.cluster.frameworkId());
  ASSERT_TRUE(sim.deploy());
  sim.startSubscribed();  // a failover finds the id every task was launched under
  EXPECT_EQ(sim.scheduler->storedFrameworkId(), sim.cluster.frameworkId());
}

TEST_F(SchedulerTest, ALaunchNotPersistedIsNotSent) {
  sim.persister.failing = true;
  sim.round();
  EXPECT_TRUE(sim.launches().empty());
  EXPECT_EQ(stepStatus("meta-data", 0), "PENDING");
  EXPECT_THAT(step("deploy", "meta-data", 0).message(), HasSubstr("not persisted"));
  sim.persister.failing = false;
  ASSERT_TRUE(sim.deploy());
}

}  // namespace
}  // namespace keel::scheduler

namespace keel::scheduler {
namespace {

TEST(SchedulerEndpointsTest, AdvertisedPortsComeFromTheLaunchedTasks) {
  spec::ServiceSpec spec = dataStore();
  spec::PortSpec http;
  http.name = "http";
  http.envKey = "PORT_HTTP";
  http.advertise = true;
  spec.pods[1].resourceSets[0].ports.push_back(http);
  testing::SchedulerSim sim(spec);
  sim.cluster.addAgents(3);
  sim.start();
  sim.subscribe();
  ASSERT_TRUE(sim.deploy());
  auto ports = sim.scheduler->advertisedPorts();
  ASSERT_TRUE(ports.has_value()) << ports.error().toString();
  ASSERT_EQ(ports->size(), 3u);
  std::set<std::string> hosts;
  for (const http::AdvertisedPort& p : *ports) {
    EXPECT_EQ(p.portName, "http");
    EXPECT_GE(p.port, 31000u);
    EXPECT_LE(p.port, 31299u);
    hosts.insert(p.address);
  }
  EXPECT_EQ(hosts.size(), 3u) << "each data node's own agent";
  auto tasks = sim.scheduler->tasks();
  for (const http::TaskView& t : *tasks) {
    if (t.podType == "data") {
      EXPECT_EQ(t.ports.size(), 1u) << t.name;
    }
  }
}

}  // namespace
}  // namespace keel::scheduler
