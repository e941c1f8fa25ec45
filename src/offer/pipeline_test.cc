// The pipeline on the tutorial's data-store service (examples/data-store/svc.yml)
// against six agents.
#include "keel/offer/pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/env_file.h"
#include "keel/offer/evaluator.h"
#include "keel/spec_loader.h"
#include "offer/offer_test_util.h"
#include "testing/paths.h"

namespace keel::offer {
namespace {

using namespace testing;  // NOLINT
using ::testing::HasSubstr;
using ::testing::StartsWith;

spec::ServiceSpec dataStore(std::map<std::string, std::string> overrides = {}) {
  std::string dir = keel::testing::sourceDir() + "/examples/data-store/";
  auto env = readEnvFile(dir + "data-store.env");
  EXPECT_TRUE(env.has_value());
  spec::LoadOptions options;
  options.env = env.value();
  options.env["METADATA_URI"] = "file:///scripts/meta-data";
  options.env["DATA_URI"] = "file:///scripts/data";
  for (auto& [k, v] : overrides) options.env[k] = v;
  auto loaded = spec::loadServiceSpecFile(dir + "svc.yml", options);
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].message);
  return *loaded.spec;
}

PodInstanceRequirement requirement(const spec::ServiceSpec& svc, const std::string& pod,
                                   int64_t index) {
  PodInstanceRequirement req;
  req.pod = *svc.pod(pod);
  req.index = index;
  req.tasksToLaunch = {"node"};
  return req;
}

// Agents a1..a6 (hosts h1..h6), each with `cpus`.
std::vector<mesos::Offer> sixAgents(double cpus = 4) {
  std::vector<mesos::Offer> offers;
  for (int i = 1; i <= 6; ++i) {
    OfferSpec s;
    s.agent = "a" + std::to_string(i);
    s.host = "h" + std::to_string(i);
    s.cpus = cpus;
    offers.push_back(makeOffer(s));
  }
  return offers;
}

class DataStorePipeline : public ::testing::Test {
 protected:
  spec::ServiceSpec svc_ = dataStore();
  ServiceContext service_ = testService();
  OfferEvaluator evaluator_{service_, seededUuids(100)};
  OfferOutcomeTracker tracker_;
  TimePoint now_ = fromEpochMillis(1'700'000'000'000);
};

TEST_F(DataStorePipeline, MetaDataZeroLaunchesOnTheFirstAgent) {
  std::vector<mesos::Offer> offers = sixAgents();
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placement;
  auto result =
      evaluator_.evaluate(requirement(svc_, "meta-data", 0), summaries, placement, now_, &tracker_);
  ASSERT_TRUE(result.has_value()) << result.error().message();
  ASSERT_TRUE(result->launch.has_value()) << result->message;
  const LaunchPlan& plan = *result->launch;
  EXPECT_EQ(plan.agentId.value, "a1");
  EXPECT_EQ(result->offerIndex, 0u);
  EXPECT_TRUE(summaries[0].used);
  ASSERT_EQ(plan.operations.size(), 3u);
  EXPECT_EQ(plan.operations[0].type, mesos::OfferOperation::Type::kReserve);
  EXPECT_EQ(plan.operations[0].reserve->resources.size(), 6u) << "executor 3, cpus, mem, disk";
  EXPECT_EQ(plan.operations[1].type, mesos::OfferOperation::Type::kCreate);
  EXPECT_EQ(plan.operations[2].type, mesos::OfferOperation::Type::kLaunchGroup);
  ASSERT_EQ(plan.taskInfos.size(), 1u);
  EXPECT_EQ(plan.taskInfos[0].name, "meta-data-0-node");
  EXPECT_THAT(plan.taskInfos[0].taskId.value, StartsWith("data-store__meta-data-0-node__"));
  ASSERT_EQ(placement.tasks.size(), 1u);
  EXPECT_EQ(placement.tasks[0].agentId, "a1");
  ASSERT_EQ(result->outcomes.size(), 1u);
  EXPECT_TRUE(result->outcomes[0].passed);
  EXPECT_THAT(result->outcomes[0].explanation(),
              ::testing::ElementsAre(
                  "PASS(PlacementStage): @type AVOID meta-data: no meta-data task on agent a1",
                  HasSubstr("PASS(ExecutorStage): reserves 0.1 cpus, 32 MB mem, 256 MB disk"),
                  "PASS(ResourceStage): node-resource-set: 0.1 cpus (new) 64 MB mem (new)",
                  "PASS(PortStage): node-resource-set: no ports",
                  "PASS(VolumeStage): node-resource-set: meta-data-container-path ROOT 64 MB",
                  "PASS(LaunchStage): launches meta-data-0-node on agent a1 (h1)"));
  EXPECT_EQ(tracker_.summary().acceptedCount, 1);
}

