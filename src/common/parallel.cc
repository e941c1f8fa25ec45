#include "common/parallel.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace keel {

void parallelFor(size_t n, const std::function<void(size_t)>& fn, size_t minPerThread,
                 size_t maxThreads) {
  size_t cores = std::max<size_t>(1, std::thread::hardware_concurrency());
  size_t threads =
      std::min({cores, maxThreads, std::max<size_t>(1, n / std::max<size_t>(1, minPerThread))});
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  size_t slice = (n + threads - 1) / threads;
  auto run = [&](size_t begin) {
    for (size_t i = begin; i < std::min(n, begin + slice); ++i) fn(i);
  };
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) workers.emplace_back(run, t * slice);
  run(0);
  for (std::thread& w : workers) w.join();
}

}  // namespace keel
