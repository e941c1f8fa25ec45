// The update guard (what it does: scheduler/update_guard.h): its stored
// record, the halt rules, and the Scheduler's side of it.
#include "scheduler/update_guard.h"

#include <nlohmann/json.hpp>

#include "keel/log.h"
#include "keel/offer/task_labels.h"
#include "keel/plan_operations.h"
#include "keel/scheduler/scheduler.h"
#include "keel/state/properties_store.h"
#include "scheduler/rollback.h"
#include "scheduler/step_progress.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "update";
constexpr const char* kDeploy = "deploy";

std::string seconds(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

}  // namespace

// As the HTTP API's plan routes: `op` on a copy, its override records
// persisted, then `op` on the live plan.
Status Scheduler::applyPersisted(plan::Plan& live, const PlanOperation& op) {
  plan::Plan trial = live;
  KEEL_ASSIGN_OR_RETURN(plan::OperationResult tried, op(trial));
  if (!tried.changed) return Status::ok();
  KEEL_RETURN_IF_ERROR(persistOverrides(live.name(), tried.changes));
  return op(live).status();
}

Result<std::optional<UpdateRecord>> parseUpdateRecord(const std::optional<std::string>& text) {
  if (!text) return std::optional<UpdateRecord>();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("config") || !j["config"].is_string()) {
    return Status::corruption(std::string("property ") + kUpdateProgressProperty +
                              " is not {\"config\", \"started\", \"progress\", \"failures\", ...}");
  }
  UpdateRecord r;
  r.config = j["config"].get<std::string>();
  r.startedMillis = j.value("started", int64_t{0});
  r.progressMillis = j.value("progress", r.startedMillis);
  r.failures = j.value("failures", 0);
  r.lastFailure = j.value("lastFailure", "");
  r.halted = j.value("halted", "");
  r.held = j.value("held", false);
  if (j.contains("byTask") && j["byTask"].is_object()) {
    for (const auto& [task, n] : j["byTask"].items()) {
      if (n.is_number_integer()) r.byTask[task] = n.get<int>();
    }
  }
  return std::optional<UpdateRecord>(std::move(r));
}

std::string encodeUpdateRecord(const UpdateRecord& r) {
  return nlohmann::json{{"config", r.config},
                        {"started", r.startedMillis},
                        {"progress", r.progressMillis},
                        {"failures", r.failures},
                        {"lastFailure", r.lastFailure},
                        {"halted", r.halted},
                        {"held", r.held},
                        {"byTask", r.byTask}}
      .dump();
}

std::optional<std::string> haltReason(const UpdatePolicy& policy, const UpdateRecord& record,
                                      TimePoint now, bool waiting) {
  if (policy.failureBudget > 0 && record.failures >= policy.failureBudget) {
    std::string tasks;
    for (const auto& [task, n] : record.byTask) {
      tasks += (tasks.empty() ? "" : ", ") + task + " " + std::to_string(n) +
               (n == 1 ? " time" : " times");
    }
    return std::to_string(record.failures) + " failures" +
           (tasks.empty() ? "" : " (" + tasks + ")") + " of tasks running configuration " +
           record.config + " (failure budget " + kEnvFailureBudget + "=" +
           std::to_string(policy.failureBudget) + "), the last: " + record.lastFailure;
  }
  if (policy.progressDeadline && !waiting) {
    TimePoint since = fromEpochMillis(record.progressMillis);
    if (now - since >= *policy.progressDeadline) {
      return "no step completed since " + plan::formatTime(since) + " (progress deadline " +
             kEnvProgressDeadline + "=" + seconds(*policy.progressDeadline) + ")";
    }
  }
  return std::nullopt;
}

