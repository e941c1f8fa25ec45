// Plans: the unit of work of a keel service. A Plan has phases, a Phase has
// steps, and a Step launches some tasks of one pod instance. The seed-era
// name of a step is "block" (the /v1/plan JSON still says so).
//
// Every element has an id (a UUID, regenerated each time a plan is
// generated), a name (stable: operator overrides are keyed by names), a
// status and errors. A step's status is stored and changed by the scheduler
// through the mark*() methods, whose legal moves are the one table in
// keel/plan_status.h; a phase's or plan's status is computed from its
// children with aggregateStatus().
//
// "Interrupted" is one flag on every element, separate from the status: an
// operator's interrupt, a canary hold and a decision point all set it, and
// continue clears it. An interrupted element gets no new work; a step that is
// already STARTING or STARTED continues (in-flight work is not stopped).
//
// Operator actions (restart, forceComplete, interrupt, ...) change elements
// *and* their override state (ElementOverrides), which keel/plan_override.h
// turns into durable records. Prefer keel/plan_operations.h, which resolves
// element names and collects the records to persist.
//
// Time: nothing here reads a clock; tick(now) applies deadlines and backoff.
// Thread-safety: none; plans belong to the scheduler's thread. Const methods
// may be called concurrently with each other.
// Structure (phases, steps, strategies) is fixed at construction, so Step*
// and Phase* stay valid for the plan's lifetime, also when the Plan is moved.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/clock.h"
#include "keel/plan_assets.h"
#include "keel/plan_status.h"
#include "keel/plan_strategy.h"
#include "keel/status.h"

namespace keel::plan {

class Phase;
class Plan;

// Where element ids come from: randomIds() in production, seededIds() in
// tests (deterministic: seededUuid(seed), seededUuid(seed + 1), ...).
using IdGenerator = std::function<std::string()>;
IdGenerator randomIds();
IdGenerator seededIds(uint64_t seed);

// An operator's override of a step's status, durable until the scheduler
// supersedes it: a forced completion lasts until the scheduler moves the step
// away from COMPLETE; a restart lasts until the step is COMPLETE again.
enum class StatusOverride { kNone, kForcedComplete, kRestarted };

// What operators changed on one element; the content of its override record.
// `interrupted` and `decisionPoint` are set only while they differ from the
// element's generated value (a canary step is generated interrupted, a custom
// plan too); unset means "as generated".
struct ElementOverrides {
  std::optional<bool> interrupted;
  std::optional<bool> decisionPoint;                             // steps only
  StatusOverride status = StatusOverride::kNone;                 // steps only
  std::optional<std::map<std::string, std::string>> parameters;  // plans only
  bool empty() const {
    return !interrupted && !decisionPoint && status == StatusOverride::kNone && !parameters;
  }
  bool operator==(const ElementOverrides&) const = default;
};

// How eligible a child must be to be a candidate. kStatus is the view used to
// compute aggregate statuses (dcos-commons' isEligible: not COMPLETE, not
// ERROR, not interrupted); kWork, used to select work, also excludes DELAYED
// steps (their backoff has not ended) and steps whose pod instance is dirty.
enum class Eligibility { kStatus, kWork };

class Step {
 public:
  // `podInstance` is the asset ("data-2"); empty for a step that works on no
  // pod instance. A new step is PENDING and not interrupted.
  Step(std::string id, std::string name, std::string podInstance, std::vector<std::string> tasks);

  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  const std::string& podInstance() const { return podInstance_; }
  size_t podInstanceHash() const { return podInstanceHash_; }
  const std::vector<std::string>& tasks() const { return tasks_; }

  ElementStatus status() const { return status_; }
  // WAITING when interrupted and PENDING or PREPARED; else status().
  ElementStatus displayStatus() const;
  bool isComplete() const { return status_ == ElementStatus::kComplete; }
  bool interrupted() const { return interrupted_; }
  bool decisionPoint() const { return decisionPoint_; }
  const std::string& message() const { return message_; }
  // Non-empty exactly when the status is ERROR.
  const std::vector<std::string>& errors() const { return errors_; }
  std::optional<TimePoint> progressDeadline() const { return deadline_; }
  // Set exactly when the status is DELAYED.
  std::optional<TimePoint> delayedUntil() const { return delayedUntil_; }
  const ElementOverrides& overrides() const { return overrides_; }
  bool eligible(Eligibility mode, const DirtyAssets* dirty) const;

