// The Mesos client against a real LocalCluster: reservations, persistent
// volumes (real directories), LAUNCH_GROUP on keel-executor processes,
// health checks, agent faults and a cluster restart.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "cluster/local/e2e_ops.h"
#include "cluster/local/local_cluster.h"
#include "cluster/local/test_framework.h"
#include "testing/poll.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using mesos::TaskState;

constexpr const char* kRole = "e2e-role";
constexpr const char* kPrincipal = TestFramework::kPrincipal;

ClusterConfig clusterConfig(const std::string& stateDir, int agents) {
  ClusterConfig config;
  config.stateDir = stateDir;
  config.agents = *defaultAgents(agents);
  config.allocationInterval = 20ms;
  config.useCgroups = false;
  return config;
}

std::optional<mesos::Resource> volumeIn(const mesos::Offer& offer, const std::string& id = "") {
  for (const mesos::Resource& r : offer.resources) {
    if (mesos::isPersistentVolume(r) && (id.empty() || r.disk->persistence->id == id)) return r;
  }
  return std::nullopt;
}

bool anyReserved(const mesos::Offer& offer) {
  for (const mesos::Resource& r : offer.resources) {
    if (mesos::isReserved(r)) return true;
  }
  return false;
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool eventually(const std::function<bool()>& pred) { return keel::testing::pollUntil(pred, 10s); }

class LocalClusterE2eTest : public ::testing::Test {
 protected:
  void startCluster(int agents) {
    auto started = LocalCluster::start(clusterConfig(dir_.path().string(), agents));
    ASSERT_TRUE(started) << started.error();
    cluster_ = std::move(*started);
    fw_ = std::make_unique<TestFramework>(cluster_->url(), kRole);
    ASSERT_TRUE(fw_->start().isOk());
  }

  mesos::Offer offer(const TestFramework::OfferPredicate& pred, const char* what) {
    auto o = fw_->takeOffer(pred, 10s);
    EXPECT_TRUE(o) << "no offer with " << what;
    return o.value_or(mesos::Offer{});
  }

  // Declines whatever is outstanding until one offer (the agent's resources
  // gathered again) matches.
  mesos::Offer offerAfterDeclining(const TestFramework::OfferPredicate& pred, const char* what) {
    auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
      if (auto o = fw_->takeOffer(pred, 200ms)) return *o;
      fw_->declineAll();
    }
    ADD_FAILURE() << "no offer with " << what;
    return {};
  }

  void accept(const mesos::Offer& o, std::vector<mesos::OfferOperation> ops) {
    ASSERT_TRUE(fw_->client().accept({o.id}, std::move(ops), mesos::refuseFor(0)).isOk());
  }

  // RESERVE + CREATE on the next offer; returns the offer then holding the volume.
  mesos::Offer reserveWithVolume(const std::string& volumeId) {
    mesos::Offer first = offer([](const mesos::Offer&) { return true; }, "anything");
    reservation_ = e2e::reservation(kRole, kPrincipal, 0.5, 128, 64);
    mesos::Resource vol = e2e::volume(reservation_, volumeId, kPrincipal, "data");
    accept(first, {mesos::makeReserve(reservation_), mesos::makeCreate({vol})});
    agentId_ = first.agentId.value;
    return offer([&](const mesos::Offer& o) { return volumeIn(o, volumeId).has_value(); },
                 "the new volume");
  }

  void launch(const mesos::Offer& o, const std::string& taskId, const std::string& command,
              bool withVolume = true) {
    std::vector<mesos::Resource> resources{
        e2e::reserved(mesos::scalarResource("cpus", 0.1), kRole, kPrincipal),
        e2e::reserved(mesos::scalarResource("mem", 32), kRole, kPrincipal)};
    if (withVolume) resources.push_back(*volumeIn(o));
    accept(o, {e2e::launchGroup(e2e::defaultExecutor("exec-" + taskId, fw_->frameworkId(), kRole),
                                e2e::shellTask(taskId, o.agentId.value, resources, command))});
  }

  fs::path volumePath(const mesos::Resource& volume) {
    std::string path;
    cluster_->master().inspect(
        [&](const MasterState& state) { path = state.volumePath(agentId_, volume); });
    return path;
  }

  testing::TempDir dir_;
  std::unique_ptr<LocalCluster> cluster_;
  std::unique_ptr<TestFramework> fw_;
  std::vector<mesos::Resource> reservation_;
  std::string agentId_;
};

