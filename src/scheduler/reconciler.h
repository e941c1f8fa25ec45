// Reconciler: when the scheduler asks the master about its tasks.
//
// Explicit reconciliation (dcos-commons' ExplicitReconciler): after every
// (re)subscription, RECONCILE every stored task that may still be alive,
// with its agent id. The scheduler launches nothing until each of them has
// been answered (any status update for the task id counts). Unanswered
// tasks are asked again with exponential back-off (initial 4 s, doubling, at
// most 30 s). Then implicit reconciliation (all tasks, "tasks":[]) every
// `implicitInterval`, the first one right after the explicit round ends.
//
// Ended tasks whose pod waits to relaunch on their agent are watched: the
// scheduler adds them to the explicit round, and asks about them again every
// `endedInterval` (endedDue()), since nothing else tells it when such an
// agent is removed for good (the master answers TASK_GONE_BY_OPERATOR).
//
// Pure state machine over `now`; the scheduler sends what due() returns.
// Thread-safety: none; the scheduler's owner thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keel/clock.h"
#include "keel/mesos/scheduler.h"

namespace keel::scheduler {

struct ReconcileOptions {
  Duration initialBackoff = std::chrono::seconds(4);
  Duration maxBackoff = std::chrono::seconds(30);
  Duration implicitInterval = std::chrono::hours(1);
  Duration endedInterval = std::chrono::minutes(1);
};

class Reconciler {
 public:
  using Task = mesos::Call::Reconcile::Task;

  explicit Reconciler(ReconcileOptions options = {}) : options_(options) {}

  // A new subscription: reconcile `tasks` explicitly, starting now. An
  // empty list completes the explicit round at once.
  void start(std::vector<Task> tasks, TimePoint now);
  // A status update for `taskId` arrived.
  void answered(const std::string& taskId);
  // The explicit round has been answered completely (launches may go on).
  bool complete() const { return started_ && pending_.empty(); }
  size_t pendingCount() const { return pending_.size(); }

  struct Request {
    bool implicit = false;
    std::vector<Task> tasks;  // explicit only
  };
  // The RECONCILE to send at `now`, if any; records that it was sent.
  std::optional<Request> due(TimePoint now);
  // True when the watched ended tasks are to be asked about at `now` (every
  // endedInterval once the explicit round is complete); records it.
  bool endedDue(TimePoint now);

 private:
  ReconcileOptions options_;
  bool started_ = false;
  std::vector<Task> tasks_;
  std::set<std::string> pending_;
  TimePoint nextExplicit_{};
  Duration backoff_{};
  std::optional<TimePoint> nextImplicit_;
  std::optional<TimePoint> nextEnded_;
};

}  // namespace keel::scheduler
