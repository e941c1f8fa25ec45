#include "keel/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace keel {
namespace {

TEST(Ids, RandomUuidsAreVersionFourAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = randomUuid();
    ASSERT_TRUE(isUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, SeededUuidsRepeatForTheSameSeed) {
  EXPECT_EQ(seededUuid(42), seededUuid(42));
  EXPECT_NE(seededUuid(42), seededUuid(43));
  EXPECT_TRUE(isUuid(seededUuid(1)));
}

TEST(Ids, IsUuidRejectsOtherShapes) {
  EXPECT_FALSE(isUuid(""));
  EXPECT_FALSE(isUuid("data-0"));
  EXPECT_FALSE(isUuid("2a0db529-095b-4b63-8c56-075aa442c89g"));
  EXPECT_TRUE(isUuid("2a0db529-095b-4b63-8c56-075aa442c898"));
}

}  // namespace
}  // namespace keel
