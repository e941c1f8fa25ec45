#include "cluster/local/agent_worker.h"

#include <pthread.h>

namespace keel::local {

AgentWorker::AgentWorker(size_t lanes) {
  for (size_t i = 0; i < std::max<size_t>(lanes, 1); ++i)
    lanes_.push_back(std::make_unique<Lane>());
  for (auto& lane : lanes_) lane->thread = std::thread([this, l = lane.get()] { run(*l); });
}

void AgentWorker::post(const std::string& key, std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      lanes_[std::hash<std::string>{}(key) % lanes_.size()]->queue.push_back({std::move(fn), {}});
      fn = nullptr;
    }
  }
  if (fn) {
    fn();
    return;
  }
  cv_.notify_all();
}

void AgentWorker::postBarrier(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      auto barrier = std::make_shared<Barrier>();
      barrier->waiting = lanes_.size();
      barrier->fn = std::move(fn);
      fn = nullptr;
      for (auto& lane : lanes_) lane->queue.push_back({nullptr, barrier});
    }
  }
  if (fn) {
    fn();
    return;
  }
  cv_.notify_all();
}

void AgentWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& lane : lanes_) {
    if (lane->thread.joinable()) lane->thread.join();
  }
}

// The last lane to arrive runs the barrier's function; the others wait for it.
void AgentWorker::arrive(Barrier& barrier) {
  std::unique_lock lock(barrier.mu);
  if (--barrier.waiting == 0) {
    barrier.fn();
    barrier.done = true;
    barrier.cv.notify_all();
    return;
  }
  barrier.cv.wait(lock, [&] { return barrier.done; });
}

void AgentWorker::run(Lane& lane) {
  ::pthread_setname_np(::pthread_self(), "keel-agent");
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !lane.queue.empty(); });
    if (lane.queue.empty()) return;
    Item item = std::move(lane.queue.front());
    lane.queue.pop_front();
    lock.unlock();
    if (item.barrier) {
      arrive(*item.barrier);
    } else {
      item.fn();
    }
    lock.lock();
  }
}

}  // namespace keel::local