TEST_F(DataStorePipeline, DataOneAvoidsTheAgentRunningDataZero) {
  std::vector<mesos::Offer> offers = sixAgents();
  PlacementContext placement;
  auto first = summarizeOffers(offers, kRole);
  ASSERT_TRUE(evaluator_.evaluate(requirement(svc_, "data", 0), first, placement, now_, nullptr)
                  ->launch.has_value());
  // Next cycle: the same six agents are offered again.
  auto summaries = summarizeOffers(offers, kRole);
  auto result =
      evaluator_.evaluate(requirement(svc_, "data", 1), summaries, placement, now_, &tracker_);
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(result->launch.has_value());
  EXPECT_EQ(result->launch->agentId.value, "a2");
  ASSERT_EQ(result->outcomes.size(), 2u);
  EXPECT_FALSE(result->outcomes[0].passed);
  EXPECT_EQ(result->outcomes[0].agentId, "a1");
  EXPECT_EQ(result->outcomes[0].explanation().back(),
            "FAIL(PlacementStage): @type AVOID data: agent a1 already runs data-0");
  auto summary = tracker_.summary();
  EXPECT_EQ(summary.failureReasons["PlacementStage"], 1);
  EXPECT_EQ(summary.rejectedAgents["a1"], 1);
  EXPECT_EQ(summary.acceptedCount, 1);
}

TEST_F(DataStorePipeline, ThreeDataTasksLandOnThreeAgentsInOneCycle) {
  std::vector<mesos::Offer> offers = sixAgents();
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placement;
  std::set<std::string> agents;
  for (int i = 0; i < 3; ++i) {
    auto result =
        evaluator_.evaluate(requirement(svc_, "data", i), summaries, placement, now_, &tracker_);
    ASSERT_TRUE(result.has_value() && result->launch.has_value());
    agents.insert(result->launch->agentId.value);
  }
  EXPECT_EQ(agents, (std::set<std::string>{"a1", "a2", "a3"}));
}

TEST_F(DataStorePipeline, TooFewCpusFailsWithTheResourceReason) {
  svc_ = dataStore({{"DATA_CPU", "0.5"}});
  std::vector<mesos::Offer> offers = sixAgents(0.3);
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placement;
  auto result =
      evaluator_.evaluate(requirement(svc_, "data", 0), summaries, placement, now_, &tracker_);
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->launch.has_value());
  EXPECT_EQ(result->offersEvaluated, 6u);
  ASSERT_EQ(result->failuresByStage.size(), 1u);
  EXPECT_EQ(result->failuresByStage[0], (std::pair<std::string, size_t>{"ResourceStage", 6}));
  EXPECT_EQ(result->outcomes.size(), 5u) << "explainedFailures caps the explained outcomes";
  const std::string reason =
      "FAIL(ResourceStage): needs 0.5 cpus (node-resource-set), offer has 0.2 unreserved cpus "
      "for role data-store-role";
  EXPECT_EQ(result->outcomes[0].explanation().back(), reason);
  EXPECT_EQ(result->message,
            "data-0: no offer fits (6 offers: ResourceStage 6); e.g. agent a1: " + reason);
  auto summary = tracker_.summary();
  EXPECT_EQ(summary.rejectedCount, 6);
  EXPECT_EQ(summary.failureReasons["ResourceStage"], 6);
  EXPECT_EQ(summary.outcomes.size(), 5u);
  EXPECT_EQ(summary.rejectedAgents.size(), 6u);
}

// The offer an agent makes after a launch: the reserved resources and the
// created volumes of `plan`, plus unreserved resources.
mesos::Offer reofferAfter(const LaunchPlan& plan, OfferSpec spec) {
  for (const auto& op : plan.operations) {
    if (op.reserve) {
      for (const auto& r : op.reserve->resources) {
        if (r.name != "disk") spec.extra.push_back(r);
      }
    }
    if (op.create) {
      for (const auto& v : op.create->volumes) spec.extra.push_back(v);
    }
  }
  for (const auto& r : plan.taskInfos[0].executor->resources) {
    if (r.name == "disk") spec.extra.push_back(r);
  }
  return makeOffer(spec);
}

