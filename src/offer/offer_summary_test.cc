#include "keel/offer/offer_summary.h"

#include <gtest/gtest.h>

#include "offer/offer_test_util.h"

namespace keel::offer {
namespace {

using namespace testing;  // NOLINT

TEST(OfferSummary, CountsUnreservedResourcesOfTheRoleAndIndexesOurReservations) {
  OfferSpec s;
  s.cpus = 2;
  s.mem = 1024;
  s.disk = 500;
  s.zone = "z1";
  s.region = "r1";
  s.attributes = {{"rack", "r2"}};
  mesos::Resource legacy = scalar("cpus", 0.5);
  legacy.role = "*";
  mesos::Resource elsewhere = scalar("cpus", 8);
  elsewhere.allocationInfo = mesos::Resource::AllocationInfo{"other-role"};
  mesos::Resource noId = scalar("mem", 64);
  noId.reservations.push_back(
      {mesos::Resource::ReservationInfo::Type::kDynamic, kRole, {}, {}, {}});
  s.extra = {legacy,
             elsewhere,
             noId,
             mountDisk(1000, "/mnt/d0", "ssd"),
             reserved(scalar("mem", 128), "r-mem"),
             withVolume(reserved(scalar("disk", 64), "r-disk"), "p-1", "data"),
             reserved(scalar("cpus", 1), "theirs", "other-role")};
  mesos::Offer offer = makeOffer(s);
  OfferSummary summary = summarizeOffer(offer, kRole);
  EXPECT_EQ(summary.cpus, 2500);
  EXPECT_EQ(summary.mem, 1024000);
  EXPECT_EQ(summary.disk, 500000);
  ASSERT_EQ(summary.mounts.size(), 1u);
  EXPECT_EQ(summary.mounts[0].root, "/mnt/d0");
  EXPECT_EQ(summary.mounts[0].profile, "ssd");
  EXPECT_EQ(summary.reserved.size(), 2u);
  ASSERT_NE(summary.reservedById("r-mem"), nullptr);
  EXPECT_EQ(summary.reservedById("r-mem")->scalar->value, 128);
  EXPECT_EQ(summary.reservedById("theirs"), nullptr);
  ASSERT_NE(summary.volumeByPersistenceId("p-1"), nullptr);
  EXPECT_EQ(summary.zone, "z1");
  EXPECT_EQ(summary.region, "r1");
  ASSERT_NE(summary.attribute("rack"), nullptr);
  EXPECT_EQ(*summary.attribute("rack"), "r2");
  EXPECT_TRUE(summary.hasUnreservedPort(31000));
  EXPECT_FALSE(summary.hasUnreservedPort(30999));
}

}  // namespace
}  // namespace keel::offer
