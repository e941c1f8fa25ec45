#include "keel/config/config_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>

#include "config_test_util.h"

namespace keel::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testutil::dataStore;
using testutil::podOf;
using Names = std::vector<std::string>;

const PodDiff& podDiff(const ConfigDiff& d, const std::string& type) {
  for (const PodDiff& p : d.pods) {
    if (p.type == type) return p;
  }
  static PodDiff none;
  ADD_FAILURE() << "no pod " << type;
  return none;
}

TEST(DiffConfigs, EqualSpecsHaveNoChanges) {
  ConfigDiff d = diffConfigs(dataStore(), dataStore());
  EXPECT_TRUE(d.empty());
  EXPECT_TRUE(d.serviceChanges.empty());
  ASSERT_EQ(d.pods.size(), 2u);
  for (const PodDiff& p : d.pods) EXPECT_EQ(p.change, PodChange::kUnchanged) << p.type;
  EXPECT_EQ(formatConfigDiff(d), "no changes\n");
}

TEST(DiffConfigs, ScaleUpAddsInstancesAndRelaunchesNothing) {
  ConfigDiff d = diffConfigs(dataStore(3), dataStore(5));
  EXPECT_FALSE(d.empty());
  EXPECT_THAT(d.addedInstances(), ElementsAre("data-3", "data-4"));
  EXPECT_TRUE(d.relaunchedInstances().empty());
  EXPECT_TRUE(d.decommissionedInstances().empty());
  const PodDiff& data = podDiff(d, "data");
  EXPECT_EQ(data.change, PodChange::kChanged);
  EXPECT_FALSE(data.taskConfigChanged());
  EXPECT_THAT(data.otherChanges, ElementsAre(FieldChange{"count", "3", "5"}));
  EXPECT_EQ(podDiff(d, "meta-data").change, PodChange::kUnchanged);
  EXPECT_EQ(formatConfigDiff(d), "pod data: changed, count 3 -> 5\n  add: data-3, data-4\n");
}

// One change to the data pod: whether its instances are relaunched and the
// changed paths reported.
struct PodCase {
  std::string name;
  std::function<void(spec::PodSpec&)> change;
  bool relaunch;
  std::vector<std::string> paths;
};

TEST(DiffConfigs, TaskConfigChangesRelaunchAndOthersRestartNothing) {
  std::vector<PodCase> cases = {
      {"cpus", [](auto& p) { p.resourceSets[0].cpus = 0.2; }, true, {"tasks.node.cpus"}},
      {"cmd", [](auto& p) { p.tasks[0].cmd = "bash data2"; }, true, {"tasks.node.cmd"}},
      {"env", [](auto& p) { p.tasks[0].env["LOG"] = "debug"; }, true, {"tasks.node.env.LOG"}},
      {"health check",
       [](auto& p) { p.tasks[0].healthCheck->intervalS = 9; },
       true,
       {"tasks.node.health-check.interval"}},
      {"readiness check",
       [](auto& p) {
         p.tasks[0].readinessCheck = spec::ReadinessCheckSpec{"true", 5, 0, 10};
       },
       true,
       {"tasks.node.readiness-check"}},
      {"config template",
       [](auto& p) {
         p.tasks[0].configs.push_back({"cfg", "cfg.mustache", "cfg.yml", "x: 1"});
       },
       true,
       {"tasks.node.configs.cfg"}},
      {"uris", [](auto& p) { p.uris.push_back("file:///more"); }, true, {"uris"}},
      {"rlimits",
       [](auto& p) {
         p.rlimits.push_back({"RLIMIT_NOFILE", 1024, 1024});
       },
       true,
       {"rlimits.RLIMIT_NOFILE"}},
      {"port",
       [](auto& p) {
         p.resourceSets[0].ports.push_back({"http", 0, "PORT_HTTP", false, std::nullopt, {}});
       },
       true,
       {"tasks.node.ports.http"}},
      {"placement", [](auto& p) { p.placement = "hostname:UNIQUE"; }, false, {"placement"}},
      {"allow-decommission",
       [](auto& p) { p.allowDecommission = true; },
       false,
       {"allow-decommission"}},
      {"cpus and placement",
       [](auto& p) {
         p.resourceSets[0].cpus = 0.2;
         p.placement = "";
       },
       true,
       {"placement", "tasks.node.cpus"}},
  };
  for (const PodCase& c : cases) {
    spec::ServiceSpec to = dataStore();
    c.change(podOf(to, "data"));
    ConfigDiff d = diffConfigs(dataStore(), to);
    const PodDiff& data = podDiff(d, "data");
    EXPECT_EQ(data.change, PodChange::kChanged) << c.name;
    EXPECT_EQ(data.taskConfigChanged(), c.relaunch) << c.name;
    EXPECT_EQ(sameTaskConfig(podOf(to, "data"), dataStore().pods[1]), !c.relaunch) << c.name;
    Names relaunched = c.relaunch ? Names{"data-0", "data-1", "data-2"} : Names{};
    EXPECT_EQ(d.relaunchedInstances(), relaunched) << c.name;
    Names paths;
    for (const auto& f : data.otherChanges) paths.push_back(f.path);
    for (const auto& f : data.taskConfigChanges) paths.push_back(f.path);
    EXPECT_EQ(paths, c.paths) << c.name;
    EXPECT_EQ(podDiff(d, "meta-data").change, PodChange::kUnchanged) << c.name;
  }
}

