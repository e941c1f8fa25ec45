#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "keel/check.h"
#include "keel/plan_strategy.h"

namespace keel::plan {

bool Strategy::keepsParentWaiting(const StrategyChildren&) const { return false; }

std::vector<size_t> Strategy::initiallyInterrupted(size_t) const { return {}; }

namespace {

bool isDone(const StrategyChildren& c, size_t i) { return c.status(i) == ElementStatus::kComplete; }

class SerialStrategy final : public Strategy {
 public:
  std::string name() const override { return "serial"; }
  void candidates(const StrategyChildren& c, std::vector<size_t>& out) const override {
    for (size_t i = 0; i < c.size(); ++i) {
      if (isDone(c, i)) continue;
      if (c.isEligible(i)) out.push_back(i);
      return;
    }
  }
  std::unique_ptr<Strategy> clone() const override { return std::make_unique<SerialStrategy>(); }
};

class ParallelStrategy final : public Strategy {
 public:
  std::string name() const override { return "parallel"; }
  void candidates(const StrategyChildren& c, std::vector<size_t>& out) const override {
    for (size_t i = 0; i < c.size(); ++i) {
      if (c.isEligible(i)) out.push_back(i);
    }
  }
  std::unique_ptr<Strategy> clone() const override { return std::make_unique<ParallelStrategy>(); }
};

class BoundedParallelStrategy final : public Strategy {
 public:
  explicit BoundedParallelStrategy(size_t limit) : limit_(limit) { KEEL_CHECK(limit >= 1); }
  std::string name() const override { return "parallel(" + std::to_string(limit_) + ")"; }
  void candidates(const StrategyChildren& c, std::vector<size_t>& out) const override {
    size_t running = 0;
    for (size_t i = 0; i < c.size(); ++i) {
      if (isRunning(c.status(i))) ++running;
    }
    size_t fresh = running >= limit_ ? 0 : limit_ - running;
    for (size_t i = 0; i < c.size(); ++i) {
      if (!c.isEligible(i)) continue;
      if (isRunning(c.status(i))) {
        out.push_back(i);
      } else if (fresh > 0) {
        out.push_back(i);
        --fresh;
      }
    }
  }
  std::unique_ptr<Strategy> clone() const override {
    return std::make_unique<BoundedParallelStrategy>(limit_);
  }

 private:
  size_t limit_;
};

// prerequisites_ in a topological order (order_), so one pass computes, for
// each child, whether everything it depends on (transitively) is COMPLETE.
class DependencyStrategy final : public Strategy {
 public:
  DependencyStrategy(std::vector<std::vector<size_t>> prerequisites, std::vector<size_t> order)
      : prerequisites_(std::move(prerequisites)), order_(std::move(order)) {}
  std::string name() const override { return "dependency"; }
  void candidates(const StrategyChildren& c, std::vector<size_t>& out) const override {
    KEEL_CHECK_MSG(c.size() == prerequisites_.size(),
                   "dependency strategy used with a different number of children");
    std::vector<char> released(c.size(), 0);
    for (size_t i : order_) {
      bool ok = true;
      for (size_t p : prerequisites_[i]) {
        if (!released[p] || !isDone(c, p)) {
          ok = false;
          break;
        }
      }
      released[i] = ok;
    }
    for (size_t i = 0; i < c.size(); ++i) {
      if (released[i] && c.isEligible(i)) out.push_back(i);
    }
  }
  std::unique_ptr<Strategy> clone() const override {
    return std::make_unique<DependencyStrategy>(prerequisites_, order_);
  }

 private:
  std::vector<std::vector<size_t>> prerequisites_;
  std::vector<size_t> order_;
};

class CanaryStrategy final : public Strategy {
 public:
  CanaryStrategy(std::unique_ptr<Strategy> inner, size_t count)
      : inner_(std::move(inner)), count_(count) {}
  std::string name() const override { return inner_->name() + "-canary"; }
  void candidates(const StrategyChildren& c, std::vector<size_t>& out) const override {
    if (!inCanary(c)) {
      inner_->candidates(c, out);
      return;
    }
    for (size_t i = 0; i < canaries(c); ++i) {
      if (c.isEligible(i)) out.push_back(i);
    }
  }
  bool keepsParentWaiting(const StrategyChildren& c) const override {
    if (!inCanary(c)) return false;
    for (size_t i = 0; i < canaries(c); ++i) {
      if (!c.isInterrupted(i) && !isDone(c, i)) return false;
    }
    return true;
  }
  std::vector<size_t> initiallyInterrupted(size_t childCount) const override {
    std::vector<size_t> held;
    for (size_t i = 0; i < std::min(count_, childCount); ++i) held.push_back(i);
    return held;
  }
  std::unique_ptr<Strategy> clone() const override {
    return std::make_unique<CanaryStrategy>(inner_->clone(), count_);
  }

