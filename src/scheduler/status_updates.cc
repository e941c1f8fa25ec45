// Status updates: persisted, then acknowledged; steps moved; stray tasks
// killed; transient recovery of tasks that end after their step completed.
#include <algorithm>
#include <cmath>

#include "keel/log.h"
#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"
#include "keel/plan_generator.h"
#include "keel/scheduler/scheduler.h"
#include "scheduler/pod_instances.h"
#include "scheduler/reconciler.h"
#include "scheduler/replacement_policy.h"
#include "scheduler/step_progress.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "scheduler";
constexpr const char* kRecoveryPlan = "recovery";

std::string describe(const mesos::TaskStatus& s) {
  std::string text = s.taskId.value + " " + std::string(mesos::enumName(s.state));
  if (s.message && !s.message->empty()) text += " (" + *s.message + ")";
  return text;
}

// The first status of a launch saying the master never applied it: unknown
// to the master (its ACCEPT was never sent), or dropped (an ACCEPT of
// offers no longer valid: none of its operations was applied).
bool launchNeverApplied(const mesos::TaskStatus& s) {
  return s.state == mesos::TaskState::kTaskUnknown || s.state == mesos::TaskState::kTaskDropped;
}

bool stepHasTask(const plan::Step& step, const std::string& taskName) {
  return std::any_of(step.tasks().begin(), step.tasks().end(), [&](const std::string& t) {
    return step.podInstance() + "-" + t == taskName;
  });
}

// A reconciliation answer for a launch already known to have ended tells
// nothing new (not a second failure), unless its agent is gone for good.
bool staleAnswer(const TaskRecord& rec, const mesos::TaskStatus& s) {
  const mesos::TaskStatus* current = rec.currentStatus();
  if (current == nullptr || !taskEnded(current->state) || !taskEnded(s.state)) return false;
  return s.reason == mesos::TaskStatus::Reason::kReasonReconciliation &&
         s.state != mesos::TaskState::kTaskGoneByOperator;
}

}  // namespace

void Scheduler::onUpdate(const mesos::TaskStatus& status) {
  reconciler_->answered(status.taskId.value);
  bool killedByUs = killing_.count(status.taskId.value) != 0;
  if (taskEnded(status.state)) killing_.erase(status.taskId.value);
  std::optional<std::string> name = offer::taskNameFromTaskId(status.taskId.value);
  const TaskRecord* rec = name ? tasks_->find(*name) : nullptr;
  if (rec == nullptr) {
    handleStrayUpdate(status, "unknown task");
  } else if (rec->info.taskId != status.taskId) {
    handleStrayUpdate(status, "an older launch of " + *name + " (current " +
                                  rec->info.taskId.value + ", pod incarnation " +
                                  std::to_string(pods_->incarnation(rec->podInstance())) + ")");
  } else if (launchNeverApplied(status) && rec->currentStatus() == nullptr) {
    revertLostLaunch(*name, status);
  } else if (olderIncarnation(*rec)) {
    handleOlderIncarnation(*rec, status);
  } else if (staleAnswer(*rec, status)) {
    handleStrayUpdate(status, "a launch that ended before");
  } else if (recordUpdate(*name, status)) {
    if (status.state == mesos::TaskState::kTaskGoneByOperator) onGoneByOperator(*rec, status);
    driveSteps(*name, clock_.now());
    if (!killedByUs) noteUpdateFailure(*name, status);
    observeInstance(rec->podInstance(), clock_.now());
    if (subscribed_) updateOfferInterest(clock_.now());
  }
  finishEvent();
}

// Persist, THEN acknowledge: an update not persisted is not acknowledged, so
// the master sends it again. False when it was not persisted.
bool Scheduler::recordUpdate(const std::string& name, const mesos::TaskStatus& status) {
  Status persisted = tasks_->writeStatus(name, status);
  if (!persisted.isOk()) {
    KEEL_LOG(Error, kLog) << "status " << describe(status)
                          << " not persisted, not acknowledged (the master will resend it): "
                          << persisted.toString();
    return false;
  }
  KEEL_LOG(Info, kLog) << "status " << describe(status);
  Status acked = driver_.acknowledge(status);
  if (!acked.isOk()) {
    KEEL_LOG(Warn, kLog) << "ACKNOWLEDGE failed: " << acked.toString();
  }
  return true;
}

