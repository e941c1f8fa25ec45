// The automatic recovery decision: timeout, throttle, circuit breaker,
// switch, as a pure function of the state and `now`.
#include "scheduler/replacement_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace keel::scheduler {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

const TimePoint kT0 = fromEpochMillis(1767225600000);  // 2026-01-01T00:00:00Z

AutomaticRecoveryOptions enabled() {
  AutomaticRecoveryOptions o;
  o.enabled = true;
  return o;
}

FailingInstance failing(const std::string& instance, TimePoint since) {
  return {instance, since, instance + "-node TASK_LOST on agent a1"};
}

TEST(ReplacementPolicy, DisabledDecidesNothing) {
  PolicyDecisions d = decideReplacements({}, {}, {failing("data-0", kT0)}, kT0 + 5h);
  EXPECT_TRUE(d.decisions.empty());
  EXPECT_FALSE(d.trip);
}

TEST(ReplacementPolicy, WaitsForTheTimeoutThenReplaces) {
  PolicyDecisions before = decideReplacements(enabled(), {}, {failing("data-0", kT0)}, kT0 + 19min);
  ASSERT_EQ(before.decisions.size(), 1u);
  EXPECT_EQ(before.decisions[0].verdict, ReplacementVerdict::kWait);
  EXPECT_EQ(before.decisions[0].until, kT0 + 20min);
  EXPECT_THAT(before.decisions[0].message,
              HasSubstr("data-0: failed since 2026-01-01T00:00:00.000Z (data-0-node TASK_LOST on "
                        "agent a1); replaced automatically (new footprint, volumes not kept) at "
                        "2026-01-01T00:20:00.000Z (permanent-failure timeout 20m)"));

  PolicyDecisions after = decideReplacements(enabled(), {}, {failing("data-0", kT0)}, kT0 + 20min);
  EXPECT_EQ(after.decisions[0].verdict, ReplacementVerdict::kReplace);
  EXPECT_EQ(after.decisions[0].message,
            "data-0: failed since 2026-01-01T00:00:00.000Z (data-0-node TASK_LOST on agent a1), "
            "longer than the permanent-failure timeout 20m");
  EXPECT_FALSE(after.trip);
}

TEST(ReplacementPolicy, ThrottlesToOnePerPeriodOldestFirst) {
  AutomaticRecoveryOptions o = enabled();
  o.circuitBreakerPods = 5;
  std::vector<FailingInstance> two = {failing("data-1", kT0 + 1min), failing("data-0", kT0)};
  PolicyDecisions d = decideReplacements(o, {}, two, kT0 + 30min);
  ASSERT_EQ(d.decisions.size(), 2u);
  EXPECT_EQ(d.decisions[0].instance, "data-0");
  EXPECT_EQ(d.decisions[0].verdict, ReplacementVerdict::kReplace);
  EXPECT_EQ(d.decisions[1].verdict, ReplacementVerdict::kThrottled);
  EXPECT_EQ(d.decisions[1].until, kT0 + 40min);
  EXPECT_THAT(d.decisions[1].message,
              HasSubstr("replacement throttled: the next automatic replacement is allowed at "
                        "2026-01-01T00:40:00.000Z (at most one per 10m, MIN_REPLACE_DELAY_SECS)"));

  AutomaticRecoveryState s;
  s.lastReplacement = kT0 + 30min;
  EXPECT_EQ(decideReplacements(o, s, {two[0]}, kT0 + 39min).decisions[0].verdict,
            ReplacementVerdict::kThrottled);
  EXPECT_EQ(decideReplacements(o, s, {two[0]}, kT0 + 40min).decisions[0].verdict,
            ReplacementVerdict::kReplace);
}

TEST(ReplacementPolicy, ZeroDelayReplacesEveryDueInstance) {
  AutomaticRecoveryOptions o = enabled();
  o.minReplaceDelay = 0s;
  o.circuitBreakerPods = 5;
  PolicyDecisions d =
      decideReplacements(o, {}, {failing("data-0", kT0), failing("data-1", kT0)}, kT0 + 21min);
  EXPECT_EQ(d.decisions[0].verdict, ReplacementVerdict::kReplace);
  EXPECT_EQ(d.decisions[1].verdict, ReplacementVerdict::kReplace);
}

TEST(ReplacementPolicy, BreakerTripsWhenMoreThanTheLimitFailTogetherAndOneIsDue) {
  std::vector<FailingInstance> two = {failing("data-0", kT0), failing("data-1", kT0 + 2min)};
  PolicyDecisions early = decideReplacements(enabled(), {}, two, kT0 + 10min);
  EXPECT_FALSE(early.trip) << "nothing due yet: a short blip of two pods trips nothing";
  EXPECT_EQ(early.decisions[0].verdict, ReplacementVerdict::kWait);

  PolicyDecisions due = decideReplacements(enabled(), {}, two, kT0 + 20min);
  ASSERT_TRUE(due.trip);
  EXPECT_EQ(due.trip->at, kT0 + 20min);
  EXPECT_EQ(due.trip->reason,
            "2 pod instances failed at the same time (data-0, data-1), more than the circuit "
            "breaker's 1 (KEEL_REPLACE_CIRCUIT_BREAKER_PODS)");
  for (const ReplacementDecision& d : due.decisions) {
    EXPECT_EQ(d.verdict, ReplacementVerdict::kStopped);
    EXPECT_THAT(d.message, HasSubstr("automatic replacement stopped: circuit breaker tripped at "
                                     "2026-01-01T00:20:00.000Z"));
    EXPECT_THAT(d.message, HasSubstr("keel recovery reset (POST /v1/recovery/reset)"));
  }
}

TEST(ReplacementPolicy, ATrippedBreakerStaysOpenEvenForOnePod) {
  AutomaticRecoveryState s;
  s.breaker = BreakerTrip{kT0, "3 pod instances failed at the same time"};
  PolicyDecisions d = decideReplacements(enabled(), s, {failing("data-0", kT0)}, kT0 + 2h);
  EXPECT_FALSE(d.trip) << "already tripped";
  EXPECT_EQ(d.decisions[0].verdict, ReplacementVerdict::kStopped);
}

TEST(ReplacementPolicy, AfterAResetTheFailuresItSawAreReplacedThrottledUntilANewOne) {
  AutomaticRecoveryOptions o = enabled();
  AutomaticRecoveryState s;
  s.resetAt = kT0 + 30min;
  std::vector<FailingInstance> two = {failing("data-0", kT0), failing("data-1", kT0)};
  PolicyDecisions d = decideReplacements(o, s, two, kT0 + 31min);
  EXPECT_FALSE(d.trip);
  EXPECT_EQ(d.decisions[0].verdict, ReplacementVerdict::kReplace);
  EXPECT_EQ(d.decisions[1].verdict, ReplacementVerdict::kThrottled);

  two.push_back(failing("data-2", kT0 + 35min));
  EXPECT_TRUE(decideReplacements(o, s, two, kT0 + 36min).trip) << "a new failure: tripped again";
}

TEST(ReplacementPolicy, FormatsDurations) {
  EXPECT_EQ(formatDuration(20min), "20m");
  EXPECT_EQ(formatDuration(90s), "1m30s");
  EXPECT_EQ(formatDuration(90min), "1h30m");
  EXPECT_EQ(formatDuration(0s), "0s");
  EXPECT_EQ(formatDuration(5s), "5s");
}

}  // namespace
}  // namespace keel::scheduler
