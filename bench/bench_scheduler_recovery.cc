// Issue 5's simulation benchmarks.
//
// BM_FailureToRelaunch: in simulation (the Scheduler against the in-process
// FakeCluster, a manual clock, a MemoryPersister), the wall time from a
// task's TASK_FAILED being handed to the scheduler to the ACCEPT that
// relaunches it: the update persisted and acknowledged, the recovery step
// made, REVIVE, the master's allocation, the OFFERS event evaluated, the
// TaskInfos persisted and the ACCEPT sent. 100 pod instances of one task on
// 25 agents, all running; each iteration fails the next one. Backoff is
// excluded: the manual clock moves 11 minutes before each failure, so every
// failure is an instance's first (relaunched at once). Target: p99 under
// 100 ms. Counters p50_ms, p99_ms, max_ms over the iterations.
//
// BM_RestartWith10kTasks: Scheduler::create() over a store that holds 10,000
// running tasks (a pod of count 10,000 deployed: TaskInfos, TASK_RUNNING
// statuses, the target configuration, the deploy plan complete), until the
// plans are restored (every step's status derived from the stored tasks).
// The store is built once per backend (outside the timing): through the
// scheduler with hand-built offers and a driver that records calls, then
// copied into SQLite (synchronous=FULL) for the SQLite variant. Target:
// under 1 s. Counters p50_ms, max_ms.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bench_resources.h"
#include "keel/check.h"
#include "keel/log.h"
#include "keel/mesos/client.h"
#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"
#include "keel/scheduler/scheduler.h"
#include "keel/spec_loader.h"
#include "keel/state/memory_persister.h"
#include "keel/state/sqlite_persister.h"
#include "null_driver.h"
#include "testing/fake_cluster.h"
#include "testing/manual_clock.h"
#include "testing/temp_dir.h"

