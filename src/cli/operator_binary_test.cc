// The operator commands through the real `keel` binary: argument parsing,
// scheduler discovery through KEEL_HOME, output and exit statuses.
#include <stdio.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/operator_test_fixture.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel::cli::testing {
namespace {

struct Process {
  int code = -1;
  std::string output;  // stdout and stderr
};

Process runKeel(const std::string& args, const std::string& env = "") {
  std::string command = env + " " + keel::testing::binaryDir() + "/src/cli/keel " + args + " 2>&1";
  Process p;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return p;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) p.output.append(buffer, n);
  int rc = pclose(pipe);
  p.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return p;
}

using KeelBinaryOperator = OperatorTest;

TEST_F(KeelBinaryOperator, PlanStatusWithUrlPrintsTheTree) {
  Process p = runKeel("plan status deploy --url " + url());
  EXPECT_EQ(p.code, kExitOk) << p.output;
  EXPECT_EQ(p.output.substr(0, p.output.find('\n')), "deploy (serial strategy) (PENDING)");
  Process preview = runKeel("plan preview --help");
  EXPECT_EQ(preview.code, kExitOk) << preview.output;
}

TEST_F(KeelBinaryOperator, FindsTheSchedulerThroughKeelHome) {
  keel::testing::TempDir home;
  std::filesystem::create_directories(home.path() / "services" / "data-store");
  std::ofstream(home.file("services/data-store/scheduler.url")) << url() << "\n";
  std::string env = "env -u KEEL_URL KEEL_HOME=" + home.path().string();
  Process p = runKeel("pod restart data-0", env);
  EXPECT_EQ(p.code, kExitOk) << p.output;
  EXPECT_EQ(p.output, "data-0: restarting in place; killed data-0-node\n");
  Process json = runKeel("plan list --json --service data-store", env);
  EXPECT_EQ(json.output, "[\n  \"deploy\",\n  \"recovery\"\n]\n");
}

TEST_F(KeelBinaryOperator, ExitsOneWithoutASchedulerAndTwoOnAUsageError) {
  std::string gone = url();
  server_->stop();
  Process p = runKeel("pod status --url " + gone);
  EXPECT_EQ(p.code, kExitInvalid);
  EXPECT_EQ(p.output, "keel: no scheduler at " + gone + ": is `keel run` running?\n");
  EXPECT_EQ(runKeel("plan force-complete deploy --phase data --url " + gone).code, kExitUsage);
  EXPECT_EQ(runKeel("pod info").code, kExitUsage);
}

}  // namespace
}  // namespace keel::cli::testing
