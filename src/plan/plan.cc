#include "keel/plan.h"

#include <utility>

#include "keel/check.h"
#include "keel/ids.h"
#include "plan/children.h"
#include "plan/record_flag.h"

namespace keel::plan {

using detail::PhaseChildren;

size_t DirtyAssets::find(std::string_view name, size_t hash) const {
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Step* s = slots_[i];
    if (s == nullptr || (s->podInstanceHash() == hash && s->podInstance() == name)) return i;
  }
}

void DirtyAssets::grow() {
  std::vector<const Step*> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, nullptr);
  for (const Step* s : old) {
    if (s != nullptr) slots_[find(s->podInstance(), s->podInstanceHash())] = s;
  }
}

void DirtyAssets::add(const Step& owner) {
  if (owner.podInstance().empty()) return;
  if ((size_ + 1) * 2 > slots_.size()) grow();
  size_t i = find(owner.podInstance(), owner.podInstanceHash());
  if (slots_[i] != nullptr) return;
  slots_[i] = &owner;
  ++size_;
}

bool DirtyAssets::allows(const Step& step) const {
  if (size_ == 0 || step.podInstance().empty()) return true;
  const Step* holder = slots_[find(step.podInstance(), step.podInstanceHash())];
  return holder == nullptr || holder == &step;
}

const Step* DirtyAssets::owner(std::string_view podInstance) const {
  if (size_ == 0) return nullptr;
  return slots_[find(podInstance, std::hash<std::string_view>{}(podInstance))];
}

Plan::Plan(std::string id, std::string name, std::vector<Phase> phases,
           std::unique_ptr<Strategy> strategy)
    : id_(std::move(id)),
      name_(std::move(name)),
      phases_(std::move(phases)),
      strategy_(std::move(strategy)) {
  KEEL_CHECK(strategy_ != nullptr);
  for (size_t i : strategy_->initiallyInterrupted(phases_.size())) {
    if (i < phases_.size()) phases_[i].initInterrupted(true);
  }
}

Plan::Plan(const Plan& o)
    : id_(o.id_),
      name_(o.name_),
      phases_(o.phases_),
      strategy_(o.strategy_->clone()),
      interrupted_(o.interrupted_),
      baseInterrupted_(o.baseInterrupted_),
      ownErrors_(o.ownErrors_),
      parameters_(o.parameters_),
      overrides_(o.overrides_),
      overridesDirty_(o.overridesDirty_) {}

Plan& Plan::operator=(const Plan& o) {
  if (this != &o) *this = Plan(o);
  return *this;
}

Phase* Plan::findPhase(std::string_view idOrName) {
  return const_cast<Phase*>(std::as_const(*this).findPhase(idOrName));
}

const Phase* Plan::findPhase(std::string_view idOrName) const {
  bool byId = isUuid(std::string(idOrName));
  for (const Phase& p : phases_) {
    if ((byId ? p.id() : p.name()) == idOrName) return &p;
  }
  return nullptr;
}

ElementStatus Plan::status() const {
  PhaseChildren view(phases_);
  std::vector<size_t> picked;
  strategy_->candidates(view, picked);
  std::vector<ElementStatus> candidates;
  candidates.reserve(picked.size());
  for (size_t i : picked) candidates.push_back(view.statuses()[i]);
  bool waits = interrupted_ || strategy_->keepsParentWaiting(view);
  return aggregateStatus(view.statuses(), candidates, !ownErrors_.empty(), waits);
}

bool Plan::waiting() const {
  return interrupted_ || strategy_->keepsParentWaiting(PhaseChildren(phases_));
}

bool Plan::isComplete() const {
  for (const Phase& p : phases_) {
    if (!p.isComplete()) return false;
  }
  return true;
}

std::vector<std::string> Plan::errors() const {
  std::vector<std::string> out = ownErrors_;
  for (const Phase& p : phases_) {
    for (const std::string& e : p.errors()) out.push_back(p.name() + ": " + e);
    for (const Step& s : p.steps()) {
      for (const std::string& e : s.errors()) out.push_back(p.name() + "/" + s.name() + ": " + e);
    }
  }
  return out;
}

std::vector<Candidate> Plan::candidates(DirtyAssets& dirty) {
  std::vector<Candidate> out;
  if (interrupted_) return out;
  PhaseChildren view(phases_);
  std::vector<size_t> phaseIdx;
  strategy_->candidates(view, phaseIdx);
  std::vector<size_t> stepIdx;
  for (size_t pi : phaseIdx) {
    Phase& phase = phases_[pi];
    stepIdx.clear();
    phase.candidateSteps(Eligibility::kWork, &dirty, stepIdx);
    for (size_t si : stepIdx) {
      Step& step = phase.steps()[si];
      if (!dirty.allows(step)) continue;
      dirty.add(step);
      out.push_back(Candidate{this, &phase, &step});
    }
  }
  return out;
}

void Plan::restart() {
  for (Phase& p : phases_) p.restart();
}

void Plan::forceComplete() {
  for (Phase& p : phases_) p.forceComplete();
}

void Plan::setInterrupted(bool interrupted) {
  interrupted_ = interrupted;
  detail::recordFlag(overrides_.interrupted, interrupted, baseInterrupted_, overridesDirty_);
}

void Plan::setParameters(std::map<std::string, std::string> parameters) {
  parameters_ = parameters;
  if (overrides_.parameters != parameters) {
    overrides_.parameters = std::move(parameters);
    overridesDirty_ = true;
  }
}

void Plan::applyOverrides(const ElementOverrides& o) {
  if (o.interrupted) interrupted_ = *o.interrupted;
  if (o.parameters) parameters_ = *o.parameters;
  overrides_ = ElementOverrides{};
  overrides_.interrupted = o.interrupted;
  overrides_.parameters = o.parameters;
  overridesDirty_ = false;
}

std::vector<std::string> Plan::tick(TimePoint now) {
  std::vector<std::string> events;
  for (Phase& p : phases_) p.tick(now, events);
  return events;
}

}  // namespace keel::plan
