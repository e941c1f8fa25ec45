// `keel cluster` through the real binary: start as a daemon, status, agent
// fault injection, stop; errors name the state dir and the fix.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cluster/local/cluster_process.h"
#include "testing/temp_dir.h"

namespace keel::cli {
namespace {

const std::string kKeel = std::string(KEEL_BINARY_DIR) + "/src/cli/keel";

struct CliRun {
  int code = -1;
  std::string output;  // stdout and stderr
};

CliRun keel(const std::string& args) {
  CliRun run;
  FILE* pipe = ::popen((kKeel + " " + args + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  for (size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) {
    run.output.append(buffer.data(), n);
  }
  int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class ClusterCommandTest : public ::testing::Test {
 protected:
  void TearDown() override { keel("cluster stop" + dirArg()); }
  std::string dirArg() const { return " --state-dir " + dir_.file("cluster"); }
  testing::TempDir dir_;
};

TEST_F(ClusterCommandTest, StatusWithoutAClusterSaysHowToStartOne) {
  CliRun r = keel("cluster status" + dirArg());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.output.find("no keel cluster is running on " + dir_.file("cluster")),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("keel cluster start --state-dir"), std::string::npos) << r.output;
}

TEST_F(ClusterCommandTest, StartStatusAgentDownUpAddStop) {
  CliRun start = keel("cluster start --agents 2" + dirArg());
  ASSERT_EQ(start.code, 0) << start.output;
  auto running = local::findRunningCluster(dir_.file("cluster"));
  ASSERT_TRUE(running && *running) << start.output;
  EXPECT_NE(start.output.find((*running)->url), std::string::npos);

  CliRun again = keel("cluster start" + dirArg());
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.output.find("already running (pid " + std::to_string((*running)->pid)),
            std::string::npos)
      << again.output;

  CliRun json = keel("cluster status --json" + dirArg());
  ASSERT_EQ(json.code, 0) << json.output;
  auto state = nlohmann::json::parse(json.output);
  ASSERT_EQ(state["agents"].size(), 2u);
  std::string agent = state["agents"][0]["id"];

  CliRun down = keel("cluster agent down " + agent + dirArg());
  EXPECT_EQ(down.code, 0) << down.output;
  CliRun status = keel("cluster status" + dirArg());
  EXPECT_NE(status.output.find("DOWN"), std::string::npos) << status.output;
  EXPECT_EQ(keel("cluster agent up " + agent + dirArg()).code, 0);
  CliRun unknown = keel("cluster agent down no-such-agent" + dirArg());
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.output.find("404"), std::string::npos) << unknown.output;

  CliRun add = keel("cluster agent add --cpus 4 --attribute rack=r9" + dirArg());
  ASSERT_EQ(add.code, 0) << add.output;
  state = nlohmann::json::parse(keel("cluster status --json" + dirArg()).output);
  ASSERT_EQ(state["agents"].size(), 3u);
  EXPECT_EQ(state["agents"][2]["attributes"]["rack"], "r9");

  CliRun stop = keel("cluster stop" + dirArg());
  EXPECT_EQ(stop.code, 0) << stop.output;
  auto after = local::findRunningCluster(dir_.file("cluster"));
  ASSERT_TRUE(after);
  EXPECT_FALSE(*after);
}

}  // namespace
}  // namespace keel::cli
