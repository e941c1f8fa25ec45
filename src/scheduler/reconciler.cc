#include "scheduler/reconciler.h"

#include <algorithm>

namespace keel::scheduler {

void Reconciler::start(std::vector<Task> tasks, TimePoint now) {
  started_ = true;
  tasks_ = std::move(tasks);
  pending_.clear();
  for (const Task& t : tasks_) pending_.insert(t.taskId.value);
  nextExplicit_ = now;
  backoff_ = options_.initialBackoff;
  nextImplicit_.reset();
  nextEnded_.reset();
}

void Reconciler::answered(const std::string& taskId) { pending_.erase(taskId); }

std::optional<Reconciler::Request> Reconciler::due(TimePoint now) {
  if (!started_) return std::nullopt;
  if (!pending_.empty()) {
    if (now < nextExplicit_) return std::nullopt;
    Request r;
    for (const Task& t : tasks_) {
      if (pending_.count(t.taskId.value) != 0) r.tasks.push_back(t);
    }
    nextExplicit_ = now + backoff_;
    backoff_ = std::min(backoff_ * 2, options_.maxBackoff);
    return r;
  }
  if (!nextImplicit_) nextImplicit_ = now;
  if (now < *nextImplicit_) return std::nullopt;
  nextImplicit_ = now + options_.implicitInterval;
  return Request{true, {}};
}

bool Reconciler::endedDue(TimePoint now) {
  if (!complete()) return false;
  if (!nextEnded_) nextEnded_ = now + options_.endedInterval;
  if (now < *nextEnded_) return false;
  nextEnded_ = now + options_.endedInterval;
  return true;
}

}  // namespace keel::scheduler