// The master never had this launch: the record goes back to the launch
// before it (whose reservations exist), or away when there was none, and
// the steps that were launching it are PENDING again. A lost replacement
// launch whose mark was already cleared sets the mark again first (the
// launch before it is of the replaced incarnation): the replacement is
// redone on a new footprint.
void Scheduler::revertLostLaunch(const std::string& name, const mesos::TaskStatus& status) {
  const TaskRecord* lost = tasks_->find(name);
  std::string instance = lost != nullptr ? lost->podInstance() : std::string();
  Result<bool> undone = undoReplacement(name);
  Status reverted = undone ? tasks_->revertLaunch(name) : undone.error();
  if (!reverted.isOk()) {
    KEEL_LOG(Error, kLog) << "status " << describe(status) << ": the lost launch of " << name
                          << " not reverted (asked again at the next reconciliation): "
                          << reverted.toString();
    return;
  }
  KEEL_LOG(Warn, kLog) << "status " << describe(status) << ": the launch of " << name
                       << " never reached the master; launching it again";
  Status acked = driver_.acknowledge(status);
  if (!acked.isOk()) {
    KEEL_LOG(Warn, kLog) << "ACKNOWLEDGE failed: " << acked.toString();
  }
  for (plan::Plan* p : plans()) {
    for (plan::Phase& phase : p->phases()) {
      for (plan::Step& step : phase.steps()) {
        if (!stepHasTask(step, name) || !plan::isRunning(step.status())) continue;
        (void)step.markPending();
        setStepMessage(*p, step, "the launch of " + name + " was lost; launching it again");
      }
    }
  }
  if (*undone) schedulePermanentRecovery(instance, pods_->failure(instance)->reason);
  if (subscribed_) updateOfferInterest(clock_.now());
}

void Scheduler::handleStrayUpdate(const mesos::TaskStatus& status, const std::string& why) {
  Status acked = driver_.acknowledge(status);
  if (!acked.isOk()) {
    KEEL_LOG(Warn, kLog) << "ACKNOWLEDGE failed: " << acked.toString();
  }
  if (taskEnded(status.state)) {
    KEEL_LOG(Info, kLog) << "status " << describe(status) << " of " << why << ": ignored";
    return;
  }
  KEEL_LOG(Warn, kLog) << "status " << describe(status) << " of " << why << ": killing it";
  killTask(status.taskId, status.agentId);
}

// Moves the steps working on `taskName`; a task that ended after its step
// completed goes to transient recovery.
void Scheduler::driveSteps(const std::string& taskName, TimePoint now) {
  bool inFlight = false;
  std::vector<plan::Plan*> all = plans();
  for (plan::Plan* p : all) {
    for (plan::Phase& phase : p->phases()) {
      for (plan::Step& step : phase.steps()) {
        if (!stepHasTask(step, taskName) || !plan::isRunning(step.status())) continue;
        inFlight = true;
        std::vector<StepTask> progress;
        for (const std::string& t : step.tasks()) {
          const TaskRecord* r = tasks_->find(step.podInstance() + "-" + t);
          progress.push_back({r ? &r->info : nullptr, r ? r->currentStatus() : nullptr});
        }
        plan::ElementStatus before = step.status();
        std::string messageBefore = step.message();
        if (applyStepProgress(step, stepProgress(progress))) {
          // A new progress text is the step's; else its last one is kept.
          if (step.message() != messageBefore) {
            setStepMessage(*p, step, step.message());
          } else {
            refreshStepMessage(*p, step);
          }
          KEEL_LOG(Info, kLog) << p->name() << "/" << phase.name() << "/" << step.name() << ": "
                               << plan::statusName(before) << " -> "
                               << plan::statusName(step.status())
                               << (step.message().empty() ? "" : " (" + step.message() + ")");
        }
      }
    }
  }
  completeDoneSteps(taskName);
  const TaskRecord* rec = tasks_->find(taskName);
  if (!inFlight && rec != nullptr && rec->needsRecovery() &&
      taskGoal(rec->info) == spec::GoalState::kRunning) {
    recoverTransient(taskName, now);
  }
}

// A PENDING step (of a plan other than recovery) whose tasks another plan
// relaunched and that are now done under the target configuration is
// COMPLETE, as a restart derives it (deriveStepStatus): it launches nothing.
void Scheduler::completeDoneSteps(const std::string& taskName) {
  for (auto& p : plans_) {
    for (plan::Phase& phase : p->phases()) {
      for (plan::Step& step : phase.steps()) {
        if (!stepHasTask(step, taskName) || step.status() != plan::ElementStatus::kPending ||
            decommissioning(step.podInstance())) {
          continue;
        }
        bool done = true;
        for (const std::string& t : step.tasks()) {
          const TaskRecord* r = tasks_->find(step.podInstance() + "-" + t);
          done = done && r != nullptr &&
                 (runsTargetConfig(*r) || taskGoal(r->info) == spec::GoalState::kOnce) &&
                 taskDone(r->info, r->currentStatus());
        }
        if (!done || !step.markComplete().isOk()) continue;
        setStepMessage(*p, step, "");
        KEEL_LOG(Info, kLog) << p->name() << "/" << phase.name() << "/" << step.name()
                             << ": PENDING -> COMPLETE (its tasks were relaunched by another "
                             << "plan and are done)";
      }
    }
  }
}

