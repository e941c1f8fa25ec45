// Offer evaluation cost per (pod instance x offer) pair: 1,000 offers and 100
// pending pod instances, each with a placement rule and a ROOT volume, as one
// offer cycle of the scheduler. Target: <= 1 us per pair.
//
// The offers: agents 0-299 already run a task of the pod type (the rule
// rejects them), agents 300-599 have too few cpus (ResourceStage rejects
// them), agents 600-999 fit. Offers are summarised once per cycle.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "keel/offer/evaluator.h"
#include "keel/offer/pipeline.h"

namespace {

using namespace keel::offer;  // NOLINT

constexpr int kOffers = 1000;
constexpr int kInstances = 100;
constexpr int kPlaced = 300;
constexpr char kRole[] = "svc-role";

const char* kRules[] = {
    R"([["hostname","UNIQUE"]])",
    R"([["@type","AVOID","data"]])",
    R"([["@zone","MAX_PER","40"],["hostname","UNIQUE"]])",
    R"([["hostname","LIKE","host-[0-9]+"],["hostname","UNIQUE"]])",
};

keel::mesos::Resource scalar(const char* name, double value) {
  keel::mesos::Resource r;
  r.name = name;
  r.scalar = keel::mesos::Value::Scalar{value};
  r.allocationInfo = keel::mesos::Resource::AllocationInfo{kRole};
  return r;
}

std::vector<keel::mesos::Offer> makeOffers() {
  std::vector<keel::mesos::Offer> offers(kOffers);
  for (int i = 0; i < kOffers; ++i) {
    auto& o = offers[i];
    o.id.value = "offer-" + std::to_string(i);
    o.agentId.value = "8b2c1f3e-5a6d-4e7f-9a0b-1c2d3e4f5a6b-S" + std::to_string(i);
    o.hostname = "host-" + std::to_string(i);
    o.domain.emplace().faultDomain =
        keel::mesos::DomainInfo::FaultDomain{{"region-1"}, {"zone-" + std::to_string(i % 10)}};
    o.resources = {scalar("cpus", i >= 300 && i < 600 ? 0.2 : 8), scalar("mem", 16384),
                   scalar("disk", 100000)};
    keel::mesos::Resource ports;
    ports.name = "ports";
    ports.type = keel::mesos::Value::Type::kRanges;
    ports.ranges = keel::mesos::Value::Ranges{{{31000, 32000}}};
    o.resources.push_back(ports);
    keel::mesos::Attribute rack;
    rack.name = "rack";
    rack.text = keel::mesos::Value::Text{"rack-" + std::to_string(i % 20)};
    o.attributes.push_back(rack);
  }
  return offers;
}

PlacementContext placedTasks(const std::vector<keel::mesos::Offer>& offers) {
  PlacementContext ctx;
  for (int i = 0; i < kPlaced; ++i) {
    PlacedTask t;
    t.podType = "data";
    t.podInstance = "data-" + std::to_string(1000 + i);
    t.taskName = t.podInstance + "-node";
    t.agentId = offers[i].agentId.value;
    t.hostname = offers[i].hostname;
    t.zone = "zone-" + std::to_string(i % 10);
    t.region = "region-1";
    ctx.tasks.push_back(t);
  }
  return ctx;
}

std::vector<PodInstanceRequirement> requirements(const char* rule) {
  keel::spec::PodSpec pod;
  pod.type = "data";
  pod.count = 2000;
  pod.placement = rule;
  keel::spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.cpus = 1;
  set.memoryMb = 1024;
  set.volumes = {keel::spec::VolumeSpec{"", "data", keel::spec::VolumeType::kRoot, 1024, {}}};
  keel::spec::PortSpec http;
  http.name = "http";
  http.envKey = "PORT_HTTP";
  set.ports = {http};
  pod.resourceSets = {set};
  keel::spec::TaskSpec task;
  task.name = "node";
  task.cmd = "./run";
  task.resourceSet = set.id;
  pod.tasks = {task};
  std::vector<PodInstanceRequirement> reqs(kInstances);
  for (int i = 0; i < kInstances; ++i) {
    reqs[i].pod = pod;
    reqs[i].index = i;
    reqs[i].tasksToLaunch = {"node"};
  }
  return reqs;
}

ServiceContext service() {
  ServiceContext s;
  s.serviceName = "svc";
  s.role = kRole;
  s.principal = "svc-principal";
  s.frameworkId = "fw";
  return s;
}

// Every pipeline against every offer, no first fit: the raw pair cost
// (including building each requirement's pipeline once).
void BM_EvaluateAllPairs(benchmark::State& state) {
  auto offers = makeOffers();
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placed = placedTasks(offers);
  auto reqs = requirements(kRules[state.range(0)]);
  ServiceContext svc = service();
  EvaluationContext scratch;
  size_t passed = 0;
  for (auto _ : state) {
    for (const auto& req : reqs) {
      auto pipeline = buildPipeline(req, svc, placed);
      for (const auto& summary : summaries) passed += pipeline->evaluate(summary, scratch).passed;
    }
  }
  state.SetItemsProcessed(state.iterations() * kInstances * kOffers);
  state.counters["per_pair"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kInstances * kOffers,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(kRules[state.range(0)]);
  benchmark::DoNotOptimize(passed);
}
BENCHMARK(BM_EvaluateAllPairs)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

// One scheduler cycle: summarise 1,000 offers, then OfferEvaluator first-fit
// for 100 requirements (explained outcomes, tracker counts, launch building,
// placement context growing with each launch).
void BM_Cycle(benchmark::State& state) {
  auto offers = makeOffers();
  auto reqs = requirements(kRules[state.range(0)]);
  OfferEvaluator evaluator(service(), seededUuids(1));
  OfferOutcomeTracker tracker;
  size_t pairs = 0;
  for (auto _ : state) {
    auto summaries = summarizeOffers(offers, kRole);
    PlacementContext placed = placedTasks(offers);
    for (const auto& req : reqs) {
      auto result = evaluator.evaluate(req, summaries, placed, keel::TimePoint{}, &tracker);
      pairs += result->offersEvaluated;
      if (!result->launch) state.SkipWithError("no launch");
    }
  }
  state.counters["pairs_per_cycle"] = static_cast<double>(pairs) / state.iterations();
  state.counters["per_pair"] = benchmark::Counter(
      static_cast<double>(pairs), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(kRules[state.range(0)]);
}
BENCHMARK(BM_Cycle)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

void BM_SummarizeOffers(benchmark::State& state) {
  auto offers = makeOffers();
  for (auto _ : state) benchmark::DoNotOptimize(summarizeOffers(offers, kRole));
  state.SetItemsProcessed(state.iterations() * kOffers);
}
BENCHMARK(BM_SummarizeOffers)->Unit(benchmark::kMicrosecond);

// Explaining one pair (what /v2/debug/offers keeps) and building one launch.
void BM_ExplainAndBuild(benchmark::State& state) {
  auto offers = makeOffers();
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placed = placedTasks(offers);
  auto reqs = requirements(kRules[0]);
  ServiceContext svc = service();
  auto pipeline = buildPipeline(reqs[0], svc, placed);
  EvaluationContext scratch;
  UuidSource uuids = seededUuids(1);
  const OfferSummary& fits = summaries[700];
  for (auto _ : state) {
    std::vector<StageOutcome> explained;
    pipeline->evaluate(fits, scratch, &explained);
    benchmark::DoNotOptimize(pipeline->build(fits, uuids));
  }
}
BENCHMARK(BM_ExplainAndBuild)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
