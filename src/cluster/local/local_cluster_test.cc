// LocalCluster end to end: a MesosClient against a real cluster (real HTTP,
// real keel-executor processes, real volume directories).
#include "cluster/local/local_cluster.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include "cluster/local/test_framework.h"
#include "keel/mesos/resources.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

using namespace std::chrono_literals;

ClusterConfig smallCluster(const std::string& stateDir, int agents) {
  ClusterConfig config;
  config.stateDir = stateDir;
  config.agents = *defaultAgents(agents);
  config.allocationInterval = 50ms;
  config.useCgroups = false;
  return config;
}

// Sets an environment variable for one scope (nullptr: unset).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(ClusterConfig, DefaultStateDirIsKeelClusterDirElseUnderKeelHomeElseHome) {
  ScopedEnv home("HOME", "/home/op");
  ScopedEnv keelHome("KEEL_HOME", nullptr);
  ScopedEnv clusterDir("KEEL_CLUSTER_DIR", nullptr);
  EXPECT_EQ(defaultStateDir(), "/home/op/.keel/cluster");
  {
    ScopedEnv k("KEEL_HOME", "/srv/keel");
    EXPECT_EQ(defaultStateDir(), "/srv/keel/cluster") << "beside $KEEL_HOME/services";
    ScopedEnv c("KEEL_CLUSTER_DIR", "/data/cluster");
    EXPECT_EQ(defaultStateDir(), "/data/cluster");
  }
}

TEST(LocalClusterTest, OffersEveryDefaultAgentToASubscribedFramework) {
  testing::TempDir dir;
  ClusterConfig config;
  config.stateDir = dir.path().string();
  config.allocationInterval = 50ms;
  config.useCgroups = false;
  auto cluster = LocalCluster::start(config);
  ASSERT_TRUE(cluster) << cluster.error();
  EXPECT_EQ((*cluster)->url(), "http://127.0.0.1:" + std::to_string((*cluster)->port()));

  TestFramework fw((*cluster)->url(), "test-role");
  ASSERT_TRUE(fw.start().isOk());
  std::set<std::string> agents;
  while (agents.size() < static_cast<size_t>(kDefaultAgentCount)) {
    auto offer = fw.takeOffer([](const mesos::Offer&) { return true; }, 5s);
    ASSERT_TRUE(offer) << "offers from " << agents.size() << " agents only";
    EXPECT_DOUBLE_EQ(mesos::scalarTotal(offer->resources, "cpus"), 2.0);
    agents.insert(offer->agentId.value);
  }
}

TEST(LocalClusterTest, SecondClusterOnTheSameStateDirIsRefusedWithTheHoldersPid) {
  testing::TempDir dir;
  auto first = LocalCluster::start(smallCluster(dir.path().string(), 1));
  ASSERT_TRUE(first) << first.error();
  auto second = LocalCluster::start(smallCluster(dir.path().string(), 1));
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.error().message().find("another keel cluster (pid " + std::to_string(getpid())),
            std::string::npos)
      << second.error();
  (*first)->stop();
  auto third = LocalCluster::start(smallCluster(dir.path().string(), 1));
  EXPECT_TRUE(third) << third.error();
}

TEST(LocalClusterTest, MissingExecutorBinaryIsNamedWithHowToFixIt) {
  testing::TempDir dir;
  ClusterConfig config = smallCluster(dir.path().string(), 1);
  config.executorBinary = dir.file("no-such-keel-executor");
  auto cluster = LocalCluster::start(config);
  ASSERT_FALSE(cluster);
  EXPECT_NE(cluster.error().message().find("no-such-keel-executor"), std::string::npos);
  EXPECT_NE(cluster.error().message().find("KEEL_EXECUTOR"), std::string::npos);
}

}  // namespace
}  // namespace keel::local
