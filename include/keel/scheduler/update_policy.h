// UpdatePolicy: how a service's configuration updates roll out beyond the
// plan's strategy (keel's addition, opt-in per service). It is part of the
// scheduler's configuration, i.e. its environment, like DATA_COUNT:
//
//   KEEL_UPDATE_AUTO_ROLLBACK=true|false        roll back on its own when an
//                                               update halts (default false)
//   KEEL_UPDATE_FAILURE_BUDGET=N                halt after N failures (N >= 1;
//                                               unset or 0: no budget)
//   KEEL_UPDATE_PROGRESS_DEADLINE_SECS=S        halt when no step completed for
//                                               S seconds (S >= 1; unset: none)
//   KEEL_UPDATE_CANARY_PROMOTE_AFTER_SECS=S     a canary phase continues by
//                                               itself once its canaries ran
//                                               healthy for S seconds (S >= 0)
//
// What counts as a failure and what halting does: docs/config.md, "Update
// policy", and scheduler/update_guard.h.
//
// Thread-safety: plain values and a pure parser.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "keel/clock.h"
#include "keel/result.h"

namespace keel::scheduler {

inline constexpr const char* kEnvAutoRollback = "KEEL_UPDATE_AUTO_ROLLBACK";
inline constexpr const char* kEnvFailureBudget = "KEEL_UPDATE_FAILURE_BUDGET";
inline constexpr const char* kEnvProgressDeadline = "KEEL_UPDATE_PROGRESS_DEADLINE_SECS";
inline constexpr const char* kEnvCanaryPromoteAfter = "KEEL_UPDATE_CANARY_PROMOTE_AFTER_SECS";

struct UpdatePolicy {
  bool autoRollback = false;
  int failureBudget = 0;  // 0: none
  std::optional<Duration> progressDeadline;
  std::optional<Duration> canaryPromoteAfter;

  // True when any of it is on (the scheduler then watches updates).
  bool any() const {
    return autoRollback || failureBudget > 0 || progressDeadline || canaryPromoteAfter;
  }
  // One line for the log: "auto-rollback on, failure budget 3, ...".
  std::string describe() const;
};

// The policy from a scheduler's environment (the keys above; others are
// ignored). InvalidArgument naming the variable, the value found and what is
// allowed, e.g. "KEEL_UPDATE_FAILURE_BUDGET=-1: must be an integer >= 0".
Result<UpdatePolicy> updatePolicyFromEnv(const std::map<std::string, std::string>& env);

}  // namespace keel::scheduler
