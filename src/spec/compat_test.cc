// The dcos-commons corpus in ../shared/compat/dcos-commons behaves as its
// README says: helloworld specs render and load, the SDK's valid specs load,
// its invalid specs are rejected with a located error, and every declared
// feature the local cluster lacks is reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "keel/env_file.h"
#include "keel/mustache.h"
#include "keel/spec_json.h"
#include "keel/spec_loader.h"
#include "testing/paths.h"

namespace keel::spec {
namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;

const std::string kCorpus = keel::testing::sharedDir() + "/compat/dcos-commons/";

std::vector<std::string> filesIn(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kCorpus + dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// valid-exhaustive.yml and valid-minimal-health-configfile.yml name config
// templates that the Java SDK's tests mocked (DefaultServiceSpecTest stubs
// ConfigTemplateReader for these three names); the corpus does not carry
// them. Any other name is read from disk, so invalid-config-file.yml still
// fails on its missing file.
Result<std::string> sdkTemplates(const std::string& path) {
  static const std::map<std::string, std::string> mocked = {{"config-one.conf.mustache", "hello"},
                                                            {"config-two.xml.mustache", "hey"},
                                                            {"config-three.conf.mustache", "hi"}};
  auto it = mocked.find(path);
  if (it != mocked.end()) return it->second;
  return Status::notFound("no template file " + path + " beside the spec");
}

// The env the Java tests rendered test-render*.yml with (TemplateUtilsTest).
Env sdkExtraEnv(const std::string& file) {
  if (file == "test-render.yml") return {{"VOL_SIZE", "1024"}};
  if (file == "test-render-inverted.yml") return {{"ENABLED", "true"}};
  return {};
}

// defaults.env as rendered from the package, completed with what the
// package build and the runtime would add: Cosmos fills {{artifact-dir}} and
// friends inside the URIs, Marathon gives the scheduler PORT_API, and the
// secrets variant needs the secret paths an operator passes as options.
Env helloworldEnv() {
  auto env = readEnvFile(kCorpus + "helloworld/defaults.env");
  EXPECT_TRUE(env.isOk()) << env.status();
  Env packageBuild = {
      {"artifact-dir", "https://downloads.example.com/hello-world/artifacts"},
      {"scheduler-jre-url", "https://downloads.example.com/jre.tar.gz"},
      {"libmesos-bundle-url", "https://downloads.example.com/libmesos-bundle.tar.gz"}};
  Env out;
  for (const auto& [k, v] : *env) out[k] = *renderMustache(v, packageBuild);
  out["PORT_API"] = "8080";
  for (const char* s :
       {"HELLO_SECRET1", "HELLO_SECRET2", "WORLD_SECRET1", "WORLD_SECRET2", "WORLD_SECRET3"}) {
    out[s] = std::string("hello-world/") + s;
  }
  return out;
}

LoadResult loadSdkSpec(const std::string& file) {
  LoadOptions options;
  options.env = sdkExtraEnv(file);
  options.readTemplate = sdkTemplates;
  return loadServiceSpecFile(kCorpus + "sdk-specs/" + file, options);
}

bool isInvalid(const std::string& file) { return file.rfind("invalid", 0) == 0; }

std::string allErrors(const LoadResult& r) {
  std::string out;
  for (const auto& d : r.errors) out += "\n  " + d.toString();
  return out;
}

std::set<std::string> unsupportedPaths(const LoadResult& r, const std::string& file) {
  std::set<std::string> paths;
  for (const auto& d :
       unsupportedFeatures(*r.spec, ClusterCapabilities::localCluster(), {file, &r.locations})) {
    EXPECT_GT(d.line, 0) << d.toString();
    EXPECT_THAT(d.message, ::testing::HasSubstr("unsupported on this cluster"));
    paths.insert(d.path);
  }
  return paths;
}

TEST(HelloworldCorpus, EveryDistSpecRendersAndLoadsWithThePackageDefaults) {
  Env env = helloworldEnv();
  auto files = filesIn("helloworld/dist");
  ASSERT_GE(files.size(), 30u);
  for (const auto& file : files) {
    LoadOptions options;
    options.env = env;
    LoadResult r = loadServiceSpecFile(kCorpus + "helloworld/dist/" + file, options);
    EXPECT_TRUE(r.ok()) << file << allErrors(r);
    if (r.ok()) {
      EXPECT_EQ(r.spec->name, file == "foobar_service_name.yml" ? "foobar" : "hello-world") << file;
      EXPECT_FALSE(r.spec->pods.empty()) << file;
    }
  }
}

TEST(HelloworldCorpus, RendersPlacementUnescapedAndUrisWithPackageValues) {
  LoadOptions options;
  options.env = helloworldEnv();
  LoadResult r = loadServiceSpecFile(kCorpus + "helloworld/dist/svc.yml", options);
  ASSERT_TRUE(r.ok()) << allErrors(r);
  const PodSpec* hello = r.spec->pod("hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->placement, R"([["hostname", "UNIQUE"]])");
  EXPECT_EQ(r.spec->scheduler.user, "nobody");
  EXPECT_EQ(r.spec->scheduler.principal, "hello-world-principal");
}

TEST(SdkCorpus, EveryValidSpecLoads) {
  for (const auto& file : filesIn("sdk-specs")) {
    if (isInvalid(file)) continue;
    LoadResult r = loadSdkSpec(file);
    EXPECT_TRUE(r.ok()) << file << allErrors(r);
  }
}

struct Rejection {
  std::string file;
  std::string path;
  std::string fragment;
};

const std::vector<Rejection> kRejections = {
    {"invalid-config-file.yml", "pods.pod-type.tasks.some-task.configs.conf-doesnt-exist.template",
     "cannot read config template 'file-doesnt-exist.conf.mustache'"},
    {"invalid-duplicate-container-definition.yml", "pods.server.networks.test",
     "does not support host->container"},
    {"invalid-duplicate-count.yml", "pods.pod-type.count", "duplicate key 'count'"},
    {"invalid-duplicate-port-names.yml", "pods.meta-data.tasks.meta-data-task.ports.across-pods",
     "duplicate advertised port name 'across-pods'"},
    {"invalid-image-null.yml", "pods.server.image", "expected a Docker image name"},
    {"invalid-network-labels-blank.yml", "pods.server.networks.dcos.labels",
     "comma-separated key:value pairs"},
    {"invalid-network-labels-format.yml", "pods.server.networks.dcos.labels", "found 'key1,val1'"},
    {"invalid-network.yml", "pods.server.networks.dcos", "only mesos-bridge does"},
    {"invalid-pod-name.yml", "pods.meta-data", "duplicate key 'meta-data'"},
    {"invalid-resource-limits-in-resource-set.yml",
     "pods.pod-type.resource-sets.meta-data-task-resourceset.resource-limits.cpus",
     "resource-limits for task 'meta-data-task', 0.5, is less than the requested amount, 1"},
    {"invalid-resource-set-name.yml", "pods.meta-data.resource-sets.data-store-resources",
     "duplicate key 'data-store-resources'"},
    {"invalid-rlimit-name.yml", "pods.meta-data.rlimits.RLIMIT_NONSENSE", "is not a valid rlimit"},
    {"invalid-scalar-cpu-resource.yml", "pods.pod-type.tasks.meta-data-task.cpus",
     "greater than 0, found '0'"},
    {"invalid-scalar-disk-resource.yml", "pods.pod-type.tasks.meta-data-task.volumes.index.size",
     "greater than 0, found '0'"},
    {"invalid-seccomp-info.yml", "pods.meta-data.seccomp-profile-name",
     "seccomp-unconfined and seccomp-profile-name"},
    {"invalid-share-parent-pod.yml", "pods.meta-data.ipc-mode", "must be PRIVATE"},
    {"invalid-share-parent-shm-size.yml", "pods.hello.tasks.baz.shm-size",
     "does not apply when ipc-mode is SHARE_PARENT"},
    {"invalid-task-dns.yml", "pods.other-pod.tasks.other-task.discovery.prefix",
     "cannot share DNS names"},
    {"invalid-task-kill-grace-period-seconds.yml",
     "pods.pod-type.tasks.meta-data-task.kill-grace-period", "found '-1'"},
    {"invalid-task-labels-blank.yml", "pods.server.tasks.server.labels",
     "comma-separated key:value pairs"},
    {"invalid-task-labels-format.yml", "pods.server.tasks.server.labels",
     "found 'label1,label1-value'"},
    {"invalid-task-resources.yml", "pods.meta-data.tasks.meta-data-task", "has no resources"},
    {"invalid.yml.mustache", "pods.meta-data.resource-sets", "found a list"},
};

TEST(SdkCorpus, EveryInvalidSpecIsRejectedWithALocatedError) {
  std::set<std::string> covered;
  for (const auto& want : kRejections) {
    covered.insert(want.file);
    LoadResult r = loadSdkSpec(want.file);
    EXPECT_FALSE(r.ok()) << want.file;
    EXPECT_FALSE(r.spec.has_value()) << want.file;
    bool found = false;
    for (const auto& d : r.errors) {
      EXPECT_EQ(d.file, kCorpus + "sdk-specs/" + want.file);
      if (d.path == want.path && d.message.find(want.fragment) != std::string::npos) {
        found = true;
        EXPECT_GT(d.line, 0) << d.toString();
      }
    }
    EXPECT_TRUE(found) << want.file << ": no error at " << want.path << " with '" << want.fragment
                       << "'" << allErrors(r);
  }
  for (const auto& file : filesIn("sdk-specs")) {
    if (isInvalid(file)) {
      EXPECT_EQ(covered.count(file), 1u) << file << " has no expectation";
    }
  }
}

TEST(SdkCorpus, TestRenderInvertedPicksTheBranchByEnabled) {
  LoadOptions options;
  options.env = {{"ENABLED", "false"}};
  LoadResult off = loadServiceSpecFile(kCorpus + "sdk-specs/test-render-inverted.yml", options);
  ASSERT_TRUE(off.ok()) << allErrors(off);
  EXPECT_EQ(off.spec->pods[0].tasks[0].cmd, "./disabled false");
  LoadResult on = loadSdkSpec("test-render-inverted.yml");
  ASSERT_TRUE(on.ok());
  EXPECT_EQ(on.spec->pods[0].tasks[0].cmd, "./enabled true");
}

// Expected unsupported features on the local cluster, by key path.
const std::map<std::string, std::set<std::string>> kUnsupported = {
    {"seccomp-profile-name.yml", {"pods.meta-data.seccomp-profile-name"}},
    {"seccomp-unconfined.yml", {"pods.meta-data.seccomp-unconfined"}},
    {"valid-automatic-cni-port-forwarding.yml",
     {"pods.pod-type.networks.mesos-bridge", "pods.meta-data-resourceset.networks.mesos-bridge",
      "pods.meta-data-with-port-mapping.networks.mesos-bridge"}},
    {"valid-exhaustive.yml",
     {"pods.meta-data.networks.dcos", "pods.meta-data.resource-sets.meta-data-resources.gpus",
      "pods.meta-data.tasks.meta-data-task.transport-encryption",
      "pods.data-store.networks.mesos-bridge",
      "pods.data-store.tasks.data-store-task.transport-encryption"}},
    {"valid-external-volume.yml", {"pods.pod-type.external-volumes.first-volume"}},
    {"valid-gpu-resource.yml", {"pods.pod-type.tasks.meta-data-task.gpus"}},
    {"valid-gpu-resourceset.yml", {"pods.pod-type.resource-sets.meta-data-task-resourceset.gpus"}},
    {"valid-image.yml", {"pods.server.image"}},
    {"valid-minimal-networks-docker.yml", {"pods.pod-type.image", "pods.pod-type.networks.dcos"}},
    {"valid-minimal-overlay-vip.yml", {"pods.pod-type.networks.dcos"}},
    {"valid-minimal-overlay.yml", {"pods.pod-type.networks.dcos"}},
    {"valid-network.yml", {"pods.server.networks.dcos"}},
    {"valid-networks-port-mapping.yml", {"pods.pod-type.networks.mesos-bridge"}},
    {"valid-port-healthcheck-overlay.yml", {"pods.pod-type.networks.dcos"}},
    {"valid-port-readinesscheck-overlay.yml", {"pods.pod-type.networks.dcos"}},
    {"valid-profile-mount-volume.yml", {"pods.pod-type.tasks.task-name.volume.profiles"}},
    {"valid-seccomp-info.yml", {"pods.meta-data.seccomp-profile-name"}},
    {"valid-secrets-env.yml", {"pods.hello.secrets.secret1"}},
    {"valid-secrets.yml",
     {"pods.hello.secrets.secret1", "pods.hello.secrets.secret2", "pods.world.secrets.secret1",
      "pods.world.secrets.secret2", "pods.world.secrets.secret3"}},
    {"valid-shared-memory-pod.yml", {"pods.meta-data.ipc-mode", "pods.meta-data.shm-size"}},
    {"valid-shm-spec.yml",
     {"pods.hello.ipc-mode", "pods.hello.shm-size", "pods.hello.tasks.foo.ipc-mode",
      "pods.hello.tasks.foo.shm-size", "pods.hello.tasks.bar.ipc-mode",
      "pods.hello.tasks.baz.ipc-mode"}},
};

TEST(SdkCorpus, UnsupportedFeaturesOnTheLocalClusterMatchTheTable) {
  for (const auto& file : filesIn("sdk-specs")) {
    if (isInvalid(file)) continue;
    LoadResult r = loadSdkSpec(file);
    ASSERT_TRUE(r.ok()) << file;
    auto it = kUnsupported.find(file);
    std::set<std::string> want = it == kUnsupported.end() ? std::set<std::string>{} : it->second;
    EXPECT_EQ(unsupportedPaths(r, file), want) << file;
    EXPECT_TRUE(unsupportedFeatures(*r.spec, ClusterCapabilities::full()).empty()) << file;
  }
}

TEST(HelloworldCorpus, UnsupportedFeaturesNameTheContainerOnlyVariants) {
  const std::map<std::string, std::string> someExpected = {
      {"gpu_resource.yml", "pods.hello.tasks.server.gpus"},
      {"secrets.yml", "pods.hello.secrets.s1"},
      {"tls.yml", "transport-encryption"},
      {"overlay.yml", "networks.dcos"},
      {"share_pid_namespace.yml", "share-pid-namespace"},
      {"external-volumes.yml", "external-volumes"},
      {"shm.yml", "shm-size"},
  };
  Env env = helloworldEnv();
  for (const auto& [file, fragment] : someExpected) {
    LoadOptions options;
    options.env = env;
    LoadResult r = loadServiceSpecFile(kCorpus + "helloworld/dist/" + file, options);
    ASSERT_TRUE(r.ok()) << file << allErrors(r);
    auto paths = unsupportedPaths(r, file);
    bool hit = std::any_of(paths.begin(), paths.end(),
                           [&](const auto& p) { return p.find(fragment) != p.npos; });
    EXPECT_TRUE(hit) << file << " lacks an unsupported-feature report containing " << fragment;
  }
  LoadOptions unconfined;
  unconfined.env = env;
  unconfined.env["HELLO_SECCOMP_UNCONFINED"] = "true";
  LoadResult seccomp = loadServiceSpecFile(kCorpus + "helloworld/dist/seccomp.yml", unconfined);
  ASSERT_TRUE(seccomp.ok());
  EXPECT_EQ(unsupportedPaths(seccomp, "seccomp.yml"),
            std::set<std::string>{"pods.hello.seccomp-unconfined"});
  for (const char* plain : {"simple.yml", "svc.yml", "plan.yml", "sidecar.yml", "seccomp.yml"}) {
    LoadOptions options;
    options.env = env;
    LoadResult r = loadServiceSpecFile(kCorpus + "helloworld/dist/" + plain, options);
    ASSERT_TRUE(r.ok()) << plain;
    EXPECT_THAT(unsupportedPaths(r, plain), ::testing::IsEmpty()) << plain;
  }
}

TEST(Corpus, EveryLoadableSpecRoundTripsThroughJson) {
  std::vector<LoadResult> loaded;
  for (const auto& file : filesIn("sdk-specs")) {
    if (!isInvalid(file)) loaded.push_back(loadSdkSpec(file));
  }
  Env env = helloworldEnv();
  for (const auto& file : filesIn("helloworld/dist")) {
    LoadOptions options;
    options.env = env;
    loaded.push_back(loadServiceSpecFile(kCorpus + "helloworld/dist/" + file, options));
  }
  for (const auto& r : loaded) {
    ASSERT_TRUE(r.ok());
    std::string json = toJson(*r.spec);
    auto back = serviceSpecFromJson(json);
    ASSERT_TRUE(back.isOk()) << back.status();
    EXPECT_EQ(*back, *r.spec) << json;
    EXPECT_EQ(toJson(*back, JsonStyle::kCompact), toJson(*r.spec, JsonStyle::kCompact));
  }
}

}  // namespace
}  // namespace keel::spec
