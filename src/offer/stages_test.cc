// Per-stage tests: each stage alone against a summarised offer, in explain
// mode (reasons) and in the silent mode of the hot path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/offer/launch_builder.h"
#include "offer/offer_test_util.h"
#include "offer/stages.h"

namespace keel::offer::detail {
namespace {

using namespace keel::offer::testing;  // NOLINT
using ::testing::HasSubstr;

// Runs `stage` on `offer` twice (silent, explained); both must agree.
StageOutcome run(Stage& stage, const OfferSummary& offer, EvaluationContext* ctxOut = nullptr) {
  EvaluationContext silent;
  silent.reset(offer, false);
  silent.role = kRole;
  StageOutcome quiet = stage.evaluate(silent);
  EXPECT_TRUE(quiet.reason.empty()) << "silent mode formats no reason";
  EvaluationContext ctx;
  ctx.reset(offer, true);
  ctx.role = kRole;
  StageOutcome outcome = stage.evaluate(ctx);
  EXPECT_EQ(quiet.passed(), outcome.passed());
  if (ctxOut) *ctxOut = ctx;
  return outcome;
}

// --- ResourceStage --------------------------------------------------------

struct ScalarCase {
  std::string name;
  double cpus, mem, gpus;      // the resource set
  double offerCpus, offerMem;  // the offer
  bool pass;
  std::string reason;
};
void PrintTo(const ScalarCase& c, std::ostream* os) { *os << c.name; }

class ResourceStageTable : public ::testing::TestWithParam<ScalarCase> {};

TEST_P(ResourceStageTable, TakesScalarsFromUnreservedResources) {
  const ScalarCase& c = GetParam();
  spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.cpus = c.cpus;
  set.memoryMb = c.mem;
  set.gpus = c.gpus;
  OfferSpec o;
  o.cpus = c.offerCpus;
  o.mem = c.offerMem;
  mesos::Offer offer = makeOffer(o);
  OfferSummary summary = summarizeOffer(offer, kRole);
  ResourceStage stage(set, nullptr, "data-0");
  StageOutcome outcome = run(stage, summary);
  EXPECT_EQ(outcome.passed(), c.pass) << outcome.reason;
  EXPECT_EQ(outcome.stage, "ResourceStage");
  EXPECT_THAT(outcome.reason, HasSubstr(c.reason));
}

INSTANTIATE_TEST_SUITE_P(
    Scalars, ResourceStageTable,
    ::testing::Values(
        ScalarCase{"Fits", 0.5, 256, 0, 1, 512, true,
                   "node-resource-set: 0.5 cpus (new) 256 MB mem (new)"},
        ScalarCase{"ExactFit", 0.3, 64, 0, 0.3, 64, true, "0.3 cpus (new)"},
        ScalarCase{"TooFewCpus", 0.5, 256, 0, 0.2, 512, false,
                   "needs 0.5 cpus (node-resource-set), offer has 0.2 unreserved cpus for role "
                   "data-store-role"},
        ScalarCase{"TooLittleMemory", 0.5, 1024, 0, 1, 512, false,
                   "needs 1024 MB mem (node-resource-set), offer has 512 MB unreserved mem"},
        ScalarCase{"NoGpus", 0.5, 256, 1, 1, 512, false,
                   "needs 1 gpus (node-resource-set), offer has 0 unreserved gpus"},
        ScalarCase{"FixedPointSums", 0.3, 0, 0, 0.1 + 0.2, 0, true, "0.3 cpus"}),
    [](const auto& info) { return info.param.name; });

struct Resized {
  double want;
  bool reserveExtra;
  bool unreserveSurplus;
  double taskCpus;
};

class ResourceStageResize : public ::testing::TestWithParam<Resized> {};

TEST_P(ResourceStageResize, ReusesTheReservationAndResizesItUnderTheSameResourceId) {
  const Resized& c = GetParam();
  OfferSpec o;
  o.cpus = 1;
  o.extra = {reserved(scalar("cpus", 0.5), "r-cpus")};
  mesos::Offer offer = makeOffer(o);
  OfferSummary summary = summarizeOffer(offer, kRole);
  SetFootprint previous;
  previous.reserved = true;
  previous.scalars = {{"cpus", "r-cpus", 500}};
  spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.cpus = c.want;
  ResourceStage stage(set, &previous, "data-0");
  ASSERT_TRUE(run(stage, summary).passed());

  PodInstanceRequirement req = requirementFor(simplePod("data", c.want, 0), 0);
  ServiceContext service = testService();
  UuidSource uuids = seededUuids(1);
  LaunchBuilder builder(req, service, summary, uuids);
  stage.apply(builder);
  auto& resources = builder.taskResources("node-resource-set");
  ASSERT_EQ(resources.size(), 1u);
  EXPECT_DOUBLE_EQ(resources[0].scalar->value, c.taskCpus);
  EXPECT_EQ(resources[0].reservations.back().labels->labels[0].value, "r-cpus");
  LaunchPlan plan = std::move(builder).finish();
  bool reserved = false, unreserved = false;
  for (const auto& op : plan.operations) {
    if (op.reserve) {
      reserved = true;
      EXPECT_DOUBLE_EQ(op.reserve->resources[0].scalar->value, c.want - 0.5);
      EXPECT_EQ(op.reserve->resources[0].reservations.back().labels->labels[0].value, "r-cpus");
    }
    if (op.unreserve) {
      unreserved = true;
      EXPECT_DOUBLE_EQ(op.unreserve->resources[0].scalar->value, 0.5 - c.want);
    }
  }
  EXPECT_EQ(reserved, c.reserveExtra);
  EXPECT_EQ(unreserved, c.unreserveSurplus);
}

INSTANTIATE_TEST_SUITE_P(Resize, ResourceStageResize,
                         ::testing::Values(Resized{0.5, false, false, 0.5},
                                           Resized{0.8, true, false, 0.8},
                                           Resized{0.2, false, true, 0.2}));

TEST(ResourceStage, FailsWhenTheReservationIsNotInTheOffer) {
  mesos::Offer offer = makeOffer(OfferSpec{});
  OfferSummary summary = summarizeOffer(offer, kRole);
  SetFootprint previous;
  previous.reserved = true;
  previous.scalars = {{"cpus", "r-cpus", 500}};
  spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.cpus = 0.5;
  ResourceStage stage(set, &previous, "data-0");
  StageOutcome outcome = run(stage, summary);
  EXPECT_FALSE(outcome.passed());
  EXPECT_EQ(outcome.reason,
            "needs the reserved cpus of data-0 (resource_id r-cpus), offer from agent a1 has none");
}

// --- PortStage --------------------------------------------------------------

spec::PortSpec port(std::string name, int64_t value, std::vector<spec::PortRange> ranges = {}) {
  spec::PortSpec p;
  p.name = std::move(name);
  p.port = value;
  p.envKey = "PORT_" + p.name;
  p.ranges = std::move(ranges);
  return p;
}

struct PortCase {
  std::string name;
  std::vector<spec::PortSpec> ports;
  std::vector<uint64_t> chosen;
  std::string reason;
  std::optional<uint64_t> previousHttp = std::nullopt;  // last launch's port for "http"
};
void PrintTo(const PortCase& c, std::ostream* os) { *os << c.name; }

class PortStageTable : public ::testing::TestWithParam<PortCase> {};

TEST_P(PortStageTable, ChoosesPortsFromTheOfferedRanges) {
  const PortCase& c = GetParam();
  OfferSpec o;
  o.portBegin = 31000;
  o.portEnd = 31010;
  mesos::Offer offer = makeOffer(o);
  OfferSummary summary = summarizeOffer(offer, kRole);
  spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.ports = c.ports;
  SetFootprint previous;
  if (c.previousHttp) previous.ports = {{"http", *c.previousHttp, ""}};
  PortStage stage(set, &previous, false);
  StageOutcome outcome = run(stage, summary);
  EXPECT_EQ(outcome.passed(), !c.chosen.empty()) << outcome.reason;
  EXPECT_THAT(outcome.reason, HasSubstr(c.reason));
  if (!outcome.passed()) return;
  PodInstanceRequirement req = requirementFor(simplePod("data", 0, 0), 0);
  ServiceContext service = testService();
  UuidSource uuids = seededUuids(1);
  LaunchBuilder builder(req, service, summary, uuids);
  stage.apply(builder);
  const auto& resources = builder.taskResources("node-resource-set");
  ASSERT_EQ(resources.size(), c.chosen.size());
  for (size_t i = 0; i < c.chosen.size(); ++i) {
    EXPECT_EQ(resources[i].ranges->range[0].begin, c.chosen[i]);
    EXPECT_EQ(builder.ports("node-resource-set")[i].second, c.chosen[i]);
    EXPECT_FALSE(resources[i].reservations.empty()) << "ports are reserved";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Ports, PortStageTable,
    ::testing::Values(
        PortCase{"StaticOffered", {port("http", 31005)}, {31005}, "http=31005"},
        PortCase{"StaticNotOffered",
                 {port("http", 8080)},
                 {},
                 "needs port 8080 for 'http', offer has unreserved ports [31000-31010]"},
        PortCase{"DynamicTakesTheLowest", {port("http", 0)}, {31000}, "http=31000"},
        PortCase{"DynamicAvoidsStatic",
                 {port("admin", 31000), port("http", 0)},
                 {31000, 31001},
                 "admin=31000 http=31001"},
        PortCase{"DynamicWithinRanges", {port("http", 0, {{31007, 31009}})}, {31007}, "31007"},
        PortCase{"DynamicOpenEndedRange", {port("http", 0, {{31009, std::nullopt}})}, {31009}, ""},
        PortCase{"DynamicRangeNotOffered",
                 {port("http", 0, {{10000, 10010}})},
                 {},
                 "needs a dynamic port in [10000-10010] for 'http', offer has unreserved ports "
                 "[31000-31010]"},
        PortCase{"DynamicReusesPreviousPort", {port("http", 0)}, {31004}, "http=31004", 31004},
        PortCase{"PreviousPortGoneTakesAnother", {port("http", 0)}, {31000}, "", 40000}),
    [](const auto& info) { return info.param.name; });

TEST(PortStage, ReusesTheReservedPortOfAnExistingFootprint) {
  OfferSpec o;
  o.extra = {reserved(ports(31050, 31050), "r-port")};
  mesos::Offer offer = makeOffer(o);
  OfferSummary summary = summarizeOffer(offer, kRole);
  spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.ports = {port("http", 0)};
  SetFootprint previous;
  previous.reserved = true;
  previous.ports = {{"http", 31050, "r-port"}};
  PortStage stage(set, &previous, true);
  StageOutcome outcome = run(stage, summary);
  ASSERT_TRUE(outcome.passed()) << outcome.reason;
  EXPECT_THAT(outcome.reason, HasSubstr("http=31050 (reserved)"));

  mesos::Offer elsewhere = makeOffer(OfferSpec{});
  OfferSummary other = summarizeOffer(elsewhere, kRole);
  StageOutcome missing = run(stage, other);
  EXPECT_FALSE(missing.passed());
  EXPECT_THAT(missing.reason,
              HasSubstr("needs the reserved port 31050 ('http', resource_id r-port)"));
}

// --- VolumeStage ------------------------------------------------------------

spec::VolumeSpec volume(spec::VolumeType type, double size,
                        std::vector<std::string> profiles = {}) {
  spec::VolumeSpec v;
  v.path = "data";
  v.type = type;
  v.sizeMb = size;
  v.profiles = std::move(profiles);
  return v;
}

struct VolumeCase {
  std::string name;
  spec::VolumeSpec volume;
  bool pass;
  std::string reason;
};
void PrintTo(const VolumeCase& c, std::ostream* os) { *os << c.name; }

class VolumeStageTable : public ::testing::TestWithParam<VolumeCase> {};

TEST_P(VolumeStageTable, FindsDiskForNewVolumes) {
  const VolumeCase& c = GetParam();
  OfferSpec o;
  o.disk = 1000;
  o.extra = {mountDisk(500, "/mnt/d0"), mountDisk(2000, "/mnt/d1", "fast")};
  mesos::Offer offer = makeOffer(o);
  OfferSummary summary = summarizeOffer(offer, kRole);
  std::vector<spec::VolumeSpec> volumes = {c.volume};
  VolumeStage stage("node-resource-set", volumes, nullptr, "data-0");
  StageOutcome outcome = run(stage, summary);
  EXPECT_EQ(outcome.passed(), c.pass) << outcome.reason;
  EXPECT_THAT(outcome.reason, HasSubstr(c.reason));
}

INSTANTIATE_TEST_SUITE_P(
    Volumes, VolumeStageTable,
    ::testing::Values(
        VolumeCase{"RootFits", volume(spec::VolumeType::kRoot, 64), true, "data ROOT 64 MB"},
        VolumeCase{"RootTooBig", volume(spec::VolumeType::kRoot, 4096), false,
                   "needs 4096 MB ROOT disk for volume 'data', offer has 1000 MB unreserved ROOT "
                   "disk for role data-store-role"},
        VolumeCase{"MountTakesFirstFittingDisk", volume(spec::VolumeType::kMount, 400), true,
                   "on /mnt/d0"},
        VolumeCase{"MountSkipsSmallDisks", volume(spec::VolumeType::kMount, 1000), true,
                   "on /mnt/d1"},
        VolumeCase{"MountWithProfile", volume(spec::VolumeType::kMount, 10, {"fast"}), true,
                   "on /mnt/d1"},
        VolumeCase{"MountTooBig", volume(spec::VolumeType::kMount, 5000), false,
                   "needs a MOUNT disk of at least 5000 MB for volume 'data', offer has MOUNT "
                   "disks 500 MB /mnt/d0, 2000 MB /mnt/d1 profile fast"},
        VolumeCase{"MountProfileMissing", volume(spec::VolumeType::kMount, 10, {"slow"}), false,
                   "(profiles slow)"}),
    [](const auto& info) { return info.param.name; });

TEST(VolumeStage, ReservesAndCreatesARootVolumeWithAPersistenceId) {
  mesos::Offer offer = makeOffer(OfferSpec{});
  OfferSummary summary = summarizeOffer(offer, kRole);
  std::vector<spec::VolumeSpec> volumes = {volume(spec::VolumeType::kRoot, 64)};
  VolumeStage stage("node-resource-set", volumes, nullptr, "data-0");
  ASSERT_TRUE(run(stage, summary).passed());
  PodInstanceRequirement req = requirementFor(simplePod("data", 0, 0), 0);
  ServiceContext service = testService();
  UuidSource uuids = seededUuids(7);
  LaunchBuilder builder(req, service, summary, uuids);
  stage.apply(builder);
  const auto& task = builder.taskResources("node-resource-set");
  ASSERT_EQ(task.size(), 1u);
  EXPECT_EQ(task[0].disk->volume->containerPath, "data");
  EXPECT_EQ(task[0].disk->persistence->principal, "data-store-principal");
  LaunchPlan plan = std::move(builder).finish();
  ASSERT_EQ(plan.operations.size(), 2u);
  EXPECT_DOUBLE_EQ(plan.operations[0].reserve->resources[0].scalar->value, 64);
  EXPECT_EQ(plan.operations[1].create->volumes[0], task[0]);
}

TEST(VolumeStage, ConsumesAMountDiskWhole) {
  OfferSpec o;
  o.extra = {mountDisk(2000, "/mnt/d1")};
  mesos::Offer offer = makeOffer(o);
  OfferSummary summary = summarizeOffer(offer, kRole);
  std::vector<spec::VolumeSpec> volumes = {volume(spec::VolumeType::kMount, 100)};
  VolumeStage stage("node-resource-set", volumes, nullptr, "data-0");
  ASSERT_TRUE(run(stage, summary).passed());
  PodInstanceRequirement req = requirementFor(simplePod("data", 0, 0), 0);
  ServiceContext service = testService();
  UuidSource uuids = seededUuids(7);
  LaunchBuilder builder(req, service, summary, uuids);
  stage.apply(builder);
  const auto& r = builder.taskResources("node-resource-set")[0];
  EXPECT_DOUBLE_EQ(r.scalar->value, 2000);
  EXPECT_EQ(r.disk->source->mount->root, "/mnt/d1");
  EXPECT_EQ(r.reservations.size(), 1u);
}

TEST(VolumeStage, FindsAnExistingVolumeByPersistenceId) {
  OfferSpec o;
  o.extra = {withVolume(reserved(scalar("disk", 64), "r-disk"), "p-1", "data")};
  mesos::Offer offer = makeOffer(o);
  OfferSummary summary = summarizeOffer(offer, kRole);
  SetFootprint previous;
  previous.reserved = true;
  previous.volumes = {{"data", "p-1", "r-disk"}};
  std::vector<spec::VolumeSpec> volumes = {volume(spec::VolumeType::kRoot, 64)};
  VolumeStage stage("node-resource-set", volumes, &previous, "data-0");
  StageOutcome found = run(stage, summary);
  EXPECT_TRUE(found.passed());
  EXPECT_THAT(found.reason, HasSubstr("(existing p-1)"));

  mesos::Offer bare = makeOffer(OfferSpec{});
  OfferSummary other = summarizeOffer(bare, kRole);
  StageOutcome missing = run(stage, other);
  EXPECT_FALSE(missing.passed());
  EXPECT_EQ(missing.reason,
            "needs persistent volume p-1 ('data') of data-0, offer from agent a1 has none");
}

// --- ExecutorStage ----------------------------------------------------------

TEST(ExecutorStage, ReservesTheDcosCommonsOverheadForANewExecutor) {
  PodFootprint none;
  ExecutorStage stage(ExecutorStage::Mode::kNew, none, "data-0");
  OfferSpec enough;
  enough.cpus = 0.1;
  enough.mem = 32;
  enough.disk = 256;
  mesos::Offer offer = makeOffer(enough);
  EvaluationContext ctx;
  StageOutcome pass = run(stage, summarizeOffer(offer, kRole), &ctx);
  EXPECT_TRUE(pass.passed());
  EXPECT_EQ(ctx.cpus, 0);
  EXPECT_EQ(ctx.mem, 0);
  EXPECT_EQ(ctx.disk, 0);

  OfferSpec small = enough;
  small.cpus = 0.05;
  mesos::Offer tooSmall = makeOffer(small);
  StageOutcome fail = run(stage, summarizeOffer(tooSmall, kRole));
  EXPECT_FALSE(fail.passed());
  EXPECT_EQ(fail.reason,
            "executor needs 0.1 cpus, 32 MB mem, 256 MB disk; offer has 0.05 cpus, 32 MB mem, "
            "256 MB disk unreserved for role data-store-role");
}

TEST(ExecutorStage, ARunningExecutorPinsTheLaunchToItsAgent) {
  PodFootprint footprint;
  footprint.agentId = "a1";
  footprint.executorInfo = mesos::ExecutorInfo{};
  ExecutorStage stage(ExecutorStage::Mode::kRunning, footprint, "data-0");
  OfferSpec there;
  mesos::Offer a1 = makeOffer(there);
  EXPECT_TRUE(run(stage, summarizeOffer(a1, kRole)).passed());
  OfferSpec elsewhere;
  elsewhere.agent = "a2";
  mesos::Offer a2 = makeOffer(elsewhere);
  StageOutcome outcome = run(stage, summarizeOffer(a2, kRole));
  EXPECT_FALSE(outcome.passed());
  EXPECT_EQ(outcome.reason, "the executor of data-0 runs on agent a1, offer is from agent a2");
}

}  // namespace
}  // namespace keel::offer::detail
