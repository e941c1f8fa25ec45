// Strategies: which children of a plan (its phases) or of a phase (its steps)
// may be worked on now. A strategy is an object so that service authors can
// write their own in C++; keel ships serial, parallel, parallel(n),
// dependency (a DAG) and canary (wrapping any of them).
//
// A strategy sees its parent's children through StrategyChildren and returns
// indices, in the order it prefers them. It must only return children for
// which isEligible(i) is true; eligibility (not COMPLETE, not ERROR, not
// interrupted,
// and, when selecting work, not DELAYED and not conflicting on a pod
// instance) is decided by the parent, not by the strategy.
//
// Strategies are immutable after construction: every piece of progress state
// (interrupted children, statuses) lives in the plan elements, so a strategy may be
// shared by reading threads and cloned freely. Selection must be O(children)
// (plus edges for a dependency strategy): plans reach 10,000 steps.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "keel/plan_status.h"
#include "keel/result.h"

namespace keel::plan {

// The children of one plan element, as a strategy sees them.
class StrategyChildren {
 public:
  virtual ~StrategyChildren() = default;
  virtual size_t size() const = 0;
  // The display status (WAITING for an interrupted PENDING/PREPARED step).
  virtual ElementStatus status(size_t i) const = 0;
  // Interrupted: by an operator, a canary hold or a decision point.
  virtual bool isInterrupted(size_t i) const = 0;
  // Whether the child may be returned as a candidate now.
  virtual bool isEligible(size_t i) const = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;

  // The name shown in the plan JSON and tree: "serial", "parallel", ...
  virtual std::string name() const = 0;

  // Appends the indices of the children that may be worked on now.
  virtual void candidates(const StrategyChildren& children, std::vector<size_t>& out) const = 0;

  // Whether the strategy itself keeps its parent waiting for an operator's
  // continue (a canary with no released step left to run). Default: never.
  virtual bool keepsParentWaiting(const StrategyChildren& children) const;

  // The children to interrupt when the parent is created (a canary's first
  // N). Default: none.
  virtual std::vector<size_t> initiallyInterrupted(size_t childCount) const;

  virtual std::unique_ptr<Strategy> clone() const = 0;
};

// The first child that is not COMPLETE, if it is eligible.
std::unique_ptr<Strategy> serialStrategy();

// Every eligible child.
std::unique_ptr<Strategy> parallelStrategy();

// At most `limit` children at work at once: children already running
// (PREPARED, STARTING, STARTED, IN_PROGRESS) use up slots; the remaining
// slots go to eligible children in order. Named "parallel(<limit>)".
// limit must be >= 1 (KEEL_CHECK).
std::unique_ptr<Strategy> parallelStrategy(size_t limit);

// A DAG: prerequisites[i] lists the children that must be COMPLETE before
// child i may start. A child is released once every child it depends on,
// directly or through others, is COMPLETE (so a restarted prerequisite
// blocks its dependents again). Fails with InvalidArgument on an index out of
// range or a cycle, naming the children involved.
Result<std::unique_ptr<Strategy>> dependencyStrategy(
    std::vector<std::vector<size_t>> prerequisites);

// Canary (dcos-commons' CanaryStrategy): interrupts the first `canaryCount`
// children when the parent is created. While any of them is interrupted and
// not COMPLETE, only the released canary children are candidates, and the
// parent waits when none of them is left to run; each continue on the parent
// releases the next interrupted one. Once every canary child is released (or
// COMPLETE), `inner` decides. Named "<inner>-canary".
std::unique_ptr<Strategy> canaryStrategy(std::unique_ptr<Strategy> inner, size_t canaryCount = 2);

// The strategies a svc.yml may name: for plans "serial" | "parallel"; for
// phases also "serial-canary" (alias "canary"), "parallel-canary" and, beyond
// dcos-commons, "parallel(N)" (at most N steps at once, N >= 1: a rolling
// update N pods at a time). Fails with InvalidArgument naming the accepted
// names.
Result<std::unique_ptr<Strategy>> planStrategyFromName(const std::string& name);
Result<std::unique_ptr<Strategy>> phaseStrategyFromName(const std::string& name);

}  // namespace keel::plan
