// Pod and task restarts of the SchedulerApi, and permanent recovery: a pod
// instance replaced on a new footprint (operator replace,
// TASK_GONE_BY_OPERATOR), incarnations and the fencing of older ones, the
// old footprint watched until it is cleaned. The flow is described in
// keel/scheduler/scheduler.h.
#include <algorithm>

#include "keel/log.h"
#include "keel/mesos/resources.h"
#include "keel/mesos/values.h"
#include "keel/offer/task_labels.h"
#include "keel/offer/unexpected_resources.h"
#include "keel/scheduler/scheduler.h"
#include "scheduler/pod_instances.h"
#include "scheduler/step_progress.h"
#include "scheduler/task_book.h"
#include "scheduler/uninstall.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "scheduler";

std::string describe(const mesos::TaskStatus& s) {
  std::string text = s.taskId.value + " " + std::string(mesos::enumName(s.state));
  if (s.message && !s.message->empty()) text += " (" + *s.message + ")";
  return text;
}

}  // namespace

Result<std::vector<std::string>> Scheduler::restartPod(const std::string& podInstance,
                                                       bool replace) {
  std::vector<const TaskRecord*> pod = tasks_->instanceTasks(podInstance);
  if (pod.empty()) return Status::notFound("Pod " + podInstance + " not found");
  if (replace) return replacePod(podInstance, "pod replace requested by the operator");
  std::vector<std::string> names;
  for (const TaskRecord* rec : pod) {
    names.push_back(rec->name);
    if (rec->active()) killTask(rec->info.taskId, rec->info.agentId);
  }
  bump();
  return names;
}

Status Scheduler::restartTask(const std::string& task, bool replace) {
  const TaskRecord* rec = tasks_->find(task);
  if (rec == nullptr) return Status::notFound("Task " + task + " not found");
  if (replace) {
    if (rec->podInstance().empty()) {
      return Status::invalidArgument("task " + task +
                                     " has no pod instance labels; it cannot be replaced");
    }
    return replacePod(rec->podInstance(), "replace of task " + task + " requested by the operator")
        .status();
  }
  if (rec->active()) killTask(rec->info.taskId, rec->info.agentId);
  bump();
  return Status::ok();
}

// The names of the instance's tasks; a second replace of an instance whose
// replacement has not launched yet changes nothing but kills again.
Result<std::vector<std::string>> Scheduler::replacePod(const std::string& podInstance,
                                                       const std::string& reason) {
  if (uninstall_) {
    return Status::failedPrecondition("the service is being uninstalled: " + podInstance +
                                      " is not replaced");
  }
  if (decommissioning(podInstance)) {
    return Status::failedPrecondition(podInstance +
                                      " is being decommissioned (its pod count shrank): it is "
                                      "removed with its volumes, not replaced");
  }
  std::vector<std::string> names;
  for (const TaskRecord* rec : tasks_->instanceTasks(podInstance)) {
    names.push_back(rec->name);
    if (pods_->failure(podInstance) != nullptr && rec->active()) {
      killTask(rec->info.taskId, rec->info.agentId);
    }
  }
  if (pods_->failure(podInstance) == nullptr) {
    KEEL_RETURN_IF_ERROR(
        markPermanentFailure(podInstance, PermanentFailure{reason, clock_.now(), false}));
  }
  if (subscribed_) updateOfferInterest(clock_.now());
  finishEvent();
  return names;
}

// Persist before acting: the mark and the new incarnation are durable
// before any task of the instance is killed.
Status Scheduler::markPermanentFailure(const std::string& podInstance,
                                       const PermanentFailure& failure) {
  Result<int64_t> incarnation = pods_->markFailed(podInstance, failure);
  if (!incarnation) {
    KEEL_LOG(Error, kLog) << "permanent failure of " << podInstance
                          << " not persisted; nothing killed or replaced: "
                          << incarnation.error().toString();
    return incarnation.error().withContext("recording the permanent failure of " + podInstance);
  }
  KEEL_LOG(Warn, kLog) << podInstance << " permanently failed (" << failure.reason
                       << "): replacing it on a new footprint as incarnation " << *incarnation
                       << "; its volumes are not kept";
  for (const TaskRecord* rec : tasks_->instanceTasks(podInstance)) {
    if (rec->active()) killTask(rec->info.taskId, rec->info.agentId);
  }
  schedulePermanentRecovery(podInstance, failure.reason);
  return Status::ok();
}

// The instance's PERMANENT recovery step, PENDING: every task of it that
// had a TaskInfo, in the pod's order.
void Scheduler::schedulePermanentRecovery(const std::string& podInstance, const std::string& why) {
  recovering_[podInstance] =
      RecoveryEntry{podTaskNames(podInstance), offer::RecoveryType::kPermanent, 0, std::nullopt};
  rebuildRecoveryPlan();
  plan::Step* step = recovery_->phases()[0].findStep(podInstance);
  if (step == nullptr) return;
  if (step->status() != plan::ElementStatus::kPending) (void)step->markPending();
  setStepMessage(*recovery_, *step, why);
}

