// SimInvariants: the invariant checker of scheduler simulations (issue 5).
// Given a SchedulerSim (fake cluster, state store, scheduler), it is called
// after every event and asserts what the rules of the house promise:
//
//   identity   at most one non-terminal task per task name on a reachable
//              agent; any other non-terminal task of that name is of an
//              older incarnation and on an unreachable agent (fenced); the
//              non-terminal tasks of one pod instance on reachable agents
//              share one incarnation.
//   persist    every reservation and volume an ACCEPT created carries a
//              resource id that a stored TaskInfo referenced by the end of
//              the event (TaskInfos are durable before the ACCEPT).
//   cause      every DESTROY/UNRESERVE the cluster accepted is justified by
//              the store: the resource belonged only to pod instance
//              incarnations that were replaced since (a permanent failure or
//              an operator replace recorded: the incarnation went up), or to
//              an instance that was being decommissioned, or the service was
//              being uninstalled; a resource no stored TaskInfo ever
//              referenced may be collected.
//   throttle   the automatic recovery policy's replacements (the
//              scheduler's AutomaticRecoveryView: those of every scheduler
//              process of the run, and the stored time of the last one) are
//              at least minReplaceDelay apart (or `minReplacementInterval`).
//              Operator replaces and TASK_GONE_BY_OPERATOR are not the
//              policy's and are not throttled.
//   breaker    no policy replacement at or after the time the circuit
//              breaker tripped while it stays tripped (not reset).
//
// Once settled (every agent up, nothing in flight), checkSettled() asserts
// that nothing leaked or was lost: every reservation the cluster holds for
// the service is referenced by a stored TaskInfo or awaits the cleanup of a
// replaced footprint, and every reservation a stored TaskInfo of a live
// instance references exists.
//
// "The same plans after a restart", precisely. Plans other than recovery
// are rebuilt from the store (deriveStepStatus), the recovery plan from the
// stored task states and permanent-failure marks; what lives only in memory
// (a recovery step's TRANSIENT entry, its crash-loop count, a DELAYED
// step's time) is not restored, so a task that is relaunching comes back as
// a PENDING step of the plan that launched it (deploy), not of recovery:
// accepted, since either relaunches it in place once. Hence:
//   clean failover   snapshot() before, compareAfterRestart() after: the
//              interrupted flags of plans, phases and steps, and the stored
//              override records are equal; a step whose tasks are stable
//              (all done, or none launched) before and after has the same
//              completion, unless its pod instance has a pending permanent
//              replacement (the recovery plan owns it: after a restart the
//              other plans show it COMPLETE, while live their PENDING step
//              may launch the replacement; either launches it once); every
//              pending replacement still has a recovery step.
//   crash at a persistence point   the restarted scheduler's snapshot (its
//              recovery plan included) equals that of a clean start over
//              the same stored state (compareSnapshots: restoring is
//              deterministic and idempotent), and compareAfterRestart()
//              holds against the last snapshot before the crash for the
//              durable parts (the dying event's own commits aside).
//
// Every violation is a readable line followed by the recent event history
// (note() adds to it). Thread-safety: none; the test's thread.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "keel/clock.h"
#include "keel/scheduler/recovery_policy.h"
#include "scheduler/scheduler_sim.h"

namespace keel::scheduler::testing {

struct InvariantOptions {
  // The replacement throttle; nullopt: the policy's minReplaceDelay when
  // its automatic replacement is enabled, else not checked.
  std::optional<Duration> minReplacementInterval;
  // Events of the history printed with a violation.
  size_t historyLines = 40;
};

// What a restart must preserve.
struct PlanSnapshot {
  // "plan/phase/step" -> complete, for steps whose tasks were all done
  // (running and ready, or finished) or not launched: a step whose task is
  // relaunching is in flight, and after a restart it resumes as STARTING.
  std::map<std::string, bool> complete;
  // "plan", "plan/phase", "plan/phase/step" -> interrupted.
  std::map<std::string, bool> interrupted;
  // plan -> stored override records.
  std::map<std::string, std::map<std::string, std::string>> overrides;
  // Pod instances with a stored permanent failure (a replacement pending).
  std::set<std::string> pendingReplacements;
  // Steps whose tasks were stable (all done, or none launched).
  std::set<std::string> stable;
  // "recovery/<instance>" -> its status and type text, when asked for.
  std::map<std::string, std::string> recovery;
};

class SimInvariants {
 public:
  explicit SimInvariants(SchedulerSim& sim, InvariantOptions options = {});

  void note(std::string event);
  // After an event: the violations, empty when none.
  std::vector<std::string> check();
  // The throttle and breaker rules for one view of the policy (check() feeds
  // the live scheduler's); replacements accumulate across views.
  std::vector<std::string> checkPolicy(const AutomaticRecoveryView& view);
  // Once settled: leaks and losses of reservations and volumes.
  std::vector<std::string> checkSettled();
  // The plans of `scheduler` (default: the sim's); `withRecovery` adds the
  // recovery plan's steps.
  PlanSnapshot snapshot(Scheduler* scheduler = nullptr, bool withRecovery = false);
  std::vector<std::string> compareAfterRestart(const PlanSnapshot& before);
  // Every difference between two snapshots of one stored state.
  std::vector<std::string> compareSnapshots(const PlanSnapshot& a, const PlanSnapshot& b,
                                            const std::string& what);

  // LAUNCH_GROUP task launches accepted by the cluster, per
  // (task name, incarnation).
  std::map<std::pair<std::string, int64_t>, int> launchCounts() const;
  // Replacements not asked for by an operator, seen in the store
  // (pod instance, when): the policy's and TASK_GONE_BY_OPERATOR's.
  const std::vector<std::pair<std::string, TimePoint>>& automaticReplacements() const {
    return automatic_;
  }
  std::string history() const;
  // The plans (steps not COMPLETE, with their messages) and the cluster's
  // live tasks, for failure messages.
  std::string describeState() const;

 private:
  struct Owner {
    std::string instance;
    int64_t incarnation = 0;
    bool operator<(const Owner& o) const {
      return std::tie(instance, incarnation) < std::tie(o.instance, o.incarnation);
    }
  };
  void observeStore();
  void checkIdentity(std::vector<std::string>& out);
  void checkOperations(std::vector<std::string>& out);
  std::optional<std::string> unjustified(const std::string& resourceId) const;
  void fail(std::vector<std::string>& out, const std::string& what) const;

  SchedulerSim& sim_;
  InvariantOptions options_;
  std::vector<std::string> events_;
  // resource id -> the pod instance incarnations whose stored TaskInfos
  // referenced it.
  std::map<std::string, std::set<Owner>> owners_;
  std::map<std::string, int64_t> incarnations_;
  std::set<std::string> everDecommissioning_;
  bool everUninstalling_ = false;
  std::vector<std::pair<std::string, TimePoint>> automatic_;
  // The policy's replacements seen in views (when, pod instance).
  std::set<std::pair<TimePoint, std::string>> policyReplacements_;
  size_t operationsSeen_ = 0;
};

}  // namespace keel::scheduler::testing
