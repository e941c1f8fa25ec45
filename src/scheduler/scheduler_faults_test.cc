// Simulation with seeded random fault schedules: task failures, agents going
// down and coming back, scheduler failovers, interleaved with offer rounds.
// After every event: never two live tasks for one task name. Once the faults
// stop: deploy and recovery COMPLETE with every task running.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "http/fake_scheduler_api.h"
#include "keel/offer/task_labels.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::TaskState;

void expectOneLiveTaskPerName(const testing::SchedulerSim& sim, const std::string& when) {
  std::map<std::string, int> live;
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    ++live[offer::taskNameFromTaskId(id).value_or(id)];
  }
  for (const auto& [name, n] : live) EXPECT_EQ(n, 1) << name << " " << when;
}

template <typename Rng>
std::string pick(const std::vector<std::string>& items, Rng& rng) {
  return items[rng() % items.size()];
}

class Faults {
 public:
  Faults(testing::SchedulerSim& sim, std::vector<std::string> agents, uint64_t seed)
      : sim_(sim), agents_(std::move(agents)), rng_(seed) {}

  // One random event; returns its description.
  std::string step() {
    switch (rng_() % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        sim_.round();
        return "round";
      case 4:
      case 5:
        sim_.runStaged();
        return "run staged";
      case 6:
      case 7:
        return failTask();
      case 8:
        sim_.start();
        sim_.subscribe();
        sim_.pump();
        return "scheduler failover";
      default:
        return toggleAgent();
    }
  }
  void allAgentsUp() {
    for (const std::string& a : down_) sim_.cluster.agentUp(a);
    down_.clear();
    sim_.pump();
  }

 private:
  std::string failTask() {
    std::vector<std::string> ids = sim_.cluster.activeTaskIds();
    if (ids.empty()) return "no task to fail";
    std::string id = pick(ids, rng_);
    sim_.cluster.sendTaskState(id, TaskState::kTaskFailed, std::nullopt, "injected");
    sim_.pump();
    return "fail " + id;
  }
  std::string toggleAgent() {
    std::string a = pick(agents_, rng_);
    if (down_.erase(a) != 0) {
      sim_.cluster.agentUp(a);
      sim_.pump();
      return "agent up " + a;
    }
    down_.insert(a);
    sim_.cluster.agentDown(a);
    sim_.pump();
    return "agent down " + a;
  }

  testing::SchedulerSim& sim_;
  std::vector<std::string> agents_;
  std::set<std::string> down_;
  std::mt19937_64 rng_;
};

TEST(SchedulerFaultsTest, NeverTwoLiveTasksPerNameAndEverythingRunsOnceFaultsStop) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  ASSERT_TRUE(spec.has_value());
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    testing::SchedulerSim sim(*spec);
    std::vector<std::string> agents = sim.cluster.addAgents(4);
    sim.startSubscribed();
    Faults faults(sim, agents, seed);
    for (int i = 0; i < 60; ++i) {
      std::string what = faults.step();
      expectOneLiveTaskPerName(sim, "after " + what);
    }
    faults.allAgentsUp();
    for (int i = 0; i < 30; ++i) {
      if (sim.planStatus("deploy") == "COMPLETE" && sim.planStatus("recovery") == "COMPLETE" &&
          sim.cluster.activeTaskIds().size() == 5) {
        break;
      }
      sim.round();
      sim.runStaged();
      expectOneLiveTaskPerName(sim, "while settling");
    }
    EXPECT_EQ(sim.planStatus("deploy"), "COMPLETE");
    EXPECT_EQ(sim.planStatus("recovery"), "COMPLETE");
    EXPECT_EQ(sim.cluster.activeTaskIds().size(), 5u);
  }
}

}  // namespace
}  // namespace keel::scheduler
