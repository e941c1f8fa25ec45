// Loading the largest spec of the dcos-commons corpus (helloworld's
// overlay.yml, 4.3 KB, 5 pods): mustache rendering, YAML parsing, mapping and
// validation, per iteration. Separate benchmarks isolate rendering, the
// unsupported-feature report and the JSON round trip.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "keel/env_file.h"
#include "keel/mustache.h"
#include "keel/spec_json.h"
#include "keel/spec_loader.h"
#include "testing/paths.h"

namespace {

const std::string kCorpus = keel::testing::sharedDir() + "/compat/dcos-commons/";

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

keel::spec::LoadOptions options() {
  keel::spec::LoadOptions o;
  o.env = keel::readEnvFile(kCorpus + "helloworld/defaults.env")
              .value_or(std::map<std::string, std::string>{});
  o.env["BOOTSTRAP_URI"] = "https://downloads.example.com/bootstrap.zip";
  return o;
}

void BM_LoadAndValidateLargestSpec(benchmark::State& state) {
  std::string text = readAll(kCorpus + "helloworld/dist/overlay.yml");
  auto o = options();
  for (auto _ : state) {
    auto r = keel::spec::loadServiceSpecText(text, "overlay.yml", o);
    if (!r.ok()) state.SkipWithError(r.errors[0].toString().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_LoadAndValidateLargestSpec)->Unit(benchmark::kMicrosecond);

void BM_RenderLargestSpec(benchmark::State& state) {
  std::string text = readAll(kCorpus + "helloworld/dist/overlay.yml");
  auto o = options();
  for (auto _ : state) benchmark::DoNotOptimize(keel::renderMustache(text, o.env));
}
BENCHMARK(BM_RenderLargestSpec)->Unit(benchmark::kMicrosecond);

void BM_UnsupportedFeatures(benchmark::State& state) {
  auto r = keel::spec::loadServiceSpecText(readAll(kCorpus + "helloworld/dist/overlay.yml"),
                                           "overlay.yml", options());
  auto caps = keel::spec::ClusterCapabilities::localCluster();
  for (auto _ : state) benchmark::DoNotOptimize(keel::spec::unsupportedFeatures(*r.spec, caps));
}
BENCHMARK(BM_UnsupportedFeatures)->Unit(benchmark::kMicrosecond);

void BM_JsonRoundTrip(benchmark::State& state) {
  auto r = keel::spec::loadServiceSpecText(readAll(kCorpus + "helloworld/dist/overlay.yml"),
                                           "overlay.yml", options());
  for (auto _ : state) {
    auto back = keel::spec::serviceSpecFromJson(
        keel::spec::toJson(*r.spec, keel::spec::JsonStyle::kCompact));
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_JsonRoundTrip)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