 private:
  size_t canaries(const StrategyChildren& c) const { return std::min(count_, c.size()); }
  bool inCanary(const StrategyChildren& c) const {
    for (size_t i = 0; i < canaries(c); ++i) {
      if (c.isInterrupted(i) && !isDone(c, i)) return true;
    }
    return false;
  }

  std::unique_ptr<Strategy> inner_;
  size_t count_;
};

// Kahn's algorithm; on a cycle, names the children left over.
Result<std::vector<size_t>> topologicalOrder(const std::vector<std::vector<size_t>>& prereqs) {
  size_t n = prereqs.size();
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> dependents(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t p : prereqs[i]) {
      if (p >= n) {
        return Status::invalidArgument("dependency strategy: child " + std::to_string(i) +
                                       " depends on child " + std::to_string(p) +
                                       ", but there are " + std::to_string(n) + " children");
      }
      dependents[p].push_back(i);
      ++pending[i];
    }
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) order.push_back(i);
  }
  for (size_t k = 0; k < order.size(); ++k) {
    for (size_t d : dependents[order[k]]) {
      if (--pending[d] == 0) order.push_back(d);
    }
  }
  if (order.size() == n) return order;
  std::string cyclic;
  for (size_t i = 0; i < n; ++i) {
    if (pending[i] > 0) cyclic += (cyclic.empty() ? "" : ", ") + std::to_string(i);
  }
  return Status::invalidArgument("dependency strategy: a cycle among children " + cyclic);
}

}  // namespace

std::unique_ptr<Strategy> serialStrategy() { return std::make_unique<SerialStrategy>(); }

std::unique_ptr<Strategy> parallelStrategy() { return std::make_unique<ParallelStrategy>(); }

std::unique_ptr<Strategy> parallelStrategy(size_t limit) {
  return std::make_unique<BoundedParallelStrategy>(limit);
}

Result<std::unique_ptr<Strategy>> dependencyStrategy(
    std::vector<std::vector<size_t>> prerequisites) {
  KEEL_ASSIGN_OR_RETURN(auto order, topologicalOrder(prerequisites));
  return std::unique_ptr<Strategy>(
      std::make_unique<DependencyStrategy>(std::move(prerequisites), std::move(order)));
}

std::unique_ptr<Strategy> canaryStrategy(std::unique_ptr<Strategy> inner, size_t canaryCount) {
  KEEL_CHECK(inner != nullptr);
  return std::make_unique<CanaryStrategy>(std::move(inner), canaryCount);
}

namespace {

// "parallel(3)" -> 3; nullopt for anything else (including N = 0).
std::optional<size_t> parallelLimit(const std::string& name) {
  constexpr std::string_view kPrefix = "parallel(";
  if (name.size() <= kPrefix.size() + 1 || name.rfind(kPrefix, 0) != 0 || name.back() != ')') {
    return std::nullopt;
  }
  std::string_view digits(name.data() + kPrefix.size(), name.size() - kPrefix.size() - 1);
  size_t limit = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), limit);
  if (ec != std::errc() || end != digits.data() + digits.size() || limit == 0) return std::nullopt;
  return limit;
}

}  // namespace

Result<std::unique_ptr<Strategy>> planStrategyFromName(const std::string& name) {
  if (name == "serial") return serialStrategy();
  if (name == "parallel") return parallelStrategy();
  return Status::invalidArgument("unsupported plan strategy '" + name +
                                 "', expected one of: serial, parallel");
}

Result<std::unique_ptr<Strategy>> phaseStrategyFromName(const std::string& name) {
  if (name == "serial") return serialStrategy();
  if (name == "parallel") return parallelStrategy();
  if (name == "serial-canary" || name == "canary") return canaryStrategy(serialStrategy());
  if (name == "parallel-canary") return canaryStrategy(parallelStrategy());
  if (std::optional<size_t> limit = parallelLimit(name)) return parallelStrategy(*limit);
  return Status::invalidArgument("unsupported phase strategy '" + name +
                                 "', expected one of: serial, parallel, serial-canary, canary, "
                                 "parallel-canary, parallel(N) with N >= 1");
}

}  // namespace keel::plan