// Relaunches the ended task of a completed step in place, through a step of
// the recovery plan (its one phase "recovery" has a step per pod instance,
// named after it, as in the tutorial). Only when some plan had completed a
// step with that task: a task whose step is still pending is the deploy
// plan's business.
void Scheduler::recoverTransient(const std::string& taskName, TimePoint now) {
  const TaskRecord* rec = tasks_->find(taskName);
  std::string instance = rec->podInstance();
  if (pods_->failure(instance) != nullptr) return;  // its permanent recovery relaunches it
  std::string task = taskName.substr(std::min(taskName.size(), instance.size() + 1));
  bool completedElsewhere = false;
  for (auto& p : plans_) {
    for (const plan::Phase& phase : p->phases()) {
      for (const plan::Step& step : phase.steps()) {
        if (stepHasTask(step, taskName) && step.isComplete()) completedElsewhere = true;
      }
    }
  }
  bool known = recovering_.count(instance) != 0;
  if ((!completedElsewhere && !known) || decommissioning(instance)) return;
  RecoveryEntry& entry = recovering_[instance];
  if (entry.type != offer::RecoveryType::kTransient) entry = RecoveryEntry{};
  bool listed = std::find(entry.tasks.begin(), entry.tasks.end(), task) != entry.tasks.end();
  const plan::Step* current = recovery_ ? recovery_->phases()[0].findStep(instance) : nullptr;
  bool waiting = listed && current != nullptr &&
                 (current->status() == plan::ElementStatus::kPending ||
                  current->status() == plan::ElementStatus::kDelayed);
  if (!listed) {
    entry.tasks.push_back(task);
    rebuildRecoveryPlan();
  }
  plan::Step* step = recovery_->phases()[0].findStep(instance);
  if (step == nullptr) return;
  std::string ended = taskName + (rec->active() ? " out of reach: " : " ended: ") +
                      std::string(mesos::enumName(rec->status->state));
  if (waiting) {  // one failure seen twice (unreachable, then gone): not a crash loop
    setStepMessage(*recovery_, *step, ended + "; waiting to relaunch");
    return;
  }
  if (step->status() != plan::ElementStatus::kPending) (void)step->markPending();
  std::optional<Duration> delay = crashLoopDelay(entry, now);
  if (delay) {
    TimePoint until = now + *delay;
    (void)step->markDelayed(until);
    ended += "; crash loop (" + std::to_string(entry.repeatedFailures + 1) +
             " failures in a row): next attempt at " + plan::formatTime(until);
  }
  setStepMessage(*recovery_, *step, ended);
  KEEL_LOG(Info, kLog) << "recovery of " << instance << " [" << task
                       << "] in place: RecoveryType: TRANSIENT";
}

// A failure within recoveryBackoffReset of the previous one is a repeated
// one; the n-th repeated failure waits initial x factor^(n-1), at most max.
std::optional<Duration> Scheduler::crashLoopDelay(RecoveryEntry& entry, TimePoint now) const {
  bool repeated = entry.lastFailure && now - *entry.lastFailure < options_.recoveryBackoffReset;
  entry.repeatedFailures = repeated ? entry.repeatedFailures + 1 : 0;
  entry.lastFailure = now;
  if (entry.repeatedFailures == 0) return std::nullopt;
  double scale = std::pow(options_.recoveryBackoffFactor, entry.repeatedFailures - 1);
  double seconds = std::chrono::duration<double>(options_.recoveryBackoffInitial).count() * scale;
  double cap = std::chrono::duration<double>(options_.recoveryBackoffMax).count();
  return std::chrono::duration_cast<Duration>(
      std::chrono::duration<double>(std::min(seconds, cap)));
}

