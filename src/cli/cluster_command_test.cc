// `keel cluster` through the real binary: start as a daemon, status, agent
// fault injection, stop; errors name the state dir and the fix.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "cluster/local/cluster_process.h"
#include "cluster/local/e2e_ops.h"
#include "cluster/local/test_framework.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel::cli {
namespace {

const std::string kKeel = keel::testing::binaryDir() + "/src/cli/keel";

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

// `keel cluster run` as a child process; its URL once it serves.
pid_t spawnClusterRun(const std::string& stateDir, std::string& url) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(kKeel.c_str(), kKeel.c_str(), "cluster", "run", "--agents", "1", "--state-dir",
            stateDir.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    auto running = local::findRunningCluster(stateDir);
    if (running && *running && (*running)->pid == pid && !(*running)->url.empty()) {
      url = (*running)->url;
      return pid;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pid;
}

TEST_F(ClusterCommandTest, SigkilledClusterComesBackWithItsReservationAndVolume) {
  using namespace std::chrono_literals;
  const std::string stateDir = dir_.file("cluster");
  const std::string role = "kill-role";
  const char* principal = local::TestFramework::kPrincipal;
  std::string url;
  pid_t first = spawnClusterRun(stateDir, url);
  ASSERT_FALSE(url.empty()) << "keel cluster run did not publish its URL";

  mesos::FrameworkID id;
  mesos::Resource volume;
  {
    local::TestFramework fw(url, role);
    Status subscribed = fw.start();
    ASSERT_TRUE(subscribed.isOk()) << subscribed;
    auto offer = fw.takeOffer([](const mesos::Offer&) { return true; }, 10s);
    ASSERT_TRUE(offer);
    auto reserved = local::e2e::reservation(role, principal, 0.5, 128, 64);
    volume = local::e2e::volume(reserved, "vol-kill", principal, "data");
    ASSERT_TRUE(fw.client()
                    .accept({offer->id},
                            {mesos::makeReserve(reserved), mesos::makeCreate({volume})},
                            mesos::refuseFor(0))
                    .isOk());
    ASSERT_TRUE(fw.takeOffer(
        [](const mesos::Offer& o) { return mesos::scalarTotal(o.resources, "disk") > 0; }, 10s));
    id = fw.frameworkId();
  }
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  ::waitpid(first, nullptr, 0);

  pid_t second = spawnClusterRun(stateDir, url);
  ASSERT_FALSE(url.empty()) << "the cluster did not come back after SIGKILL";
  {
    local::TestFramework fw(url, role, id);
    Status subscribed = fw.start();
    ASSERT_TRUE(subscribed.isOk()) << subscribed;
    auto offer = fw.takeOffer(
        [](const mesos::Offer& o) {
          for (const auto& r : o.resources) {
            if (mesos::isPersistentVolume(r)) return true;
          }
          return false;
        },
        10s);
    ASSERT_TRUE(offer) << "the volume was not offered after the restart";
    std::vector<mesos::Resource> volumes, reserved;
    for (const mesos::Resource& r : offer->resources) {
      (mesos::isPersistentVolume(r) ? volumes : reserved).push_back(r);
    }
    ASSERT_EQ(volumes.size(), 1u);
    EXPECT_EQ(volumes[0].disk->persistence->id, "vol-kill");
    EXPECT_EQ(volumes[0].reservations, volume.reservations);
    EXPECT_DOUBLE_EQ(mesos::scalarTotal(volumes, "disk"), 64);
    double reservedCpus = 0;
    for (const mesos::Resource& r : offer->resources) {
      if (r.name == "cpus" && mesos::isReserved(r)) reservedCpus += r.scalar->value;
    }
    EXPECT_DOUBLE_EQ(reservedCpus, 0.5);
  }
  ASSERT_EQ(::kill(second, SIGTERM), 0);
  int status = 0;
  ::waitpid(second, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM: not a clean exit";
}

}  // namespace
}  // namespace keel::cli
