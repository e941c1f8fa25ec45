// PlanCoordinator: the steps to work on now across all of a service's plans,
// with at most one step per pod instance (dcos-commons'
// DefaultPlanCoordinator, with the dirty-asset rule made exact).
//
// Plans are visited in priority order: deploy (and update, which stands in
// for deploy during a config change), recovery, decommission, then the
// others (custom plans) in the order given. Before the first plan, every pod
// instance with a PREPARED or STARTING step in *any* plan is dirty (owned by
// that step; dcos-commons ignores interrupted plans here, keel does not,
// since their in-flight steps still run). Each plan then offers its
// candidates (Plan::candidates), and each chosen step makes its pod
// instance dirty for the plans after it. Interrupted plans offer nothing.
//
// Not thread-safe; the plans are the scheduler's and must outlive the
// coordinator. Cost: O(steps of all plans) per candidates() call.
#pragma once

#include <string_view>
#include <vector>

#include "keel/plan.h"

namespace keel::plan {

// 0 deploy/update, 1 recovery, 2 decommission, 3 anything else.
int planPriority(std::string_view planName);

class PlanCoordinator {
 public:
  // Orders `plans` by planPriority, stably. Null pointers are a bug.
  explicit PlanCoordinator(std::vector<Plan*> plans);

  // In priority order.
  const std::vector<Plan*>& plans() const { return plans_; }

  std::vector<Candidate> candidates();

  // The pod instances with PREPARED or STARTING steps in any plan.
  DirtyAssets dirtyAssets() const;

 private:
  std::vector<Plan*> plans_;
};

}  // namespace keel::plan