TEST(DiffConfigs, ASharedResourceSetKeepsItsOwnPath) {
  auto shared = [](spec::ServiceSpec s) {
    podOf(s, "data").resourceSets[0].id = "shared";
    podOf(s, "data").tasks[0].resourceSet = "shared";
    return s;
  };
  spec::ServiceSpec to = shared(dataStore());
  podOf(to, "data").resourceSets[0].memoryMb = 128;
  ConfigDiff d = diffConfigs(shared(dataStore()), to);
  EXPECT_THAT(podDiff(d, "data").taskConfigChanges,
              ElementsAre(FieldChange{"resource-sets.shared.memory", "64.0", "128.0"}));
}

TEST(DiffConfigs, ValuesAreJsonTextAndAbsentSidesEmpty) {
  spec::ServiceSpec to = dataStore();
  podOf(to, "data").resourceSets[0].cpus = 0.2;
  podOf(to, "data").tasks[0].env["LOG"] = "debug";
  ConfigDiff d = diffConfigs(dataStore(), to);
  EXPECT_THAT(podDiff(d, "data").taskConfigChanges,
              ElementsAre(FieldChange{"tasks.node.cpus", "0.1", "0.2"},
                          FieldChange{"tasks.node.env.LOG", "", "\"debug\""}));
  EXPECT_EQ(formatConfigDiff(d),
            "pod data: changed\n"
            "  relaunch: data-0, data-1, data-2 (task config changed)\n"
            "    tasks.node.cpus: 0.1 -> 0.2\n"
            "    tasks.node.env.LOG: (none) -> \"debug\"\n");
}

TEST(DiffConfigs, ScaleDownDecommissionsAndRelaunchesOnlyWhatStays) {
  spec::ServiceSpec to = dataStore(1);
  podOf(to, "data").allowDecommission = true;
  podOf(to, "data").tasks[0].cmd = "bash data2";
  ConfigDiff d = diffConfigs(dataStore(3), to);
  EXPECT_THAT(d.relaunchedInstances(), ElementsAre("data-0"));
  EXPECT_THAT(d.decommissionedInstances(), ElementsAre("data-1", "data-2"));
  EXPECT_TRUE(d.addedInstances().empty());
}

TEST(DiffConfigs, AddedAndRemovedPodTypes) {
  spec::ServiceSpec to = dataStore();
  to.pods.erase(to.pods.begin());  // meta-data
  to.pods.push_back(testutil::dataStorePod("index", 2));
  ConfigDiff d = diffConfigs(dataStore(), to);
  ASSERT_EQ(d.pods.size(), 3u);
  EXPECT_EQ(d.pods[0].type, "data");
  EXPECT_EQ(d.pods[1].type, "index");
  EXPECT_EQ(d.pods[1].change, PodChange::kAdded);
  EXPECT_EQ(d.pods[2].type, "meta-data");
  EXPECT_EQ(d.pods[2].change, PodChange::kRemoved);
  EXPECT_THAT(d.addedInstances(), ElementsAre("index-0", "index-1"));
  EXPECT_THAT(d.decommissionedInstances(), ElementsAre("meta-data-0", "meta-data-1"));
  EXPECT_TRUE(d.relaunchedInstances().empty());
}

TEST(DiffConfigs, ServiceLevelChangesRestartNoTask) {
  spec::ServiceSpec to = dataStore();
  to.webUrl = "http://example.com";
  to.plans.push_back({"deploy", "parallel", {}});
  ConfigDiff d = diffConfigs(dataStore(), to);
  Names paths;
  for (const auto& f : d.serviceChanges) paths.push_back(f.path);
  EXPECT_EQ(paths, (Names{"plans.deploy", "web-url"}));
  EXPECT_TRUE(d.relaunchedInstances().empty());
  EXPECT_THAT(formatConfigDiff(d), HasSubstr("service (restarts no task):\n    plans.deploy: "));
}

