#include "keel/config/config_update.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_util.h"
#include "keel/spec_json.h"

namespace keel::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::dataStore;
using testutil::podOf;
using Kind = TargetDecision::Kind;

TEST(DecideTarget, TheFirstConfigurationIsStoredWhenTheStaticRulesPass) {
  auto d = decideTarget(std::nullopt, dataStore());
  ASSERT_TRUE(d.isOk()) << d.status();
  EXPECT_EQ(d->kind, Kind::kFirst);
  EXPECT_TRUE(d->storeCandidate);
  EXPECT_EQ(d->target, dataStore());
  EXPECT_TRUE(d->diff.pods.empty());
}

TEST(DecideTarget, ARefusedFirstConfigurationLeavesNothingToRun) {
  spec::ServiceSpec bad = dataStore();
  podOf(bad, "data").placement = "[[";
  auto d = decideTarget(std::nullopt, bad);
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->kind, Kind::kFirst);
  EXPECT_FALSE(d->storeCandidate);
  EXPECT_FALSE(d->target.has_value());
  ASSERT_EQ(d->errors.size(), 1u);
  EXPECT_EQ(d->errors[0].validator, "placement");
}

TEST(DecideTarget, AnEqualCandidateIsUnchanged) {
  auto d = decideTarget(spec::toJson(dataStore()), dataStore());
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->kind, Kind::kUnchanged);
  EXPECT_FALSE(d->storeCandidate);
  EXPECT_TRUE(d->diff.empty());
}

TEST(DecideTarget, AValidChangeIsAnUpdateWithItsDiff) {
  auto d = decideTarget(spec::toJson(dataStore(3)), dataStore(5));
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->kind, Kind::kUpdate);
  EXPECT_TRUE(d->storeCandidate);
  EXPECT_EQ(d->target, dataStore(5));
  EXPECT_THAT(d->diff.addedInstances(), ElementsAre("data-3", "data-4"));
}

TEST(DecideTarget, AnInvalidChangeKeepsTheStoredTarget) {
  spec::ServiceSpec candidate = dataStore(5);
  podOf(candidate, "data").resourceSets[0].volumes[0].sizeMb = 1;
  auto d = decideTarget(spec::toJson(dataStore(3)), candidate);
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(d->kind, Kind::kRefused);
  EXPECT_FALSE(d->storeCandidate);
  EXPECT_EQ(d->target, dataStore(3));
  ASSERT_EQ(d->errors.size(), 1u);
  EXPECT_EQ(d->errors[0].validator, "volumes");
  EXPECT_FALSE(d->diff.empty());
  EXPECT_STREQ(targetDecisionName(d->kind), "refused");
}

TEST(DecideTarget, AnUnreadableStoredTargetIsCorruption) {
  auto d = decideTarget(std::string("not json"), dataStore());
  ASSERT_FALSE(d.isOk());
  EXPECT_EQ(d.error().code(), StatusCode::kCorruption);
  EXPECT_THAT(d.error().message(), HasSubstr("stored target configuration"));
}

}  // namespace
}  // namespace keel::config
