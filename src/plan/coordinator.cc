#include "keel/plan_coordinator.h"

#include <algorithm>

#include "keel/check.h"

namespace keel::plan {

int planPriority(std::string_view planName) {
  if (planName == "deploy" || planName == "update") return 0;
  if (planName == "recovery") return 1;
  if (planName == "decommission") return 2;
  return 3;
}

PlanCoordinator::PlanCoordinator(std::vector<Plan*> plans) : plans_(std::move(plans)) {
  for (const Plan* p : plans_) KEEL_CHECK(p != nullptr);
  std::stable_sort(plans_.begin(), plans_.end(), [](const Plan* a, const Plan* b) {
    return planPriority(a->name()) < planPriority(b->name());
  });
}

DirtyAssets PlanCoordinator::dirtyAssets() const {
  DirtyAssets dirty;
  for (const Plan* plan : plans_) {
    for (const Phase& phase : plan->phases()) {
      for (const Step& step : phase.steps()) {
        if (step.status() == ElementStatus::kPrepared ||
            step.status() == ElementStatus::kStarting) {
          dirty.add(step);
        }
      }
    }
  }
  return dirty;
}

std::vector<Candidate> PlanCoordinator::candidates() {
  DirtyAssets dirty = dirtyAssets();
  std::vector<Candidate> out;
  for (Plan* plan : plans_) {
    std::vector<Candidate> some = plan->candidates(dirty);
    out.insert(out.end(), some.begin(), some.end());
  }
  return out;
}

}  // namespace keel::plan
