// The automatic recovery policy in simulation (manual clock, fake cluster):
// the permanent-failure timeout (surviving a scheduler restart, cleared by a
// recovery), the throttle, the circuit breaker and its reset, the switch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "keel/offer/task_labels.h"
#include "keel/plan_json.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

class AutomaticRecovery : public ::testing::Test {
 protected:
  // 0.6 cpus a pod on 1-cpu agents: one pod per agent, so an agent's loss
  // fails one pod instance.
  AutomaticRecovery()
      : sim(*http::loadDataStoreSpec(keel::testing::sourceDir(),
                                     {{"METADATA_CPU", "0.6"}, {"DATA_CPU", "0.6"}})) {}
  void deploy(bool enabled = true, int breaker = 1) {
    sim.options.automaticRecovery.enabled = enabled;
    sim.options.automaticRecovery.circuitBreakerPods = breaker;
    sim.cluster.addAgents(8);
    sim.startSubscribed();
    ASSERT_TRUE(sim.deploy());
  }
  std::string agentOf(const std::string& task) {
    for (const std::string& id : sim.cluster.activeTaskIds()) {
      if (offer::taskNameFromTaskId(id) == task) return sim.cluster.agentOf(id);
    }
    return "";
  }
  // A data instance alone on its agent (so its agent's loss fails only it).
  std::vector<std::string> loneDataInstances() {
    std::map<std::string, int> perAgent;
    for (const std::string& id : sim.cluster.activeTaskIds()) ++perAgent[sim.cluster.agentOf(id)];
    std::vector<std::string> out;
    for (const char* i : {"data-0", "data-1", "data-2"}) {
      if (perAgent[agentOf(std::string(i) + "-node")] == 1) out.push_back(i);
    }
    return out;
  }
  // The agents of two lone data instances go down for `duration`; returns
  // those instances (fewer than two: the deploy placed none alone).
  std::vector<std::string> twoAgentsDownFor(Duration duration) {
    std::vector<std::string> lone = loneDataInstances();
    if (lone.size() < 2) return lone;
    lone.resize(2);
    sim.cluster.agentDown(agentOf(lone[0] + "-node"));
    sim.cluster.agentDown(agentOf(lone[1] + "-node"));
    sim.pump();
    runFor(duration);
    return lone;
  }
  // Rounds of one minute for `total` (kills answered, launches run).
  void runFor(Duration total) {
    TimePoint end = sim.clock.now() + total;
    while (sim.clock.now() < end) {
      sim.round(1min);
      sim.answerKills();
      sim.runStaged();
    }
  }
  size_t launchesOf(const std::string& task) {
    size_t n = 0;
    for (const auto& [name, agent] : sim.launches()) n += name == task;
    return n;
  }
  std::string recoveryMessage(const std::string& instance) {
    const plan::Step* s = sim.scheduler->findPlan("recovery")->phases()[0].findStep(instance);
    return s == nullptr ? "<no step>" : s->message();
  }
  size_t replacements() { return sim.scheduler->automaticRecovery().replacements.size(); }

  testing::SchedulerSim sim;
};

TEST_F(AutomaticRecovery, APodFailedLongerThanTheTimeoutIsReplacedEvenAcrossARestart) {
  deploy();
  std::vector<std::string> lone = loneDataInstances();
  ASSERT_FALSE(lone.empty());
  const std::string pod = lone[0], task = pod + "-node", oldAgent = agentOf(task);
  sim.cluster.agentDown(oldAgent);
  sim.pump();
  runFor(12min);
  EXPECT_THAT(recoveryMessage(pod), HasSubstr("RecoveryType: TRANSIENT"));
  EXPECT_THAT(recoveryMessage(pod), HasSubstr(pod + ": failed since 2026-01-01T00:"));
  EXPECT_THAT(recoveryMessage(pod), HasSubstr("TASK_UNREACHABLE on agent " + oldAgent));
  EXPECT_THAT(recoveryMessage(pod),
              HasSubstr("(permanent-failure timeout 20m) unless it runs again"));

  sim.startSubscribed();  // a scheduler restart: the first-seen time is stored
  runFor(7min);
  EXPECT_EQ(replacements(), 0u);
  EXPECT_EQ(launchesOf(task), 1u) << "19 minutes: not yet";

  runFor(3min);
  ASSERT_EQ(replacements(), 1u);
  EXPECT_EQ(sim.scheduler->automaticRecovery().replacements[0].instance, pod);
  EXPECT_THAT(sim.scheduler->automaticRecovery().replacements[0].reason,
              HasSubstr(pod + ": failed since 2026-01-01T00:0"));
  EXPECT_THAT(sim.scheduler->automaticRecovery().replacements[0].reason,
              HasSubstr("TASK_UNREACHABLE on agent " + oldAgent + ": Agent host-"));
  EXPECT_THAT(sim.scheduler->automaticRecovery().replacements[0].reason,
              HasSubstr("is unreachable: taken down by the operator), longer than the "
                        "permanent-failure timeout 20m"));
  ASSERT_EQ(launchesOf(task), 2u);
  EXPECT_NE(sim.launches().back().second, oldAgent) << "a new footprint";
  EXPECT_THAT(recoveryMessage(pod), HasSubstr("RecoveryType: PERMANENT"));
  EXPECT_TRUE(sim.scheduler->automaticRecovery().failing.empty());
  EXPECT_TRUE(sim.scheduler->automaticRecovery().state.lastReplacement.has_value());
}

