#include "keel/scheduler/recovery_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace keel::scheduler {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(RecoveryEnv, DefaultsWhenUnsetOrEmpty) {
  SchedulerOptions o;
  ASSERT_TRUE(applyRecoveryEnv({{"PERMANENT_FAILURE_TIMEOUT_SECS", ""}}, o).isOk());
  EXPECT_FALSE(o.automaticRecovery.enabled) << "off by default, as dcos-commons";
  EXPECT_EQ(o.automaticRecovery.permanentFailureTimeout, 20min);
  EXPECT_EQ(o.automaticRecovery.minReplaceDelay, 10min);
  EXPECT_EQ(o.automaticRecovery.circuitBreakerPods, 1);
  EXPECT_EQ(o.recoveryBackoffInitial, 10s);
  EXPECT_EQ(o.recoveryBackoffFactor, 2);
  EXPECT_EQ(o.recoveryBackoffMax, 5min);
}

TEST(RecoveryEnv, ReadsEverySetting) {
  SchedulerOptions o;
  ASSERT_TRUE(applyRecoveryEnv({{"ENABLE_AUTOMATIC_POD_REPLACEMENT", "true"},
                                {"PERMANENT_FAILURE_TIMEOUT_SECS", "2.5"},
                                {"MIN_REPLACE_DELAY_SECS", "0"},
                                {"KEEL_REPLACE_CIRCUIT_BREAKER_PODS", "3"},
                                {"KEEL_RECOVERY_BACKOFF_INITIAL_SECS", "1"},
                                {"KEEL_RECOVERY_BACKOFF_FACTOR", "1.5"},
                                {"KEEL_RECOVERY_BACKOFF_MAX_SECS", "60"},
                                {"KEEL_RECOVERY_BACKOFF_RESET_SECS", "120"},
                                {"DATA_COUNT", "3"}},
                               o)
                  .isOk());
  EXPECT_TRUE(o.automaticRecovery.enabled);
  EXPECT_EQ(o.automaticRecovery.permanentFailureTimeout, 2500ms);
  EXPECT_EQ(o.automaticRecovery.minReplaceDelay, 0s);
  EXPECT_EQ(o.automaticRecovery.circuitBreakerPods, 3);
  EXPECT_EQ(o.recoveryBackoffInitial, 1s);
  EXPECT_EQ(o.recoveryBackoffFactor, 1.5);
  EXPECT_EQ(o.recoveryBackoffMax, 60s);
  EXPECT_EQ(o.recoveryBackoffReset, 120s);
}

TEST(RecoveryEnv, RejectsBadValuesNamingTheVariableAndChangesNothing) {
  struct Case {
    std::string name, value, says;
  };
  std::vector<Case> cases = {
      {"ENABLE_AUTOMATIC_POD_REPLACEMENT", "yes", "must be true or false"},
      {"PERMANENT_FAILURE_TIMEOUT_SECS", "20m", "must be a number > 0"},
      {"PERMANENT_FAILURE_TIMEOUT_SECS", "0", "must be a number > 0"},
      {"MIN_REPLACE_DELAY_SECS", "-1", "must be a number >= 0"},
      {"MIN_REPLACE_DELAY_SECS", "nan", "must be a number >= 0"},
      {"KEEL_REPLACE_CIRCUIT_BREAKER_PODS", "0", "must be a number >= 1"},
      {"KEEL_REPLACE_CIRCUIT_BREAKER_PODS", "1.5", "must be a whole number of pods >= 1"},
      {"KEEL_RECOVERY_BACKOFF_INITIAL_SECS", "ten", "must be a number >= 0"},
      {"KEEL_RECOVERY_BACKOFF_FACTOR", "0.5", "must be a number >= 1"},
      {"KEEL_RECOVERY_BACKOFF_MAX_SECS", "-5", "must be a number >= 0"},
  };
  for (const Case& c : cases) {
    SchedulerOptions o;
    std::map<std::string, std::string> env = {{"ENABLE_AUTOMATIC_POD_REPLACEMENT", "true"}};
    env[c.name] = c.value;
    Status s = applyRecoveryEnv(env, o);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name << "=" << c.value;
    EXPECT_THAT(s.message(), HasSubstr(c.name + "=\"" + c.value + "\": " + c.says));
    if (c.name != "ENABLE_AUTOMATIC_POD_REPLACEMENT") {
      EXPECT_FALSE(o.automaticRecovery.enabled) << "options unchanged on error";
    }
  }
}

}  // namespace
}  // namespace keel::scheduler
