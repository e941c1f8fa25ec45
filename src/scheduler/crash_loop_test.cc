// Crash-loop backoff of transient recovery, in simulation with a manual
// clock: a task that fails again soon after its relaunch waits 10 s, then
// 20 s, ... (DELAYED, with the time of the next attempt); one that fails
// after a quiet period is relaunched at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "keel/offer/task_labels.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

class CrashLoop : public ::testing::Test {
 protected:
  CrashLoop() : sim(*http::loadDataStoreSpec(keel::testing::sourceDir(), {})) {}
  void SetUp() override {
    sim.cluster.addAgents(3);
    sim.startSubscribed();
    ASSERT_TRUE(sim.deploy());
  }
  // Fails the running data-0-node; returns false when none runs.
  bool failData0() {
    for (const std::string& id : sim.cluster.activeTaskIds()) {
      if (offer::taskNameFromTaskId(id) != "data-0-node") continue;
      sim.cluster.sendTaskState(id, mesos::TaskState::kTaskFailed, std::nullopt, "exit 1");
      sim.pump();
      return true;
    }
    return false;
  }
  size_t launchesOfData0() const {
    size_t n = 0;
    for (const auto& [name, agent] : sim.launches()) n += name == "data-0-node";
    return n;
  }
  const plan::Step& recoveryStep() {
    return sim.scheduler->findPlan("recovery")->phases()[0].steps()[0];
  }
  // Rounds of `step` until data-0-node was launched `n` times; the time it
  // took on the manual clock.
  Duration untilLaunched(size_t n, Duration step = 1s) {
    TimePoint start = sim.clock.now();
    for (int i = 0; i < 1000 && launchesOfData0() < n; ++i) sim.round(step);
    sim.runStaged();
    return std::chrono::duration_cast<Duration>(sim.clock.now() - start);
  }

  testing::SchedulerSim sim;
};

TEST_F(CrashLoop, RepeatedFailuresBackOffExponentiallyAndAQuietPeriodResets) {
  ASSERT_TRUE(failData0());
  EXPECT_EQ(recoveryStep().status(), plan::ElementStatus::kPending) << "the first: at once";
  EXPECT_LE(untilLaunched(2), 2s);

  ASSERT_TRUE(failData0());  // again, soon after its relaunch
  EXPECT_EQ(recoveryStep().status(), plan::ElementStatus::kDelayed);
  EXPECT_THAT(recoveryStep().message(),
              HasSubstr("crash loop (2 failures in a row): next attempt at"));
  EXPECT_EQ(sim.planStatus("recovery"), "DELAYED");
  Duration first = untilLaunched(3);
  EXPECT_GE(first, 10s);
  EXPECT_LE(first, 12s);

  ASSERT_TRUE(failData0());
  Duration second = untilLaunched(4);
  EXPECT_GE(second, 20s);
  EXPECT_LE(second, 22s);

  sim.clock.advance(11min);  // a quiet period: the next failure is a first one
  ASSERT_TRUE(failData0());
  EXPECT_EQ(recoveryStep().status(), plan::ElementStatus::kPending);
  EXPECT_LE(untilLaunched(5), 2s);
}

// An agent partitioned away (TASK_UNREACHABLE) puts its pods in the recovery
// plan at once, waiting for it; its return (TASK_GONE: one failure seen
// twice, not a crash loop) relaunches them in place without backoff.
TEST_F(CrashLoop, AnUnreachableTaskWaitsForItsAgentAndReturnsWithoutBackoff) {
  std::string agent;
  for (const auto& [name, a] : sim.launches()) {
    if (name == "data-0-node") agent = a;
  }
  ASSERT_FALSE(agent.empty());
  sim.cluster.agentDown(agent);
  sim.pump();
  const plan::Step* step = sim.scheduler->findPlan("recovery")->phases()[0].findStep("data-0");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->status(), plan::ElementStatus::kPending);
  EXPECT_THAT(step->message(), HasSubstr("TASK_UNREACHABLE"));
  for (int i = 0; i < 5; ++i) sim.round(1s);
  EXPECT_EQ(launchesOfData0(), 1u) << "no offer of the agent: nowhere to relaunch in place";

  sim.cluster.agentUp(agent);
  sim.pump();
  step = sim.scheduler->findPlan("recovery")->phases()[0].findStep("data-0");
  EXPECT_NE(step->status(), plan::ElementStatus::kDelayed) << step->message();
  EXPECT_LE(untilLaunched(2), 2s);
  EXPECT_EQ(sim.launches().back().second, agent);
}

}  // namespace
}  // namespace keel::scheduler
