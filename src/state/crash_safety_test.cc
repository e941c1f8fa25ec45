// Crash safety, for real: a writer process (keel_state_crash_writer) is
// killed with SIGKILL at random moments while it commits multi-node
// transactions; after each kill the store must open cleanly, every
// transaction must be all or nothing, and every transaction the writer
// acknowledged must be there.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "keel/check.h"
#include "keel/state/sqlite_persister.h"
#include "keel/state/state_dir_lock.h"
#include "state/crash_writer.h"
#include "testing/temp_dir.h"

namespace keel::state {
namespace {

constexpr int kKeys = 8;
constexpr int kRounds = 60;
constexpr auto kRoundDeadline = std::chrono::seconds(10);

using SteadyClock = std::chrono::steady_clock;

// One writer process with its stdout on a pipe we read acknowledgements from.
class Writer {
 public:
  explicit Writer(const std::string& dir) {
    int fds[2];
    KEEL_CHECK(pipe2(fds, O_CLOEXEC) == 0);
    pid_ = fork();
    KEEL_CHECK(pid_ >= 0);
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      std::string keys = std::to_string(kKeys);
      execl(KEEL_STATE_CRASH_WRITER, KEEL_STATE_CRASH_WRITER, dir.c_str(), keys.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Writer() {
    killAndReap();
    if (fd_ >= 0) close(fd_);
  }

  // Reads acknowledgements until `count` have arrived or the deadline
  // passes; returns false on the deadline or when the writer exits early.
  bool awaitAcks(int64_t count, SteadyClock::time_point deadline) {
    while (acks_ < count) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
      if (left.count() <= 0 || !readSome(static_cast<int>(left.count()))) return false;
    }
    return true;
  }

  void killAndReap() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // After the writer is dead: takes every acknowledgement still in the pipe.
  void drain() {
    while (readSome(0)) {
    }
  }

  int64_t acks() const { return acks_; }
  int64_t lastAcked() const { return lastAcked_; }

 private:
  bool readSome(int timeoutMs) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeoutMs) != 1) return false;
    char buffer[4096];
    ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n <= 0) return false;
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] != '\n') {
        line_ += buffer[i];
        continue;
      }
      lastAcked_ = std::stoll(line_);
      line_.clear();
      ++acks_;
    }
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  int64_t acks_ = 0;
  int64_t lastAcked_ = 0;
  std::string line_;
};

// Spins (does not sleep) for a random fraction of a commit so kills land at
// different points inside the writer's transaction.
void jitter(std::mt19937& rng) {
  auto until = SteadyClock::now() + std::chrono::microseconds(rng() % 3000);
  while (SteadyClock::now() < until) {
  }
}

// The stored sequence number, after checking the all-or-nothing invariants.
int64_t checkStore(Persister& p) {
  int64_t seq = -2;
  for (int k = 0; k < kKeys; ++k) {
    Result<Node> node = p.get(crashKeyPath(k));
    int64_t here = 0;
    if (node.has_value()) {
      here = crashSeq(node->value);
      EXPECT_EQ(node->value, crashValue(here, k)) << "torn value at " << crashKeyPath(k);
    } else {
      EXPECT_EQ(node.status().code(), StatusCode::kNotFound) << node.status();
    }
    if (seq == -2) seq = here;
    EXPECT_EQ(here, seq) << "transaction torn across keys: k0 has " << seq << ", k" << k << " has "
                         << here;
  }
  std::vector<std::string> expectedLog;
  for (int64_t s = std::max<int64_t>(1, seq - kCrashLogKeep + 1); s <= seq; ++s) {
    expectedLog.push_back(std::to_string(s));
  }
  std::sort(expectedLog.begin(), expectedLog.end());
  auto log = p.children("/crash/log");
  EXPECT_EQ(log.value_or(std::vector<std::string>{}), expectedLog) << "at seq " << seq;
  return seq;
}

TEST(CrashSafety, KilledWritersLeaveEveryTransactionWholeAndEveryAcknowledgedOneDurable) {
  const char* seedText = std::getenv("KEEL_CRASH_SEED");
  const unsigned seed = seedText != nullptr ? std::strtoul(seedText, nullptr, 10) : 20251125u;
  SCOPED_TRACE("KEEL_CRASH_SEED=" + std::to_string(seed));
  std::mt19937 rng(seed);
  testing::TempDir dir;
  const std::string stateDir = dir.path().string();
  int64_t stored = 0;
  int unacknowledgedCommits = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    int64_t ackTarget = 1 + static_cast<int64_t>(rng() % 25);
    {
      Writer writer(stateDir);
      ASSERT_TRUE(writer.awaitAcks(ackTarget, SteadyClock::now() + kRoundDeadline))
          << "writer produced " << writer.acks() << " of " << ackTarget << " acks";
      jitter(rng);
      writer.killAndReap();
      writer.drain();
      ASSERT_GE(writer.lastAcked(), stored + ackTarget);
      auto lock = StateDirLock::acquire(stateDir);
      ASSERT_TRUE(lock.has_value()) << "lock not released by the killed writer: " << lock.status();
      auto p = SqlitePersister::open(stateDir + "/" + kStateDbFileName);
      ASSERT_TRUE(p.has_value()) << "store did not reopen: " << p.status();
      int64_t seq = checkStore(**p);
      ASSERT_FALSE(::testing::Test::HasFailure());
      EXPECT_GE(seq, writer.lastAcked()) << "an acknowledged transaction was lost";
      EXPECT_LE(seq, writer.lastAcked() + 1) << "more commits than the writer made";
      if (seq == writer.lastAcked() + 1) ++unacknowledgedCommits;
      stored = seq;
    }
  }
  RecordProperty("commits_durable_before_ack", unacknowledgedCommits);
  EXPECT_GE(stored, kRounds);
}

}  // namespace
}  // namespace keel::state
