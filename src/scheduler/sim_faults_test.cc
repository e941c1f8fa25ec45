// Deterministic simulation (issue 5): the data-store scheduler against the
// fake cluster with a manual clock, driven by seeded random fault schedules
// (task crashes, health-check failures, agents lost and back or removed for
// good, offer rescinds, duplicated and reordered status updates, operator
// pod restarts/replaces and plan interrupt/continue, clean failovers, and
// scheduler crashes at persistence points), with SimInvariants checked after
// every event; even seeds with automatic pod replacement on (its throttle
// and breaker checked too). Once the faults stop: everything runs again, nothing leaked.
//
// Seeds 1..60 by default. KEEL_SIM_SEED=n runs seed n alone (a replay),
// KEEL_SIM_SEEDS=n runs seeds 1..n (a long local run); KEEL_SIM_HISTORY=n
// prints the last n events with a violation (default 40).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>

#include "http/fake_scheduler_api.h"
#include "keel/log.h"
#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"
#include "keel/plan_operations.h"
#include "scheduler/sim_invariants.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::TaskState;
using testing::SchedulerSim;
using testing::SimInvariants;

std::vector<uint64_t> seeds(uint64_t defaultCount) {
  if (const char* one = std::getenv("KEEL_SIM_SEED")) return {std::strtoull(one, nullptr, 10)};
  uint64_t n = defaultCount;
  if (const char* many = std::getenv("KEEL_SIM_SEEDS")) n = std::strtoull(many, nullptr, 10);
  std::vector<uint64_t> out;
  for (uint64_t s = 1; s <= n; ++s) out.push_back(s);
  return out;
}

class FaultDriver {
 public:
  FaultDriver(SchedulerSim& sim, SimInvariants& check, uint64_t seed)
      : sim_(sim), check_(check), rng_(seed) {}