TEST_F(LocalClusterE2eTest, VolumeKeepsItsDataAcrossRelaunchesUntilDestroyed) {
  startCluster(1);
  mesos::Offer withVolume = reserveWithVolume("vol-1");
  mesos::Resource vol = *volumeIn(withVolume);
  fs::path dir = volumePath(vol);
  ASSERT_TRUE(fs::is_directory(dir)) << dir;

  launch(withVolume, "writer", "echo hello > data/file && exec sleep 1000");
  ASSERT_TRUE(fw_->waitState("writer", TaskState::kTaskRunning, 10s));
  ASSERT_TRUE(eventually([&] { return readAll(dir / "file") == "hello\n"; }));
  ASSERT_TRUE(fw_->client().kill(mesos::TaskID{"writer"}).isOk());
  ASSERT_TRUE(fw_->waitState("writer", TaskState::kTaskKilled, 10s));

  mesos::Offer again = offerAfterDeclining(
      [](const mesos::Offer& o) {
        return volumeIn(o, "vol-1").has_value() &&
               mesos::scalarTotal(o.resources, "cpus") >= 0.15 - 1e-9 &&
               mesos::scalarTotal(o.resources, "mem") >= 64;
      },
      "the volume and room for the executor after the kill");
  launch(again, "reader", "test \"$(cat data/file)\" = hello");
  auto done = fw_->waitStatus(
      [](const mesos::TaskStatus& s) { return s.taskId.value == "reader" && isTerminal(s.state); },
      10s);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, TaskState::kTaskFinished) << done->message.value_or("");

  mesos::Offer last = offerAfterDeclining(
      [](const mesos::Offer& o) {
        return volumeIn(o, "vol-1").has_value() &&
               mesos::scalarTotal(o.resources, "cpus") >= 2.0 - 1e-9;
      },
      "the volume and every cpu back");
  ASSERT_TRUE(volumeIn(last));
  accept(last, {mesos::makeDestroy({*volumeIn(last)}), mesos::makeUnreserve(reservation_)});
  EXPECT_TRUE(eventually([&] { return !fs::exists(dir); })) << dir << " still exists";
  mesos::Offer unreserved = offerAfterDeclining(
      [](const mesos::Offer& o) {
        return !anyReserved(o) && mesos::scalarTotal(o.resources, "cpus") >= 2.0 - 1e-9;
      },
      "everything unreserved");
  EXPECT_FALSE(volumeIn(unreserved));
}

TEST_F(LocalClusterE2eTest, FailingHealthCheckKillsTheTaskAsMesosReportsIt) {
  startCluster(1);
  mesos::Offer o = offer([](const mesos::Offer&) { return true; }, "anything");
  mesos::TaskInfo task =
      e2e::shellTask("sick", o.agentId.value,
                     {mesos::allocatedTo(mesos::scalarResource("cpus", 0.1), kRole),
                      mesos::allocatedTo(mesos::scalarResource("mem", 32), kRole)},
                     "exec sleep 1000");
  mesos::HealthCheck check;
  check.type = mesos::HealthCheck::Type::kCommand;
  mesos::CommandInfo probe;
  probe.shell = true;
  probe.value = "exit 1";
  check.command = probe;
  check.delaySeconds = 0;
  check.intervalSeconds = 0.1;
  check.gracePeriodSeconds = 0;
  check.consecutiveFailures = 2;
  check.timeoutSeconds = 5;
  task.healthCheck = check;
  accept(o, {e2e::launchGroup(e2e::defaultExecutor("exec-sick", fw_->frameworkId(), kRole), task)});

  auto unhealthy = fw_->waitStatus(
      [](const mesos::TaskStatus& s) { return s.healthy.has_value() && !*s.healthy; }, 10s);
  ASSERT_TRUE(unhealthy);
  EXPECT_EQ(unhealthy->reason, mesos::TaskStatus::Reason::kReasonTaskHealthCheckStatusUpdated);
  auto killed = fw_->waitState("sick", TaskState::kTaskKilled, 10s);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->healthy, false);
}

