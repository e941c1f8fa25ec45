// Operator actions on a plan, a phase or a step, as the HTTP API and CLI
// offer them (/v1/plans/<plan>/interrupt, continue, forceComplete, restart,
// start, stop; decision points from the seed-era /v1/plan API).
//
// An element is addressed by an ElementPath: both fields empty = the plan,
// `phase` only = a phase, both = a step. Each field is a name or, when it is
// UUID-shaped, an id. Errors: NotFound "Phase <x> not found" / "Step <x> not
// found"; InvalidArgument "Missing phase" for a step without its phase.
//
// Every action returns whether it changed anything (`changed` false = the
// HTTP 208 "already reported" case) and the override records to persist
// (keel/plan_override.h): the caller writes them through the state store
// *before* acting on the new plan state, so the action survives a restart.
//
// Semantics (docs/plans.md has the long form):
//   interrupt       sets the element's interrupted flag; in-flight steps go on.
//                   No-op when already interrupted or COMPLETE.
//   continue        clears the element's interrupted flag; if it was not
//                   interrupted, releases its first interrupted child that is
//                   not COMPLETE (a phase: the next canary step or decision
//                   point; a plan: the next interrupted phase). Else no-op.
//   forceComplete   every step below the element COMPLETE, phase errors
//                   cleared. No-op when COMPLETE.
//   restart         clears the element's interrupted flag, every step below
//                   it PENDING, errors and backoff cleared. No-op when the
//                   element is PENDING.
//   start           (plan) validates parameter names ([A-Za-z_][A-Za-z0-9_]*),
//                   stores the parameters, restarts a COMPLETE plan, clears
//                   the plan's interrupted flag.
//   stop            (plan) interrupts the plan and restarts it.
//   decision point  (step) pause before the step: it is interrupted until a
//                   continue on it or on its phase; removing the decision
//                   point releases it. No-op when already so.
//
// Thread-safety: as for the Plan.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "keel/plan.h"
#include "keel/plan_override.h"
#include "keel/result.h"

namespace keel::plan {

struct ElementPath {
  std::string phase;  // name or id; empty: the plan
  std::string step;   // name or id; empty: the phase (or the plan)
};

struct OperationResult {
  bool changed = false;
  std::vector<OverrideChange> changes;
};

Result<OperationResult> interruptElement(Plan& plan, const ElementPath& path);
Result<OperationResult> continueElement(Plan& plan, const ElementPath& path);
Result<OperationResult> forceCompleteElement(Plan& plan, const ElementPath& path);
Result<OperationResult> restartElement(Plan& plan, const ElementPath& path);
Result<OperationResult> startPlan(Plan& plan, const std::map<std::string, std::string>& parameters);
Result<OperationResult> stopPlan(Plan& plan);
Result<OperationResult> setDecisionPoint(Plan& plan, const ElementPath& step, bool on);

// OK when `name` matches [A-Za-z_][A-Za-z0-9_]*; else InvalidArgument
// "<name> is not a valid environment variable name".
Status validateParameterName(const std::string& name);

}  // namespace keel::plan
