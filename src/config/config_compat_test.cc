// Config validation and diff over the dcos-commons helloworld specs in
// ../shared/compat: realistic inputs rendered with the package's defaults.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "keel/config/config_diff.h"
#include "keel/config/config_validation.h"
#include "keel/config/task_env.h"
#include "keel/env_file.h"
#include "keel/mustache.h"
#include "keel/spec_json.h"
#include "keel/spec_loader.h"
#include "testing/paths.h"

namespace keel::config {
namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kHelloworld = keel::testing::sharedDir() + "/compat/dcos-commons/helloworld/";

// defaults.env completed with what the package build and Marathon add (as in
// src/spec/compat_test.cc).
Env helloworldEnv() {
  auto env = readEnvFile(kHelloworld + "defaults.env");
  EXPECT_TRUE(env.isOk()) << env.status();
  Env build = {{"artifact-dir", "https://downloads.example.com/hello-world/artifacts"},
               {"scheduler-jre-url", "https://downloads.example.com/jre.tar.gz"},
               {"libmesos-bundle-url", "https://downloads.example.com/libmesos-bundle.tar.gz"}};
  Env out;
  for (const auto& [k, v] : *env) out[k] = *renderMustache(v, build);
  out["PORT_API"] = "8080";
  for (const char* s :
       {"HELLO_SECRET1", "HELLO_SECRET2", "WORLD_SECRET1", "WORLD_SECRET2", "WORLD_SECRET3"}) {
    out[s] = std::string("hello-world/") + s;
  }
  return out;
}

// The spec as the scheduler would store it: loaded, TASKCFG_* routed.
spec::ServiceSpec load(const std::string& file, const Env& env) {
  spec::LoadOptions options;
  options.env = env;
  spec::LoadResult r = spec::loadServiceSpecFile(kHelloworld + "dist/" + file, options);
  EXPECT_TRUE(r.ok()) << file << ": " << (r.errors.empty() ? "" : r.errors[0].toString());
  return r.ok() ? withRoutedTaskEnv(*r.spec, env) : spec::ServiceSpec{};
}

std::vector<std::string> distSpecs() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kHelloworld + "dist"))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(HelloworldConfig, EverySpecAgainstItselfHasNoErrorsAndNoChanges) {
  Env env = helloworldEnv();
  auto files = distSpecs();
  ASSERT_GE(files.size(), 30u);
  for (const std::string& file : files) {
    spec::ServiceSpec s = load(file, env);
    for (const auto& e : validateFirstConfig(s)) ADD_FAILURE() << file << ": " << e.toString();
    for (const auto& e : validateConfigChange(s, s)) ADD_FAILURE() << file << ": " << e.toString();
    ConfigDiff d = diffConfigs(s, s);
    EXPECT_TRUE(d.empty()) << file << ":\n" << formatConfigDiff(d);
    auto stored = spec::serviceSpecFromJson(spec::toJson(s));
    ASSERT_TRUE(stored.isOk()) << file;
    EXPECT_TRUE(diffConfigs(*stored, s).empty()) << file;
  }
}

TEST(HelloworldConfig, ScalingHelloAndResizingWorldCpus) {
  Env env = helloworldEnv();
  Env next = env;
  next["HELLO_COUNT"] = "3";
  next["WORLD_CPUS"] = "0.5";
  spec::ServiceSpec from = load("svc.yml", env), to = load("svc.yml", next);
  EXPECT_TRUE(validateConfigChange(from, to).empty());
  ConfigDiff d = diffConfigs(from, to);
  EXPECT_THAT(d.addedInstances(), ElementsAre("hello-1", "hello-2"));
  EXPECT_THAT(d.relaunchedInstances(), ElementsAre("world-0", "world-1"));
  EXPECT_THAT(formatConfigDiff(d), HasSubstr("cpus: 0.2 -> 0.5"));
}

TEST(HelloworldConfig, ANewPackageVersionForcesEveryPodToRelaunch) {
  Env env = helloworldEnv();
  Env next = env;
  next["TASKCFG_ALL_PACKAGE_VERSION_TO_FORCE_UPDATE"] = "2.0.0";
  ConfigDiff d = diffConfigs(load("svc.yml", env), load("svc.yml", next));
  EXPECT_THAT(d.relaunchedInstances(), ElementsAre("hello-0", "world-0", "world-1"));
  EXPECT_THAT(formatConfigDiff(d),
              HasSubstr("tasks.server.env.PACKAGE_VERSION_TO_FORCE_UPDATE: \"\" -> \"2.0.0\""));
}

TEST(HelloworldConfig, AResizedVolumeIsRefused) {
  Env env = helloworldEnv();
  Env next = env;
  next["HELLO_DISK"] = "50";
  auto errors = validateConfigChange(load("svc.yml", env), load("svc.yml", next));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "pods.hello.tasks.server.volume.size");
  EXPECT_THAT(errors[0].message, HasSubstr("cannot change (25 MB -> 50 MB)"));
}

}  // namespace
}  // namespace keel::config
