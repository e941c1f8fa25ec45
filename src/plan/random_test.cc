// Randomized test: seeded random scheduler events, coordinator rounds,
// operator actions, clock ticks and scheduler restarts over several plans,
// with every invariant checked after every action.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <set>

#include "keel/check.h"
#include "keel/ids.h"
#include "keel/plan_coordinator.h"
#include "keel/plan_generator.h"
#include "keel/plan_operations.h"
#include "keel/plan_override.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using S = ElementStatus;
using Store = std::map<std::string, std::string>;

spec::ServiceSpec randomSpec() {
  spec::ServiceSpec s;
  s.pods.push_back(testing::pod("hello", 3, {"init", "server"}));
  s.pods.push_back(testing::pod("world", 2, {"server"}));
  using P = spec::PhaseSpec;
  s.plans.push_back({"update",
                     "parallel",
                     {P{"h", "parallel-canary", "hello", {{"default", {{"init"}, {"server"}}}}},
                      P{"w", "serial-canary", "world", {}}}});
  s.plans.push_back({"backup",
                     "serial",
                     {P{"h", "parallel", "hello", {{"0", {{"server"}}}, {"default", {}}}},
                      P{"w", "parallel", "world", {}}}});
  return s;
}

// How much each kind of action actually did, so the test cannot pass vacuously.
struct Coverage {
  int completed = 0;
  int refused = 0;
  int changedByOperator = 0;
  int restarts = 0;
  int deadlinesMissed = 0;
};

class Simulation {
 public:
  Simulation(uint64_t seed, Coverage& coverage)
      : rng_(seed), spec_(randomSpec()), coverage_(coverage) {
    plans_ = generate();
  }

