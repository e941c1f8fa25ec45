// The automatic recovery policy in the scheduler (what it decides:
// keel/scheduler/recovery_policy.h, scheduler/replacement_policy.h): which
// instances are failing (stored per instance by PodInstances), the policy's
// stored state (property "automatic-recovery"), the automatic replacements
// through the permanent-recovery path, the operator's reset, and what the
// recovery plan shows of it.
#include <nlohmann/json.hpp>

#include "keel/log.h"
#include "keel/mesos/values.h"
#include "keel/scheduler/scheduler.h"
#include "keel/state/properties_store.h"
#include "scheduler/pod_instances.h"
#include "scheduler/replacement_policy.h"
#include "scheduler/step_progress.h"
#include "scheduler/task_book.h"

namespace keel::scheduler {
namespace {

constexpr const char* kLog = "scheduler";
constexpr const char* kProperty = "automatic-recovery";

using nlohmann::json;

// States in which a task is failed or out of reach, as the policy counts
// them; KILLED and FINISHED are the scheduler's own doing or normal ends.
bool failedState(mesos::TaskState s) {
  using S = mesos::TaskState;
  return s == S::kTaskLost || s == S::kTaskFailed || s == S::kTaskError || s == S::kTaskDropped ||
         s == S::kTaskGone || s == S::kTaskGoneByOperator || s == S::kTaskUnreachable ||
         s == S::kTaskUnknown;
}

std::string encode(const AutomaticRecoveryState& s) {
  json out = json::object();
  if (s.lastReplacement) out["last_replacement_ms"] = toEpochMillis(*s.lastReplacement);
  if (s.resetAt) out["reset_ms"] = toEpochMillis(*s.resetAt);
  if (s.breaker) {
    out["breaker"] = {{"tripped_ms", toEpochMillis(s.breaker->at)}, {"reason", s.breaker->reason}};
  }
  return out.dump();
}

Result<AutomaticRecoveryState> decode(const std::string& text) {
  json in = json::parse(text, nullptr, false);
  if (!in.is_object()) {
    return Status::corruption(std::string("property ") + kProperty +
                              ": not a JSON object: " + text);
  }
  try {
    AutomaticRecoveryState s;
    if (in.contains("last_replacement_ms")) {
      s.lastReplacement = fromEpochMillis(in.at("last_replacement_ms").get<int64_t>());
    }
    if (in.contains("reset_ms")) s.resetAt = fromEpochMillis(in.at("reset_ms").get<int64_t>());
    if (in.contains("breaker")) {
      const json& b = in.at("breaker");
      s.breaker = BreakerTrip{fromEpochMillis(b.at("tripped_ms").get<int64_t>()),
                              b.at("reason").get<std::string>()};
    }
    return s;
  } catch (const json::exception& e) {
    return Status::corruption(std::string("property ") + kProperty + ": " + e.what());
  }
}

}  // namespace

Status Scheduler::loadAutomaticRecovery() {
  KEEL_ASSIGN_OR_RETURN(std::optional<std::string> text,
                        state::PropertiesStore(persister_).get(kProperty));
  if (text) {
    KEEL_ASSIGN_OR_RETURN(autoState_, decode(*text));
  }
  if (autoState_.breaker) {
    KEEL_LOG(Warn, kLog) << breakerMessage(*autoState_.breaker);
  }
  return Status::ok();
}

Status Scheduler::storeAutomaticRecovery(const AutomaticRecoveryState& next) {
  KEEL_RETURN_IF_ERROR(state::PropertiesStore(persister_).put(kProperty, encode(next)));
  autoState_ = next;
  return Status::ok();
}

// After an update of one of the instance's tasks: failing since now (the
// first time seen is kept), or running again (every RUNNING-goal task).
void Scheduler::observeInstance(const std::string& instance, TimePoint now) {
  if (instance.empty() || uninstall_ || pods_->failure(instance) != nullptr ||
      decommissioning(instance)) {
    return;
  }
  std::string failed;
  const TaskRecord* unreachable = nullptr;
  bool running = false;
  bool allRunning = true;
  for (const TaskRecord* rec : tasks_->instanceTasks(instance)) {
    if (taskGoal(rec->info) != spec::GoalState::kRunning) continue;
    const mesos::TaskStatus* s = rec->currentStatus();
    running = true;
    allRunning = allRunning && s != nullptr && s->state == mesos::TaskState::kTaskRunning;
    if (s == nullptr || !failedState(s->state) || !failed.empty()) continue;
    if (rec->active()) unreachable = rec;
    failed = rec->name + " " + std::string(mesos::enumName(s->state)) + " on agent " +
             rec->info.agentId.value +
             (s->message && !s->message->empty() ? ": " + *s->message : "");
  }
  Status st = !failed.empty()         ? pods_->noteFailing(instance, now, failed)
              : running && allRunning ? pods_->noteRunning(instance)
                                      : Status::ok();
  if (!st.isOk()) {
    KEEL_LOG(Error, kLog) << instance << ": failure time not recorded (retried with the next "
                          << "update): " << st.toString();
  }
  // An unreachable task is not ended, so no recovery step would show the
  // policy's countdown: with the policy on, it gets one (TRANSIENT: its KILL
  // is sent, and a relaunch in place waits for the agent).
  const plan::Step* step = recovery_ ? recovery_->phases()[0].findStep(instance) : nullptr;
  if (unreachable != nullptr && options_.automaticRecovery.enabled &&
      (step == nullptr || step->isComplete())) {
    recoverTransient(unreachable->name, now);
  }
}

// On every tick: the policy's decisions carried out, its state stored
// before anything is replaced, and its notes shown in the recovery plan.
void Scheduler::applyRecoveryPolicy(TimePoint now) {
  if (uninstall_ || !options_.automaticRecovery.enabled || !reconciled()) return;
  std::vector<FailingInstance> failing;
  for (FailingInstance& f : pods_->failing()) {
    if (pods_->failure(f.instance) != nullptr || decommissioning(f.instance)) continue;
    if (tasks_->instanceTasks(f.instance).empty()) continue;
    failing.push_back(std::move(f));
  }
  PolicyDecisions decided =
      decideReplacements(options_.automaticRecovery, autoState_, failing, now);
  if (decided.trip) {
    AutomaticRecoveryState next = autoState_;
    next.breaker = decided.trip;
    Status s = storeAutomaticRecovery(next);
    if (!s.isOk()) {
      KEEL_LOG(Error, kLog) << "circuit breaker trip not stored; nothing replaced: "
                            << s.toString();
      return;
    }
    KEEL_LOG(Error, kLog) << breakerMessage(*decided.trip);
  }
  std::map<std::string, std::string> notes;
  for (const ReplacementDecision& d : decided.decisions) {
    if (d.verdict == ReplacementVerdict::kReplace) {
      replaceAutomatically(d.instance, d.message, now);
    } else {
      notes[d.instance] = d.message;
    }
  }
  showRecoveryPolicy(std::move(notes));
}

// Persist before acting: the time of this replacement is stored (so that a
// restart cannot replace more within the throttle period) before the mark.
void Scheduler::replaceAutomatically(const std::string& instance, const std::string& reason,
                                     TimePoint now) {
  AutomaticRecoveryState next = autoState_;
  next.lastReplacement = now;
  Status s = storeAutomaticRecovery(next);
  if (s.isOk()) s = markPermanentFailure(instance, PermanentFailure{reason, now, false});
  if (!s.isOk()) {
    KEEL_LOG(Error, kLog) << "automatic replacement of " << instance
                          << " not started: " << s.toString();
    return;
  }
  autoReplacements_.push_back({now, instance, reason});
  if (subscribed_) updateOfferInterest(now);
}

// The notes go into the recovery steps' messages; an open breaker into the
// recovery plan's errors.
void Scheduler::showRecoveryPolicy(std::map<std::string, std::string> notes) {
  bool changed = notes != policyNotes_;
  policyNotes_ = std::move(notes);
  std::vector<std::string> errors;
  if (autoState_.breaker) errors.push_back(breakerMessage(*autoState_.breaker));
  if (recovery_ && recovery_->ownErrors() != errors) {
    recovery_->setOwnErrors(std::move(errors));
    changed = true;
  }
  if (!changed || !recovery_) return;
  for (plan::Step& step : recovery_->phases()[0].steps()) refreshStepMessage(*recovery_, step);
  bump();
}

Result<std::string> Scheduler::resetRecovery() {
  AutomaticRecoveryState next = autoState_;
  bool wasOpen = next.breaker.has_value();
  next.breaker.reset();
  next.resetAt = clock_.now();
  KEEL_RETURN_IF_ERROR(storeAutomaticRecovery(next).withContext("storing the reset"));
  showRecoveryPolicy(policyNotes_);
  applyRecoveryPolicy(clock_.now());
  finishEvent();
  std::string text = wasOpen ? "circuit breaker reset: automatic replacement resumes (one per " +
                                   formatDuration(options_.automaticRecovery.minReplaceDelay) + ")"
                             : "circuit breaker was not tripped; reset recorded";
  if (!options_.automaticRecovery.enabled) {
    text += "; automatic replacement is disabled (ENABLE_AUTOMATIC_POD_REPLACEMENT)";
  }
  KEEL_LOG(Warn, kLog) << "operator: " << text;
  return text;
}

AutomaticRecoveryView Scheduler::automaticRecovery() const {
  return AutomaticRecoveryView{options_.automaticRecovery, autoState_, pods_->failing(),
                               autoReplacements_};
}

}  // namespace keel::scheduler
