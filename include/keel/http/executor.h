// The owner-thread rule in code: one thread owns the scheduler's state, and
// every other thread (HTTP handlers, the event stream, timers) hands it work
// through an Executor instead of touching plans or stores.
//
//   Executor      where work is posted; post() is thread-safe.
//   EventLoop     a single-thread Executor: post() from anywhere, run() on the
//                 owner thread until stop().
//   callOn<T>()   posts a function and waits for its result, with a timeout:
//                 how an HTTP handler asks the owner a question.
//
// Time: callOn's timeout is a bound on how long a *foreign* thread (a socket
// handler) blocks, so it waits on the steady clock rather than an injected
// keel::Clock; nothing on the owner thread depends on it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "keel/clock.h"
#include "keel/result.h"

namespace keel::http {

class Executor {
 public:
  virtual ~Executor() = default;
  // Queues `work` to run on the owner thread. Returns false, and drops
  // `work` (destroying it unrun), when the executor no longer accepts work.
  // Thread-safe.
  virtual bool post(std::function<void()> work) = 0;
};

// A FIFO of work run by whichever thread calls run() (the owner). Work runs
// one item at a time in post order. Thread-safety: post(), stop() and
// stopped() from any thread; run() and runPending() from one thread at a
// time.
class EventLoop final : public Executor {
 public:
  EventLoop() = default;
  // Drops queued work unrun. run() must have returned.
  ~EventLoop() override;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  bool post(std::function<void()> work) override;

  // Runs posted work until stop(); returns after the item in progress.
  void run();
  // Runs the work queued at the time of the call (not work it posts), then
  // returns how many items ran. For tests and for owners that interleave the
  // loop with other duties.
  size_t runPending();
  // Makes run() return (after the item in progress) and post() refuse work
  // from now on; work still queued is dropped unrun, so callers waiting in
  // callOn() learn at once that no answer is coming. Idempotent.
  void stop();
  bool stopped() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopped_ = false;
};

namespace detail {

// The meeting point of one callOn(): the owner fills it, the caller waits.
template <typename T>
struct CallSlot {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<T> value;
  bool abandoned = false;  // the work was destroyed without running
};

// The posted work. Copies share one state; when the last copy goes away
// without having run (the executor dropped it), the caller is told.
template <typename T>
class CallWork {
 public:
  CallWork(std::shared_ptr<CallSlot<T>> slot, std::function<T()> fn)
      : state_(std::make_shared<State>(std::move(slot), std::move(fn))) {}
  void operator()() const { state_->run(); }

 private:
  struct State {
    State(std::shared_ptr<CallSlot<T>> s, std::function<T()> f)
        : slot(std::move(s)), fn(std::move(f)) {}
    ~State() {
      if (ran) return;
      std::lock_guard<std::mutex> lock(slot->mu);
      slot->abandoned = true;
      slot->cv.notify_all();
    }
    void run() {
      if (ran) return;
      ran = true;
      T result = fn();
      std::lock_guard<std::mutex> lock(slot->mu);
      slot->value.emplace(std::move(result));
      slot->cv.notify_all();
    }
    std::shared_ptr<CallSlot<T>> slot;
    std::function<T()> fn;
    bool ran = false;
  };
  std::shared_ptr<State> state_;
};

}  // namespace detail

// Runs `fn` on the executor's thread and returns its result. Unavailable when
// the executor refuses or drops the work; DeadlineExceeded when no result
// came within `timeout` (the work may still run later: `fn` must own what it
// uses, by value or shared pointer). Must not be called on the executor's
// own thread (it would wait for itself).
template <typename T>
Result<T> callOn(Executor& executor, std::function<T()> fn, Duration timeout) {
  auto slot = std::make_shared<detail::CallSlot<T>>();
  if (!executor.post(detail::CallWork<T>(slot, std::move(fn)))) {
    return Status::unavailable("the scheduler is not accepting work (stopped)");
  }
  std::unique_lock<std::mutex> lock(slot->mu);
  bool done = slot->cv.wait_for(lock, timeout, [&] { return slot->value || slot->abandoned; });
  if (!done) {
    return Status::deadlineExceeded("the scheduler did not answer within " +
                                    std::to_string(timeout.count()) + " ms");
  }
  if (!slot->value) return Status::unavailable("the scheduler stopped before answering");
  return std::move(*slot->value);
}

}  // namespace keel::http
