#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "keel/http/executor.h"

namespace keel::http {
namespace {

using namespace std::chrono_literals;

// Keeps posted work until the test runs or drops it.
class ParkingExecutor final : public Executor {
 public:
  bool post(std::function<void()> work) override {
    parked.push_back(std::move(work));
    return true;
  }
  std::vector<std::function<void()>> parked;
};

TEST(EventLoop, RunsPostedWorkInPostOrder) {
  EventLoop loop;
  std::vector<int> seen;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(loop.post([&seen, i] { seen.push_back(i); }));
  EXPECT_EQ(loop.runPending(), 3u);
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(loop.runPending(), 0u);
}

TEST(EventLoop, RunPendingLeavesWorkPostedByWorkForTheNextRound) {
  EventLoop loop;
  int ran = 0;
  ASSERT_TRUE(loop.post([&] {
    ++ran;
    ASSERT_TRUE(loop.post([&] { ++ran; }));
  }));
  EXPECT_EQ(loop.runPending(), 1u);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(loop.runPending(), 1u);
  EXPECT_EQ(ran, 2);
}

TEST(EventLoop, RunReturnsOnceWorkStopsTheLoop) {
  EventLoop loop;
  int ran = 0;
  ASSERT_TRUE(loop.post([&] { ++ran; }));
  ASSERT_TRUE(loop.post([&] { loop.stop(); }));
  loop.run();
  EXPECT_EQ(ran, 1);
  EXPECT_TRUE(loop.stopped());
  EXPECT_FALSE(loop.post([&] { ++ran; }));
}

TEST(EventLoop, CallOnRunsTheFunctionOnTheLoopThreadAndReturnsItsResult) {
  EventLoop loop;
  std::thread owner([&] { loop.run(); });
  auto id = callOn<std::thread::id>(
      loop, [] { return std::this_thread::get_id(); }, 10s);
  ASSERT_TRUE(id.has_value()) << id.status();
  EXPECT_EQ(*id, owner.get_id());
  auto sum = callOn<int>(
      loop, [] { return 40 + 2; }, 10s);
  EXPECT_EQ(sum.value_or(0), 42);
  loop.stop();
  owner.join();
}

TEST(EventLoop, CallOnAStoppedLoopIsUnavailable) {
  EventLoop loop;
  loop.stop();
  auto r = callOn<int>(
      loop, [] { return 1; }, 10s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kUnavailable);
}

TEST(EventLoop, StopTellsWaitingCallersThatNoAnswerIsComing) {
  EventLoop loop;  // never run: the call stays queued until stop() drops it
  Result<int> r = Status::internal("not called");
  std::thread caller([&] {
    r = callOn<int>(
        loop, [] { return 1; }, 60s);
  });
  loop.stop();
  caller.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kUnavailable) << r.status();
}

TEST(EventLoop, CallOnGivesUpAfterTheTimeoutAndTheLateWorkIsHarmless) {
  ParkingExecutor parked;
  int ran = 0;
  auto r = callOn<int>(
      parked, [&ran] { return ++ran; }, 1ms);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(r.error().message(), "the scheduler did not answer within 1 ms");
  ASSERT_EQ(parked.parked.size(), 1u);
  parked.parked[0]();  // the answer nobody waits for any more
  EXPECT_EQ(ran, 1);
}

TEST(EventLoop, WorkDroppedUnrunMakesCallOnUnavailable) {
  class DroppingExecutor final : public Executor {
   public:
    bool post(std::function<void()>) override { return true; }
  } dropping;
  auto r = callOn<int>(
      dropping, [] { return 1; }, 60s);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.error().message(), "the scheduler stopped before answering");
}

}  // namespace
}  // namespace keel::http
