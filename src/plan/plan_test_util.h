// Helpers shared by keel_plan's tests: small plans with deterministic ids,
// the data-store spec, and transitions that check invariants every time.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keel/plan.h"
#include "keel/plan_invariants.h"
#include "keel/spec.h"

namespace keel::plan::testing {

#define EXPECT_PLAN_INVARIANTS(plan_value) \
  EXPECT_THAT(::keel::plan::checkPlanInvariants(plan_value), ::testing::IsEmpty())

// Steps "<prefix>-<i>" on pod instances "<prefix>-<i>" (or all on `pod`).
inline std::vector<Step> makeSteps(const std::string& prefix, size_t n, const IdGenerator& ids,
                                   const std::string& pod = "") {
  std::vector<Step> steps;
  for (size_t i = 0; i < n; ++i) {
    std::string name = prefix + "-" + std::to_string(i);
    steps.emplace_back(ids(), name, pod.empty() ? name : pod, std::vector<std::string>{"task"});
  }
  return steps;
}

inline Phase makePhase(const std::string& name, size_t n, std::unique_ptr<Strategy> strategy,
                       const IdGenerator& ids) {
  std::string id = ids();
  return Phase(id, name, makeSteps(name, n, ids), std::move(strategy));
}

inline Plan makePlan(const std::string& name, std::vector<Phase> phases,
                     std::unique_ptr<Strategy> strategy, const IdGenerator& ids) {
  return Plan(ids(), name, std::move(phases), std::move(strategy));
}

// One phase "p" of n serial-or-other steps p-0..p-(n-1).
inline Plan onePhasePlan(size_t n, std::unique_ptr<Strategy> strategy, uint64_t seed = 1) {
  IdGenerator ids = seededIds(seed);
  std::vector<Phase> phases;
  phases.push_back(makePhase("p", n, std::move(strategy), ids));
  return makePlan("deploy", std::move(phases), serialStrategy(), ids);
}

inline std::vector<std::string> names(const std::vector<Candidate>& cs) {
  std::vector<std::string> out;
  for (const Candidate& c : cs) out.push_back(c.step->name());
  return out;
}

inline std::vector<std::string> candidateNames(Plan& plan) {
  DirtyAssets dirty;
  return names(plan.candidates(dirty));
}

// Drives a step to `to` through the scheduler transitions, checking the
// plan's invariants after each one.
inline void drive(Plan& plan, Step& step, ElementStatus to) {
  using S = ElementStatus;
  Status st;
  switch (to) {
    case S::kPrepared:
      st = step.markPrepared();
      break;
    case S::kStarting:
      st = step.markStarting();
      break;
    case S::kStarted:
      st = step.markStarted();
      break;
    case S::kComplete:
      st = step.markComplete();
      break;
    case S::kPending:
      st = step.markPending();
      break;
    case S::kError:
      st = step.markError("failed");
      break;
    default:
      FAIL() << "drive() cannot reach " << statusName(to);
  }
  EXPECT_TRUE(st.isOk()) << st;
  EXPECT_PLAN_INVARIANTS(plan);
}

// PENDING -> PREPARED -> STARTING -> COMPLETE, invariants after each.
inline void complete(Plan& plan, Step& step) {
  drive(plan, step, ElementStatus::kPrepared);
  drive(plan, step, ElementStatus::kStarting);
  drive(plan, step, ElementStatus::kComplete);
}

inline spec::PodSpec pod(const std::string& type, int64_t count,
                         const std::vector<std::string>& tasks) {
  spec::PodSpec p;
  p.type = type;
  p.count = count;
  for (const std::string& t : tasks) {
    spec::TaskSpec task;
    task.name = t;
    p.tasks.push_back(task);
  }
  return p;
}

// The tutorial's data-store: two meta-data instances, then three data ones.
inline spec::ServiceSpec dataStoreSpec() {
  spec::ServiceSpec s;
  s.name = "data-store";
  s.pods.push_back(pod("meta-data", 2, {"node"}));
  s.pods.push_back(pod("data", 3, {"node"}));
  return s;
}

}  // namespace keel::plan::testing
