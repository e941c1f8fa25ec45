// A step that stops one task: KILL (repeated by killTask) until the task's
// terminal update. Shared by the uninstall and decommission plans.
#include "keel/log.h"
#include "keel/mesos/values.h"
#include "keel/scheduler/scheduler.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {

bool Scheduler::driveKillStep(plan::Step& step, const std::string& taskName,
                              const std::string& why) {
  if (step.status() == plan::ElementStatus::kComplete) return false;
  const TaskRecord* rec = tasks_->find(taskName);
  if (rec == nullptr || !rec->active()) {
    bool wasKilling = plan::isRunning(step.status());
    (void)step.markComplete();
    const mesos::TaskStatus* last = rec ? rec->currentStatus() : nullptr;
    step.setMessage(wasKilling && last ? "killed: " + std::string(mesos::enumName(last->state))
                                       : "not running");
    return true;
  }
  if (subscribed_) killTask(rec->info.taskId, rec->info.agentId);
  if (step.status() == plan::ElementStatus::kPending) {
    (void)step.markPrepared();
    (void)step.markStarting();
  }
  step.setMessage("killing " + rec->info.taskId.value + (why.empty() ? "" : ": " + why));
  return false;
}

}  // namespace keel::scheduler