  // Scheduler transitions. Each returns FailedPrecondition, naming the step
  // and both statuses, when the table in plan_status.h forbids the move, and
  // then changes nothing. markDelayed sets the backoff end (tick() returns the
  // step to PENDING once `now` reaches it); markError records the reason.
  Status markPrepared();
  Status markStarting();
  Status markStarted();
  Status markComplete();
  Status markPending(std::string reason = {});
  Status markDelayed(TimePoint until, std::string reason = {});
  Status markError(std::string reason);
  void setMessage(std::string message) { message_ = std::move(message); }
  // When the step must have reached COMPLETE; see tick(). nullopt: none.
  void setProgressDeadline(std::optional<TimePoint> deadline) { deadline_ = deadline; }

  // Operator actions; each records its override. restart: PENDING with
  // errors and backoff cleared (the interrupt flag is left alone); nothing
  // for a PENDING step. forceComplete: COMPLETE; nothing for a COMPLETE step.
  void restart();
  void forceComplete();
  void setInterrupted(bool interrupted);
  // A decision point interrupts the step (the plan pauses before it) until a
  // continue releases it; clearing one also releases the step.
  void setDecisionPoint(bool on);

  // Generation-time setters: the generated value, no override recorded.
  void initInterrupted(bool interrupted) { interrupted_ = baseInterrupted_ = interrupted; }
  void initDecisionPoint(bool on);
  // Replays an override record (keel/plan_override.h).
  void applyOverrides(const ElementOverrides& overrides);
  bool overridesDirty() const { return overridesDirty_; }
  void clearOverridesDirty() { overridesDirty_ = false; }

  // Deadline and backoff at `now`; returns a description of what changed.
  std::optional<std::string> tick(TimePoint now);

 private:
  Status transition(ElementStatus to, std::string reason, std::optional<TimePoint> until);
  void setStatusOverride(StatusOverride s);

  std::string id_;
  std::string name_;
  std::string podInstance_;
  size_t podInstanceHash_ = 0;
  std::vector<std::string> tasks_;
  ElementStatus status_ = ElementStatus::kPending;
  bool interrupted_ = false;
  bool baseInterrupted_ = false;
  bool decisionPoint_ = false;
  bool baseDecisionPoint_ = false;
  std::string message_;
  std::vector<std::string> errors_;
  std::optional<TimePoint> deadline_;
  std::optional<TimePoint> delayedUntil_;
  ElementOverrides overrides_;
  bool overridesDirty_ = false;
};

// A chosen step with the elements above it.
struct Candidate {
  Plan* plan = nullptr;
  Phase* phase = nullptr;
  Step* step = nullptr;
};

class Phase {
 public:
  // Interrupts the children that strategy->initiallyInterrupted() names.
  Phase(std::string id, std::string name, std::vector<Step> steps,
        std::unique_ptr<Strategy> strategy);
  Phase(const Phase& other);
  Phase& operator=(const Phase& other);
  Phase(Phase&&) noexcept = default;
  Phase& operator=(Phase&&) noexcept = default;

  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  std::span<const Step> steps() const { return steps_; }
  std::span<Step> steps() { return steps_; }
  const Strategy& strategy() const { return *strategy_; }
  // By id when `idOrName` is a UUID, else by name, else by pod instance
  // ("data-0" finds "data-0:[node]") when exactly one step works on it (the
  // seed-era block name); nullptr if absent or ambiguous.
  Step* findStep(std::string_view idOrName);
  const Step* findStep(std::string_view idOrName) const;
  // The seed-era block name of `step` (one of this phase's): its pod instance
  // when no other step of the phase works on it, else its step name.
  std::string blockName(const Step& step) const;

  // aggregateStatus() over the steps.
  ElementStatus status() const;
  bool isComplete() const;
  bool interrupted() const { return interrupted_; }
  // Interrupted, or kept waiting by its strategy (a canary).
  bool waiting() const;
  // The phase's own errors (a passed deadline), without its steps'.
  const std::vector<std::string>& errors() const { return errors_; }
  bool hasOwnErrors() const { return !errors_.empty(); }
  std::optional<TimePoint> progressDeadline() const { return deadline_; }
  void setProgressDeadline(std::optional<TimePoint> deadline) { deadline_ = deadline; }
  const ElementOverrides& overrides() const { return overrides_; }

  // The steps its strategy offers under `mode`, in preference order.
  void candidateSteps(Eligibility mode, const DirtyAssets* dirty, std::vector<size_t>& out) const;

