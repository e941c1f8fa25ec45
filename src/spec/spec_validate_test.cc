#include "keel/spec_validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

namespace keel::spec {
namespace {

using ::testing::HasSubstr;

ServiceSpec validSpec() {
  ServiceSpec s;
  s.name = "svc";
  PodSpec pod;
  pod.type = "data";
  pod.count = 2;
  ResourceSetSpec rs;
  rs.id = "node-resource-set";
  rs.cpus = 1;
  rs.memoryMb = 256;
  rs.volumes.push_back(VolumeSpec{"", "v", VolumeType::kRoot, 1024, {}});
  PortSpec port;
  port.name = "http";
  port.advertise = true;
  rs.ports.push_back(port);
  pod.resourceSets.push_back(rs);
  TaskSpec task;
  task.name = "node";
  task.resourceSet = "node-resource-set";
  pod.tasks.push_back(task);
  s.pods.push_back(pod);
  return s;
}

struct RuleCase {
  const char* name;
  std::function<void(ServiceSpec&)> breakIt;
  const char* path;
  const char* fragment;
};

class ValidationRule : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ValidationRule, ReportsTheBrokenRuleAtItsKeyPath) {
  ServiceSpec s = validSpec();
  GetParam().breakIt(s);
  auto diags = validateServiceSpec(s);
  bool found = false;
  std::string all;
  for (const auto& d : diags) {
    all += "\n  " + d.toString();
    found = found ||
            (d.path == GetParam().path && d.message.find(GetParam().fragment) != std::string::npos);
  }
  EXPECT_TRUE(found) << "want " << GetParam().path << ": " << GetParam().fragment << all;
}

PodSpec& pod(ServiceSpec& s) { return s.pods[0]; }
ResourceSetSpec& rs(ServiceSpec& s) { return s.pods[0].resourceSets[0]; }
TaskSpec& task(ServiceSpec& s) { return s.pods[0].tasks[0]; }

INSTANTIATE_TEST_SUITE_P(
    Rules, ValidationRule,
    ::testing::Values(
        RuleCase{"emptyName", [](ServiceSpec& s) { s.name = ""; }, "name",
                 "missing required `name`"},
        RuleCase{"doubleUnderscore", [](ServiceSpec& s) { s.name = "a__b"; }, "name",
                 "double underscores"},
        RuleCase{"negativeCount", [](ServiceSpec& s) { pod(s).count = -1; }, "pods.data.count",
                 "found '-1'"},
        RuleCase{"zeroCpus", [](ServiceSpec& s) { rs(s).cpus = 0; }, "pods.data.tasks.node.cpus",
                 "greater than 0"},
        RuleCase{"volumeSize", [](ServiceSpec& s) { rs(s).volumes[0].sizeMb = 0; },
                 "pods.data.tasks.node.volume.size", "greater than 0, found '0'"},
        RuleCase{"profilesOnRoot", [](ServiceSpec& s) { rs(s).volumes[0].profiles = {"fast"}; },
                 "pods.data.tasks.node.volume.profiles", "MOUNT volumes only"},
        RuleCase{"portRange", [](ServiceSpec& s) { rs(s).ports[0].port = 70000; },
                 "pods.data.tasks.node.ports.http.port", "0-65535"},
        RuleCase{"rangeOrder",
                 [](ServiceSpec& s) {
                   rs(s).ports[0].ranges = {PortRange{9, 3}};
                 },
                 "pods.data.tasks.node.ports.http.ranges[0]", "begins after it ends"},
        RuleCase{"duplicateAdvertised",
                 [](ServiceSpec& s) {
                   PodSpec other = pod(s);
                   other.type = "index";
                   s.pods.push_back(other);
                 },
                 "pods.index.tasks.node.ports.http", "duplicate advertised port name 'http'"},
        RuleCase{"duplicatePod", [](ServiceSpec& s) { s.pods.push_back(pod(s)); }, "pods.data",
                 "duplicate pod type"},
        RuleCase{"duplicateDiscovery",
                 [](ServiceSpec& s) {
                   task(s).discovery = DiscoverySpec{"dns", DiscoveryVisibility::kCluster};
                   PodSpec other = pod(s);
                   other.type = "index";
                   other.resourceSets[0].ports.clear();
                   s.pods.push_back(other);
                 },
                 "pods.index.tasks.node.discovery.prefix", "cannot share DNS names"},
        RuleCase{"unknownResourceSet", [](ServiceSpec& s) { task(s).resourceSet = "nope"; },
                 "pods.data.tasks.node.resource-set",
                 "does not declare (declared: node-resource-set)"},
        RuleCase{"noResources",
                 [](ServiceSpec& s) {
                   rs(s) = ResourceSetSpec{};
                   rs(s).id = "node-resource-set";
                 },
                 "pods.data.tasks.node", "has no resources"},
        RuleCase{"limitBelowRequest",
                 [](ServiceSpec& s) {
                   rs(s).limits = ResourceLimits{std::nullopt, ResourceLimit{false, 100}};
                 },
                 "pods.data.tasks.node.resource-limits.memory",
                 "is less than the requested amount, 256"},
        RuleCase{"killGrace", [](ServiceSpec& s) { task(s).killGracePeriodS = -1; },
                 "pods.data.tasks.node.kill-grace-period", ">= 0"},
        RuleCase{"labelKey",
                 [](ServiceSpec& s) {
                   task(s).labels = {{"", "v"}};
                 },
                 "pods.data.tasks.node.labels", "empty key"},
        RuleCase{"networkLabelKey",
                 [](ServiceSpec& s) {
                   pod(s).networks = {NetworkSpec{"dcos", {{" ", "v"}}, {}, {}}};
                 },
                 "pods.data.networks.dcos.labels", "empty key"},
        RuleCase{"portMappingOnOverlay",
                 [](ServiceSpec& s) {
                   pod(s).networks = {NetworkSpec{"dcos", {}, {80}, {8080}}};
                 },
                 "pods.data.networks.dcos", "only mesos-bridge"},
        RuleCase{"portMappingCounts",
                 [](ServiceSpec& s) {
                   pod(s).networks = {NetworkSpec{"mesos-bridge", {}, {80, 81}, {8080}}};
                 },
                 "pods.data.networks.mesos-bridge", "same number"},
        RuleCase{"emptyImage", [](ServiceSpec& s) { pod(s).image = " "; }, "pods.data.image",
                 "Docker image name"},
        RuleCase{"sharePidParent", [](ServiceSpec& s) { task(s).ipcMode = IpcMode::kShareParent; },
                 "pods.data.tasks.node.ipc-mode", "needs the pod to declare `ipc-mode: PRIVATE`"},
        RuleCase{"shareParentShm",
                 [](ServiceSpec& s) {
                   pod(s).ipcMode = IpcMode::kPrivate;
                   task(s).ipcMode = IpcMode::kShareParent;
                   task(s).shmSizeMb = 64;
                 },
                 "pods.data.tasks.node.shm-size", "does not apply when ipc-mode is SHARE_PARENT"},
        RuleCase{"podShareParent", [](ServiceSpec& s) { pod(s).ipcMode = IpcMode::kShareParent; },
                 "pods.data.ipc-mode", "must be PRIVATE"},
        RuleCase{"seccompBoth",
                 [](ServiceSpec& s) {
                   pod(s).seccompUnconfined = true;
                   pod(s).seccompProfileName = "p";
                 },
                 "pods.data.seccomp-profile-name", "at the same time"},
        RuleCase{"rlimitName",
                 [](ServiceSpec& s) {
                   pod(s).rlimits = {RLimitSpec{"RLIMIT_X", 1, 2}};
                 },
                 "pods.data.rlimits.RLIMIT_X", "RLIMIT_NOFILE"},
        RuleCase{"rlimitOrder",
                 [](ServiceSpec& s) {
                   pod(s).rlimits = {RLimitSpec{"RLIMIT_NOFILE", 10, 5}};
                 },
                 "pods.data.rlimits.RLIMIT_NOFILE", "soft must be <= hard"},
        RuleCase{"rlimitHalf",
                 [](ServiceSpec& s) {
                   pod(s).rlimits = {RLimitSpec{"RLIMIT_CORE", 10, std::nullopt}};
                 },
                 "pods.data.rlimits.RLIMIT_CORE", "both set or both unset"},
        RuleCase{"configDest",
                 [](ServiceSpec& s) {
                   task(s).configs = {ConfigFileSpec{"c", "c.mustache", "", "x"}};
                 },
                 "pods.data.tasks.node.configs.c.dest", "needs a `dest`"},
        RuleCase{"configTemplate",
                 [](ServiceSpec& s) {
                   task(s).configs = {ConfigFileSpec{"c", "", "d", ""}};
                 },
                 "pods.data.tasks.node.configs.c.template", "needs a `template`"},
        RuleCase{"placement", [](ServiceSpec& s) { pod(s).placement = "hostname:SOMETIMES"; },
                 "pods.data.placement", "allowed operators"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Validation, AValidSpecHasNoFindings) { EXPECT_TRUE(validateServiceSpec(validSpec()).empty()); }

TEST(Validation, PortOnlyResourceSetsMayLeaveCpusOut) {
  ServiceSpec s = validSpec();
  rs(s).cpus = 0;
  rs(s).memoryMb = 0;
  rs(s).volumes.clear();
  EXPECT_TRUE(validateServiceSpec(s).empty());
}

TEST(Validation, PlansNamingUnknownPodsAreLeftToPlanGeneration) {
  ServiceSpec s = validSpec();
  s.plans.push_back(PlanSpec{"deploy", "serial", {PhaseSpec{"p", "serial", "nope", {}}}});
  EXPECT_TRUE(validateServiceSpec(s).empty());
}

TEST(Validation, UsesSourceLocationsWhenGiven) {
  ServiceSpec s = validSpec();
  pod(s).count = -1;
  KeyLocations locations = {{"pods.data.count", {4, 5}}};
  auto diags = validateServiceSpec(s, SpecSource{"svc.yml", &locations});
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].toString(),
            "svc.yml:4:5: pods.data.count: expected a number of instances >= 0, found '-1'");
}

TEST(UnsupportedFeatures, TheLocalClusterReportsEachContainerFeatureOnce) {
  ServiceSpec s = validSpec();
  pod(s).image = "nginx";
  pod(s).networks = {NetworkSpec{"dcos", {}, {}, {}}};
  pod(s).secrets = {SecretSpec{"s", "path", "", "f"}};
  pod(s).sharePidNamespace = true;
  rs(s).gpus = 1;
  task(s).transportEncryption = {TransportEncryptionSpec{"tls", TransportEncryptionType::kTls}};
  KeyLocations locations = {{"pods.data.image", {5, 5}}};
  auto diags = unsupportedFeatures(s, ClusterCapabilities::localCluster(),
                                   SpecSource{"svc.yml", &locations});
  std::vector<std::string> paths;
  for (const auto& d : diags) paths.push_back(d.path);
  EXPECT_THAT(paths, ::testing::UnorderedElementsAre(
                         "pods.data.image", "pods.data.networks.dcos", "pods.data.secrets.s",
                         "pods.data.share-pid-namespace", "pods.data.tasks.node.gpus",
                         "pods.data.tasks.node.transport-encryption"));
  EXPECT_THAT(diags[0].toString(),
              HasSubstr("svc.yml:5:5: pods.data.image: Docker images are unsupported on this "
                        "cluster (keel's local cluster runs tasks as host processes); remove "
                        "`image`"));
  EXPECT_TRUE(unsupportedFeatures(s, ClusterCapabilities::full()).empty());
}

TEST(Diagnostic, FormatsWithAndWithoutLocation) {
  Diagnostic d{Diagnostic::Severity::kWarning, "svc.yml", 3, 0, "pods.x.foo", "unknown key"};
  EXPECT_EQ(d.toString(), "svc.yml:3: warning: pods.x.foo: unknown key");
  Diagnostic bare{Diagnostic::Severity::kError, "", 0, 0, "name", "missing"};
  EXPECT_EQ(bare.toString(), "name: missing");
}

}  // namespace
}  // namespace keel::spec
