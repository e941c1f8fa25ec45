// The update guard (keel's addition, opt-in per service through
// UpdatePolicy, keel/scheduler/update_policy.h): it watches a configuration
// update while it rolls out and halts it, or rolls it back, when it goes
// wrong; it promotes health-gated canaries.
//
// An update is in progress while the target configuration was reached by an
// update (the previous-target property, scheduler/rollback.h, names another
// configuration) and the deploy plan (the spec's update plan once deployed)
// is not COMPLETE.
//
// A failure is a terminal status of a task launched with the update's
// target configuration that is not the answer to a KILL the scheduler sent:
// TASK_FAILED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE, a KILLED the
// scheduler did not ask for, or TASK_FINISHED of a task whose goal is
// RUNNING; whether its step was still starting (the step goes back to
// PENDING and relaunches) or had completed (a canary that dies while it is
// watched). Each such status counts once.
//
// The update halts when
//   - failures reach the failure budget,
//   - no step of the deploy plan completed for the progress deadline since
//     the update started or the last step completed (time the plan spends
//     WAITING, interrupted or held at a canary, does not count), or
//   - a step of the deploy plan is in ERROR.
// Halting stores the reason first (property update-progress), then, with
// auto-rollback, rolls the update back through Scheduler::rollBack with the
// reason "auto-rollback: <why>" (which stores its own record before the
// target moves); without it, interrupts the deploy plan (a persisted
// override, as `keel plan interrupt`) and puts the reason in its errors.
// `keel plan continue` resumes a halted update with the failure count at 0;
// `keel config rollback` aborts it. A scheduler restarted mid-way resumes
// from the stored record: the count, the times, and a halt whose rollback or
// interrupt was not stored yet is carried out.
//
// With a canary promotion time, a canary phase held at its next canary step
// continues by itself: at once for the first canary, and for each next one
// once every completed canary step's tasks have been RUNNING, healthy and
// ready for that long without a break (kept in memory: a restarted scheduler
// watches them anew). The held step's message says what it waits for and
// until when.
//
// Thread-safety: pure functions here; the Scheduler calls them on its owner
// thread (update_guard.cc).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "keel/clock.h"
#include "keel/result.h"
#include "keel/scheduler/update_policy.h"

namespace keel::scheduler {

inline constexpr const char* kUpdateProgressProperty = "update-progress";

struct UpdateRecord {
  std::string config;  // the update's target configuration id
  int64_t startedMillis = 0;
  int64_t progressMillis = 0;  // the start, or when a step last completed
  int failures = 0;
  std::string lastFailure;            // "data-0-node: TASK_FAILED: exit 1"
  std::string halted;                 // why it halted; empty: it runs
  bool held = false;                  // the halt's interrupt (or rollback) was stored
  std::map<std::string, int> byTask;  // failures per task name
  bool operator==(const UpdateRecord&) const = default;
};

// Corruption naming the property when `text` is not a record.
Result<std::optional<UpdateRecord>> parseUpdateRecord(const std::optional<std::string>& text);
std::string encodeUpdateRecord(const UpdateRecord& record);

// Why the update must halt at `now` for its failures or its progress
// deadline, or nullopt. `waiting`: the plan waits for the operator or a
// canary (the deadline does not run).
std::optional<std::string> haltReason(const UpdatePolicy& policy, const UpdateRecord& record,
                                      TimePoint now, bool waiting);

// The Scheduler's in-memory side of the guard.
struct UpdateGuardState {
  bool loaded = false;
  std::optional<std::string> previousTarget;
  std::optional<UpdateRecord> record;
  std::optional<size_t> completedSteps;
  bool wasWaiting = false;
  bool busy = false;                              // re-entry from the rollback's own finishEvent
  std::map<std::string, TimePoint> healthySince;  // held canary step id -> since
};

}  // namespace keel::scheduler
