// Package options rendering: the cost of turning helloworld's universe and an
// options file into the scheduler environment (paid once per `keel run`).
#include <benchmark/benchmark.h>

#include <string>

#include "keel/package.h"
#include "testing/paths.h"

namespace {

const std::string kUniverse =
    keel::testing::sharedDir() + "/compat/dcos-commons/helloworld/universe";

void BM_RenderHelloworldDefaults(benchmark::State& state) {
  for (auto _ : state) {
    keel::Result<keel::PackageEnv> env = keel::renderPackageEnv(kUniverse, "");
    if (!env.has_value()) state.SkipWithError(env.error().toString().c_str());
    benchmark::DoNotOptimize(env);
  }
}
BENCHMARK(BM_RenderHelloworldDefaults)->Unit(benchmark::kMicrosecond);

void BM_RenderHelloworldWithOptions(benchmark::State& state) {
  const std::string options = R"({"hello": {"count": 3, "cpus": 0.5, "kill_grace_period": 30},
    "service": {"name": "/folder/hw", "log_level": "DEBUG"}})";
  for (auto _ : state) {
    keel::Result<keel::PackageEnv> env = keel::renderPackageEnv(kUniverse, options);
    if (!env.has_value()) state.SkipWithError(env.error().toString().c_str());
    benchmark::DoNotOptimize(env);
  }
}
BENCHMARK(BM_RenderHelloworldWithOptions)->Unit(benchmark::kMicrosecond);

void BM_CheckInvalidHelloworldOptions(benchmark::State& state) {
  const std::string options = R"({"hello": {"mem": "lots"}, "service": {"log_level": "LOUD"}})";
  for (auto _ : state) {
    auto diagnostics = keel::checkPackageOptions(kUniverse, options);
    benchmark::DoNotOptimize(diagnostics);
  }
}
BENCHMARK(BM_CheckInvalidHelloworldOptions)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
