// A scheduler killed at every persistence point (issue 5): for a deploy, an
// update (an env change: new task config), a transient recovery and an
// operator's pod replace, an uninterrupted run counts its commits; then for
// every k below that count, and both "died before commit k" and "died just
// after it", the scenario runs again, the scheduler dies there, a new one
// starts over the surviving store, and the run settles. It must end as the
// uninterrupted run did: the same tasks RUNNING, the same incarnations, no
// (task, incarnation) launched more often than there plus one retry, no
// reservation or volume leaked or lost, and SimInvariants hold after every
// event. After each crash, the restarted scheduler's plans (recovery
// included) equal a clean start's over the same store, and the durable
// parts those before the crash (sim_invariants.h: "the same plans").
#include <gtest/gtest.h>

#include <functional>

#include "http/fake_scheduler_api.h"
#include "keel/check.h"
#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"
#include "scheduler/pod_instances.h"
#include "scheduler/sim_invariants.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::TaskState;
using testing::FlakyPersister;
using testing::SchedulerSim;
using testing::SimInvariants;

constexpr size_t kTasks = 5;

spec::ServiceSpec dataStore(const std::map<std::string, std::string>& env = {}) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), env);
  KEEL_CHECK(spec.has_value());
  return *spec;
}

struct Scenario {
  std::string name;
  // Before the commits are counted (never crashes).
  std::function<void(SchedulerSim&)> prepare;
  // The action; an operator's action that failed (the scheduler died
  // before its answer) is what the operator repeats once it is back.
  std::function<Status(SchedulerSim&)> act;
  bool repeatFailedAct = false;
};

// The end state compared with the uninterrupted run.
struct Outcome {
  std::set<std::string> running;  // task names
  std::map<std::string, int64_t> incarnations;
  std::map<std::pair<std::string, int64_t>, int> launches;
  std::vector<std::string> violations;
  size_t commits = 0;  // commit calls from the action on
};

bool settled(SchedulerSim& sim) {
  std::vector<std::string> ids = sim.cluster.activeTaskIds();
  if (ids.size() != kTasks) return false;
  for (const std::string& id : ids) {
    auto it = sim.cluster.master().tasks().find(sim.cluster.frameworkId() + "/" + id);
    if (it->second.latest.state != TaskState::kTaskRunning) return false;
  }
  for (plan::Plan* p : sim.scheduler->plans()) {
    if (!p->isComplete()) return false;
  }
  return true;
}

void collect(SchedulerSim& sim, SimInvariants& check, Outcome& out) {
  for (const std::string& id : sim.cluster.activeTaskIds()) {
    out.running.insert(offer::taskNameFromTaskId(id).value_or(id));
  }
  PodInstances pods(sim.persister);
  KEEL_CHECK(pods.load().isOk());
  for (const char* i : {"meta-data-0", "meta-data-1", "data-0", "data-1", "data-2"}) {
    out.incarnations[i] = pods.incarnation(i);
  }
  out.launches = check.launchCounts();
}

// The dead scheduler replaced as restartAfterCrash() does, and before the
// new one subscribes: its plans equal those of a second, clean start over
// the same stored state, and the durable parts those before the crash.
std::vector<std::string> restartAndCompare(SchedulerSim& sim, SimInvariants& check,
                                           const testing::PlanSnapshot& before) {
  sim.scheduler.reset();
  sim.cluster.disconnect();
  sim.persister.recover();
  Status s = sim.tryStart();
  if (!s.isOk()) return {"restart failed: " + s.toString()};
  std::vector<std::string> out = check.compareAfterRestart(before);
  testing::PlanSnapshot restarted = check.snapshot(nullptr, true);
  std::unique_ptr<Scheduler> live = std::move(sim.scheduler);
  s = sim.tryStart();
  if (!s.isOk()) return {"clean start over the same store failed: " + s.toString()};
  testing::PlanSnapshot clean = check.snapshot(nullptr, true);
  for (std::string& v :
       check.compareSnapshots(restarted, clean, "restart after a crash vs a clean start")) {
    out.push_back(std::move(v));
  }
  sim.scheduler = std::move(live);
  sim.subscribe();
  sim.pump();
  return out;
}

// Runs the scenario; with `crashAt`, the scheduler dies at that commit call
// (counted from the action on).
Outcome run(const Scenario& sc, std::optional<size_t> crashAt, FlakyPersister::Crash mode) {
  SchedulerSim sim(dataStore());
  sim.cluster.addAgents(5);
  SimInvariants check(sim);
  Outcome out;
  bool acting = false;  // before the action, no scheduler may be running yet
  testing::PlanSnapshot lastAlive;
  auto step = [&](const std::string& what) {
    check.note(what);
    if (sim.persister.crashed || (acting && sim.scheduler == nullptr)) {
      check.note("scheduler died; restarted over the surviving store");
      for (std::string& v : restartAndCompare(sim, check, lastAlive)) {
        out.violations.push_back(std::move(v));
      }
    }
    for (std::string& v : check.check()) out.violations.push_back(std::move(v));
    if (!sim.dead()) lastAlive = check.snapshot();
  };
  sc.prepare(sim);
  step("prepared");
  size_t base = sim.persister.commitCalls;
  if (crashAt) {
    sim.persister.crashAt = base + *crashAt;
    sim.persister.crashMode = mode;
  }
  acting = true;
  Status acted = sc.act(sim);
  bool diedInAct = sim.dead();
  step("action: " + sc.name + (acted.isOk() ? "" : " (" + acted.toString() + ")"));
  if (diedInAct && !acted.isOk() && sc.repeatFailedAct) {
    Status again = sc.act(sim);
    step("action repeated by the operator" + (again.isOk() ? "" : ": " + again.toString()));
  }
  int extra = 0;
  for (int i = 0; i < 60 && extra < 3 && out.violations.empty(); ++i) {
    sim.round();
    step("round");
    sim.answerKills();
    step("kills answered");
    sim.runStaged();
    step("staged tasks run");
    if (!sim.dead() && settled(sim)) ++extra;
  }
  out.commits = sim.persister.commitCalls - base;
  if (extra == 0)
    out.violations.push_back("not settled\n" + check.describeState() + check.history());
  if (out.violations.empty()) out.violations = check.checkSettled();
  collect(sim, check, out);
  return out;
}

