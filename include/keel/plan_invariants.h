// Invariant checks for plans: tests run them after every transition; the
// scheduler may run them in debug builds. Each returns the violations found,
// one sentence each, empty when all hold. Pure; O(elements).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "keel/plan.h"

namespace keel::plan {

// Within one plan:
// - ids are non-empty and unique; phase names unique in the plan, step names
//   unique in their phase;
// - a step stores a step status (never WAITING or IN_PROGRESS);
// - a step is ERROR exactly when it has errors, DELAYED exactly when it has
//   a backoff end;
// - a forced completion is COMPLETE; a pending restart is not COMPLETE;
// - the recorded overrides agree with the flags (an override of
//   `interrupted` or `decisionPoint` equals the element's flag);
// - aggregate statuses agree with their children: a phase is COMPLETE
//   exactly when it has no errors and every step is COMPLETE, ERROR when it
//   has errors or an ERROR step; the same for the plan over its phases;
// - a parent's status is never WAITING unless it, its strategy or a child
//   waits (something is interrupted).
std::vector<std::string> checkPlanInvariants(const Plan& plan);

// Across plans: no pod instance has two steps that are PREPARED or STARTING
// (the coordinator's one-step-per-pod-instance rule, given that the
// scheduler only starts candidates).
std::vector<std::string> checkAssetInvariants(std::span<const Plan* const> plans);

}  // namespace keel::plan
