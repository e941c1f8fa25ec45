#include "cluster/local/health_check.h"

#include <gtest/gtest.h>

namespace keel::local {
namespace {

using std::chrono::seconds;
using Outcome = HealthTracker::Outcome;

TimePoint at(int s) { return TimePoint(seconds(1000 + s)); }

HealthCheckSpec spec(double grace, uint32_t failures) {
  HealthCheckSpec h;
  h.gracePeriod = Seconds(grace);
  h.consecutiveFailures = failures;
  return h;
}

struct Step {
  int second;
  bool healthy;
  Outcome expected;
};

struct Case {
  const char* name;
  HealthCheckSpec spec;
  std::vector<Step> steps;
};

TEST(HealthTracker, FollowsTheMesosHealthCheckerRules) {
  const Outcome none{};
  const Outcome healthy{true, false};
  const Outcome unhealthy{false, false};
  const Outcome kill{false, true};
  const std::vector<Case> cases = {
      {"first success reports healthy, later successes are quiet",
       spec(10, 3),
       {{1, true, healthy}, {2, true, none}, {3, true, none}}},
      {"failures within the grace period are ignored",
       spec(10, 1),
       {{1, false, none}, {5, false, none}, {10, false, none}}},
      {"failures after the grace period count",
       spec(10, 2),
       {{1, false, none}, {11, false, unhealthy}, {12, false, kill}}},
      {"after a success the grace period no longer shields failures",
       spec(10, 2),
       {{1, true, healthy}, {2, false, unhealthy}, {3, false, kill}}},
      {"only the first failure and the killing one are reported",
       spec(0, 4),
       {{1, false, unhealthy}, {2, false, none}, {3, false, none}, {4, false, kill}}},
      {"a success after failures reports healthy and resets the count",
       spec(0, 2),
       {{1, false, unhealthy}, {2, true, healthy}, {3, false, unhealthy}, {4, false, kill}}},
  };
  for (const auto& c : cases) {
    HealthTracker tracker(c.spec, at(0));
    for (const auto& step : c.steps) {
      EXPECT_EQ(tracker.onResult(step.healthy, at(step.second)), step.expected)
          << c.name << " at second " << step.second;
    }
  }
}

TEST(CheckTracker, ReportsTheFirstResultAndEveryChange) {
  CheckTracker tracker;
  CheckResult zero{0, std::nullopt, std::nullopt};
  CheckResult one{1, std::nullopt, std::nullopt};
  CheckResult timedOut{};
  EXPECT_EQ(tracker.onResult(one), one);
  EXPECT_EQ(tracker.onResult(one), std::nullopt);
  EXPECT_EQ(tracker.onResult(zero), zero);
  EXPECT_EQ(tracker.onResult(timedOut), timedOut);
  EXPECT_EQ(tracker.onResult(timedOut), std::nullopt);
}

}  // namespace
}  // namespace keel::local