TEST_F(DataStorePipeline, ATransientRelaunchFindsItsReservationAndVolume) {
  std::vector<mesos::Offer> offers = sixAgents();
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placement;
  auto first =
      evaluator_.evaluate(requirement(svc_, "data", 0), summaries, placement, now_, nullptr);
  ASSERT_TRUE(first.has_value() && first->launch.has_value());
  const LaunchPlan& launched = *first->launch;
  const mesos::Resource& volume = launched.operations[1].create->volumes[0];

  OfferSpec a2;
  a2.agent = "a2";
  a2.host = "h2";
  OfferSpec a1;
  a1.cpus = 1;
  std::vector<mesos::Offer> again = {makeOffer(a2), reofferAfter(launched, a1)};
  auto second = summarizeOffers(again, kRole);
  PodInstanceRequirement relaunch = requirement(svc_, "data", 0);
  relaunch.recovery = RecoveryType::kTransient;
  relaunch.previousTasks = launched.taskInfos;
  auto result = evaluator_.evaluate(relaunch, second, placement, now_, &tracker_);
  ASSERT_TRUE(result.has_value());
  ASSERT_TRUE(result->launch.has_value()) << result->message;
  EXPECT_EQ(result->launch->agentId.value, "a1");
  EXPECT_THAT(result->outcomes[0].explanation().back(),
              HasSubstr("FAIL(ExecutorStage): needs the executor's reserved cpus"));
  const LaunchPlan& plan = *result->launch;
  ASSERT_EQ(plan.operations.size(), 1u) << "nothing new to reserve or create";
  EXPECT_EQ(plan.operations[0].type, mesos::OfferOperation::Type::kLaunchGroup);
  const auto& task = plan.taskInfos[0];
  EXPECT_NE(task.taskId, launched.taskInfos[0].taskId) << "a new task id per launch";
  auto hasVolume = [&](const mesos::TaskInfo& t) {
    for (const auto& r : t.resources) {
      if (r.disk && r.disk->persistence && r.disk->persistence->id == volume.disk->persistence->id)
        return true;
    }
    return false;
  };
  EXPECT_TRUE(hasVolume(task));
  EXPECT_EQ(task.resources, launched.taskInfos[0].resources);
  EXPECT_THAT(result->outcomes[1].explanation()[0],
              HasSubstr("found the executor's 3 reservations"));
}

TEST_F(DataStorePipeline, ARelaunchWithMoreCpusGrowsTheReservation) {
  std::vector<mesos::Offer> offers = sixAgents();
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placement;
  auto first =
      evaluator_.evaluate(requirement(svc_, "data", 0), summaries, placement, now_, nullptr);
  ASSERT_TRUE(first.has_value() && first->launch.has_value());
  const LaunchPlan& launched = *first->launch;

  spec::ServiceSpec bigger = dataStore({{"DATA_CPU", "0.3"}});
  std::vector<mesos::Offer> again = {reofferAfter(launched, OfferSpec{})};
  auto second = summarizeOffers(again, kRole);
  PodInstanceRequirement relaunch = requirement(bigger, "data", 0);
  relaunch.previousTasks = launched.taskInfos;
  auto result = evaluator_.evaluate(relaunch, second, placement, now_, nullptr);
  ASSERT_TRUE(result.has_value() && result->launch.has_value()) << result->message;
  const auto& ops = result->launch->operations;
  ASSERT_EQ(ops.size(), 2u);
  ASSERT_TRUE(ops[0].reserve.has_value());
  const auto& extra = ops[0].reserve->resources.at(0);
  EXPECT_EQ(extra.name, "cpus");
  EXPECT_NEAR(extra.scalar->value, 0.2, 1e-9);
  const auto& original = launched.operations[0].reserve->resources;
  bool sameId = false;
  for (const auto& r : original) sameId |= r.name == "cpus" && r.reservations == extra.reservations;
  EXPECT_TRUE(sameId) << "grown under the reservation's own resource_id";
}

