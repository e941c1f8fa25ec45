// AgentWorker: one thread per agent that runs the master's commands for that
// agent's runtime (launch, kill, shutdown, kill all) in the order they were
// queued, so that starting an executor (a process spawn and a handshake)
// never blocks the master loop or the other agents.
//
// Thread-safety: post() from any thread; stop() from one. Failure
// behaviour: none of its own; the queued functions report through the
// master (Master::post).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace keel::local {

class AgentWorker {
 public:
  AgentWorker() : thread_([this] { run(); }) {}
  ~AgentWorker() { stop(); }
  AgentWorker(const AgentWorker&) = delete;
  AgentWorker& operator=(const AgentWorker&) = delete;

  // Queues `fn`; once stop() was called it runs `fn` on the caller instead.
  void post(std::function<void()> fn) {
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        queue_.push_back(std::move(fn));
        fn = nullptr;
      }
    }
    if (fn) {
      fn();
      return;
    }
    cv_.notify_one();
  }

  // Runs what is queued, then ends the thread. Idempotent.
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      std::function<void()> fn = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace keel::local
