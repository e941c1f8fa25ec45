#include "cluster/local/agent_worker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace keel::local {
namespace {

// Work about one key runs in the order it was posted.
TEST(AgentWorkerTest, WorkAboutOneKeyRunsInOrder) {
  std::mutex mu;
  std::map<std::string, std::vector<int>> seen;
  {
    AgentWorker worker(4);
    for (int i = 0; i < 200; ++i) {
      std::string key = "e" + std::to_string(i % 7);
      worker.post(key, [&, key, i] {
        std::lock_guard lock(mu);
        seen[key].push_back(i);
      });
    }
  }  // stop() runs what is queued
  ASSERT_EQ(seen.size(), 7u);
  for (const auto& [key, order] : seen) {
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << key;
  }
}

// Two keys on different lanes run at the same time: the second runs while
// the first waits for it.
TEST(AgentWorkerTest, WorkAboutDifferentKeysRunsInParallel) {
  AgentWorker worker(4);
  std::string a = "e0", b;
  for (int i = 1; b.empty(); ++i) {  // a key on another lane than a's
    std::string k = "e" + std::to_string(i);
    if (std::hash<std::string>{}(k) % 4 != std::hash<std::string>{}(a) % 4) b = k;
  }
  std::promise<void> bRan;
  std::promise<bool> aSawB;
  worker.post(a, [&] {
    aSawB.set_value(bRan.get_future().wait_for(std::chrono::seconds(10)) ==
                    std::future_status::ready);
  });
  worker.post(b, [&] { bRan.set_value(); });
  EXPECT_TRUE(aSawB.get_future().get());
}

// A barrier runs after everything posted before it, on every lane, and
// before anything posted after it.
TEST(AgentWorkerTest, ABarrierSeparatesWhatCameBeforeFromWhatComesAfter) {
  std::atomic<int> before{0}, after{0};
  int beforeAtBarrier = -1, afterAtBarrier = -1;
  {
    AgentWorker worker(4);
    for (int i = 0; i < 50; ++i) worker.post("e" + std::to_string(i), [&] { ++before; });
    worker.postBarrier([&] {
      beforeAtBarrier = before.load();
      afterAtBarrier = after.load();
    });
    for (int i = 0; i < 50; ++i) worker.post("e" + std::to_string(i), [&] { ++after; });
  }
  EXPECT_EQ(beforeAtBarrier, 50);
  EXPECT_EQ(afterAtBarrier, 0);
  EXPECT_EQ(after.load(), 50);
}

TEST(AgentWorkerTest, AfterStopWorkRunsOnTheCaller) {
  AgentWorker worker(2);
  worker.stop();
  bool ran = false, barrier = false;
  worker.post("e", [&] { ran = true; });
  worker.postBarrier([&] { barrier = true; });
  EXPECT_TRUE(ran);
  EXPECT_TRUE(barrier);
}

}  // namespace
}  // namespace keel::local
