// AgentWorker: the threads that run the master's commands for one agent's
// runtime (launch, kill, shutdown, kill all), so that starting an executor
// (directories, checkpoint files, a process spawn that waits for the
// child's exec) never blocks the master loop or the other agents.
//
// Commands about one executor run in the order they were queued, on the
// lane its id hashes to; commands about different executors may run in
// parallel on different lanes (an executor start is mostly waiting: for
// the file system and for the spawned child to be scheduled, so one lane
// per agent left the machine half idle while 1,000 executors started).
// A barrier (kill all, waiting for the agent) runs once everything queued
// before it on every lane ran, and before anything queued after it.
//
// Thread-safety: post() and postBarrier() from any thread; stop() from one.
// Failure behaviour: none of its own; the queued functions report through
// the master (Master::post).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace keel::local {

class AgentWorker {
 public:
  static constexpr size_t kDefaultLanes = 4;

  explicit AgentWorker(size_t lanes = kDefaultLanes);
  ~AgentWorker() { stop(); }
  AgentWorker(const AgentWorker&) = delete;
  AgentWorker& operator=(const AgentWorker&) = delete;

  // Queues `fn` on the lane of `key` (an executor id); once stop() was
  // called it runs `fn` on the caller instead.
  void post(const std::string& key, std::function<void()> fn);
  // Queues `fn` behind everything queued so far on every lane; later work
  // waits for it. Runs `fn` on the caller once stop() was called.
  void postBarrier(std::function<void()> fn);

  // Runs what is queued, then ends the threads. Idempotent.
  void stop();

 private:
  // One queued item: plain work, or this lane's share of a barrier.
  struct Barrier {
    std::mutex mu;
    std::condition_variable cv;
    size_t waiting;  // lanes not yet at the barrier
    bool done = false;
    std::function<void()> fn;
  };
  struct Item {
    std::function<void()> fn;
    std::shared_ptr<Barrier> barrier;
  };
  struct Lane {
    std::deque<Item> queue;
    std::thread thread;
  };

  void run(Lane& lane);
  static void arrive(Barrier& barrier);

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  bool stopping_ = false;
};

}  // namespace keel::local
