// `keel update --options/--env-file` before it reaches a scheduler: usage,
// a state directory without launch settings, invalid options and policy
// values refused with nothing changed, no scheduler running. The restart
// itself is proven end to end (scheduler/update_guard_e2e_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "cli/launch_settings.h"
#include "testing/temp_dir.h"

namespace keel::cli {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome update(const UpdateArgs& args) {
  std::ostringstream out, err;
  int code = runUpdate(args, out, err);
  return {code, out.str(), err.str()};
}

class UpdateCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::path pkg = dir.path() / "pkg";
    std::filesystem::create_directories(pkg / "universe");
    std::ofstream(pkg / "svc.yml") << "name: {{FRAMEWORK_NAME}}\npods:\n  app:\n    count: "
                                      "{{APP_COUNT}}\n    tasks:\n      server:\n        goal: "
                                      "RUNNING\n        cmd: sleep 1\n        cpus: 0.1\n        "
                                      "memory: 32\n";
    std::ofstream(pkg / "universe/config.json") << R"({"type": "object", "properties": {
      "service": {"type": "object", "properties": {"name": {"type": "string", "default": "t"}}},
      "app": {"type": "object", "properties": {"count": {"type": "integer", "default": 1}}}}})";
    std::ofstream(pkg / "universe/marathon.json.mustache")
        << R"({"env": {"FRAMEWORK_NAME": "{{service.name}}", "APP_COUNT": "{{app.count}}",
                       "KEEL_UPDATE_FAILURE_BUDGET": "{{app.budget}}"}})";
    stateDir = (dir.path() / "state").string();
    std::filesystem::create_directories(stateDir);
    LaunchSettings s;
    s.input.specPath = (pkg / "svc.yml").string();
    s.master = "http://127.0.0.1:1";
    ASSERT_TRUE(writeLaunchSettings(stateDir, s).isOk());
  }
  std::string file(const std::string& name, const std::string& text) {
    std::string path = (dir.path() / name).string();
    std::ofstream(path) << text;
    return path;
  }

  testing::TempDir dir;
  std::string stateDir;
};

TEST_F(UpdateCommand, TakesExactlyOneOfOptionsAndEnvFile) {
  EXPECT_EQ(update({}).code, kExitUsage);
  UpdateArgs both{"a.json", "b.env", "", stateDir};
  EXPECT_EQ(update(both).code, kExitUsage);
}

TEST_F(UpdateCommand, RefusesAServiceThatKeelRunDidNotStart) {
  std::filesystem::remove(stateDir + "/launch.json");
  Outcome r = update({file("o.json", "{}"), "", "", stateDir});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("the service was not started by `keel run`"));
}

TEST_F(UpdateCommand, RefusesInvalidOptionsNamingTheOptionAndTheRule) {
  std::string launch =
      (std::ostringstream() << std::ifstream(stateDir + "/launch.json").rdbuf()).str();
  std::string bad = file("bad.json", R"({"app": {"count": "two"}})");
  Outcome r = update({bad, "", "", stateDir});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr(bad + ": app.count: must be an integer (schema: type integer), "
                                     "found \"two\" (a string)"));
  EXPECT_THAT(r.err, HasSubstr("invalid; nothing was changed"));
  EXPECT_EQ((std::ostringstream() << std::ifstream(stateDir + "/launch.json").rdbuf()).str(),
            launch);
  EXPECT_FALSE(std::filesystem::exists(stateDir + "/update-options.json"));
}

TEST_F(UpdateCommand, RefusesABadUpdatePolicyValue) {
  Outcome r = update({file("p.json", R"({"app": {"budget": -2}})"), "", "", stateDir});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("KEEL_UPDATE_FAILURE_BUDGET=-2: must be an integer"));
}

TEST_F(UpdateCommand, RefusesWhenNoSchedulerRuns) {
  Outcome r = update({file("ok.json", R"({"app": {"count": 2}})"), "", "", stateDir});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_THAT(r.err, HasSubstr("no scheduler runs on " + stateDir));
  EXPECT_FALSE(std::filesystem::exists(stateDir + "/update-options.json"));
}

TEST(LaunchSettingsFile, RoundTripsWithAbsolutePaths) {
  testing::TempDir dir;
  LaunchSettings s;
  s.input.specPath = "relative/svc.yml";
  s.input.optionsFile = "/abs/o.json";
  s.master = "http://m:5050";
  s.port = 8080;
  ASSERT_TRUE(writeLaunchSettings(dir.path().string(), s).isOk());
  auto back = readLaunchSettings(dir.path().string());
  ASSERT_TRUE(back.has_value() && back->has_value());
  EXPECT_EQ((*back)->input.specPath, absolutePath("relative/svc.yml"));
  EXPECT_EQ((*back)->input.optionsFile, "/abs/o.json");
  EXPECT_EQ((*back)->master, "http://m:5050");
  EXPECT_EQ((*back)->port, 8080);
  std::ofstream(dir.path() / "launch.json") << "[]";
  EXPECT_FALSE(readLaunchSettings(dir.path().string()).has_value());
}

}  // namespace
}  // namespace keel::cli