TEST(DiffConfigs, AChangedPodOrderIsAServiceChange) {
  spec::ServiceSpec to = dataStore();
  std::swap(to.pods[0], to.pods[1]);
  ConfigDiff d = diffConfigs(dataStore(), to);
  EXPECT_FALSE(d.empty());
  EXPECT_THAT(d.serviceChanges, ElementsAre(FieldChange{"pod-order", R"(["meta-data","data"])",
                                                        R"(["data","meta-data"])"}));
  EXPECT_TRUE(d.relaunchedInstances().empty());
}

// empty() holds exactly when the specs are equal, whatever changed.
TEST(DiffConfigs, EmptyExactlyWhenTheSpecsAreEqual) {
  std::vector<std::function<void(spec::ServiceSpec&)>> changes = {
      [](auto&) {},
      [](auto& s) { s.scheduler.zookeeper = "zk:2181"; },
      [](auto& s) { s.scheduler.principal = "p"; },
      [](auto& s) { podOf(s, "data").sharePidNamespace = true; },
      [](auto& s) { podOf(s, "data").tasks[0].essential = false; },
      [](auto& s) {
        podOf(s, "data").tasks[0].labels.push_back({"a", "b"});
      },
      [](auto& s) { podOf(s, "data").tasks[0].killGracePeriodS = 3; },
      [](auto& s) { podOf(s, "meta-data").preReservedRole = "r"; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    spec::ServiceSpec to = dataStore();
    changes[i](to);
    EXPECT_EQ(diffConfigs(dataStore(), to).empty(), to == dataStore()) << i;
  }
}

TEST(DiffConfigs, ListsOfNamedElementsAreMatchedByName) {
  spec::ServiceSpec from = dataStore();
  podOf(from, "data").tasks.push_back(podOf(from, "data").tasks[0]);
  podOf(from, "data").tasks[1].name = "side";
  spec::ServiceSpec to = from;
  std::swap(podOf(to, "data").tasks[0], podOf(to, "data").tasks[1]);
  podOf(to, "data").tasks[0].cmd = "side-car";  // "side" is first now
  ConfigDiff d = diffConfigs(from, to);
  Names paths;
  for (const auto& f : podDiff(d, "data").taskConfigChanges) paths.push_back(f.path);
  EXPECT_EQ(paths, (Names{"tasks.side.cmd"}));
}

TEST(DiffConfigs, LongValuesAreAbbreviatedInTextButWholeInJson) {
  spec::ServiceSpec to = dataStore();
  std::string content(500, 'x');
  podOf(to, "data").tasks[0].configs.push_back({"cfg", "cfg.mustache", "cfg.yml", content});
  ConfigDiff d = diffConfigs(dataStore(), to);
  EXPECT_THAT(formatConfigDiff(d), HasSubstr("chars)"));
  auto j = nlohmann::json::parse(configDiffToJson(d));
  EXPECT_EQ(j["pods"][1]["task-config-changes"][0]["after"]["content"], content);
}

TEST(ConfigDiffToJson, NamesInstancesAndChanges) {
  spec::ServiceSpec to = dataStore(5);
  podOf(to, "data").resourceSets[0].cpus = 0.2;
  auto j = nlohmann::json::parse(configDiffToJson(diffConfigs(dataStore(3), to)));
  EXPECT_EQ(j["relaunch"], nlohmann::json({"data-0", "data-1", "data-2"}));
  EXPECT_EQ(j["add"], nlohmann::json({"data-3", "data-4"}));
  EXPECT_EQ(j["decommission"], nlohmann::json::array());
  const auto& data = j["pods"][1];
  EXPECT_EQ(data["type"], "data");
  EXPECT_EQ(data["change"], "changed");
  EXPECT_EQ(data["old-count"], 3);
  EXPECT_EQ(data["new-count"], 5);
  EXPECT_EQ(data["task-config-changes"][0],
            nlohmann::json({{"path", "tasks.node.cpus"}, {"before", 0.1}, {"after", 0.2}}));
  EXPECT_EQ(data["other-changes"][0]["path"], "count");
  EXPECT_EQ(j["pods"][0]["change"], "unchanged");
}

}  // namespace
}  // namespace keel::config