std::vector<std::string> Scheduler::podTaskNames(const std::string& podInstance) const {
  std::vector<std::string> names;
  std::vector<const TaskRecord*> records = tasks_->instanceTasks(podInstance);
  if (records.empty()) return names;
  auto has = [&](const std::string& task) {
    return std::any_of(records.begin(), records.end(),
                       [&](const TaskRecord* r) { return r->name == podInstance + "-" + task; });
  };
  if (const spec::PodSpec* pod = spec_.pod(records.front()->podType())) {
    for (const spec::TaskSpec& t : pod->tasks) {
      if (has(t.name)) names.push_back(t.name);
    }
  }
  if (!names.empty()) return names;
  for (const TaskRecord* r : records) names.push_back(r->name.substr(podInstance.size() + 1));
  return names;
}

bool Scheduler::olderIncarnation(const TaskRecord& rec) const {
  return offer::incarnationLabel(rec.info.labels) < pods_->incarnation(rec.podInstance());
}

// A task of an older incarnation (the replaced launch, or an agent back from
// a partition): its state is recorded (a replacement waits for it to stop)
// and it is killed unless it ended; it never counts as running.
void Scheduler::handleOlderIncarnation(const TaskRecord& rec, const mesos::TaskStatus& status) {
  if (!recordUpdate(rec.name, status)) return;
  if (taskEnded(status.state)) {
    driveSteps(rec.name, clock_.now());  // an in-flight step goes back to PENDING
    return;
  }
  KEEL_LOG(Warn, kLog) << "status " << describe(status) << " of " << rec.name << " incarnation "
                       << offer::incarnationLabel(rec.info.labels) << ", but " << rec.podInstance()
                       << " is at incarnation " << pods_->incarnation(rec.podInstance())
                       << ": killing it";
  killTask(status.taskId, status.agentId);
}

// The agent was removed for good: the instance is a permanent failure
// (dcos-commons since 0.55.2), and its old footprint has nothing to clean.
void Scheduler::onGoneByOperator(const TaskRecord& rec, const mesos::TaskStatus& status) {
  std::string instance = rec.podInstance();
  if (uninstall_ || instance.empty() || pods_->failure(instance) != nullptr ||
      decommissioning(instance)) {
    return;
  }
  std::string agent = status.agentId ? status.agentId->value : rec.info.agentId.value;
  PermanentFailure failure{rec.name + ": TASK_GONE_BY_OPERATOR (agent " + agent + " removed)",
                           clock_.now(), true};
  Status s = markPermanentFailure(instance, failure);
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << instance << " stays in transient recovery, which waits for agent "
                          << agent << ": replace it (keel pod replace " << instance << ")";
  }
}

// An ended task of a pod that relaunches it in place, on the agent its
// reservations are on: if that agent is removed for good, only a
// reconciliation answer (TASK_GONE_BY_OPERATOR) says so. Also one whose
// TASK_GONE_BY_OPERATOR was stored by a scheduler that died before it
// recorded the permanent failure.
bool Scheduler::waitsForItsAgent(const TaskRecord& rec) const {
  const mesos::TaskStatus* s = rec.currentStatus();
  if (s == nullptr || !taskEnded(s->state)) return false;
  std::string instance = rec.podInstance();
  if (uninstall_ || instance.empty() || rec.info.agentId.value.empty() ||
      pods_->failure(instance) != nullptr || decommissioning(instance) || olderIncarnation(rec)) {
    return false;
  }
  return s->state != mesos::TaskState::kTaskFinished ||
         taskGoal(rec.info) == spec::GoalState::kRunning;
}

std::vector<mesos::Call::Reconcile::Task> Scheduler::tasksWaitingForTheirAgent() const {
  std::vector<mesos::Call::Reconcile::Task> out;
  for (const auto& [name, rec] : tasks_->all()) {
    if (waitsForItsAgent(rec)) out.push_back({rec.info.taskId, rec.info.agentId});
  }
  return out;
}

// The replacement launch was sent: the mark is cleared and the old
// footprint watched until it is offered back and cleaned. A step of another
// plan that launched it completes the instance's PERMANENT recovery step.
void Scheduler::finishReplacement(const plan::Plan& plan, const std::string& podInstance,
                                  const std::vector<mesos::TaskInfo>& oldInfos) {
  bool agentGone = pods_->failure(podInstance)->agentGone;
  std::set<std::string> ids;
  std::string agent = oldInfos.empty() ? "" : oldInfos.front().agentId.value;
  if (!agentGone) {
    for (const std::string& id : offer::knownResourcesOf(oldInfos).resourceIds) ids.insert(id);
  }
  size_t count = ids.size();
  Status s =
      pods_->replaced(podInstance, agent, std::move(ids), clock_.now() + options_.cleanupWindow);
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << podInstance << " replaced, mark not cleared (a restart finds the "
                          << "launch from its TaskInfos): " << s.toString();
  }
  KEEL_LOG(Info, kLog) << podInstance << " replacement launched as incarnation "
                       << pods_->incarnation(podInstance) << "; old footprint on agent " << agent
                       << ": " << count << " reservations to clean when offered back";
  // Marked in place, not rebuilt: the offer cycle still holds candidates
  // pointing into the recovery plan.
  plan::Step* own = recovery_->phases()[0].findStep(podInstance);
  if (&plan != recovery_.get() && own != nullptr && !own->isComplete()) {
    (void)own->markComplete();
    setStepMessage(*recovery_, *own, "replaced by the " + plan.name() + " plan");
  }
}

