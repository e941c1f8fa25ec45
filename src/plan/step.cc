#include <ctime>
#include <functional>
#include <string>
#include <utility>

#include "keel/ids.h"
#include "keel/plan.h"
#include "plan/record_flag.h"

namespace keel::plan {

IdGenerator randomIds() {
  return [] { return randomUuid(); };
}

IdGenerator seededIds(uint64_t seed) {
  return [next = seed]() mutable { return seededUuid(next++); };
}

std::string formatTime(TimePoint t) {
  int64_t ms = toEpochMillis(t);
  std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return out;
}

Step::Step(std::string id, std::string name, std::string podInstance,
           std::vector<std::string> tasks)
    : id_(std::move(id)),
      name_(std::move(name)),
      podInstance_(std::move(podInstance)),
      podInstanceHash_(std::hash<std::string_view>{}(podInstance_)),
      tasks_(std::move(tasks)) {}

ElementStatus Step::displayStatus() const {
  if (interrupted_ && (status_ == ElementStatus::kPending || status_ == ElementStatus::kPrepared)) {
    return ElementStatus::kWaiting;
  }
  return status_;
}

bool Step::eligible(Eligibility mode, const DirtyAssets* dirty) const {
  if (status_ == ElementStatus::kComplete || status_ == ElementStatus::kError || interrupted_) {
    return false;
  }
  if (mode == Eligibility::kStatus) return true;
  if (status_ == ElementStatus::kDelayed) return false;
  return dirty == nullptr || dirty->allows(*this);
}

Status Step::markPrepared() { return transition(ElementStatus::kPrepared, {}, std::nullopt); }
Status Step::markStarting() { return transition(ElementStatus::kStarting, {}, std::nullopt); }
Status Step::markStarted() { return transition(ElementStatus::kStarted, {}, std::nullopt); }
Status Step::markComplete() { return transition(ElementStatus::kComplete, {}, std::nullopt); }
Status Step::markPending(std::string reason) {
  return transition(ElementStatus::kPending, std::move(reason), std::nullopt);
}
Status Step::markDelayed(TimePoint until, std::string reason) {
  return transition(ElementStatus::kDelayed, std::move(reason), until);
}
Status Step::markError(std::string reason) {
  if (reason.empty()) reason = "error";
  return transition(ElementStatus::kError, std::move(reason), std::nullopt);
}

Status Step::transition(ElementStatus to, std::string reason, std::optional<TimePoint> until) {
  if (!isAllowedStepTransition(status_, to)) {
    return Status::failedPrecondition("step " + name_ + ": illegal transition " +
                                      std::string(statusName(status_)) + " -> " +
                                      std::string(statusName(to)));
  }
  if (to == ElementStatus::kError) {
    errors_.push_back(std::move(reason));
  } else if (!reason.empty()) {
    message_ = std::move(reason);
  }
  delayedUntil_ = to == ElementStatus::kDelayed ? until : std::nullopt;
  status_ = to;
  if (overrides_.status == StatusOverride::kForcedComplete && to != ElementStatus::kComplete) {
    setStatusOverride(StatusOverride::kNone);
  }
  if (overrides_.status == StatusOverride::kRestarted && to == ElementStatus::kComplete) {
    setStatusOverride(StatusOverride::kNone);
  }
  return Status::ok();
}

void Step::setStatusOverride(StatusOverride s) {
  if (overrides_.status == s) return;
  overrides_.status = s;
  overridesDirty_ = true;
}

void Step::restart() {
  if (status_ == ElementStatus::kPending) return;
  status_ = ElementStatus::kPending;
  errors_.clear();
  delayedUntil_.reset();
  setStatusOverride(StatusOverride::kRestarted);
}

void Step::forceComplete() {
  if (status_ == ElementStatus::kComplete) return;
  status_ = ElementStatus::kComplete;
  errors_.clear();
  delayedUntil_.reset();
  setStatusOverride(StatusOverride::kForcedComplete);
}

void Step::setInterrupted(bool interrupted) {
  interrupted_ = interrupted;
  detail::recordFlag(overrides_.interrupted, interrupted, baseInterrupted_, overridesDirty_);
}

void Step::setDecisionPoint(bool on) {
  decisionPoint_ = on;
  detail::recordFlag(overrides_.decisionPoint, on, baseDecisionPoint_, overridesDirty_);
  setInterrupted(on && !isComplete());
}

void Step::initDecisionPoint(bool on) {
  decisionPoint_ = baseDecisionPoint_ = on;
  interrupted_ = baseInterrupted_ = on;
}

void Step::applyOverrides(const ElementOverrides& o) {
  if (o.decisionPoint) decisionPoint_ = *o.decisionPoint;
  if (o.interrupted) interrupted_ = *o.interrupted;
  if (o.status == StatusOverride::kForcedComplete) {
    status_ = ElementStatus::kComplete;
    errors_.clear();
    delayedUntil_.reset();
  } else if (o.status == StatusOverride::kRestarted && status_ != ElementStatus::kPending) {
    status_ = ElementStatus::kPending;
    errors_.clear();
    delayedUntil_.reset();
  }
  overrides_ = o;
  overrides_.parameters.reset();
  overridesDirty_ = false;
}

std::optional<std::string> Step::tick(TimePoint now) {
  if (status_ == ElementStatus::kDelayed && delayedUntil_ && now >= *delayedUntil_) {
    (void)transition(ElementStatus::kPending, "backoff ended", std::nullopt);
    return name_ + ": backoff ended, PENDING";
  }
  if (!deadline_ || now <= *deadline_ || interrupted_) return std::nullopt;
  if (status_ == ElementStatus::kComplete || status_ == ElementStatus::kError) return std::nullopt;
  std::string reason = "progress deadline " + formatTime(*deadline_) + " passed while " +
                       std::string(statusName(status_));
  (void)transition(ElementStatus::kError, reason, std::nullopt);
  return name_ + ": " + reason;
}

}  // namespace keel::plan