TEST_F(AutomaticRecovery, APodBackBeforeTheTimeoutIsRecoveredInPlace) {
  deploy();
  std::vector<std::string> lone = loneDataInstances();
  ASSERT_FALSE(lone.empty());
  const std::string pod = lone[0], task = pod + "-node", agent = agentOf(task);
  sim.cluster.agentDown(agent);
  sim.pump();
  runFor(15min);
  EXPECT_EQ(sim.scheduler->automaticRecovery().failing.size(), 1u);
  sim.cluster.agentUp(agent);
  sim.pump();
  runFor(2min);
  EXPECT_EQ(agentOf(task), agent) << "relaunched in place, its volume kept";
  EXPECT_TRUE(sim.scheduler->automaticRecovery().failing.empty()) << "running again: cleared";
  runFor(30min);
  EXPECT_EQ(replacements(), 0u);
  EXPECT_THAT(recoveryMessage(pod), HasSubstr("RecoveryType: TRANSIENT"));
  EXPECT_THAT(recoveryMessage(pod), Not(HasSubstr("failed since")));

  sim.cluster.agentDown(agent);  // again: its completed step counts down anew
  sim.pump();
  runFor(1min);
  const plan::Step* step = sim.scheduler->findPlan("recovery")->phases()[0].findStep(pod);
  ASSERT_NE(step, nullptr);
  EXPECT_FALSE(step->isComplete());
  EXPECT_THAT(recoveryMessage(pod), HasSubstr("failed since"));
}

TEST_F(AutomaticRecovery, ReplacementsAreThrottledAcrossARestartButNotTheOperators) {
  deploy(true, 5);
  std::vector<std::string> lone = twoAgentsDownFor(21min);
  ASSERT_EQ(lone.size(), 2u);
  ASSERT_EQ(replacements(), 1u);
  std::string waiting =
      sim.scheduler->automaticRecovery().replacements[0].instance == lone[0] ? lone[1] : lone[0];
  EXPECT_THAT(recoveryMessage(waiting),
              HasSubstr("replacement throttled: the next automatic replacement is allowed at"));

  sim.startSubscribed();  // the last replacement's time is stored: no burst
  runFor(5min);
  EXPECT_EQ(replacements(), 0u) << "this process has not replaced yet";
  EXPECT_EQ(launchesOf(waiting + "-node"), 1u);
  runFor(6min);
  EXPECT_EQ(replacements(), 1u) << "the period passed";
  EXPECT_EQ(launchesOf(waiting + "-node"), 2u);

  // An operator replace right after is not throttled.
  auto names =
      sim.scheduler->restartPod("data-" + std::string(lone[0] == "data-0" ? "2" : "0"), true);
  ASSERT_TRUE(names.has_value());
  runFor(2min);
  EXPECT_EQ(launchesOf(names->front()), 2u);
}

TEST_F(AutomaticRecovery, TheBreakerStopsReplacementUntilAnOperatorResetsIt) {
  deploy(true, 1);
  std::vector<std::string> lone = twoAgentsDownFor(21min);
  ASSERT_EQ(lone.size(), 2u);
  EXPECT_EQ(replacements(), 0u);
  plan::Plan* recovery = sim.scheduler->findPlan("recovery");
  ASSERT_EQ(recovery->ownErrors().size(), 1u);
  EXPECT_THAT(recovery->ownErrors()[0],
              HasSubstr("automatic replacement stopped: circuit breaker tripped at"));
  EXPECT_THAT(recovery->ownErrors()[0],
              HasSubstr("2 pod instances failed at the same time (" + std::min(lone[0], lone[1])));
  EXPECT_EQ(sim.planStatus("recovery"), "ERROR");
  EXPECT_THAT(recoveryMessage(lone[0]), HasSubstr("keel recovery reset"));

  sim.startSubscribed();  // stored: still tripped after a restart
  runFor(60min);
  EXPECT_EQ(replacements(), 0u);
  EXPECT_EQ(sim.planStatus("recovery"), "ERROR");

  Result<std::string> reset = sim.scheduler->resetRecovery();
  ASSERT_TRUE(reset.has_value());
  EXPECT_THAT(*reset, HasSubstr("circuit breaker reset"));
  runFor(1min);
  EXPECT_EQ(replacements(), 1u) << "the failures the operator saw: one at a time";
  EXPECT_TRUE(sim.scheduler->findPlan("recovery")->ownErrors().empty());
  runFor(10min);
  EXPECT_EQ(replacements(), 2u);
}

TEST_F(AutomaticRecovery, OffByDefaultNothingIsReplacedAutomatically) {
  deploy(false);
  std::string agent = agentOf("data-0-node");
  sim.cluster.agentDown(agent);
  sim.pump();
  runFor(3h);
  EXPECT_EQ(replacements(), 0u);
  EXPECT_EQ(launchesOf("data-0-node"), 1u);
  EXPECT_TRUE(sim.scheduler->automaticRecovery().failing.size() >= 1u)
      << "the failure is still recorded (the switch only stops the replacement)";
}

}  // namespace
}  // namespace keel::scheduler