// The update in progress, its record created (and stored) when it is new;
// nullptr when no update is in progress or the record cannot be read.
UpdateRecord* Scheduler::currentUpdate(TimePoint now) {
  UpdateGuardState& g = *updateGuard_;
  state::PropertiesStore props(persister_);
  if (!g.loaded) {
    Result<std::optional<std::string>> previous = props.get(kPreviousTargetProperty);
    Result<std::optional<std::string>> text = props.get(kUpdateProgressProperty);
    Result<std::optional<UpdateRecord>> record =
        text ? parseUpdateRecord(*text) : Result<std::optional<UpdateRecord>>(text.error());
    if (!previous || !record) {
      KEEL_LOG(Error, kLog) << "update guard off: "
                            << (!previous ? previous.error() : record.error()).toString();
      return nullptr;
    }
    g.previousTarget = *previous;
    g.record = *record;
    g.loaded = true;
  }
  plan::Plan* deploy = findPlan(kDeploy);
  if (!g.previousTarget || *g.previousTarget == context_.targetConfigId || deploy == nullptr ||
      deploy->isComplete()) {
    return nullptr;
  }
  if (!g.record || g.record->config != context_.targetConfigId) {
    int64_t ms = toEpochMillis(now);
    g.record = UpdateRecord{context_.targetConfigId, ms, ms, 0, "", "", false, {}};
    saveUpdateRecord();
    KEEL_LOG(Info, kLog) << "watching the update to configuration " << context_.targetConfigId
                         << ": " << options_.update.describe();
  }
  return &*g.record;
}

void Scheduler::saveUpdateRecord() {
  Status s = state::PropertiesStore(persister_)
                 .put(kUpdateProgressProperty, encodeUpdateRecord(*updateGuard_->record));
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << "update record not stored: " << s.toString();
  }
}

// A failure (update_guard.h) of a task of the update's configuration.
void Scheduler::noteUpdateFailure(const std::string& taskName, const mesos::TaskStatus& status) {
  if (!options_.update.any() || uninstall_ || !mesos::isTerminal(status.state)) return;
  const TaskRecord* rec = tasks_->find(taskName);
  if (rec == nullptr || !rec->info.labels) return;
  std::optional<std::string_view> config =
      offer::labelValue(*rec->info.labels, offer::kLabelTargetConfiguration);
  if (!config || *config != context_.targetConfigId) return;
  if (taskProgress(rec->info, &status) != TaskProgress::kFailed) return;
  UpdateRecord* update = currentUpdate(clock_.now());
  if (update == nullptr || !update->halted.empty()) return;
  ++update->failures;
  ++update->byTask[taskName];
  update->lastFailure = taskName + ": " + std::string(mesos::enumName(status.state));
  if (status.message && !status.message->empty()) update->lastFailure += ": " + *status.message;
  saveUpdateRecord();
  KEEL_LOG(Warn, kLog) << "update to " << update->config << ": failure " << update->failures
                       << (options_.update.failureBudget > 0
                               ? " of " + std::to_string(options_.update.failureBudget)
                               : std::string())
                       << ": " << update->lastFailure;
}

// Called at the end of every event (finishEvent).
void Scheduler::guardUpdate() {
  if (!options_.update.any() || uninstall_ || updateGuard_->busy) return;
  updateGuard_->busy = true;
  TimePoint now = clock_.now();
  UpdateRecord* update = currentUpdate(now);
  plan::Plan* deploy = findPlan(kDeploy);
  if (update != nullptr) watchUpdate(*deploy, *update, now);
  updateGuard_->busy = false;
}

void Scheduler::watchUpdate(plan::Plan& deploy, UpdateRecord& update, TimePoint now) {
  UpdateGuardState& g = *updateGuard_;
  size_t complete = 0;
  std::optional<std::string> errorStep;
  for (const plan::Phase& phase : deploy.phases()) {
    for (const plan::Step& step : phase.steps()) {
      complete += step.isComplete();
      if (step.status() == plan::ElementStatus::kError && !errorStep) {
        errorStep = "step " + phase.name() + "/" + step.name() + " is in ERROR: " +
                    (step.errors().empty() ? step.message() : step.errors().front());
      }
    }
  }
  bool waiting = deploy.status() == plan::ElementStatus::kWaiting;
  bool progressed = g.completedSteps && complete > *g.completedSteps;
  g.completedSteps = complete;
  if (progressed || (g.wasWaiting && !waiting)) {
    update.progressMillis = toEpochMillis(now);
    saveUpdateRecord();
  }
  g.wasWaiting = waiting;
  if (!update.halted.empty()) {
    resumeOrHold(deploy, update, now);
    return;
  }
  if (options_.update.canaryPromoteAfter) promoteCanaries(deploy, now);
  std::optional<std::string> why =
      errorStep ? errorStep : haltReason(options_.update, update, now, waiting);
  if (why) haltUpdate(deploy, update, *why);
}

