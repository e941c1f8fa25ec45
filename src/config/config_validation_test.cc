#include "keel/config/config_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "config_test_util.h"

namespace keel::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testutil::dataStore;
using testutil::podOf;

spec::VolumeSpec& dataVolume(spec::ServiceSpec& s) {
  return podOf(s, "data").resourceSets[0].volumes[0];
}

// One refused change: applied to the data-store spec, it must produce exactly
// one error from `validator` at `where` whose message holds every `says`.
struct Refused {
  std::string name;
  std::function<void(spec::ServiceSpec&)> change;
  std::string validator;
  std::string where;
  std::vector<std::string> says;
};

TEST(ValidateConfigChange, RefusedChangesSayWhatWhereWhyAndHowToFix) {
  std::vector<Refused> cases = {
      {"volume size",
       [](auto& s) { dataVolume(s).sizeMb = 128; },
       "volumes",
       "pods.data.tasks.node.volume.size",
       {"size of volume 'data-container-path' cannot change (64 MB -> 128 MB)",
        "Set size back to 64 MB"}},
      {"volume type",
       [](auto& s) { dataVolume(s).type = spec::VolumeType::kMount; },
       "volumes",
       "pods.data.tasks.node.volume.type",
       {"type of volume 'data-container-path' cannot change (ROOT -> MOUNT)"}},
      {"volume profiles",
       [](auto& s) { dataVolume(s).profiles = {"fast"}; },
       "volumes",
       "pods.data.tasks.node.volume.profiles",
       {"[] -> [fast]"}},
      {"volume path",
       [](auto& s) { dataVolume(s).path = "elsewhere"; },
       "volumes",
       "pods.data.tasks.node.volume.path",
       {"container path of volume 'data-container-path' cannot change ('data-container-path' -> "
        "'elsewhere')",
        "Set container path back to 'data-container-path'"}},
      {"volume removed",
       [](auto& s) { podOf(s, "data").resourceSets[0].volumes.clear(); },
       "volumes",
       "pods.data.tasks.node.volume",
       {"volume 'data-container-path' (ROOT, 64 MB) cannot be removed",
        "Restore it at path 'data-container-path'"}},
      {"shared resource set volume",
       [](auto& s) {
         spec::PodSpec& pod = podOf(s, "data");
         pod.resourceSets[0].id = "shared";
         pod.tasks[0].resourceSet = "shared";
         pod.resourceSets[0].volumes[0].name = "disk";
         pod.resourceSets[0].volumes[0].sizeMb = 1;
       },
       "volumes",
       "pods.data.resource-sets.shared.volumes.disk.size",
       {"(64 MB -> 1 MB)"}},
      {"volume added to a pod",
       [](auto& s) {
         podOf(s, "data").volumes.push_back({"shared", "shared", spec::VolumeType::kRoot, 10, {}});
       },
       "volumes",
       "pods.data.volumes.shared",
       {"cannot be added to running instances"}},
      {"count shrinks",
       [](auto& s) { podOf(s, "data").count = 1; },
       "pod-shrink",
       "pods.data.count",
       {"count cannot shrink from 3 to 1", "data-1..data-2", "allow-decommission: true"}},
      {"count shrinks by one",
       [](auto& s) { podOf(s, "data").count = 2; },
       "pod-shrink",
       "pods.data.count",
       {"data-2 and their volumes"}},
      {"pod removed",
       [](auto& s) { s.pods.pop_back(); },
       "pod-shrink",
       "pods.data",
       {"pod 'data' (count 3) is missing", "first deploy it with allow-decommission: true"}},
      {"user",
       [](auto& s) { s.scheduler.user = "nobody"; },
       "service-user",
       "scheduler.user",
       {"'root' -> 'nobody'", "Set scheduler.user back to 'root'"}},
      {"pre-reserved role",
       [](auto& s) { podOf(s, "data").preReservedRole = "slave_public"; },
       "pre-reserved-role",
       "pods.data.pre-reserved-role",
       {"'*' -> 'slave_public'"}},
      {"name",
       [](auto& s) { s.name = "data-store-2"; },
       "service-name",
       "name",
       {"'data-store' -> 'data-store-2'"}},
      {"placement",
       [](auto& s) { podOf(s, "data").placement = "[[\"hostname\", \"SOMETIMES\"]]"; },
       "placement",
       "pods.data.placement",
       {"placement of pod 'data' does not parse"}},
      {"cpu limit",
       [](auto& s) {
         podOf(s, "data").resourceSets[0].limits =
             spec::ResourceLimits{spec::ResourceLimit{false, 0.05}, std::nullopt};
       },
       "resource-limits",
       "pods.data.tasks.node.resource-limits.cpus",
       {"cpus limit 0.05 is below the request 0.1"}},
      {"config dest",
       [](auto& s) {
         podOf(s, "data").tasks[0].configs.push_back({"cfg", "t", "/etc/x", "x"});
       },
       "config-dest",
       "pods.data.tasks.node.configs.cfg.dest",
       {"is absolute"}},
  };
  for (const Refused& c : cases) {
    spec::ServiceSpec candidate = dataStore();
    c.change(candidate);
    std::vector<ConfigError> errors = validateConfigChange(dataStore(), candidate);
    ASSERT_EQ(errors.size(), 1u) << c.name << ": " << (errors.empty() ? "" : errors[1].toString());
    EXPECT_EQ(errors[0].validator, c.validator) << c.name;
    EXPECT_EQ(errors[0].where, c.where) << c.name;
    for (const std::string& s : c.says) EXPECT_THAT(errors[0].message, HasSubstr(s)) << c.name;
    EXPECT_EQ(errors[0].toString(), c.where + ": " + errors[0].message);
  }
}

