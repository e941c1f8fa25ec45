// `keel run`: an invalid spec exits 1 with the spec's errors before anything
// starts (no state directory, no cluster, no subscription).
#include "cli/run_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "testing/temp_dir.h"

namespace keel::cli {
namespace {

// No --master: an invalid spec is refused before the local cluster would be
// found or started.
TEST(RunCommand, InvalidSpecExitsOneBeforeAnythingStarts) {
  keel::testing::TempDir dir;
  std::ofstream(dir.file("svc.yml")) << "name: bad\npods:\n  x:\n    count: one\n";
  setenv("KEEL_CLUSTER_DIR", dir.file("cluster").c_str(), 1);
  SpecInput input;
  input.specPath = dir.file("svc.yml");
  input.useProcessEnv = false;
  RunOptions options;
  options.selfPath = "/nonexistent/keel";
  options.stateDir = dir.file("state");
  std::ostringstream out, err;
  EXPECT_EQ(runRun(input, options, out, err), kExitInvalid);
  unsetenv("KEEL_CLUSTER_DIR");
  EXPECT_NE(err.str().find("pods.x.count"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("nothing was started"), std::string::npos) << err.str();
  EXPECT_EQ(err.str().find("local cluster"), std::string::npos) << err.str();
  EXPECT_FALSE(std::filesystem::exists(dir.file("state")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("cluster")));
}

// What `keel run` prints when the scheduler's env (one line of svc.env)
// refuses to start a valid spec; the exit code and "no state directory"
// checked.
std::string refusedRun(const std::string& envLine) {
  keel::testing::TempDir dir;
  std::ofstream(dir.file("svc.yml")) << "name: ok\npods:\n  x:\n    count: 1\n    tasks:\n"
                                        "      t:\n        goal: RUNNING\n        cmd: sleep 1\n"
                                        "        cpus: 0.1\n        memory: 32\n";
  std::ofstream(dir.file("svc.env")) << envLine << "\n";
  SpecInput input;
  input.specPath = dir.file("svc.yml");
  input.envFile = dir.file("svc.env");
  input.useProcessEnv = false;
  RunOptions options;
  options.master = "http://127.0.0.1:1";  // never contacted
  options.stateDir = dir.file("state");
  std::ostringstream out, err;
  EXPECT_EQ(runRun(input, options, out, err), kExitInvalid);
  EXPECT_FALSE(std::filesystem::exists(dir.file("state")));
  return err.str();
}

TEST(RunCommand, ABadUpdatePolicyValueExitsOneNamingTheVariable) {
  std::string err = refusedRun("KEEL_UPDATE_PROGRESS_DEADLINE_SECS=soon");
  EXPECT_NE(err.find("KEEL_UPDATE_PROGRESS_DEADLINE_SECS=soon: must be a whole number of seconds"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("nothing was started"), std::string::npos) << err;
}

TEST(RunCommand, ABadRecoverySettingExitsOneNamingTheVariable) {
  std::string err = refusedRun("PERMANENT_FAILURE_TIMEOUT_SECS=-5");
  EXPECT_NE(err.find("environment variable PERMANENT_FAILURE_TIMEOUT_SECS=\"-5\": must be a "
                     "number > 0; nothing was started"),
            std::string::npos)
      << err;
}

TEST(RunCommand, BadPortIsAUsageError) {
  SpecInput input;
  input.specPath = "unused.yml";
  RunOptions options;
  options.port = 70000;
  std::ostringstream out, err;
  EXPECT_EQ(runRun(input, options, out, err), kExitUsage);
  EXPECT_NE(err.str().find("--port"), std::string::npos);
}

}  // namespace
}  // namespace keel::cli
