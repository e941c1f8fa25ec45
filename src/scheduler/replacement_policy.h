// The automatic recovery decision (keel/scheduler/recovery_policy.h), as a
// pure function of the options, the stored policy state, the failing
// instances and `now`: per failing instance, replace it now, wait for its
// timeout, wait for the throttle, or nothing because the breaker is (or
// now goes) open.
//
// Thread-safety: pure. Failure behaviour: none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/scheduler/recovery_policy.h"

namespace keel::scheduler {

enum class ReplacementVerdict {
  kWait,       // failing, its permanent-failure timeout not yet passed
  kReplace,    // replace it now; `message` is the permanent failure's reason
  kThrottled,  // due, but another automatic replacement was too recent
  kStopped,    // due or not: the circuit breaker is open
};

struct ReplacementDecision {
  std::string instance;
  ReplacementVerdict verdict = ReplacementVerdict::kWait;
  TimePoint until;      // kWait: its timeout; kThrottled: the next allowed replacement
  std::string message;  // for the instance's recovery step (kReplace: the reason)
};

struct PolicyDecisions {
  std::vector<ReplacementDecision> decisions;  // the failing instances, oldest failure first
  std::optional<BreakerTrip> trip;             // the breaker trips now (store it first)
};

// Nothing when the policy is disabled. At most one kReplace per
// minReplaceDelay counting from state.lastReplacement (several at once only
// with a zero delay). The breaker trips when some instance is due, more
// than circuitBreakerPods are failing, and one of them began failing after
// the operator's last reset.
PolicyDecisions decideReplacements(const AutomaticRecoveryOptions& options,
                                   const AutomaticRecoveryState& state,
                                   std::vector<FailingInstance> failing, TimePoint now);

// The text shown while the breaker is open.
std::string breakerMessage(const BreakerTrip& trip);

}  // namespace keel::scheduler
