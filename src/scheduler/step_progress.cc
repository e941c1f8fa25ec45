#include "scheduler/step_progress.h"

#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"

namespace keel::scheduler {

using mesos::TaskState;

spec::GoalState taskGoal(const mesos::TaskInfo& info) {
  if (!info.labels) return spec::GoalState::kRunning;
  std::optional<std::string_view> g = offer::labelValue(*info.labels, offer::kLabelGoalState);
  if (g == "FINISH" || g == "FINISHED") return spec::GoalState::kFinish;
  if (g == "ONCE") return spec::GoalState::kOnce;
  return spec::GoalState::kRunning;
}

bool readinessPassed(const mesos::TaskInfo& info, const mesos::TaskStatus& status) {
  if (!info.check) return true;
  return status.checkStatus && status.checkStatus->command &&
         status.checkStatus->command->exitCode == 0;
}

TaskProgress taskProgress(const mesos::TaskInfo& info, const mesos::TaskStatus* status) {
  if (status == nullptr) return TaskProgress::kStarting;
  bool running = taskGoal(info) == spec::GoalState::kRunning;
  switch (status->state) {
    case TaskState::kTaskStaging:
    case TaskState::kTaskStarting:
    case TaskState::kTaskKilling:
      return TaskProgress::kStarting;
    case TaskState::kTaskRunning:
      if (!running) return TaskProgress::kStarted;
      return readinessPassed(info, *status) ? TaskProgress::kComplete : TaskProgress::kStarted;
    case TaskState::kTaskFinished:
      return running ? TaskProgress::kFailed : TaskProgress::kComplete;
    default:
      return TaskProgress::kFailed;
  }
}

namespace {

std::string failureReason(const mesos::TaskInfo& info, const mesos::TaskStatus& status) {
  std::string reason = info.name + ": " + std::string(mesos::enumName(status.state));
  if (status.message && !status.message->empty()) reason += ": " + *status.message;
  return reason;
}

}  // namespace

StepProgress stepProgress(const std::vector<StepTask>& tasks) {
  StepProgress out;
  out.progress = TaskProgress::kComplete;
  for (const StepTask& t : tasks) {
    if (t.info == nullptr) {
      out.progress = TaskProgress::kStarting;
      continue;
    }
    TaskProgress p = taskProgress(*t.info, t.status);
    if (p == TaskProgress::kFailed) {
      return {TaskProgress::kFailed, failureReason(*t.info, *t.status)};
    }
    if (static_cast<int>(p) < static_cast<int>(out.progress)) out.progress = p;
  }
  return out;
}

bool applyStepProgress(plan::Step& step, const StepProgress& progress) {
  plan::ElementStatus before = step.status();
  if (!plan::isRunning(before)) return false;
  switch (progress.progress) {
    case TaskProgress::kStarting:
      if (before == plan::ElementStatus::kPrepared) (void)step.markStarting();
      break;
    case TaskProgress::kStarted:
      if (before == plan::ElementStatus::kPrepared) (void)step.markStarting();
      if (step.markStarted().isOk()) step.setMessage("running; waiting for the readiness check");
      break;
    case TaskProgress::kComplete:
      if (step.markComplete().isOk()) step.setMessage("");
      break;
    case TaskProgress::kFailed:
      (void)step.markPending("relaunching after " + progress.reason);
      break;
  }
  return step.status() != before;
}

bool taskDone(const mesos::TaskInfo& info, const mesos::TaskStatus* status) {
  if (status == nullptr) return false;
  spec::GoalState goal = taskGoal(info);
  if (goal == spec::GoalState::kRunning) {
    return status->state == TaskState::kTaskRunning && readinessPassed(info, *status);
  }
  return status->state == TaskState::kTaskFinished;
}

}  // namespace keel::scheduler
