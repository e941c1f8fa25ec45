// Automatic recovery policy: when the scheduler itself turns a pod
// instance's failure into a permanent one (a destructive replacement on a
// new footprint, its volumes not kept), how often, and when it stops.
//
//   switch     off by default (as dcos-commons' NeverFailureMonitor): then
//              only an operator replace and TASK_GONE_BY_OPERATOR replace.
//   timeout    a pod instance whose RUNNING-goal tasks are failed (LOST,
//              FAILED, ERROR, DROPPED, GONE, UNKNOWN) or UNREACHABLE
//              continuously for longer than permanentFailureTimeout is
//              replaced. The time it was first seen failing is stored per
//              instance (a scheduler restart does not reset it) and erased
//              when all its RUNNING-goal tasks run again. KILLED and
//              FINISHED do not count (the scheduler's own kills, an update).
//   throttle   at most one automatic replacement per minReplaceDelay; the
//              time of the last one is stored. Operator replaces are never
//              throttled.
//   breaker    when a replacement is due and more than circuitBreakerPods
//              instances are failing at once (an agent or rack loss), no
//              instance is replaced automatically: the breaker trips
//              (stored, with its reason, shown in the recovery plan's errors
//              and steps) and stays tripped until an operator resets it
//              (POST /v1/recovery/reset, `keel recovery reset`). The
//              instances failing at the reset are then replaced one per
//              throttle period; a failure after the reset that again makes
//              more than circuitBreakerPods fail trips it again.
// Transient (in-place) recovery and its crash-loop backoff go on regardless.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "keel/clock.h"

namespace keel::scheduler {

struct AutomaticRecoveryOptions {
  bool enabled = false;                                         // ENABLE_AUTOMATIC_POD_REPLACEMENT
  Duration permanentFailureTimeout = std::chrono::minutes(20);  // PERMANENT_FAILURE_TIMEOUT_SECS
  Duration minReplaceDelay = std::chrono::minutes(10);          // MIN_REPLACE_DELAY_SECS
  int circuitBreakerPods = 1;  // KEEL_REPLACE_CIRCUIT_BREAKER_PODS: trips at more than this
};

// A pod instance seen failing since `since`; `what` says how
// ("data-1-node TASK_LOST on agent a3: agent removed").
struct FailingInstance {
  std::string instance;
  TimePoint since;
  std::string what;
};

struct BreakerTrip {
  TimePoint at;
  std::string reason;
};

// The policy's durable state (property "automatic-recovery").
struct AutomaticRecoveryState {
  std::optional<TimePoint> lastReplacement;  // the last automatic replacement
  std::optional<BreakerTrip> breaker;        // set while tripped
  std::optional<TimePoint> resetAt;          // the operator's last reset
};

struct AutomaticReplacement {
  TimePoint at;
  std::string instance;
  std::string reason;
};

// What a checker or the API can read of the policy at a moment.
struct AutomaticRecoveryView {
  AutomaticRecoveryOptions options;
  AutomaticRecoveryState state;
  std::vector<FailingInstance> failing;  // by instance name
  // Every automatic replacement this scheduler process made, oldest first;
  // a restarted scheduler starts an empty list (state.lastReplacement
  // carries the last one across).
  std::vector<AutomaticReplacement> replacements;
};

// "20m", "90s", "1h30m", "0s".
std::string formatDuration(Duration d);

}  // namespace keel::scheduler