  // One random event; its description goes to the checker's history.
  std::string step() {
    switch (rng_() % 20) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        return round();
      case 5:
      case 6:
      case 7:
        return runStaged();
      case 8:
      case 9:
        sim_.answerKills();
        return "kills answered";
      case 10:
        return endTask(TaskState::kTaskFailed, "exit 1");
      case 11:
        return endTask(TaskState::kTaskKilled, "health check failed: 3 consecutive");
      case 12:
        return toggleAgent();
      case 13:
        return rescind();
      case 14:
        return operatorAction();
      case 15:
        return failover();
      case 16:
        return armCrash();
      case 17:
        return replaceAgent();
      default:
        return round();
    }
  }
  // After an event: a dead scheduler is replaced by a new one.
  std::vector<std::string> afterEvent(const std::string& what) {
    check_.note(what);
    if (sim_.dead()) {
      check_.note("scheduler crashed at commit " + std::to_string(sim_.persister.commitCalls - 1) +
                  "; restarted over the surviving store");
      Status s = sim_.restartAfterCrash();
      if (!s.isOk()) return {"restart after crash failed: " + s.toString()};
    }
    return check_.check();
  }
  // Faults stop: agents up, crashes disarmed, interrupts lifted, the breaker
  // reset.
  void calm() {
    sim_.persister.crashAt.reset();
    for (const std::string& a : down_) sim_.cluster.agentUp(a);
    down_.clear();
    pump();
    if (plan::Plan* deploy = sim_.scheduler->findPlan("deploy")) planOp(*deploy, false);
    resetBreaker();
  }
  // The operator resets a tripped circuit breaker (it may trip again while
  // the instances failing at the reset are replaced).
  void resetBreaker() {
    if (sim_.dead() || !sim_.scheduler->automaticRecovery().state.breaker) return;
    (void)sim_.scheduler->resetRecovery();
    check_.note("operator: circuit breaker reset");
  }
  std::string round() {
    sim_.clock.advance(std::chrono::seconds(6));
    if (!sim_.dead()) sim_.scheduler->tick();
    sim_.cluster.tick();
    pump();
    sim_.cluster.allocate();
    pump();
    return "round";
  }
  std::string runStaged() {
    for (const std::string& id : sim_.cluster.activeTaskIds()) {
      auto it = sim_.cluster.master().tasks().find(sim_.cluster.frameworkId() + "/" + id);
      if (it->second.latest.state == TaskState::kTaskStaging)
        sim_.cluster.sendTaskState(id, TaskState::kTaskRunning);
    }
    pump();
    return "staged tasks run";
  }

 private:
  // Hands over the queued events, sometimes with an update duplicated or
  // updates of different tasks reordered (one task's own stay in order).
  void pump() {
    while (sim_.cluster.hasEvents()) {
      std::vector<mesos::Event> events = sim_.cluster.takeEvents();
      if (rng_() % 4 == 0) reorderUpdates(events);
      if (rng_() % 4 == 0) duplicateUpdate(events);
      for (const mesos::Event& e : events) sim_.deliver(e);
    }
  }
  void reorderUpdates(std::vector<mesos::Event>& events) {
    std::vector<size_t> at;
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].type == mesos::Event::Type::kUpdate) at.push_back(i);
    }
    std::vector<mesos::Event> updates;
    for (size_t i : at) updates.push_back(events[i]);
    std::vector<size_t> order(updates.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    // Per task, its updates keep their order over the slots it got.
    std::map<std::string, std::vector<size_t>> slots;
    for (size_t slot = 0; slot < order.size(); ++slot) {
      slots[updates[order[slot]].update->status.taskId.value].push_back(slot);
    }
    std::map<std::string, size_t> next;
    std::vector<mesos::Event> shuffled(updates.size());
    for (const mesos::Event& u : updates) {
      const std::string& id = u.update->status.taskId.value;
      shuffled[slots[id][next[id]++]] = u;
    }
    for (size_t i = 0; i < at.size(); ++i) events[at[i]] = shuffled[i];
    if (at.size() > 1) check_.note("updates reordered");
  }
  void duplicateUpdate(std::vector<mesos::Event>& events) {
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].type != mesos::Event::Type::kUpdate) continue;
      check_.note("update duplicated: " + events[i].update->status.taskId.value);
      events.insert(events.begin() + static_cast<long>(i) + 1, events[i]);
      return;
    }
  }
  std::string endTask(TaskState state, const std::string& message) {
    std::vector<std::string> ids = sim_.cluster.activeTaskIds();
    if (ids.empty()) return "no task to end";
    std::string id = ids[rng_() % ids.size()];
    sim_.cluster.sendTaskState(id, state, std::nullopt, message);
    pump();
    return std::string(mesos::enumName(state)) + " (" + message + ") " + id;
  }
  std::string toggleAgent() {
    std::vector<std::string> agents;  // up, or down by this driver (not removed)
    for (const auto& [id, agent] : sim_.cluster.master().agents()) {
      if (agent.health == local::AgentHealth::kUp || down_.count(id) != 0) agents.push_back(id);
    }
    std::string a = agents[rng_() % agents.size()];
    if (down_.erase(a) != 0) {
      sim_.cluster.agentUp(a);
      pump();
      return "agent up " + a;
    }
    if (down_.size() >= 2) return "no agent down (two are)";
    down_.insert(a);
    sim_.cluster.agentDown(a);
    pump();
    return "agent down " + a;
  }
  // An agent removed for good (TASK_GONE_BY_OPERATOR: automatic permanent
  // recovery) and a new one in its place.
  std::string replaceAgent() {
    if (removed_ >= 1) return round();
    std::vector<std::string> agents;
    for (const auto& [id, agent] : sim_.cluster.master().agents()) {
      if (agent.health == local::AgentHealth::kUp) agents.push_back(id);
    }
    std::string a = agents[rng_() % agents.size()];
    ++removed_;
    sim_.cluster.removeAgent(a);
    local::AgentConfig c;
    c.hostname = "host-new-" + std::to_string(removed_);
    c.cpus = 1;
    c.memMb = 1024;
    c.diskMb = 4096;
    c.ports = {32000, 32099};
    std::string added = sim_.cluster.addAgent(c);
    pump();
    return "agent " + a + " removed for good; " + added + " added";
  }
  std::string rescind() {
    for (const auto& [id, offer] : sim_.cluster.master().offers()) {
      if (offer.frameworkId != sim_.cluster.frameworkId()) continue;
      std::string offerId = id;
      sim_.cluster.rescindOffer(offerId);
      pump();
      return "offer rescinded " + offerId;
    }
    // None outstanding: one is made and rescinded before the scheduler sees
    // it (the OFFERS and RESCIND events arrive in that order).
    sim_.cluster.allocate();
    for (const auto& [id, offer] : sim_.cluster.master().offers()) {
      if (offer.frameworkId != sim_.cluster.frameworkId()) continue;
      std::string offerId = id;
      sim_.cluster.rescindOffer(offerId);
      pump();
      return "offer rescinded in flight " + offerId;
    }
    pump();
    return "no offer to rescind";
  }
  std::string operatorAction() {
    const char* instances[] = {"meta-data-0", "meta-data-1", "data-0", "data-1", "data-2"};
    std::string instance = instances[rng_() % 5];
    switch (rng_() % 4) {
      case 0: {
        auto r = sim_.scheduler->restartPod(instance, true);
        return "operator: pod replace " + instance + (r ? "" : ": " + r.error().toString());
      }
      case 1: {
        auto r = sim_.scheduler->restartPod(instance, false);
        return "operator: pod restart " + instance + (r ? "" : ": " + r.error().toString());
      }
      default: {
        bool interrupt = rng_() % 2 == 0;
        plan::Plan* deploy = sim_.scheduler->findPlan("deploy");
        return std::string("operator: deploy ") + (interrupt ? "interrupt" : "continue") +
               planOp(*deploy, interrupt);
      }
    }
  }
  // As the HTTP API does it: tried on a copy, persisted, then applied.
  std::string planOp(plan::Plan& live, bool interrupt) {
    auto op = [interrupt](plan::Plan& p) {
      return interrupt ? plan::interruptElement(p, {}) : plan::continueElement(p, {});
    };
    plan::Plan trial = live;
    Result<plan::OperationResult> tried = op(trial);
    if (!tried || !tried->changed) return " (no change)";
    Status s = sim_.scheduler->persistOverrides(live.name(), tried->changes);
    if (!s.isOk()) return ": not persisted: " + s.toString();
    (void)op(live);
    return "";
  }
  std::string failover() {
    testing::PlanSnapshot before = check_.snapshot();
    Status started = sim_.tryStart();
    if (!started.isOk() || sim_.dead()) return "scheduler failover (died while starting)";
    sim_.subscribe();
    if (sim_.dead()) return "scheduler failover (died while subscribing)";
    std::vector<std::string> bad = check_.compareAfterRestart(before);
    restartViolations_.insert(restartViolations_.end(), bad.begin(), bad.end());
    pump();
    return "scheduler failover";
  }
  std::string armCrash() {
    if (sim_.persister.crashAt) return round();
    size_t k = sim_.persister.commitCalls + rng_() % 6;
    bool after = rng_() % 2 == 0;
    sim_.persister.crashAt = k;
    sim_.persister.crashMode = after ? testing::FlakyPersister::Crash::kAfterCommit
                                     : testing::FlakyPersister::Crash::kBeforeCommit;
    return "crash armed at commit " + std::to_string(k) + (after ? " (after it)" : " (before it)");
  }

 public:
  std::vector<std::string> restartViolations_;

 private:
  SchedulerSim& sim_;
  SimInvariants& check_;
  std::mt19937_64 rng_;
  std::set<std::string> down_;
  int removed_ = 0;
};

