#include "common/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace keel {
namespace {

TEST(ParallelFor, CallsEveryIndexExactlyOnce) {
  for (size_t n : {0u, 1u, 255u, 511u, 512u, 10'001u}) {
    std::vector<std::atomic<int>> calls(n);
    parallelFor(n, [&](size_t i) { calls[i].fetch_add(1); });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(calls[i].load(), 1) << "n=" << n << " i=" << i;
  }
}

TEST(ParallelFor, SmallWorkStaysOnTheCallingThread) {
  std::set<std::thread::id> seen;
  parallelFor(300, [&](size_t) { seen.insert(std::this_thread::get_id()); });
  EXPECT_EQ(seen, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(ParallelFor, LargeWorkIsSplitAcrossThreads) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one CPU: nothing to split";
  std::mutex mu;
  std::set<std::thread::id> seen;
  parallelFor(4096, [&](size_t) {
    std::lock_guard<std::mutex> lock(mu);
    seen.insert(std::this_thread::get_id());
  });
  EXPECT_GE(seen.size(), 2u);
  EXPECT_TRUE(seen.count(std::this_thread::get_id()));
}

}  // namespace
}  // namespace keel
