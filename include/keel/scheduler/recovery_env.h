// The recovery settings of SchedulerOptions from the service's environment
// (the scheduler's configuration is its env, as DATA_COUNT is), with
// dcos-commons' names where it has them:
//
//   ENABLE_AUTOMATIC_POD_REPLACEMENT   true|false (default false)
//   PERMANENT_FAILURE_TIMEOUT_SECS     > 0 (default 1200)
//   MIN_REPLACE_DELAY_SECS             >= 0 (default 600)
//   KEEL_REPLACE_CIRCUIT_BREAKER_PODS  integer >= 1 (default 1: the breaker
//                                      trips when 2 or more fail at once)
//   KEEL_RECOVERY_BACKOFF_INITIAL_SECS >= 0 (default 10)
//   KEEL_RECOVERY_BACKOFF_FACTOR       >= 1 (default 2)
//   KEEL_RECOVERY_BACKOFF_MAX_SECS     >= 0 (default 300)
//   KEEL_RECOVERY_BACKOFF_RESET_SECS   >= 0 (default 600)
//
// Seconds may have a fraction ("0.5"). An unset or empty variable keeps the
// option as it was. What each means: keel/scheduler/recovery_policy.h and
// SchedulerOptions.
//
// Thread-safety: pure. Failure behaviour: InvalidArgument naming the first
// bad variable, its value and what is allowed; `options` is then unchanged.
#pragma once

#include <map>
#include <string>

#include "keel/scheduler/scheduler.h"
#include "keel/status.h"

namespace keel::scheduler {

Status applyRecoveryEnv(const std::map<std::string, std::string>& env, SchedulerOptions& options);

}  // namespace keel::scheduler