TEST(ValidateConfigChange, AllowedChangesHaveNoErrors) {
  std::vector<std::pair<std::string, std::function<void(spec::ServiceSpec&)>>> cases = {
      {"nothing", [](auto&) {}},
      {"scale up", [](auto& s) { podOf(s, "data").count = 5; }},
      {"cpus", [](auto& s) { podOf(s, "data").resourceSets[0].cpus = 0.5; }},
      {"cmd and env", [](auto& s) { podOf(s, "data").tasks[0].env["X"] = "1"; }},
      {"shrink with allow-decommission",
       [](auto& s) {
         podOf(s, "data").count = 1;
         podOf(s, "data").allowDecommission = true;
       }},
      {"new pod type", [](auto& s) { s.pods.push_back(testutil::dataStorePod("index", 1)); }},
      {"placement changed", [](auto& s) { podOf(s, "data").placement = "hostname:UNIQUE"; }},
      {"unlimited limit",
       [](auto& s) {
         podOf(s, "data").resourceSets[0].limits =
             spec::ResourceLimits{spec::ResourceLimit{true, 0}, std::nullopt};
       }},
      {"new task with its own volume",
       [](auto& s) {
         spec::PodSpec& pod = podOf(s, "data");
         pod.resourceSets.push_back({"side-resource-set",
                                     0.1,
                                     0,
                                     32,
                                     {},
                                     {{"", "side", spec::VolumeType::kRoot, 5, {}}},
                                     {}});
         pod.tasks.push_back(pod.tasks[0]);
         pod.tasks.back().name = "side";
         pod.tasks.back().resourceSet = "side-resource-set";
       }},
  };
  for (const auto& [name, change] : cases) {
    spec::ServiceSpec candidate = dataStore();
    change(candidate);
    std::vector<ConfigError> errors = validateConfigChange(dataStore(), candidate);
    EXPECT_TRUE(errors.empty()) << name << ": " << errors.front().toString();
  }
}

TEST(ValidateConfigChange, RemovingAPodIsAllowedWhenTheOldTargetAllowedItsDecommission) {
  spec::ServiceSpec old = dataStore();
  podOf(old, "data").allowDecommission = true;
  spec::ServiceSpec candidate = dataStore();
  candidate.pods.pop_back();
  EXPECT_TRUE(validateConfigChange(old, candidate).empty());
}

TEST(ValidateConfigChange, EveryProblemIsReportedNotOnlyTheFirst) {
  spec::ServiceSpec candidate = dataStore();
  candidate.name = "other";
  dataVolume(candidate).sizeMb = 1;
  podOf(candidate, "data").count = 0;
  podOf(candidate, "meta-data").placement = "[[";
  std::vector<std::string> validators;
  for (const auto& e : validateConfigChange(dataStore(), candidate))
    validators.push_back(e.validator);
  EXPECT_EQ(validators,
            (std::vector<std::string>{"service-name", "volumes", "pod-shrink", "placement"}));
}

TEST(ValidateFirstConfig, OnlyTheStaticRulesRun) {
  spec::ServiceSpec s = dataStore();
  s.scheduler.user = "nobody";
  EXPECT_TRUE(validateFirstConfig(s).empty());
  podOf(s, "data").placement = "[[";
  podOf(s, "data").tasks[0].configs.push_back({"cfg", "t", "../x", "x"});
  std::vector<ConfigError> errors = validateFirstConfig(s);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].validator, "placement");
  EXPECT_EQ(errors[1].validator, "config-dest");
}

TEST(ValidateConfigChange, ExtraValidatorsRunAfterTheDefaultsAndGetTheirName) {
  ConfigValidator noZones{"zones", true, [](const auto* old, const auto& now, auto& errors) {
                            if (old->pods.size() != now.pods.size())
                              errors.push_back({"", "pods", "pod types cannot change"});
                          }};
  spec::ServiceSpec candidate = dataStore();
  candidate.pods.push_back(testutil::dataStorePod("index", 1));
  std::vector<ConfigError> errors = validateConfigChange(dataStore(), candidate, {noZones});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].validator, "zones");
  EXPECT_TRUE(validateFirstConfig(candidate, {noZones}).empty());
}

TEST(DefaultConfigValidators, ChangeRulesComeFirstAndNamesAreUnique) {
  const auto& validators = defaultConfigValidators();
  std::set<std::string> names;
  bool staticSeen = false;
  for (const auto& v : validators) {
    EXPECT_TRUE(names.insert(v.name).second) << v.name;
    if (!v.needsOldTarget) staticSeen = true;
    EXPECT_FALSE(staticSeen && v.needsOldTarget) << v.name;
  }
  EXPECT_EQ(names.size(), 8u);
}

}  // namespace
}  // namespace keel::config