TEST_F(DataStorePipeline, APermanentReplacementChecksPlacementAndReservesAnew) {
  std::vector<mesos::Offer> offers = sixAgents();
  auto summaries = summarizeOffers(offers, kRole);
  PlacementContext placement;
  auto first =
      evaluator_.evaluate(requirement(svc_, "data", 0), summaries, placement, now_, nullptr);
  ASSERT_TRUE(first.has_value() && first->launch.has_value());
  PodInstanceRequirement replace = requirement(svc_, "data", 0);
  replace.recovery = RecoveryType::kPermanent;
  replace.previousTasks = first->launch->taskInfos;
  auto again = summarizeOffers(offers, kRole);
  auto result = evaluator_.evaluate(replace, again, placement, now_, nullptr);
  ASSERT_TRUE(result.has_value() && result->launch.has_value());
  EXPECT_EQ(result->launch->operations[0].type, mesos::OfferOperation::Type::kReserve);
  EXPECT_EQ(result->launch->operations[1].type, mesos::OfferOperation::Type::kCreate);
}

TEST(BuildPipeline, ReusesARunningExecutorOnItsAgent) {
  PodInstanceRequirement first = requirementFor(simplePod("data", 0.5, 64), 0);
  ServiceContext service = testService();
  PlacementContext placement;
  UuidSource uuids = seededUuids(1);
  mesos::Offer a1 = makeOffer(OfferSpec{});
  OfferSummary summary = summarizeOffer(a1, kRole);
  EvaluationContext scratch;
  auto pipeline = buildPipeline(first, service, placement);
  ASSERT_TRUE(pipeline.has_value() && pipeline->evaluate(summary, scratch).passed);
  LaunchPlan launched = pipeline->build(summary, uuids);

  PodInstanceRequirement again = first;
  again.previousTasks = launched.taskInfos;
  again.executorRunning = true;
  auto relaunch = buildPipeline(again, service, placement);
  ASSERT_TRUE(relaunch.has_value());
  EXPECT_FALSE(relaunch->newFootprint());
  mesos::Offer reoffer = a1;
  for (const auto& r : launched.operations[0].reserve->resources) reoffer.resources.push_back(r);
  OfferSummary reSummary = summarizeOffer(reoffer, kRole);
  std::vector<StageOutcome> explained;
  ASSERT_TRUE(relaunch->evaluate(reSummary, scratch, &explained).passed);
  EXPECT_EQ(explained[0].text(), "PASS(ExecutorStage): reuses the running executor of data-0");
  LaunchPlan plan = relaunch->build(reSummary, uuids);
  ASSERT_EQ(plan.operations.size(), 1u);
  EXPECT_EQ(plan.operations[0].launchGroup->executor, *launched.taskInfos[0].executor);
}

TEST(BuildPipeline, GivesPodVolumesToTheExecutorAndMountsThemInTasks) {
  spec::PodSpec pod = simplePod("data", 0.5, 64);
  spec::VolumeSpec shared;
  shared.path = "shared";
  shared.sizeMb = 32;
  pod.volumes = {shared};
  PodInstanceRequirement req = requirementFor(pod, 0);
  ServiceContext service = testService();
  PlacementContext placement;
  UuidSource uuids = seededUuids(1);
  mesos::Offer offer = makeOffer(OfferSpec{});
  OfferSummary summary = summarizeOffer(offer, kRole);
  EvaluationContext scratch;
  auto pipeline = buildPipeline(req, service, placement);
  ASSERT_TRUE(pipeline.has_value() && pipeline->evaluate(summary, scratch).passed);
  LaunchPlan plan = pipeline->build(summary, uuids);
  const auto& executor = plan.operations.back().launchGroup->executor;
  ASSERT_EQ(executor.resources.size(), 4u);
  EXPECT_EQ(executor.resources[3].disk->volume->containerPath, "shared");
  const auto& volumes = plan.taskInfos[0].container->volumes;
  ASSERT_EQ(volumes.size(), 1u);
  EXPECT_EQ(volumes[0].containerPath, "shared");
  EXPECT_EQ(volumes[0].source->sandboxPath->type,
            mesos::Volume::Source::SandboxPath::Type::kParent);
}

TEST(BuildPipeline, RejectsATaskThePodDoesNotHave) {
  PodInstanceRequirement req = requirementFor(simplePod("data", 1, 64), 0);
  req.tasksToLaunch = {"nope"};
  ServiceContext service = testService();
  PlacementContext placement;
  auto pipeline = buildPipeline(req, service, placement);
  ASSERT_FALSE(pipeline.has_value());
  EXPECT_THAT(pipeline.error().message(), HasSubstr("pod 'data' has no task 'nope'"));
}

}  // namespace
}  // namespace keel::offer
