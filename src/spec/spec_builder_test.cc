#include "keel/spec_builder.h"

#include <gtest/gtest.h>

#include "keel/spec_loader.h"

namespace keel {
namespace {

TaskSet nodes(const std::string& name, int64_t count) {
  TaskSet set(name, count);
  set.command(Command("bash " + name).uri("file:///opt/" + name))
      .resources(0.5, 256)
      .volume(Volume::root(1024, name + "-container-path"))
      .placement(Placement::avoidTaskType(name))
      .healthCheck(HealthCheck::command("stat " + name + "-container-path/output"));
  return set;
}

TEST(ServiceBuilder, ATaskSetBecomesAPodWithOneTaskNamedNode) {
  auto spec = ServiceBuilder("store").add(nodes("data", 3)).build();
  ASSERT_TRUE(spec.has_value()) << spec.status();
  ASSERT_EQ(spec->pods.size(), 1u);
  const spec::PodSpec& pod = spec->pods[0];
  EXPECT_EQ(pod.type, "data");
  EXPECT_EQ(pod.count, 3);
  EXPECT_EQ(pod.uris, std::vector<std::string>{"file:///opt/data"});
  EXPECT_EQ(pod.placement, R"([["@type", "AVOID", "data"]])");
  ASSERT_EQ(pod.tasks.size(), 1u);
  EXPECT_EQ(pod.tasks[0].name, "node");
  EXPECT_EQ(pod.tasks[0].cmd, "bash data");
  ASSERT_TRUE(pod.tasks[0].healthCheck.has_value());
  const spec::ResourceSetSpec* rs = pod.resourceSet(pod.tasks[0].resourceSet);
  ASSERT_NE(rs, nullptr);
  EXPECT_EQ(rs->cpus, 0.5);
  ASSERT_EQ(rs->volumes.size(), 1u);
  EXPECT_EQ(rs->volumes[0].sizeMb, 1024);
  EXPECT_EQ(spec->scheduler.principal, "store-principal");
}

TEST(ServiceBuilder, TaskSetsKeepTheirOrder) {
  auto spec = ServiceBuilder("store").add(nodes("meta-data", 2)).add(nodes("data", 3)).build();
  ASSERT_TRUE(spec.has_value()) << spec.status();
  EXPECT_EQ(spec->pods[0].type, "meta-data");
  EXPECT_EQ(spec->pods[1].type, "data");
}

TEST(ServiceBuilder, BuildReportsEveryValidationErrorByKeyPath) {
  TaskSet bad("data", 1);
  bad.command(Command("run")).resources(0, 64).volume(Volume::root(0, "v"));
  auto spec = ServiceBuilder("store").add(bad).build();
  ASSERT_FALSE(spec.has_value());
  const std::string& message = spec.error().message();
  EXPECT_NE(message.find("pods.data"), std::string::npos) << message;
  EXPECT_NE(message.find("cpus"), std::string::npos) << message;
  EXPECT_NE(message.find("size"), std::string::npos) << message;
}

TEST(Placement, RulesCombineIntoOneConstraintList) {
  Placement p = Placement::marathon("hostname", "UNIQUE") && Placement::avoidTaskType("index") &&
                Placement::marathon("@zone", "GROUP_BY", "3");
  EXPECT_EQ(p.text(),
            R"([["hostname", "UNIQUE"], ["@type", "AVOID", "index"], ["@zone", "GROUP_BY", "3"]])");
  EXPECT_EQ(Placement::colocateWithTaskType("a\"b").text(), R"([["@type", "COLOCATE", "a\"b"]])");
}

TEST(ServiceBuilder, EqualsTheSameServiceLoadedFromYaml) {
  auto built = ServiceBuilder("store").add(nodes("data", 2)).build();
  ASSERT_TRUE(built.has_value()) << built.status();
  const char* yaml = R"(name: store
pods:
  data:
    count: 2
    placement: '[["@type", "AVOID", "data"]]'
    uris: [file:///opt/data]
    tasks:
      node:
        goal: RUNNING
        cmd: bash data
        cpus: 0.5
        memory: 256
        volume:
          path: data-container-path
          type: ROOT
          size: 1024
        health-check:
          cmd: stat data-container-path/output
)";
  spec::LoadResult loaded = spec::loadServiceSpecText(yaml, "svc.yml", {});
  ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].toString());
  EXPECT_EQ(*built, *loaded.spec);
}

}  // namespace
}  // namespace keel