  // Operator actions (record overrides). restart/forceComplete also clear the
  // phase's own errors and apply to every step; neither touches interrupts.
  void restart();
  void forceComplete();
  void setInterrupted(bool interrupted);
  void initInterrupted(bool interrupted) { interrupted_ = baseInterrupted_ = interrupted; }
  void applyOverrides(const ElementOverrides& overrides);
  bool overridesDirty() const { return overridesDirty_; }
  void clearOverridesDirty() { overridesDirty_ = false; }

  // Steps' tick(), then this phase's deadline; appends what changed.
  void tick(TimePoint now, std::vector<std::string>& events);

 private:
  std::string id_;
  std::string name_;
  std::vector<Step> steps_;
  std::unique_ptr<Strategy> strategy_;
  bool interrupted_ = false;
  bool baseInterrupted_ = false;
  std::vector<std::string> errors_;
  std::optional<TimePoint> deadline_;
  ElementOverrides overrides_;
  bool overridesDirty_ = false;
};

class Plan {
 public:
  // Interrupts the phases that strategy->initiallyInterrupted() names.
  Plan(std::string id, std::string name, std::vector<Phase> phases,
       std::unique_ptr<Strategy> strategy);
  Plan(const Plan& other);
  Plan& operator=(const Plan& other);
  Plan(Plan&&) noexcept = default;
  Plan& operator=(Plan&&) noexcept = default;

  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  std::span<const Phase> phases() const { return phases_; }
  std::span<Phase> phases() { return phases_; }
  const Strategy& strategy() const { return *strategy_; }
  Phase* findPhase(std::string_view idOrName);
  const Phase* findPhase(std::string_view idOrName) const;

  // aggregateStatus() over the phases.
  ElementStatus status() const;
  bool isComplete() const;
  bool interrupted() const { return interrupted_; }
  // Interrupted, or kept waiting by its strategy (a canary over phases).
  bool waiting() const;
  // Every error in the plan: its own errors as set, then "<phase>: <error>"
  // and "<phase>/<step>: <error>".
  std::vector<std::string> errors() const;
  // Errors of the plan itself, set by its owner: a refused configuration
  // change, shown in the plan's `errors` and making its status ERROR (HTTP
  // 417) while its steps keep working on the configuration that runs. Not
  // cleared by restart() or forceComplete(): they say what the configuration
  // is, which no plan action changes.
  const std::vector<std::string>& ownErrors() const { return ownErrors_; }
  void setOwnErrors(std::vector<std::string> errors) { ownErrors_ = std::move(errors); }
  // Parameters given by start(): the env of the tasks this plan launches.
  const std::map<std::string, std::string>& parameters() const { return parameters_; }
  const ElementOverrides& overrides() const { return overrides_; }

  // The steps to work on now: none when the plan is interrupted; otherwise
  // the plan strategy's phases, each phase strategy's steps (kWork
  // eligibility against `dirty`), skipping a step whose pod instance an
  // earlier candidate took. Every chosen step is added to `dirty`.
  std::vector<Candidate> candidates(DirtyAssets& dirty);

  // Operator actions (record overrides); restart/forceComplete apply to
  // every phase and step and leave interrupts alone.
  void restart();
  void forceComplete();
  void setInterrupted(bool interrupted);
  void initInterrupted(bool interrupted) { interrupted_ = baseInterrupted_ = interrupted; }
  void setParameters(std::map<std::string, std::string> parameters);
  void applyOverrides(const ElementOverrides& overrides);
  bool overridesDirty() const { return overridesDirty_; }
  void clearOverridesDirty() { overridesDirty_ = false; }

  // Applies deadlines and backoff ends at `now` to every phase and step.
  // Returns one line per change ("data/data-0:[node]: progress deadline
  // ... passed while STARTING").
  std::vector<std::string> tick(TimePoint now);

 private:
  std::string id_;
  std::string name_;
  std::vector<Phase> phases_;
  std::unique_ptr<Strategy> strategy_;
  bool interrupted_ = false;
  bool baseInterrupted_ = false;
  std::vector<std::string> ownErrors_;
  std::map<std::string, std::string> parameters_;
  ElementOverrides overrides_;
  bool overridesDirty_ = false;
};

// "2026-01-01T00:00:00.000Z": how deadlines appear in messages.
std::string formatTime(TimePoint t);

}  // namespace keel::plan