namespace {

using keel::bench::allocatedScalar;

using keel::mesos::TaskState;
using keel::scheduler::Scheduler;
using Clock = std::chrono::steady_clock;

keel::spec::ServiceSpec loadSpec(int count, double cpus) {
  std::string yml = "name: bench\npods:\n  app:\n    count: " + std::to_string(count) +
                    "\n    tasks:\n      server:\n        goal: RUNNING\n        cmd: sleep 1000\n"
                    "        cpus: " +
                    std::to_string(cpus) +
                    "\n        memory: 32\n"
                    "plans:\n  deploy:\n    strategy: serial\n    phases:\n      app:\n"
                    "        strategy: parallel\n        pod: app\n";
  keel::spec::LoadResult r = keel::spec::loadServiceSpecText(yml, "bench-svc.yml", {});
  KEEL_CHECK_MSG(r.ok(), "the benchmark's svc.yml does not load");
  return *r.spec;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

void quiet() { keel::setLogLevel(keel::LogLevel::kError); }

// ---------------------------------------------------------------- (a)

struct Sim {
  explicit Sim(const keel::spec::ServiceSpec& spec) : cluster(clock) {
    cluster.addAgents(25, 4.0, 4096);
    keel::scheduler::SchedulerOptions o;
    o.planIds = keel::plan::seededIds(1000);
    o.uuids = keel::offer::seededUuids(100000);
    auto s = Scheduler::create(spec, persister, clock, cluster, o);
    KEEL_CHECK_MSG(s.has_value(), "Scheduler::create failed");
    scheduler = std::move(*s);
    keel::mesos::FrameworkInfo info = keel::mesos::defaultFrameworkInfo(
        scheduler->serviceName(), scheduler->user(), {scheduler->role()}, scheduler->principal());
    scheduler->onSubscribed(cluster.subscribe(info));
    pump();
  }
  void pump() {
    while (cluster.hasEvents()) {
      for (const keel::mesos::Event& e : cluster.takeEvents()) {
        if (e.type == keel::mesos::Event::Type::kOffers) scheduler->onOffers(e.offers->offers);
        if (e.type == keel::mesos::Event::Type::kUpdate) scheduler->onUpdate(e.update->status);
      }
    }
  }
  void round() {
    clock.advance(std::chrono::seconds(6));
    scheduler->tick();
    cluster.tick();
    pump();
    cluster.allocate();
    pump();
  }
  void runStaged() {
    for (const std::string& id : cluster.activeTaskIds()) {
      auto it = cluster.master().tasks().find(cluster.frameworkId() + "/" + id);
      if (it->second.latest.state == TaskState::kTaskStaging)
        cluster.sendTaskState(id, TaskState::kTaskRunning);
    }
    pump();
  }
  keel::testing::ManualClock clock;
  keel::state::MemoryPersister persister;
  keel::testing::FakeCluster cluster;
  std::unique_ptr<Scheduler> scheduler;
};

void BM_FailureToRelaunch(benchmark::State& state) {
  quiet();
  constexpr int kInstances = 100;
  Sim sim(loadSpec(kInstances, 0.5));
  for (int i = 0; i < 40 && sim.cluster.activeTaskIds().size() < kInstances; ++i) {
    sim.round();
    sim.runStaged();
  }
  KEEL_CHECK_MSG(sim.cluster.activeTaskIds().size() == kInstances, "deploy did not finish");
  std::optional<Clock::time_point> sent;
  sim.cluster.beforeCall = [&](const keel::mesos::Call& c) {
    if (!c.accept) return;
    for (const auto& op : c.accept->operations) {
      if (op.launchGroup && !sent) sent = Clock::now();
    }
  };
  std::vector<double> ms;
  int next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    sim.clock.advance(std::chrono::minutes(11));  // a first failure: no backoff
    std::string name = "app-" + std::to_string(next++ % kInstances) + "-server";
    std::string id;
    for (const std::string& t : sim.cluster.activeTaskIds()) {
      if (keel::offer::taskNameFromTaskId(t) == name) id = t;
    }
    KEEL_CHECK_MSG(!id.empty(), "the task to fail is not running");
    sim.cluster.sendTaskState(id, TaskState::kTaskFailed, std::nullopt, "exit 1");
    sent.reset();
    state.ResumeTiming();
    auto start = Clock::now();
    sim.pump();  // the update: persisted, acknowledged, recovery step, REVIVE
    sim.scheduler->tick();
    sim.cluster.allocate();
    sim.pump();  // the offers: evaluated, persisted, ACCEPT
    state.PauseTiming();
    KEEL_CHECK_MSG(sent.has_value(), "no relaunch was sent");
    ms.push_back(std::chrono::duration<double, std::milli>(*sent - start).count());
    sim.runStaged();
    state.ResumeTiming();
  }
  state.counters["p50_ms"] = percentile(ms, 0.50);
  state.counters["p99_ms"] = percentile(ms, 0.99);
  state.counters["max_ms"] = percentile(ms, 1.0);
}
BENCHMARK(BM_FailureToRelaunch)->Iterations(500)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------- (b)

constexpr int kTasks = 10'000;

// Records launches; sends nothing.
class RecordingDriver final : public keel::bench::NullDriver {
 public:
  keel::Status accept(const std::vector<keel::mesos::OfferID>&,
                      const std::vector<keel::mesos::OfferOperation>& operations,
                      std::optional<keel::mesos::Filters>) override {
    for (const auto& op : operations) {
      if (!op.launchGroup) continue;
      for (const auto& t : op.launchGroup->taskGroup.tasks) launched.push_back(t);
    }
    return keel::Status::ok();
  }

