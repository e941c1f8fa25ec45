// How a step's tasks move the step (dcos-commons' DeploymentStep status
// rules), as pure functions of the tasks' TaskInfos and statuses.
//
// One task, for the current launch:
//   no status yet, STAGING, STARTING, KILLING      -> starting
//   RUNNING: goal RUNNING, readiness passed or none -> complete
//            goal RUNNING, readiness pending        -> started
//            goal FINISH/ONCE                       -> started
//   FINISHED: goal FINISH/ONCE                      -> complete
//             goal RUNNING                          -> failed
//   any other terminal state (FAILED, KILLED, LOST, ERROR, DROPPED, GONE, ...)
//   or UNKNOWN (the master has no record of the task)
//                                                   -> failed
// A step is failed if any task failed, else the least advanced of its tasks
// (starting < started < complete). Readiness passed: the last status carries
// check_status.command.exit_code 0 (a TaskInfo without a `check` has no
// readiness check).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/mesos/task.h"
#include "keel/mesos/task_status.h"
#include "keel/plan.h"
#include "keel/spec.h"

namespace keel::scheduler {

enum class TaskProgress { kStarting, kStarted, kComplete, kFailed };

// The goal_state label of a TaskInfo; RUNNING when absent or unknown.
spec::GoalState taskGoal(const mesos::TaskInfo& info);
bool readinessPassed(const mesos::TaskInfo& info, const mesos::TaskStatus& status);

// `status` is the current launch's latest status, or nullptr before the first.
TaskProgress taskProgress(const mesos::TaskInfo& info, const mesos::TaskStatus* status);

struct StepProgress {
  TaskProgress progress = TaskProgress::kStarting;
  // For a failure: "<task>: TASK_FAILED: <message>"; else empty.
  std::string reason;
};

struct StepTask {
  const mesos::TaskInfo* info = nullptr;      // nullptr: never launched
  const mesos::TaskStatus* status = nullptr;  // current launch's; nullptr: none yet
};

StepProgress stepProgress(const std::vector<StepTask>& tasks);

// Moves a step that is being worked on (PREPARED, STARTING, STARTED) as
// `progress` says: STARTED, COMPLETE, or back to PENDING with the reason.
// Returns whether the step's status changed. Other steps are left alone.
bool applyStepProgress(plan::Step& step, const StepProgress& progress);

// Whether a task's current launch finished its job for the purpose of
// deriving a step's status at startup: RUNNING goal running and ready,
// FINISH/ONCE goal finished.
bool taskDone(const mesos::TaskInfo& info, const mesos::TaskStatus* status);

}  // namespace keel::scheduler
