#include "keel/offer/unexpected_resources.h"

#include <gtest/gtest.h>

#include "offer/offer_test_util.h"

namespace keel::offer {
namespace {

using namespace testing;  // NOLINT

TEST(UnexpectedResources, DestroysAndUnreservesWhatNoTaskOwns) {
  OfferSpec s;
  s.extra = {reserved(scalar("cpus", 0.5), "known-cpus"),
             reserved(scalar("mem", 256), "orphan-mem"),
             withVolume(reserved(scalar("disk", 64), "orphan-disk"), "orphan-volume", "data"),
             reserved(scalar("cpus", 1), "other-service", kRole, "other"),
             reserved(scalar("cpus", 1), "other-role", "other-role")};
  mesos::Offer offer = makeOffer(s);
  mesos::TaskInfo task;
  task.resources = {reserved(scalar("cpus", 0.5), "known-cpus")};
  KnownResources known = knownResourcesOf(std::span<const mesos::TaskInfo>(&task, 1));
  auto ops = unexpectedResourceOperations(offer, testService(), known);
  ASSERT_EQ(ops.size(), 2u);
  ASSERT_TRUE(ops[0].destroy.has_value());
  ASSERT_EQ(ops[0].destroy->volumes.size(), 1u);
  EXPECT_EQ(ops[0].destroy->volumes[0].disk->persistence->id, "orphan-volume");
  ASSERT_TRUE(ops[1].unreserve.has_value());
  const auto& resources = ops[1].unreserve->resources;
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(resources[0].name, "mem");
  EXPECT_EQ(resources[1].name, "disk");
  EXPECT_FALSE(resources[1].disk.has_value()) << "unreserved as plain disk after the DESTROY";
}

TEST(UnexpectedResources, LeavesAKnownVolumeAlone) {
  OfferSpec s;
  s.extra = {withVolume(reserved(scalar("disk", 64), "r-disk"), "p-1", "data")};
  mesos::Offer offer = makeOffer(s);
  mesos::TaskInfo task;
  task.resources = s.extra;
  KnownResources known = knownResourcesOf(std::span<const mesos::TaskInfo>(&task, 1));
  EXPECT_TRUE(unexpectedResourceOperations(offer, testService(), known).empty());
}

// A decommission releases exactly the reservations it selects, even known
// ones, and never another service's.
TEST(UnexpectedResources, ReleasesWhatTheSelectionPicksAndNamesTheUnreservedIds) {
  OfferSpec s;
  s.extra = {reserved(scalar("cpus", 0.5), "keep-cpus"), reserved(scalar("mem", 256), "gone-mem"),
             withVolume(reserved(scalar("disk", 64), "gone-disk"), "gone-volume", "data"),
             reserved(scalar("cpus", 1), "gone-other", kRole, "other")};
  mesos::Offer offer = makeOffer(s);
  auto ops = releaseOperations(offer, testService(), [](const mesos::Resource& r) {
    return r.name != "cpus" || r.scalar->value > 0.5;
  });
  ASSERT_EQ(ops.size(), 2u);
  ASSERT_TRUE(ops[0].destroy.has_value());
  EXPECT_EQ(ops[0].destroy->volumes.size(), 1u);
  std::vector<std::string> ids = unreservedIds(ops);
  EXPECT_EQ(ids, (std::vector<std::string>{"gone-mem", "gone-disk"}));
  EXPECT_TRUE(releaseOperations(offer, testService(), [](const mesos::Resource&) {
                return false;
              }).empty());
}

}  // namespace
}  // namespace keel::offer
