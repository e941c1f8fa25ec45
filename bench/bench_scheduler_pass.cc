// One scheduling pass with 10,000 pending steps (issue 4 section 5): a pod
// of count 10,000 under a parallel deploy phase, a fresh Scheduler over a
// MemoryPersister (or SQLite in a temp dir, synchronous=FULL), subscribed
// with nothing to reconcile, then one OFFERS event of 100 hand-built offers
// handed to onOffers(): plan tick, candidate selection, evaluation of every
// candidate against the offers (first fit), persistence of the launched
// TaskInfos, ACCEPT/DECLINE through a driver that only records the calls,
// SUPPRESS/REVIVE. Target: p99 under 50 ms a pass.
//
// Each offer fits one pod instance (1 cpu, 1 GiB; a task asks 0.6 cpus), so
// a pass launches 100 steps and leaves 9,900 steps unplaced: those are
// evaluated too, against offers already used. Building the scheduler is
// outside the timing. p50/p99/max are of the per-pass wall times, recorded
// per iteration (counters "p50_ms", "p99_ms", "max_ms"). The log level is
// LOG_LEVEL's (default warn; with info the pass logs one line per offer).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench_resources.h"
#include "keel/check.h"
#include "keel/log.h"
#include "keel/scheduler/scheduler.h"
#include "keel/spec_loader.h"
#include "keel/state/memory_persister.h"
#include "keel/state/sqlite_persister.h"
#include "null_driver.h"
#include "testing/manual_clock.h"
#include "testing/temp_dir.h"

namespace {

using keel::bench::allocatedScalar;

using keel::mesos::Offer;
using keel::scheduler::Scheduler;

constexpr int kPodCount = 10'000;
constexpr int kOffers = 100;

constexpr char kSpec[] = R"(name: bench
pods:
  app:
    count: 10000
    tasks:
      server:
        goal: RUNNING
        cmd: sleep 1000
        cpus: 0.6
        memory: 256
plans:
  deploy:
    strategy: serial
    phases:
      app:
        strategy: parallel
        pod: app
)";

// Records every call; sends nothing.
class RecordingDriver final : public keel::bench::NullDriver {
 public:
  keel::Status accept(const std::vector<keel::mesos::OfferID>& offerIds,
                      const std::vector<keel::mesos::OfferOperation>& operations,
                      std::optional<keel::mesos::Filters>) override {
    ++accepts;
    acceptedOffers += offerIds.size();
    for (const auto& op : operations) {
      if (op.launchGroup) launchedTasks += op.launchGroup->taskGroup.tasks.size();
    }
    return keel::Status::ok();
  }
  keel::Status decline(const std::vector<keel::mesos::OfferID>& offerIds, double) override {
    declines += offerIds.size();
    return keel::Status::ok();
  }

  size_t accepts = 0, acceptedOffers = 0, launchedTasks = 0, declines = 0;
};

keel::spec::ServiceSpec loadSpec() {
  keel::spec::LoadResult r = keel::spec::loadServiceSpecText(kSpec, "bench-svc.yml", {});
  KEEL_CHECK_MSG(r.ok(), "the benchmark's svc.yml does not load");
  return *r.spec;
}

std::vector<Offer> makeOffers(const std::string& role) {
  std::vector<Offer> offers(kOffers);
  for (int i = 0; i < kOffers; ++i) {
    Offer& o = offers[i];
    o.id.value = "offer-" + std::to_string(i);
    o.frameworkId.value = "bench-framework";
    o.agentId.value = "8b2c1f3e-5a6d-4e7f-9a0b-1c2d3e4f5a6b-S" + std::to_string(i);
    o.hostname = "host-" + std::to_string(i);
    o.resources = {allocatedScalar("cpus", 1.0, role), allocatedScalar("mem", 1024, role),
                   allocatedScalar("disk", 4096, role)};
    keel::mesos::Resource ports = allocatedScalar("ports", 0, role);
    ports.scalar.reset();
    ports.type = keel::mesos::Value::Type::kRanges;
    ports.ranges = keel::mesos::Value::Ranges{{{31000, 31099}}};
    o.resources.push_back(ports);
  }
  return offers;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

enum class Store { kMemory, kSqlite };

struct Fixture {
  explicit Fixture(Store store, const keel::spec::ServiceSpec& spec, uint64_t seed) {
    if (store == Store::kSqlite) {
      auto p = keel::state::SqlitePersister::open(dir.file("state.db"));
      KEEL_CHECK_MSG(p.has_value(), "cannot open state.db");
      persister = std::move(*p);
    } else {
      persister = std::make_unique<keel::state::MemoryPersister>();
    }
    keel::scheduler::SchedulerOptions o;
    o.planIds = keel::plan::seededIds(seed * 100000);
    o.uuids = keel::offer::seededUuids(seed * 100000);
    auto s = Scheduler::create(spec, *persister, clock, driver, o);
    KEEL_CHECK_MSG(s.has_value(), "Scheduler::create failed");
    scheduler = std::move(*s);
    scheduler->onSubscribed("bench-framework");
    KEEL_CHECK_MSG(scheduler->reconciled(), "nothing stored: reconciled at once");
  }
  keel::testing::TempDir dir;
  keel::testing::ManualClock clock;
  RecordingDriver driver;
  std::unique_ptr<keel::state::Persister> persister;
  std::unique_ptr<Scheduler> scheduler;
};

void BM_SchedulerPass(benchmark::State& state) {
  keel::LogLevel level = keel::LogLevel::kWarn;
  if (const char* env = std::getenv("LOG_LEVEL")) (void)keel::parseLogLevel(env, &level);
  keel::setLogLevel(level);
  Store store = static_cast<Store>(state.range(0));
  keel::spec::ServiceSpec spec = loadSpec();
  std::vector<double> ms;
  size_t launched = 0, declined = 0;
  uint64_t seed = 1;
  for (auto _ : state) {
    state.PauseTiming();
    auto f = std::make_unique<Fixture>(store, spec, seed++);
    std::vector<Offer> offers = makeOffers(f->scheduler->role());
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    f->scheduler->onOffers(offers);
    auto end = std::chrono::steady_clock::now();
    state.PauseTiming();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    launched = f->driver.launchedTasks;
    declined = f->driver.declines;
    KEEL_CHECK_MSG(launched == kOffers, "one pod instance per offer");
    f.reset();
    state.ResumeTiming();
  }
  state.counters["p50_ms"] = percentile(ms, 0.50);
  state.counters["p99_ms"] = percentile(ms, 0.99);
  state.counters["max_ms"] = percentile(ms, 1.0);
  state.counters["launched"] = static_cast<double>(launched);
  state.counters["declined"] = static_cast<double>(declined);
  state.counters["pending_steps"] = kPodCount;
}
BENCHMARK(BM_SchedulerPass)
    ->ArgName("sqlite")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(60)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