  std::vector<keel::mesos::TaskInfo> launched;
};

// 100 offers of 1 cpu from distinct agents: one pod instance each.
std::vector<keel::mesos::Offer> makeOffers(const std::string& role, int pass) {
  std::vector<keel::mesos::Offer> offers(100);
  for (int i = 0; i < 100; ++i) {
    keel::mesos::Offer& o = offers[i];
    int agent = pass * 100 + i;
    o.id.value = "offer-" + std::to_string(agent);
    o.frameworkId.value = "bench-framework";
    o.agentId.value = "bench-S" + std::to_string(agent);
    o.hostname = "host-" + std::to_string(agent);
    o.resources = {allocatedScalar("cpus", 1.0, role), allocatedScalar("mem", 1024, role),
                   allocatedScalar("disk", 4096, role)};
  }
  return offers;
}

// A store with kTasks running tasks, deployed through the scheduler.
void deployInto(keel::state::Persister& store, const keel::spec::ServiceSpec& spec) {
  keel::testing::ManualClock clock;
  RecordingDriver driver;
  keel::scheduler::SchedulerOptions o;
  o.planIds = keel::plan::seededIds(1);
  o.uuids = keel::offer::seededUuids(1);
  auto s = Scheduler::create(spec, store, clock, driver, o);
  KEEL_CHECK_MSG(s.has_value(), "Scheduler::create failed");
  (*s)->onSubscribed("bench-framework");
  for (int pass = 0; pass < kTasks / 100; ++pass) (*s)->onOffers(makeOffers((*s)->role(), pass));
  KEEL_CHECK_MSG(driver.launched.size() == kTasks, "not every task launched");
  for (const keel::mesos::TaskInfo& t : driver.launched) {
    keel::mesos::TaskStatus st;
    st.taskId = t.taskId;
    st.agentId = t.agentId;
    st.state = TaskState::kTaskRunning;
    (*s)->onUpdate(st);
  }
  KEEL_CHECK_MSG((*s)->findPlan("deploy")->isComplete(), "deploy not complete");
}

// Every node of `from` written into `to`, in batches.
void copyStore(keel::state::Persister& from, keel::state::Persister& to) {
  std::vector<keel::state::Op> batch;
  size_t bytes = 0;
  std::vector<std::string> todo = {"/"};
  while (!todo.empty()) {
    std::string path = todo.back();
    todo.pop_back();
    auto kids = from.children(path);
    KEEL_CHECK(kids.has_value());
    for (const std::string& k : *kids) {
      std::string child = (path == "/" ? "" : path) + "/" + k;
      auto node = from.get(child);
      KEEL_CHECK(node.has_value());
      bytes += child.size() + node->value.size();
      batch.push_back(keel::state::Op::set(child, node->value));
      todo.push_back(child);
      if (bytes > 500'000) {
        KEEL_CHECK(to.commit(batch).has_value());
        batch.clear();
        bytes = 0;
      }
    }
  }
  KEEL_CHECK(to.commit(batch).has_value());
}

void BM_RestartWith10kTasks(benchmark::State& state) {
  quiet();
  bool sqlite = state.range(0) == 1;
  keel::spec::ServiceSpec spec = loadSpec(kTasks, 0.6);
  keel::testing::TempDir dir;
  keel::state::MemoryPersister memory;
  deployInto(memory, spec);
  std::unique_ptr<keel::state::Persister> sqliteStore;
  if (sqlite) {
    auto p = keel::state::SqlitePersister::open(dir.file("state.db"));
    KEEL_CHECK_MSG(p.has_value(), "cannot open state.db");
    sqliteStore = std::move(*p);
    copyStore(memory, *sqliteStore);
  }
  keel::state::Persister& store = sqlite ? *sqliteStore : memory;
  keel::testing::ManualClock clock;
  RecordingDriver driver;
  std::vector<double> ms;
  uint64_t seed = 2;
  for (auto _ : state) {
    keel::scheduler::SchedulerOptions o;
    o.planIds = keel::plan::seededIds(seed * 100000);
    o.uuids = keel::offer::seededUuids(seed++ * 100000);
    auto start = Clock::now();
    auto s = Scheduler::create(spec, store, clock, driver, o);
    auto end = Clock::now();
    KEEL_CHECK_MSG(s.has_value(), "Scheduler::create failed");
    KEEL_CHECK_MSG((*s)->findPlan("deploy")->isComplete(), "plans not restored");
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    state.PauseTiming();
    s->reset();
    state.ResumeTiming();
  }
  state.counters["p50_ms"] = percentile(ms, 0.50);
  state.counters["max_ms"] = percentile(ms, 1.0);
  state.counters["tasks"] = kTasks;
}
BENCHMARK(BM_RestartWith10kTasks)
    ->ArgName("sqlite")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
