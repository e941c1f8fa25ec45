#include <utility>

#include "keel/check.h"
#include "keel/ids.h"
#include "keel/plan.h"
#include "plan/children.h"
#include "plan/record_flag.h"

namespace keel::plan {

using detail::StepChildren;

Phase::Phase(std::string id, std::string name, std::vector<Step> steps,
             std::unique_ptr<Strategy> strategy)
    : id_(std::move(id)),
      name_(std::move(name)),
      steps_(std::move(steps)),
      strategy_(std::move(strategy)) {
  KEEL_CHECK(strategy_ != nullptr);
  for (size_t i : strategy_->initiallyInterrupted(steps_.size())) {
    if (i < steps_.size()) steps_[i].initInterrupted(true);
  }
}

Phase::Phase(const Phase& o)
    : id_(o.id_),
      name_(o.name_),
      steps_(o.steps_),
      strategy_(o.strategy_->clone()),
      interrupted_(o.interrupted_),
      baseInterrupted_(o.baseInterrupted_),
      errors_(o.errors_),
      deadline_(o.deadline_),
      overrides_(o.overrides_),
      overridesDirty_(o.overridesDirty_) {}

Phase& Phase::operator=(const Phase& o) {
  if (this != &o) *this = Phase(o);
  return *this;
}

Step* Phase::findStep(std::string_view idOrName) {
  return const_cast<Step*>(std::as_const(*this).findStep(idOrName));
}

const Step* Phase::findStep(std::string_view idOrName) const {
  bool byId = isUuid(std::string(idOrName));
  for (const Step& s : steps_) {
    if ((byId ? s.id() : s.name()) == idOrName) return &s;
  }
  if (byId || idOrName.empty()) return nullptr;
  const Step* only = nullptr;
  for (const Step& s : steps_) {
    if (s.podInstance() != idOrName) continue;
    if (only != nullptr) return nullptr;
    only = &s;
  }
  return only;
}

std::string Phase::blockName(const Step& step) const {
  if (step.podInstance().empty()) return step.name();
  size_t sharing = 0;
  for (const Step& s : steps_) sharing += s.podInstance() == step.podInstance() ? 1 : 0;
  return sharing == 1 ? step.podInstance() : step.name();
}

ElementStatus Phase::status() const {
  if (!errors_.empty()) return ElementStatus::kError;
  std::vector<ElementStatus> children;
  children.reserve(steps_.size());
  for (const Step& s : steps_) children.push_back(s.displayStatus());
  StepChildren view(steps_, Eligibility::kStatus, nullptr);
  std::vector<size_t> picked;
  strategy_->candidates(view, picked);
  std::vector<ElementStatus> candidates;
  candidates.reserve(picked.size());
  for (size_t i : picked) candidates.push_back(children[i]);
  bool waits = interrupted_ || strategy_->keepsParentWaiting(view);
  return aggregateStatus(children, candidates, false, waits);
}

bool Phase::isComplete() const {
  if (!errors_.empty()) return false;
  for (const Step& s : steps_) {
    if (!s.isComplete()) return false;
  }
  return true;
}

bool Phase::waiting() const {
  if (interrupted_) return true;
  StepChildren view(steps_, Eligibility::kStatus, nullptr);
  return strategy_->keepsParentWaiting(view);
}

void Phase::candidateSteps(Eligibility mode, const DirtyAssets* dirty,
                           std::vector<size_t>& out) const {
  StepChildren view(steps_, mode, dirty);
  strategy_->candidates(view, out);
}

void Phase::restart() {
  errors_.clear();
  for (Step& s : steps_) s.restart();
}

void Phase::forceComplete() {
  errors_.clear();
  for (Step& s : steps_) s.forceComplete();
}

void Phase::setInterrupted(bool interrupted) {
  interrupted_ = interrupted;
  detail::recordFlag(overrides_.interrupted, interrupted, baseInterrupted_, overridesDirty_);
}

void Phase::applyOverrides(const ElementOverrides& o) {
  if (o.interrupted) interrupted_ = *o.interrupted;
  overrides_ = ElementOverrides{};
  overrides_.interrupted = o.interrupted;
  overridesDirty_ = false;
}

void Phase::tick(TimePoint now, std::vector<std::string>& events) {
  for (Step& s : steps_) {
    if (auto event = s.tick(now)) events.push_back(name_ + "/" + *event);
  }
  if (!deadline_ || now <= *deadline_ || interrupted_ || !errors_.empty() || isComplete()) return;
  std::string reason = "progress deadline " + formatTime(*deadline_) + " passed while " +
                       std::string(statusName(status()));
  errors_.push_back(reason);
  events.push_back(name_ + ": " + reason);
}

}  // namespace keel::plan
