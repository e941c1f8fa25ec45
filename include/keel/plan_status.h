// Plan element statuses: what a step is doing, and how a phase or plan sums up
// its children. The vocabulary is dcos-commons' (Status.java) so that the
// HTTP API and CLI output read the same.
//
// A step *stores* one of PENDING, PREPARED, STARTING, STARTED, COMPLETE,
// DELAYED, ERROR. WAITING and IN_PROGRESS are never stored: WAITING is the
// display status of an interrupted step (by an operator, a canary or a
// decision point) that is PENDING or PREPARED; IN_PROGRESS exists only for
// phases and plans.
//
// Pure functions and values; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace keel::plan {

enum class ElementStatus {
  kError,       // something failed; needs an operator restart or force-complete
  kWaiting,     // display only: interrupted: operator, canary or decision point
  kPending,     // waiting for suitable offers
  kPrepared,    // being evaluated; old tasks killed if needed
  kStarting,    // operations sent, waiting for the first task status
  kStarted,     // tasks running, readiness not yet passed
  kComplete,    // done
  kInProgress,  // parents only: work under way
  kDelayed,     // backoff after a failure; back to PENDING when it ends
};

// "ERROR", "WAITING", "PENDING", ... as the HTTP API spells them.
std::string_view statusName(ElementStatus status);
std::optional<ElementStatus> parseStatus(std::string_view name);

// Whether a step may store this status (not WAITING, not IN_PROGRESS).
bool isStepStatus(ElementStatus status);

// PREPARED, STARTING, STARTED or IN_PROGRESS: work is under way.
bool isRunning(ElementStatus status);

// The scheduler-driven step transitions, the one table of them:
//   PENDING  -> PREPARED, COMPLETE, DELAYED, ERROR
//   PREPARED -> PENDING, STARTING, COMPLETE, DELAYED, ERROR
//   STARTING -> PENDING, STARTED, COMPLETE, DELAYED, ERROR
//   STARTED  -> PENDING, COMPLETE, DELAYED, ERROR
//   COMPLETE -> PENDING             (the work turned out undone)
//   DELAYED  -> PENDING, ERROR      (PENDING when the backoff ends)
//   ERROR    -> ERROR               (another reason; leaving needs an operator)
// and every status to itself. Operator restart (-> PENDING) and force-complete
// (-> COMPLETE) are allowed from any status and do not consult this table.
bool isAllowedStepTransition(ElementStatus from, ElementStatus to);

// The status of a phase or plan from its children, dcos-commons'
// PlanUtils.getAggregateStatus. `children` are the display statuses of all
// children; `candidates` those of the children the parent's strategy would
// offer now (ignoring pod-instance conflicts). The first rule that matches:
//   1. the parent has errors of its own, or any child is ERROR  -> ERROR
//   2. every child is COMPLETE (also: no children)               -> COMPLETE
//   3. the parent is interrupted (or its strategy keeps it
//      waiting, as a canary does)                              -> WAITING
//   4. every candidate and every child is DELAYED                -> DELAYED
//   5. any child is PREPARED                                     -> IN_PROGRESS
//   6. any candidate is WAITING                                  -> WAITING
//   7. any candidate is IN_PROGRESS                              -> IN_PROGRESS
//   8. any child COMPLETE and any candidate PENDING, STARTING
//      or STARTED                                                -> IN_PROGRESS
//   9. any candidate is PENDING                                  -> PENDING
//  10. any child is WAITING                                      -> WAITING
//  11. any candidate is STARTING                                 -> STARTING
//  12. any candidate is STARTED                                  -> STARTED
//  13. otherwise nothing can move now (e.g. the next child of a serial
//      parent is DELAYED after COMPLETE ones, or every unfinished child is
//      interrupted while running): any child DELAYED -> DELAYED; any child running
//      or COMPLETE -> IN_PROGRESS; else PENDING.
// Rule 13 differs from dcos-commons, which reports ERROR for this "unexpected
// state": an aggregate must never claim an error that no element carries.
ElementStatus aggregateStatus(std::span<const ElementStatus> children,
                              std::span<const ElementStatus> candidates, bool hasOwnErrors,
                              bool interrupted);

}  // namespace keel::plan
