#include "keel/ids.h"

#include <sys/wait.h>
#include <unistd.h>

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

// An executor forked from its launcher must not draw the launcher's ids.
TEST(Ids, AForkedChildDrawsIdsOfItsOwn) {
  (void)randomUuid();  // the generator is seeded in this process
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  if (child == 0) {
    std::string id = randomUuid();
    ::_exit(::write(fds[1], id.data(), id.size()) == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string ours = randomUuid();
  char buf[64];
  ssize_t n = ::read(fds[0], buf, sizeof buf);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_EQ(n, 36);
  EXPECT_NE(std::string(buf, 36), ours);
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