// The lost launch of `name` was a replacement whose mark was cleared (its
// incarnation is the pod's, the launch before it of an older one): the
// mark is set again, so that the replacement is redone; true then.
Result<bool> Scheduler::undoReplacement(const std::string& name) {
  const TaskRecord* rec = tasks_->find(name);
  if (rec == nullptr) return false;
  std::string instance = rec->podInstance();
  int64_t incarnation = offer::incarnationLabel(rec->info.labels);
  if (instance.empty() || pods_->failure(instance) != nullptr || incarnation == 0 ||
      olderIncarnation(*rec)) {
    return false;
  }
  KEEL_ASSIGN_OR_RETURN(std::optional<mesos::TaskInfo> previous, tasks_->previousInfo(name));
  if (!previous || offer::incarnationLabel(previous->labels) >= incarnation) return false;
  PermanentFailure failure{"the replacement launch of " + name + " was lost; replacing it again",
                           clock_.now(), pods_->cleanupReservations().empty()};
  KEEL_RETURN_IF_ERROR(pods_->unreplaced(instance, failure));
  KEEL_LOG(Warn, kLog) << instance << ": " << failure.reason << " (incarnation " << incarnation
                       << ")";
  return true;
}

// Startup: a replacement whose launch was persisted (every TaskInfo of the
// instance at its incarnation) is done; the others resume as PERMANENT
// recovery steps (buildPlans makes the plan).
Status Scheduler::resumeReplacements() {
  for (const std::string& instance : pods_->failed()) {
    std::vector<const TaskRecord*> records = tasks_->instanceTasks(instance);
    bool launched = !records.empty() && std::all_of(records.begin(), records.end(),
                                                    [&](auto* r) { return !olderIncarnation(*r); });
    if (launched) {
      KEEL_RETURN_IF_ERROR(clearLaunchedReplacement(instance));
      continue;
    }
    KEEL_LOG(Info, kLog) << instance << " awaits its replacement ("
                         << pods_->failure(instance)->reason << "): resumed";
    recovering_[instance] =
        RecoveryEntry{podTaskNames(instance), offer::RecoveryType::kPermanent, 0, std::nullopt};
  }
  return Status::ok();
}

// The replacement launch was persisted before a restart: the mark is
// cleared, and the old footprint (the previous launch the task book kept
// for each task) is watched until it is cleaned, as finishReplacement does.
Status Scheduler::clearLaunchedReplacement(const std::string& instance) {
  std::vector<mesos::TaskInfo> old;
  for (const TaskRecord* rec : tasks_->instanceTasks(instance)) {
    KEEL_ASSIGN_OR_RETURN(std::optional<mesos::TaskInfo> previous, tasks_->previousInfo(rec->name));
    bool older =
        previous && offer::incarnationLabel(previous->labels) < pods_->incarnation(instance);
    if (older) old.push_back(std::move(*previous));
  }
  std::set<std::string> ids;
  if (!pods_->failure(instance)->agentGone) {
    for (const std::string& id : offer::knownResourcesOf(old).resourceIds) ids.insert(id);
  }
  std::string agent = old.empty() ? "" : old.front().agentId.value;
  KEEL_LOG(Info, kLog) << instance << ": the replacement launch was persisted before the "
                       << "restart; permanent-failure mark cleared, " << ids.size()
                       << " reservations of the old footprint to clean";
  return pods_->replaced(instance, agent, std::move(ids), clock_.now() + options_.cleanupWindow);
}

// Remembered per offer (the last 64): a RESCIND of one of them means its
// ACCEPT reached the master after the offer was gone, and was dropped.
void Scheduler::noteCleaned(const std::string& offerId,
                            const std::vector<mesos::OfferOperation>& operations) {
  std::set<std::string> ids;
  for (const mesos::OfferOperation& op : operations) {
    if (!op.unreserve) continue;
    for (const mesos::Resource& r : op.unreserve->resources) {
      const mesos::Labels* labels = mesos::reservationLabels(r);
      std::optional<std::string_view> id =
          labels ? offer::labelValue(*labels, offer::kLabelResourceId) : std::nullopt;
      if (id) ids.emplace(*id);
    }
  }
  if (ids.empty()) return;
  std::vector<CleanedReservation> done = pods_->cleaned(ids);
  if (done.empty()) return;
  cleaningOffers_[offerId] = std::move(done);
  if (cleaningOffers_.size() > 64) cleaningOffers_.erase(cleaningOffers_.begin());
}

bool Scheduler::cleanupPending(TimePoint now) const { return pods_->cleanupPending(now); }

}  // namespace keel::scheduler
