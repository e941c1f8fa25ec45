#include "keel/mesos/resources.h"

#include <gtest/gtest.h>

#include "cluster/mesos/json_test_util.h"
#include "keel/mesos/json.h"

namespace keel::mesos {
namespace {

const std::string kRole = "hello-world-role";

Resource cpus(double v) { return scalarResource("cpus", v); }
Resource reservedCpus(double v, const std::string& id) {
  return withDynamicReservation(cpus(v), kRole, "p", Labels{{Label{"resource_id", id}}});
}

std::vector<Resource> offerResources(const std::string& fixture) {
  Result<Event> event = eventFromJson(testing::readFixture(fixture));
  EXPECT_TRUE(event.has_value());
  return event->offers->offers.at(0).resources;
}

TEST(MesosScalars, KeepThreeDecimalPlacesAsMesosDoes) {
  struct Case {
    double in;
    double out;
  };
  const Case cases[] = {{0.1, 0.1}, {0.0004, 0.0}, {0.0005, 0.001}, {1.23456, 1.235}, {-0.5, -0.5}};
  for (const Case& c : cases) EXPECT_EQ(roundScalar(c.in), c.out) << c.in;
  std::vector<Resource> sum;
  for (int i = 0; i < 10; ++i) addResource(sum, cpus(0.1));
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_EQ(sum[0].scalar->value, 1.0);  // not 0.9999999999999999
}

TEST(MesosResourceLists, MergeOnlyResourcesOfTheSameKind) {
  struct Case {
    std::string name;
    std::vector<Resource> in;
    size_t entries;
    double cpusTotal;
  };
  const Case cases[] = {
      {"unreserved scalars merge", {cpus(1), cpus(0.5)}, 1, 1.5},
      {"reserved and unreserved stay apart", {cpus(1), reservedCpus(0.5, "a")}, 2, 1.5},
      {"reservations with different labels stay apart",
       {reservedCpus(1, "a"), reservedCpus(1, "b")},
       2,
       2},
      {"equal reservations merge", {reservedCpus(1, "a"), reservedCpus(1, "a")}, 1, 2},
      {"different allocation roles stay apart", {allocatedTo(cpus(1), "x"), cpus(1)}, 2, 2},
      {"zero is dropped", {cpus(0), cpus(0.0001)}, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<Resource> sum = sumResources(c.in, {});
    EXPECT_EQ(sum.size(), c.entries);
    EXPECT_EQ(scalarTotal(sum, "cpus"), c.cpusTotal);
  }
}

TEST(MesosResourceLists, SubtractOnlyWhatIsThere) {
  Resource volume = persistentVolume(
      withDynamicReservation(scalarResource("disk", 64), kRole, "p", {}), "v1", "p", "data");
  const std::vector<Resource> have = {cpus(2), reservedCpus(0.5, "a"),
                                      rangesResource("ports", {{31000, 31100}}), volume};
  struct Case {
    std::string name;
    std::vector<Resource> take;
    bool ok;
  };
  const Case cases[] = {
      {"part of the unreserved cpus", {cpus(1.4)}, true},
      {"all of the unreserved cpus", {cpus(2)}, true},
      {"more cpus than unreserved", {cpus(2.001)}, false},
      {"reserved cpus by their labels", {reservedCpus(0.5, "a")}, true},
      {"reserved cpus with other labels", {reservedCpus(0.5, "b")}, false},
      {"ports inside the range", {rangesResource("ports", {{31000, 31000}, {31050, 31060}})}, true},
      {"ports outside the range", {rangesResource("ports", {{31100, 31101}})}, false},
      {"the whole volume", {volume}, true},
      {"part of a volume",
       {persistentVolume(withDynamicReservation(scalarResource("disk", 32), kRole, "p", {}), "v1",
                         "p", "data")},
       false},
      {"memory that is not there", {scalarResource("mem", 1)}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<std::vector<Resource>> left = subtractResources(have, c.take);
    EXPECT_EQ(left.has_value(), c.ok);
    EXPECT_EQ(containsResources(have, c.take), c.ok);
    if (left.has_value()) {
      EXPECT_TRUE(equalResources(sumResources(*left, c.take), have))
          << "what is left plus what was taken is what there was";
    }
  }
}

TEST(MesosResourceLists, SplitRangesWhenPortsAreTaken) {
  std::vector<Resource> have = {rangesResource("ports", {{31000, 31010}})};
  Result<std::vector<Resource>> left =
      subtractResources(have, {rangesResource("ports", {{31005, 31005}})});
  ASSERT_TRUE(left.has_value());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->at(0).ranges->range, (std::vector<Value::Range>{{31000, 31004}, {31006, 31010}}));
}

TEST(MesosResourceLists, AccountTheRecordedOfferAfterReserveAndCreate) {
  std::vector<Resource> before = offerResources("event-offers.json");
  std::vector<Resource> after = offerResources("event-offers-reserved-volume.json");
  EXPECT_EQ(scalarTotal(before, "cpus"), scalarTotal(after, "cpus"));
  EXPECT_EQ(scalarTotal(before, "mem"), scalarTotal(after, "mem"));
  EXPECT_EQ(scalarTotal(before, "disk"), scalarTotal(after, "disk"));
  int volumes = 0;
  for (const Resource& r : after) volumes += isPersistentVolume(r) ? 1 : 0;
  EXPECT_EQ(volumes, 1);
}

TEST(MesosReservations, ReportRoleLabelsAndKindInBothFormats) {
  std::vector<Resource> refined = offerResources("event-offers-reserved-volume.json");
  std::vector<Resource> legacy = offerResources("event-offers-legacy-reserved.json");
  const Resource& refinedCpus = refined.at(1);
  EXPECT_EQ(reservationRole(refinedCpus), kRole);
  EXPECT_TRUE(isDynamicallyReserved(refinedCpus));
  EXPECT_EQ(labelValue(reservationLabels(refinedCpus), "resource_id"),
            "f5bcb470-c1d8-42fc-b546-9b3d98d37fdb");
  const Resource& legacyCpus = legacy.at(1);
  EXPECT_EQ(reservationRole(legacyCpus), "legacy-role");
  EXPECT_TRUE(isDynamicallyReserved(legacyCpus));
  EXPECT_EQ(labelValue(reservationLabels(legacyCpus), "resource_id"),
            "1d5e6e84-6b93-458e-af27-2a780beda98d");
  EXPECT_FALSE(isReserved(legacy.at(0)));  // "role":"*"
  EXPECT_FALSE(isReserved(refined.at(0)));
  EXPECT_EQ(labelValue(reservationLabels(refined.at(0)), "resource_id"), std::nullopt);
}

TEST(MesosReservations, ConvertBetweenLegacyAndRefinedFormats) {
  std::vector<Resource> legacy = offerResources("event-offers-legacy-reserved.json");
  for (const Resource& r : legacy) {
    Resource refined = toRefinedFormat(r);
    EXPECT_FALSE(refined.role.has_value());
    EXPECT_EQ(reservationRole(refined), reservationRole(r));
    Result<Resource> back = toLegacyFormat(refined);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, r);
  }
  Resource twice = withDynamicReservation(reservedCpus(1, "a"), kRole + "/sub", "p", {});
  EXPECT_FALSE(toLegacyFormat(twice).has_value());
}

TEST(MesosReservations, UnreserveAndDestroyUndoReserveAndCreate) {
  Resource plain = allocatedTo(scalarResource("disk", 64), kRole);
  Resource reservedDisk = withDynamicReservation(plain, kRole, "p", {});
  Resource volume = persistentVolume(reservedDisk, "id", "p", "data");
  EXPECT_TRUE(isPersistentVolume(volume));
  EXPECT_EQ(volume.disk->volume->containerPath, "data");
  EXPECT_EQ(withoutPersistence(volume), reservedDisk);
  EXPECT_EQ(withoutLastReservation(reservedDisk), plain);
}

}  // namespace
}  // namespace keel::mesos