TEST_F(LocalClusterE2eTest, AgentDownLosesTasksAndOffersAgentUpReturnsItsVolume) {
  startCluster(2);
  mesos::Offer withVolume = reserveWithVolume("vol-down");
  fs::path dir = volumePath(*volumeIn(withVolume));
  launch(withVolume, "victim", "exec sleep 1000");
  ASSERT_TRUE(fw_->waitState("victim", TaskState::kTaskRunning, 10s));

  ASSERT_TRUE(cluster_->master().agentDown(agentId_).isOk());
  auto lost = fw_->waitState("victim", TaskState::kTaskUnreachable, 10s);
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->reason, mesos::TaskStatus::Reason::kReasonAgentRemoved);
  fw_->declineAll();
  std::string down = agentId_;
  EXPECT_FALSE(
      fw_->takeOffer([&](const mesos::Offer& o) { return o.agentId.value == down; }, 500ms))
      << "a down agent was offered";

  ASSERT_TRUE(cluster_->master().agentUp(agentId_).isOk());
  EXPECT_TRUE(fw_->waitState("victim", TaskState::kTaskGone, 10s));
  mesos::Offer back = offer(
      [&](const mesos::Offer& o) {
        return o.agentId.value == down && volumeIn(o, "vol-down").has_value();
      },
      "the volume of the agent that came back");
  EXPECT_TRUE(fs::is_directory(dir));
}

TEST_F(LocalClusterE2eTest, RestartOffersTheSameReservationAndVolumeAndReadoptsRunningTasks) {
  startCluster(1);
  mesos::Offer withVolume = reserveWithVolume("vol-keep");
  mesos::Resource vol = *volumeIn(withVolume);
  launch(withVolume, "survivor", "exec sleep 1000", /*withVolume=*/false);
  ASSERT_TRUE(fw_->waitState("survivor", TaskState::kTaskRunning, 10s));
  mesos::FrameworkID id = fw_->frameworkId();
  fw_.reset();
  cluster_->stop();
  cluster_.reset();

  auto restarted = LocalCluster::start(clusterConfig(dir_.path().string(), 1));
  ASSERT_TRUE(restarted) << restarted.error();
  cluster_ = std::move(*restarted);
  fw_ = std::make_unique<TestFramework>(cluster_->url(), kRole, id);
  ASSERT_TRUE(fw_->start().isOk());
  EXPECT_EQ(fw_->frameworkId(), id);
  mesos::Offer o = offer([&](const mesos::Offer& o) { return volumeIn(o, "vol-keep").has_value(); },
                         "the volume after the restart");
  EXPECT_EQ(*volumeIn(o), vol);
  EXPECT_NEAR(mesos::scalarTotal(o.resources, "cpus"), 2.0 - 0.1 - 0.05, 1e-9);
  ASSERT_TRUE(fw_->client().reconcile({}).isOk());
  ASSERT_TRUE(fw_->waitState("survivor", TaskState::kTaskRunning, 10s));
  ASSERT_TRUE(fw_->client().kill(mesos::TaskID{"survivor"}).isOk());
  EXPECT_TRUE(fw_->waitState("survivor", TaskState::kTaskKilled, 10s))
      << "the re-adopted executor did not kill its task";
}

}  // namespace
}  // namespace keel::local
