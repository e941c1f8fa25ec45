// Candidate selection in a plan of 10,000 steps under each strategy, with
// the plan half done and some steps in flight (dirty pod instances), as the
// scheduler would call it on every offer cycle. Target: < 1 ms a selection.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "keel/ids.h"
#include "keel/plan.h"
#include "keel/plan_coordinator.h"
#include "keel/plan_json.h"
#include "keel/plan_operations.h"

namespace {

using keel::plan::Candidate;
using keel::plan::Phase;
using keel::plan::Plan;
using keel::plan::PlanCoordinator;
using keel::plan::Step;
using keel::plan::Strategy;

constexpr size_t kSteps = 10'000;
constexpr size_t kStepsPerPod = 4;  // dependency: a chain of 4 steps per pod instance

enum class Kind { kSerial, kParallel, kBounded, kDependency, kCanary };

std::unique_ptr<Strategy> strategyFor(Kind kind) {
  switch (kind) {
    case Kind::kSerial:
      return keel::plan::serialStrategy();
    case Kind::kParallel:
      return keel::plan::parallelStrategy();
    case Kind::kBounded:
      return keel::plan::parallelStrategy(50);
    case Kind::kCanary:
      return keel::plan::canaryStrategy(keel::plan::parallelStrategy());
    case Kind::kDependency: {
      std::vector<std::vector<size_t>> prereqs(kSteps);
      for (size_t i = 0; i < kSteps; ++i) {
        if (i % kStepsPerPod != 0) prereqs[i].push_back(i - 1);
      }
      return std::move(keel::plan::dependencyStrategy(std::move(prereqs))).value();
    }
  }
  return nullptr;
}

std::string podOf(Kind kind, size_t i) {
  size_t pod = kind == Kind::kDependency ? i / kStepsPerPod : i;
  return "data-" + std::to_string(pod);
}

// Half the steps COMPLETE; for non-serial strategies 100 PREPARED and 100
// STARTING after them; a canary has had both continues.
Plan buildPlan(Kind kind) {
  uint64_t seed = 1;
  std::vector<Step> steps;
  steps.reserve(kSteps);
  for (size_t i = 0; i < kSteps; ++i) {
    std::string pod = podOf(kind, i);
    steps.emplace_back(keel::seededUuid(seed++), pod + ":[node]#" + std::to_string(i), pod,
                       std::vector<std::string>{"node"});
  }
  std::vector<Phase> phases;
  phases.emplace_back(keel::seededUuid(seed++), "data", std::move(steps), strategyFor(kind));
  Plan plan(keel::seededUuid(seed++), "deploy", std::move(phases), keel::plan::serialStrategy());
  if (kind == Kind::kCanary) {
    (void)keel::plan::continueElement(plan, {"data", ""});
    (void)keel::plan::continueElement(plan, {"data", ""});
  }
  auto all = plan.phases()[0].steps();
  size_t done = kSteps / 2;
  for (size_t i = 0; i < done; ++i) all[i].forceComplete();
  size_t inFlight = kind == Kind::kSerial ? 1 : 200;
  for (size_t i = done; i < done + inFlight; i += kind == Kind::kDependency ? kStepsPerPod : 1) {
    (void)all[i].markPrepared();
    if ((i / (kind == Kind::kDependency ? kStepsPerPod : 1)) % 2 == 0) (void)all[i].markStarting();
  }
  return plan;
}

void BM_SelectCandidates(benchmark::State& state, Kind kind) {
  Plan plan = buildPlan(kind);
  PlanCoordinator coordinator({&plan});
  size_t count = 0;
  for (auto _ : state) {
    std::vector<Candidate> c = coordinator.candidates();
    count = c.size();
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["candidates"] = static_cast<double>(count);
}

void BM_PlanStatus(benchmark::State& state, Kind kind) {
  Plan plan = buildPlan(kind);
  for (auto _ : state) benchmark::DoNotOptimize(plan.status());
}

void BM_PlanToJson(benchmark::State& state) {
  Plan plan = buildPlan(Kind::kParallel);
  for (auto _ : state) benchmark::DoNotOptimize(keel::plan::planToJson(plan));
}

BENCHMARK_CAPTURE(BM_SelectCandidates, serial, Kind::kSerial)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SelectCandidates, parallel, Kind::kParallel)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SelectCandidates, parallel_50, Kind::kBounded)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SelectCandidates, dependency, Kind::kDependency)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SelectCandidates, parallel_canary, Kind::kCanary)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PlanStatus, serial, Kind::kSerial)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PlanStatus, parallel, Kind::kParallel)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_PlanStatus, dependency, Kind::kDependency)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PlanToJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