void deployed(SchedulerSim& sim) {
  sim.startSubscribed();
  KEEL_CHECK(sim.deploy());
}

// A start that may hit the injected crash (its error is returned).
Status startSubscribedOrFail(SchedulerSim& sim) {
  KEEL_RETURN_IF_ERROR(sim.tryStart());
  sim.subscribe();
  sim.pump();
  return Status::ok();
}

std::vector<Scenario> scenarios() {
  std::vector<Scenario> out;
  out.push_back({"deploy", [](SchedulerSim&) {}, startSubscribedOrFail, false});
  out.push_back({"update (DATA_MEM 64 -> 96)",
                 [](SchedulerSim& sim) {
                   deployed(sim);
                   sim.scheduler.reset();
                   sim.spec_ = dataStore({{"DATA_MEM", "96"}});
                 },
                 startSubscribedOrFail, false});
  out.push_back({"recovery of a failed data-1-node", deployed,
                 [](SchedulerSim& sim) {
                   for (const std::string& id : sim.cluster.activeTaskIds()) {
                     if (offer::taskNameFromTaskId(id) != "data-1-node") continue;
                     sim.cluster.sendTaskState(id, TaskState::kTaskFailed, std::nullopt, "exit 1");
                   }
                   sim.pump();
                   return Status::ok();
                 },
                 false});
  out.push_back(
      {"operator replace of data-0", deployed,
       [](SchedulerSim& sim) { return sim.scheduler->restartPod("data-0", true).status(); }, true});
  return out;
}

std::string describe(const Outcome& o) {
  std::string s = "running:";
  for (const std::string& n : o.running) s += " " + n;
  s += "; incarnations:";
  for (const auto& [i, n] : o.incarnations) s += " " + i + "=" + std::to_string(n);
  return s;
}

// Launches beyond the uninterrupted run's: at most one retry in all.
int excessLaunches(const Outcome& base, const Outcome& o, std::string& which) {
  int excess = 0;
  for (const auto& [key, n] : o.launches) {
    auto it = base.launches.find(key);
    int more = n - (it == base.launches.end() ? 0 : it->second);
    if (more <= 0) continue;
    excess += more;
    which += " " + key.first + "@" + std::to_string(key.second) + " x" + std::to_string(n);
  }
  return excess;
}

class SimCrash : public ::testing::TestWithParam<size_t> {};

TEST_P(SimCrash, EveryPersistencePointEndsAsTheUninterruptedRun) {
  Scenario sc = scenarios()[GetParam()];
  Outcome base = run(sc, std::nullopt, FlakyPersister::Crash::kBeforeCommit);
  ASSERT_TRUE(base.violations.empty()) << sc.name << ": " << base.violations.front();
  ASSERT_EQ(base.running.size(), kTasks) << describe(base);
  ASSERT_GT(base.commits, 0u);
  for (auto mode : {FlakyPersister::Crash::kBeforeCommit, FlakyPersister::Crash::kAfterCommit}) {
    const char* modeName = mode == FlakyPersister::Crash::kBeforeCommit ? "before" : "after";
    for (size_t k = 0; k < base.commits; ++k) {
      Outcome o = run(sc, k, mode);
      std::string at = sc.name + ", died " + modeName + " commit " + std::to_string(k) + " of " +
                       std::to_string(base.commits);
      if (!o.violations.empty()) {
        ADD_FAILURE() << at << ": " << o.violations.front();
        continue;
      }
      EXPECT_EQ(o.running, base.running) << at << ": " << describe(o);
      EXPECT_EQ(o.incarnations, base.incarnations) << at << ": " << describe(o);
      std::string which;
      EXPECT_LE(excessLaunches(base, o, which), 1) << at << ": launched more often:" << which;
    }
  }
}

// The comparison of two restarts over one stored state can fail.
TEST(SimCrashCompare, SnapshotsThatDifferAreReported) {
  SchedulerSim sim(dataStore());
  SimInvariants check(sim);
  testing::PlanSnapshot a;
  a.complete["deploy/data/data-0:[node]"] = true;
  a.interrupted["deploy"] = false;
  a.recovery["recovery/data-1"] = "PENDING TRANSIENT";
  testing::PlanSnapshot b = a;
  EXPECT_TRUE(check.compareSnapshots(a, b, "same").empty());
  b.complete["deploy/data/data-0:[node]"] = false;
  b.recovery.clear();
  b.pendingReplacements.insert("data-2");
  std::vector<std::string> bad = check.compareSnapshots(a, b, "x");
  ASSERT_EQ(bad.size(), 3u);
  EXPECT_NE(bad[0].find("x: step completions differ at deploy/data/data-0:[node]"),
            std::string::npos)
      << bad[0];
  EXPECT_NE(bad[1].find("x: recovery steps differ at recovery/data-1"), std::string::npos)
      << bad[1];
}

std::string scenarioName(const ::testing::TestParamInfo<size_t>& info) {
  static const char* const kNames[] = {"Deploy", "Update", "Recovery", "Replace"};
  return kNames[info.param];
}

INSTANTIATE_TEST_SUITE_P(Scenarios, SimCrash, ::testing::Range<size_t>(0, 4), scenarioName);

}  // namespace
}  // namespace keel::scheduler
