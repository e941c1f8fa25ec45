#include "keel/spec.h"

#include <gtest/gtest.h>

namespace keel::spec {
namespace {

TEST(SpecModel, NamesGoalStatesAndVolumeTypesAsSvcYmlWritesThem) {
  EXPECT_STREQ(goalStateName(GoalState::kRunning), "RUNNING");
  EXPECT_STREQ(goalStateName(GoalState::kFinish), "FINISH");
  EXPECT_STREQ(goalStateName(GoalState::kOnce), "ONCE");
  EXPECT_STREQ(volumeTypeName(VolumeType::kRoot), "ROOT");
  EXPECT_STREQ(volumeTypeName(VolumeType::kMount), "MOUNT");
}

TEST(SpecModel, LooksUpPodsTasksResourceSetsAndPlansByName) {
  ServiceSpec s;
  PodSpec pod;
  pod.type = "data";
  pod.tasks.emplace_back().name = "node";
  pod.resourceSets.emplace_back().id = "node-resource-set";
  s.pods.push_back(pod);
  s.plans.emplace_back().name = "deploy";
  ASSERT_NE(s.pod("data"), nullptr);
  EXPECT_EQ(s.pod("data")->task("node")->name, "node");
  EXPECT_EQ(s.pod("data")->resourceSet("node-resource-set")->id, "node-resource-set");
  EXPECT_EQ(s.pod("data")->task("other"), nullptr);
  EXPECT_EQ(s.pod("data")->resourceSet("other"), nullptr);
  EXPECT_EQ(s.pod("index"), nullptr);
  EXPECT_EQ(s.plan("deploy")->name, "deploy");
  EXPECT_EQ(s.plan("update"), nullptr);
}

TEST(SpecModel, ServiceRoleEscapesFolderSlashesAsDcosCommons) {
  ServiceSpec s;
  s.name = "hello-world";
  EXPECT_EQ(serviceRole(s), "hello-world-role");
  s.name = "/team/hello";
  EXPECT_EQ(serviceRole(s), "team__hello-role");
}

}  // namespace
}  // namespace keel::spec