bool allRunning(SchedulerSim& sim, size_t tasks) {
  std::vector<std::string> ids = sim.cluster.activeTaskIds();
  if (ids.size() != tasks) return false;
  for (const std::string& id : ids) {
    auto it = sim.cluster.master().tasks().find(sim.cluster.frameworkId() + "/" + id);
    if (it->second.latest.state != TaskState::kTaskRunning) return false;
  }
  return sim.planStatus("deploy") == "COMPLETE" &&
         (sim.scheduler->findPlan("recovery") == nullptr ||
          sim.planStatus("recovery") == "COMPLETE");
}

// One seed: the violations found, each with its history.
std::vector<std::string> runSeed(const spec::ServiceSpec& spec, uint64_t seed, int events) {
  SchedulerSim sim(spec);
  sim.cluster.addAgents(5);
  // Even seeds: automatic replacement on, with short sim-time timeouts (a
  // round is 6 s); every fourth seed with a breaker that trips at two.
  if (seed % 2 == 0) {
    sim.options.automaticRecovery = {true, std::chrono::seconds(30), std::chrono::seconds(90),
                                     seed % 4 == 0 ? 1 : 3};
  }
  sim.startSubscribed();
  testing::InvariantOptions options;
  if (const char* lines = std::getenv("KEEL_SIM_HISTORY")) {
    options.historyLines = std::strtoull(lines, nullptr, 10);
  }
  SimInvariants check(sim, options);
  FaultDriver faults(sim, check, seed);
  for (int i = 0; i < events; ++i) {
    std::string what = faults.step();
    std::vector<std::string> bad = faults.afterEvent(what);
    if (!bad.empty()) return bad;
  }
  faults.calm();
  check.note("faults stop");
  int settledRounds = 0;
  for (int i = 0; i < 80 && settledRounds < 4; ++i) {
    faults.resetBreaker();
    std::vector<std::string> bad = faults.afterEvent(faults.round());
    if (bad.empty()) {
      sim.answerKills();
      bad = faults.afterEvent("kills answered");
    }
    if (bad.empty()) bad = faults.afterEvent(faults.runStaged());
    if (!bad.empty()) return bad;
    settledRounds = allRunning(sim, 5) ? settledRounds + 1 : 0;
  }
  if (settledRounds == 0) {
    return {"not settled:\n" + check.describeState() + check.history()};
  }
  std::vector<std::string> bad = check.checkSettled();
  bad.insert(bad.end(), faults.restartViolations_.begin(), faults.restartViolations_.end());
  return bad;
}

