// Health checks and checks as the Mesos executors run them.
//
// HealthTracker and CheckTracker are pure state machines (no I/O, time passed
// in); the executor runs the probes and feeds them results.
//
// Health (TaskInfo.health_check): the first success, and the first success
// after failures, report healthy=true. Failures within the grace period
// (counted from the task's start) are ignored until the first success. After
// that, the first failure reports healthy=false, and the failure that reaches
// consecutive_failures reports healthy=false and asks for the kill.
//
// Check (TaskInfo.check): every result that differs from the previous one is
// reported (the first result always is).
#pragma once

#include <optional>
#include <string>

#include "cluster/local/agent_runtime.h"

namespace keel::local {

class HealthTracker {
 public:
  HealthTracker(const HealthCheckSpec& spec, TimePoint taskStarted)
      : spec_(spec), started_(taskStarted) {}

  struct Outcome {
    std::optional<bool> report;  // send TASK_RUNNING with this `healthy`
    bool kill = false;           // kill the task
    friend bool operator==(const Outcome&, const Outcome&) = default;
  };
  Outcome onResult(bool healthy, TimePoint now);

 private:
  HealthCheckSpec spec_;
  TimePoint started_;
  bool initializing_ = true;
  uint32_t consecutiveFailures_ = 0;
};

struct CheckResult {
  std::optional<int> exitCode;       // COMMAND; unset when it timed out
  std::optional<int> httpStatus;     // HTTP; unset when no response
  std::optional<bool> tcpSucceeded;  // TCP
  friend bool operator==(const CheckResult&, const CheckResult&) = default;
};

class CheckTracker {
 public:
  // The result to report, or nullopt when unchanged.
  std::optional<CheckResult> onResult(const CheckResult& result);

 private:
  std::optional<CheckResult> last_;
};

// Probes a TCP or HTTP target on 127.0.0.1 within `timeout`. Returns the
// process exit code for a probe child: 0 when healthy (TCP connected; HTTP
// status 200-399). Writes the HTTP status (0 when none) or 1/0 for TCP, as
// text, to `resultFd` when it is >= 0. Blocking.
int runProbe(const CheckTarget& target, Duration timeout, int resultFd);

}  // namespace keel::local
