#include "keel/state/state_dir_lock.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "testing/temp_dir.h"

namespace keel::state {
namespace {

TEST(StateDirLock, ASecondSchedulerIsRefusedWithTheHoldersPidAndPath) {
  testing::TempDir dir;
  auto first = StateDirLock::acquire(dir.path().string());
  ASSERT_TRUE(first.has_value()) << first.status();
  auto second = StateDirLock::acquire(dir.path().string());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.status().message(), "another keel scheduler (pid " + std::to_string(getpid()) +
                                           ") holds " + dir.file("lock"));
}

TEST(StateDirLock, ReleasingTheLockLetsTheNextSchedulerIn) {
  testing::TempDir dir;
  {
    auto held = StateDirLock::acquire(dir.path().string());
    ASSERT_TRUE(held.has_value());
    StateDirLock moved = std::move(held).value();
    EXPECT_FALSE(StateDirLock::acquire(dir.path().string()).has_value());
  }
  EXPECT_TRUE(StateDirLock::acquire(dir.path().string()).has_value());
}

TEST(StateDirLock, CreatesAMissingStateDirectory) {
  testing::TempDir dir;
  std::string stateDir = dir.file("services/hello");
  auto lock = StateDirLock::acquire(stateDir);
  ASSERT_TRUE(lock.has_value()) << lock.status();
  EXPECT_TRUE(std::filesystem::is_regular_file(stateDir + "/lock"));
  EXPECT_EQ(lock->path(), stateDir + "/lock");
}

TEST(StateDirLock, AStateDirectoryThatCannotBeMadeIsAnIoErrorNamingIt) {
  testing::TempDir dir;
  std::ofstream(dir.file("plain-file")) << "x";
  std::string stateDir = dir.file("plain-file/sub");
  auto lock = StateDirLock::acquire(stateDir);
  ASSERT_FALSE(lock.has_value());
  EXPECT_EQ(lock.status().code(), StatusCode::kIoError);
  EXPECT_NE(lock.status().message().find(stateDir), std::string::npos) << lock.status();
}

// Waits for one byte on `fd` for at most `timeoutMs`.
bool readByteWithin(int fd, int timeoutMs) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeoutMs) != 1) return false;
  char c;
  return read(fd, &c, 1) == 1;
}

// Kills and reaps the child when the test ends early.
struct ChildGuard {
  pid_t pid = -1;
  ~ChildGuard() {
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

TEST(StateDirLock, ALockHeldByAnotherProcessNamesItAndDiesWithIt) {
  testing::TempDir dir;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = StateDirLock::acquire(dir.path().string());
    char c = lock.has_value() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    pause();  // held until SIGKILL
    _exit(0);
  }
  ChildGuard guard{child};
  close(ready[1]);
  ASSERT_TRUE(readByteWithin(ready[0], 10'000));
  auto refused = StateDirLock::acquire(dir.path().string());
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.status().message().find("(pid " + std::to_string(child) + ")"),
            std::string::npos)
      << refused.status();
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  guard.pid = -1;
  close(ready[0]);
  auto after = StateDirLock::acquire(dir.path().string());
  EXPECT_TRUE(after.has_value()) << after.status();
}

}  // namespace
}  // namespace keel::state