  void run(int actions) {
    for (int i = 0; i < actions; ++i) {
      int dice = pick(100);
      if (dice < 40) {
        coordinatorRound();
      } else if (dice < 60) {
        schedulerEvent();
      } else if (dice < 85) {
        operatorAction();
      } else if (dice < 97) {
        tick();
      } else {
        restartScheduler();
      }
      persistAndCheck();
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "after action " << i << " (dice " << dice << ")";
        return;
      }
    }
  }

 private:
  std::vector<Plan> generate() {
    auto plans = generatePlans(spec_, seededIds(rng_()));
    KEEL_CHECK(plans.has_value());
    std::vector<Plan> out = std::move(plans).value();
    std::vector<Phase> phases;
    std::vector<Step> steps;
    for (int i = 0; i < 5; ++i) {
      std::string pod = (i % 2 ? "hello-" : "world-") + std::to_string(i % 2);
      steps.emplace_back(seededUuid(rng_()), "r" + std::to_string(i), pod,
                         std::vector<std::string>{"server"});
    }
    phases.emplace_back(seededUuid(rng_()), "r", std::move(steps), parallelStrategy(2));
    out.emplace_back(seededUuid(rng_()), "recovery", std::move(phases), parallelStrategy());
    return out;
  }

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  Plan& anyPlan() { return plans_[pick(plans_.size())]; }

  Step* anyStep(Plan& plan) {
    Phase& phase = plan.phases()[pick(plan.phases().size())];
    if (phase.steps().empty()) return nullptr;
    return &phase.steps()[pick(phase.steps().size())];
  }

  std::vector<Plan*> pointers() {
    std::vector<Plan*> out;
    for (Plan& p : plans_) out.push_back(&p);
    return out;
  }

  void coordinatorRound() {
    PlanCoordinator coordinator(pointers());
    DirtyAssets before = coordinator.dirtyAssets();
    std::set<std::string> taken;
    auto candidates = coordinator.candidates();
    for (const Candidate& c : candidates) {
      EXPECT_FALSE(c.plan->interrupted());
      EXPECT_TRUE(c.step->eligible(Eligibility::kWork, &before)) << c.step->name();
      EXPECT_TRUE(taken.insert(c.step->podInstance()).second) << c.step->podInstance();
    }
    if (candidates.empty()) return;
    Step& step = *candidates[pick(candidates.size())].step;
    switch (step.status()) {
      case S::kPending:
        EXPECT_TRUE(step.markPrepared().isOk());
        break;
      case S::kPrepared:
        EXPECT_TRUE(step.markStarting().isOk());
        break;
      case S::kStarting:
        EXPECT_TRUE((pick(2) ? step.markStarted() : step.markComplete()).isOk());
        break;
      default:
        EXPECT_TRUE(step.markComplete().isOk());
    }
    coverage_.completed += step.isComplete();
  }

  void schedulerEvent() {
    Plan& plan = anyPlan();
    Step* step = anyStep(plan);
    if (step == nullptr) return;
    const S targets[] = {S::kPending, S::kStarted, S::kComplete, S::kDelayed, S::kError};
    S to = targets[pick(5)];
    S from = step->status();
    Status st;
    switch (to) {
      case S::kPending:
        st = step->markPending("task lost");
        break;
      case S::kStarted:
        st = step->markStarted();
        break;
      case S::kComplete:
        st = step->markComplete();
        break;
      case S::kDelayed:
        st = step->markDelayed(now_ + std::chrono::seconds(pick(120)), "task failed");
        break;
      default:
        st = step->markError("task error");
    }
    EXPECT_EQ(st.isOk(), isAllowedStepTransition(from, to))
        << statusName(from) << " -> " << statusName(to);
    coverage_.refused += !st.isOk();
    if (!st.isOk()) {
      EXPECT_EQ(step->status(), from) << "a refused transition changes nothing";
    }
  }

  ElementPath anyPath(Plan& plan) {
    int level = static_cast<int>(pick(3));
    if (level == 0 || plan.phases().empty()) return {};
    Phase& phase = plan.phases()[pick(plan.phases().size())];
    std::string phaseRef = pick(2) ? phase.name() : phase.id();
    if (level == 1 || phase.steps().empty()) return {phaseRef, ""};
    const Step& step = phase.steps()[pick(phase.steps().size())];
    return {phaseRef, pick(2) ? step.name() : step.id()};
  }

  void operatorAction() {
    Plan& plan = anyPlan();
    ElementPath path = anyPath(plan);
    Result<OperationResult> r = OperationResult{};
    switch (pick(8)) {
      case 0:
        r = interruptElement(plan, path);
        break;
      case 1:
      case 2:
        r = continueElement(plan, path);
        break;
      case 3:
        r = forceCompleteElement(plan, path);
        break;
      case 4:
        r = restartElement(plan, path);
        break;
      case 5:
        if (!path.step.empty()) r = setDecisionPoint(plan, path, pick(2));
        break;
      case 6:
        r = startPlan(plan, {{"RUN", std::to_string(pick(10))}});
        break;
      default:
        r = stopPlan(plan);
    }
    ASSERT_TRUE(r.has_value()) << r.error();
    coverage_.changedByOperator += r->changed;
    persist(plan.name(), r->changes);
  }

  void tick() {
    now_ += std::chrono::seconds(pick(90));
    if (pick(4) == 0) {
      if (Step* s = anyStep(anyPlan()))
        s->setProgressDeadline(now_ + std::chrono::seconds(pick(300)));
    }
    for (Plan& p : plans_) {
      for (const std::string& event : p.tick(now_)) {
        coverage_.deadlinesMissed += event.find("deadline") != std::string::npos;
      }
    }
  }

  // What the scheduler knows after a restart: COMPLETE steps stay COMPLETE,
  // everything else starts over as PENDING; then the overrides are applied.
  void restartScheduler() {
    ++coverage_.restarts;
    std::vector<Plan> fresh = generate();
    for (size_t i = 0; i < fresh.size(); ++i) {
      Plan& before = plans_[i];
      Plan& after = fresh[i];
      if (after.name() == "recovery") {
        after = std::move(before);  // built at run time, not from the spec
        continue;
      }
      reconcile(before, after);
      auto report = applyOverrides(after, stores_[after.name()]);
      ASSERT_TRUE(report.has_value()) << report.error();
      EXPECT_TRUE(report->unmatched.empty());
      expectSameOperatorState(before, after);
    }
    plans_ = std::move(fresh);
  }

  void reconcile(const Plan& before, Plan& after) {
    for (size_t p = 0; p < after.phases().size(); ++p) {
      for (size_t s = 0; s < after.phases()[p].steps().size(); ++s) {
        if (before.phases()[p].steps()[s].isComplete()) {
          EXPECT_TRUE(after.phases()[p].steps()[s].markComplete().isOk());
        }
      }
    }
  }

  void expectSameOperatorState(const Plan& before, const Plan& after) {
    EXPECT_EQ(after.interrupted(), before.interrupted()) << after.name();
    EXPECT_EQ(after.parameters(), before.parameters()) << after.name();
    for (size_t p = 0; p < after.phases().size(); ++p) {
      const Phase& a = after.phases()[p];
      const Phase& b = before.phases()[p];
      EXPECT_EQ(a.interrupted(), b.interrupted()) << after.name() << "/" << a.name();
      for (size_t s = 0; s < a.steps().size(); ++s) {
        const Step& x = a.steps()[s];
        const Step& y = b.steps()[s];
        EXPECT_EQ(x.interrupted(), y.interrupted()) << x.name();
        EXPECT_EQ(x.decisionPoint(), y.decisionPoint()) << x.name();
        EXPECT_EQ(x.isComplete(), y.isComplete()) << x.name();
      }
    }
  }

  void persist(const std::string& plan, const std::vector<OverrideChange>& changes) {
    Store& store = stores_[plan];
    for (const OverrideChange& c : changes) {
      if (c.value) {
        store[c.key] = *c.value;
      } else {
        store.erase(c.key);
      }
    }
  }

  void persistAndCheck() {
    std::vector<const Plan*> all;
    for (Plan& p : plans_) {
      persist(p.name(), takeOverrideChanges(p));
      EXPECT_EQ(stores_[p.name()], overrideRecords(p)) << "the store follows " << p.name();
      EXPECT_PLAN_INVARIANTS(p);
      all.push_back(&p);
    }
    EXPECT_THAT(checkAssetInvariants(all), ::testing::IsEmpty());
  }

  std::mt19937_64 rng_;
  spec::ServiceSpec spec_;
  std::vector<Plan> plans_;
  std::map<std::string, Store> stores_;
  Coverage& coverage_;
  TimePoint now_ = fromEpochMillis(1'767'225'600'000);
};

TEST(RandomizedPlans, KeepEveryInvariantUnderRandomEventsOperationsAndRestarts) {
  Coverage coverage;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Simulation(seed, coverage).run(400);
    if (HasFailure()) return;
  }
  EXPECT_GT(coverage.completed, 500);
  EXPECT_GT(coverage.refused, 100);
  EXPECT_GT(coverage.changedByOperator, 1000);
  EXPECT_GT(coverage.restarts, 200);
  EXPECT_GT(coverage.deadlinesMissed, 10);
  std::printf("completed %d, refused %d, operator changes %d, restarts %d, deadlines %d\n",
              coverage.completed, coverage.refused, coverage.changedByOperator, coverage.restarts,
              coverage.deadlinesMissed);
}

}  // namespace
}  // namespace keel::plan
