#include <utility>

#include "keel/http/executor.h"

namespace keel::http {

EventLoop::~EventLoop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dropped.swap(queue_);
  }
}

bool EventLoop::post(std::function<void()> work) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return false;
    queue_.push_back(std::move(work));
  }
  cv_.notify_one();
  return true;
}

void EventLoop::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopped_ || !queue_.empty(); });
    if (stopped_) break;
    std::function<void()> work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    work = nullptr;
    lock.lock();
  }
  std::deque<std::function<void()>> dropped;
  dropped.swap(queue_);
  lock.unlock();
}

size_t EventLoop::runPending() {
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(queue_);
  }
  size_t ran = 0;
  while (!batch.empty()) {
    std::function<void()> work = std::move(batch.front());
    batch.pop_front();
    work();
    ++ran;
  }
  return ran;
}

void EventLoop::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    dropped.swap(queue_);
  }
  cv_.notify_all();
}

bool EventLoop::stopped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopped_;
}

}  // namespace keel::http
