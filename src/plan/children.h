// The StrategyChildren views of a phase's steps and of a plan's phases.
// Internal to keel_plan.
#pragma once

#include <vector>

#include "keel/plan.h"

namespace keel::plan::detail {

class StepChildren final : public StrategyChildren {
 public:
  StepChildren(std::span<const Step> steps, Eligibility mode, const DirtyAssets* dirty)
      : steps_(steps), mode_(mode), dirty_(dirty) {}
  size_t size() const override { return steps_.size(); }
  ElementStatus status(size_t i) const override { return steps_[i].displayStatus(); }
  bool isInterrupted(size_t i) const override { return steps_[i].interrupted(); }
  bool isEligible(size_t i) const override { return steps_[i].eligible(mode_, dirty_); }

 private:
  std::span<const Step> steps_;
  Eligibility mode_;
  const DirtyAssets* dirty_;
};

// Phase statuses are computed once, when the view is built.
class PhaseChildren final : public StrategyChildren {
 public:
  explicit PhaseChildren(std::span<const Phase> phases) {
    statuses_.reserve(phases.size());
    waiting_.reserve(phases.size());
    interrupted_.reserve(phases.size());
    for (const Phase& p : phases) {
      statuses_.push_back(p.status());
      waiting_.push_back(p.waiting());
      interrupted_.push_back(p.interrupted());
    }
  }
  size_t size() const override { return statuses_.size(); }
  ElementStatus status(size_t i) const override { return statuses_[i]; }
  bool isInterrupted(size_t i) const override { return interrupted_[i]; }
  bool isEligible(size_t i) const override {
    return statuses_[i] != ElementStatus::kComplete && statuses_[i] != ElementStatus::kError &&
           !waiting_[i];
  }
  const std::vector<ElementStatus>& statuses() const { return statuses_; }

 private:
  std::vector<ElementStatus> statuses_;
  std::vector<char> waiting_;
  std::vector<char> interrupted_;
};

}  // namespace keel::plan::detail