// The recovery plan: one phase "recovery", one step per pod instance under
// recovery relaunching its ended tasks (or, PERMANENT, all of them).
// Existing steps keep their state unless their task list changed; new steps
// get their message.
void Scheduler::rebuildRecoveryPlan() {
  std::string planId = recovery_ ? recovery_->id() : options_.planIds();
  std::string phaseId = recovery_ ? recovery_->phases()[0].id() : options_.planIds();
  std::vector<plan::Step> steps;
  for (const auto& [instance, entry] : recovering_) {
    const plan::Step* old = recovery_ ? recovery_->phases()[0].findStep(instance) : nullptr;
    if (old != nullptr && old->tasks() == entry.tasks) {
      steps.push_back(*old);
    } else {
      steps.emplace_back(options_.planIds(), instance, instance, entry.tasks);
    }
  }
  std::vector<plan::Phase> phases;
  phases.emplace_back(phaseId, kRecoveryPlan, std::move(steps), plan::parallelStrategy());
  recovery_ = std::make_unique<plan::Plan>(planId, kRecoveryPlan, std::move(phases),
                                           plan::serialStrategy());
  for (plan::Step& step : recovery_->phases()[0].steps()) {
    if (step.message().empty()) setStepMessage(*recovery_, step, "");
  }
  if (autoState_.breaker) recovery_->setOwnErrors({breakerMessage(*autoState_.breaker)});
}

// Recovery steps say what they are, whatever their status, as dcos-commons'
// recovery steps do: "'data-2 [<id>]' has status: 'COMPLETE'. RecoveryType:
// TRANSIENT" (or PERMANENT for a replacement), followed by the automatic
// recovery policy's note on the instance, if any.
void Scheduler::setStepMessage(const plan::Plan& plan, plan::Step& step, const std::string& text) {
  if (&plan != recovery_.get()) {
    step.setMessage(text);
    return;
  }
  recoveryTexts_[step.podInstance()] = text;
  auto entry = recovering_.find(step.podInstance());
  offer::RecoveryType type =
      entry == recovering_.end() ? offer::RecoveryType::kTransient : entry->second.type;
  std::string message = "'" + step.name() + " [" + step.id() + "]' has status: '" +
                        std::string(plan::statusName(step.status())) +
                        "'. RecoveryType: " + offer::recoveryTypeName(type) +
                        (text.empty() ? "" : ". " + text);
  auto note = policyNotes_.find(step.podInstance());
  if (note != policyNotes_.end()) message += ". " + note->second;
  step.setMessage(message);
}

void Scheduler::refreshStepMessage(const plan::Plan& plan, plan::Step& step) {
  if (&plan != recovery_.get()) return;  // others hold their text as set
  auto text = recoveryTexts_.find(step.podInstance());
  setStepMessage(plan, step, text == recoveryTexts_.end() ? "" : text->second);
}

// Kills the step's tasks whose earlier launch is still alive (never two
// live tasks for one name); returns the names to wait for. A replacement
// does not wait for tasks on an unreachable agent: they are of an older
// incarnation, killed (KILL repeated) and fenced if they come back.
std::vector<std::string> Scheduler::killActiveTasks(const plan::Step& step) {
  bool replacing = pods_->failure(step.podInstance()) != nullptr;
  std::vector<std::string> names;
  for (const std::string& t : step.tasks()) {
    const TaskRecord* rec = tasks_->find(step.podInstance() + "-" + t);
    if (rec == nullptr || !rec->active()) continue;
    killTask(rec->info.taskId, rec->info.agentId);
    const mesos::TaskStatus* s = rec->currentStatus();
    if (replacing && s != nullptr && s->state == mesos::TaskState::kTaskUnreachable) continue;
    names.push_back(rec->name);
  }
  return names;
}

// A KILL is sent at once and again every killRetryInterval until the
// task's terminal update arrives (dcos-commons' TaskKiller): a lost KILL, or
// an agent that was away, does not leave a task running that must stop.
void Scheduler::killTask(const mesos::TaskID& taskId,
                         const std::optional<mesos::AgentID>& agentId) {
  TimePoint now = clock_.now();
  auto it = killing_.find(taskId.value);
  if (it != killing_.end() && now < it->second.next) return;  // sent, not yet due again
  Status s = driver_.kill(taskId, agentId);
  killing_[taskId.value] = {taskId, agentId, now + options_.killRetryInterval};
  KEEL_LOG(Info, kLog) << "KILL " << taskId.value << (s.isOk() ? "" : " failed: " + s.message());
}

void Scheduler::retryKills(TimePoint now) {
  std::vector<PendingKill> due;
  for (const auto& [id, kill] : killing_) {
    if (now >= kill.next) due.push_back(kill);
  }
  for (const PendingKill& kill : due) killTask(kill.taskId, kill.agentId);
}

}  // namespace keel::scheduler