TEST(SimFaults, InvariantsHoldUnderSeededFaultSchedules) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  ASSERT_TRUE(spec.has_value());
  // Many seeds log a lot; a replay (KEEL_SIM_SEED) logs everything.
  bool replay = std::getenv("KEEL_SIM_SEED") != nullptr;
  if (!replay) setLogLevel(LogLevel::kError);
  for (uint64_t seed : seeds(60)) {
    std::vector<std::string> bad = runSeed(*spec, seed, 80);
    if (bad.empty()) continue;
    ADD_FAILURE() << "seed " << seed << ": " << bad.front() << "\nreplay: KEEL_SIM_SEED=" << seed
                  << " build/src/scheduler/keel_scheduler_test"
                  << " --gtest_filter=SimFaults.InvariantsHoldUnderSeededFaultSchedules";
  }
  setLogLevel(LogLevel::kInfo);
}

// The throttle and breaker rules read the policy's view: operator replaces
// and agents removed for good are not the policy's and never count; views
// with policy replacements too close, or made while the breaker is open,
// are reported.
TEST(SimFaults, PolicyInvariantsCountOnlyThePolicysReplacementsAndCanFail) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  ASSERT_TRUE(spec.has_value());
  SchedulerSim sim(*spec);
  sim.cluster.addAgents(7);
  sim.options.automaticRecovery = {true, std::chrono::seconds(30), std::chrono::minutes(5), 1};
  sim.startSubscribed();
  ASSERT_TRUE(sim.deploy());
  SimInvariants check(sim);
  ASSERT_TRUE(check.check().empty());
  ASSERT_TRUE(sim.scheduler->restartPod("data-0", true).has_value());
  ASSERT_TRUE(sim.scheduler->restartPod("data-1", true).has_value());
  std::set<std::string> hosts;
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    std::optional<std::string> name = offer::taskNameFromTaskId(id);
    if (name == "data-2-node" || name == "meta-data-0-node") hosts.insert(sim.cluster.agentOf(id));
  }
  for (const std::string& a : hosts) sim.cluster.removeAgent(a);
  sim.pump();
  EXPECT_TRUE(check.check().empty()) << "operator replaces and removed agents are not throttled";
  EXPECT_GE(check.automaticReplacements().size(), 2u);

  TimePoint t0 = sim.clock.now();
  AutomaticRecoveryView view;
  view.options = {true, std::chrono::seconds(30), std::chrono::minutes(5), 1};
  view.replacements = {{t0, "data-0", "timeout"}};
  view.state.lastReplacement = t0;
  EXPECT_TRUE(check.checkPolicy(view).empty());
  view.replacements.push_back({t0 + std::chrono::minutes(6), "data-1", "timeout"});
  view.state.lastReplacement = t0 + std::chrono::minutes(6);
  EXPECT_TRUE(check.checkPolicy(view).empty()) << "6 minutes apart";
  view.replacements.push_back({t0 + std::chrono::minutes(7), "data-2", "timeout"});
  std::vector<std::string> bad = check.checkPolicy(view);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad.front().find("throttle: data-2 replaced automatically 60000 ms after data-1"),
            std::string::npos)
      << bad.front();
  // A restarted scheduler's view: only the stored time of the last one.
  AutomaticRecoveryView restarted;
  restarted.options = view.options;
  restarted.state.lastReplacement = t0 + std::chrono::minutes(9);
  bad = check.checkPolicy(restarted);
  ASSERT_EQ(bad.size(), 1u) << "2 minutes after data-2";
  restarted.state.breaker = BreakerTrip{t0 + std::chrono::minutes(20), "3 failing"};
  restarted.replacements = {{t0 + std::chrono::minutes(30), "meta-data-1", "timeout"}};
  bad = check.checkPolicy(restarted);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad.front().find("breaker: meta-data-1"), std::string::npos) << bad.front();
}

}  // namespace
}  // namespace keel::scheduler