std::string Scheduler::haltMessage(const UpdateRecord& update) const {
  return "update to configuration " + update.config + " halted: " + update.halted +
         "; `keel plan continue` resumes it (failures counted from 0), `keel config rollback` "
         "aborts it";
}

// Stores the halt, then rolls back (auto-rollback) or interrupts the plan.
void Scheduler::haltUpdate(plan::Plan& deploy, UpdateRecord& update, const std::string& why) {
  KEEL_LOG(Warn, kLog) << "update to configuration " << update.config << " halted: " << why;
  update.halted = why;
  update.held = false;
  saveUpdateRecord();
  holdHaltedUpdate(deploy, update);
}

void Scheduler::holdHaltedUpdate(plan::Plan& deploy, UpdateRecord& update) {
  if (options_.update.autoRollback) {
    Result<std::string> done = rollBack("auto-rollback: " + update.halted);
    if (done) {
      KEEL_LOG(Warn, kLog) << *done << " (auto-rollback)";
      updateGuard_->previousTarget.reset();
      return;
    }
    KEEL_LOG(Error, kLog) << "auto-rollback failed, interrupting the update instead: "
                          << done.error().toString();
  }
  Status s = applyPersisted(deploy, [](plan::Plan& p) { return plan::interruptElement(p, {}); });
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << "halted update not interrupted (retried): " << s.toString();
    return;
  }
  update.held = true;
  saveUpdateRecord();
  std::vector<std::string> errors = deploy.ownErrors();
  std::string text = haltMessage(update);
  if (std::find(errors.begin(), errors.end(), text) == errors.end()) errors.push_back(text);
  deploy.setOwnErrors(std::move(errors));
}

// A halted update: carried out again when its rollback or interrupt was not
// stored (a crash in between); resumed when the operator continued the plan.
void Scheduler::resumeOrHold(plan::Plan& deploy, UpdateRecord& update, TimePoint now) {
  if (!update.held) {
    holdHaltedUpdate(deploy, update);
    return;
  }
  std::string text = haltMessage(update);
  std::vector<std::string> errors = deploy.ownErrors();
  auto shown = std::find(errors.begin(), errors.end(), text);
  if (deploy.interrupted()) {
    if (shown == errors.end()) errors.push_back(text);
    deploy.setOwnErrors(std::move(errors));
    return;
  }
  if (shown != errors.end()) errors.erase(shown);
  deploy.setOwnErrors(std::move(errors));
  KEEL_LOG(Info, kLog) << "halted update to " << update.config << " continued by the operator";
  update.halted.clear();
  update.held = false;
  update.failures = 0;
  update.byTask.clear();
  update.progressMillis = toEpochMillis(now);
  saveUpdateRecord();
}

// After a rollback from `aborted`: an update to it that the guard halted
// by interrupting the deploy plan no longer holds the plan, so the
// rollback's relaunches go ahead.
void Scheduler::releaseHaltedUpdate(const std::string& aborted) {
  Result<std::optional<std::string>> text =
      state::PropertiesStore(persister_).get(kUpdateProgressProperty);
  Result<std::optional<UpdateRecord>> record =
      text ? parseUpdateRecord(*text) : Result<std::optional<UpdateRecord>>(text.error());
  plan::Plan* deploy = findPlan(kDeploy);
  if (!record || !*record || (*record)->config != aborted || !(*record)->held ||
      deploy == nullptr || !deploy->interrupted()) {
    return;
  }
  Status s = applyPersisted(*deploy, [](plan::Plan& p) { return plan::continueElement(p, {}); });
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << "the halted update's interrupt stays (keel plan continue releases "
                             "it): "
                          << s.toString();
  }
}

}  // namespace keel::scheduler
