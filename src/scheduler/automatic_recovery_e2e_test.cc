// End to end: the automatic recovery policy, set from the env, against the
// local cluster (real keel-executor processes, real volume directories): an
// agent down longer than the permanent-failure timeout gets its pod
// replaced on another agent with a new volume; an agent back before the
// timeout gets it relaunched in place, its volume's data intact.
#include <filesystem>
#include <fstream>

#include "keel/scheduler/recovery_env.h"
#include "scheduler/e2e_fixture.h"

namespace keel::scheduler::e2e {
namespace {

constexpr const char* kSpec = R"(name: keeper
pods:
  db:
    count: 1
    tasks:
      node:
        goal: RUNNING
        cmd: echo up >> db-data/log && sleep 600
        cpus: 0.1
        memory: 32
        volume:
          path: db-data
          type: ROOT
          size: 16
)";

struct PodTask {
  std::string taskId;
  std::string agentId;
  std::string persistenceId;
  std::string state;
};

class AutomaticRecoveryE2eTest : public SchedulerE2eTest {
 protected:
  void startWithEnv(const std::map<std::string, std::string>& env) {
    RunnerOptions options;
    options.stateDir = stateDir();
    options.masterUrl = cluster->url();
    options.handleSignals = false;
    options.tickInterval = 100ms;
    ASSERT_TRUE(applyRecoveryEnv(env, options.scheduler).isOk());
    runner = std::make_unique<ServiceRunner>(specFromYaml(kSpec), options);
    thread = std::thread([this] { result = runner->run(); });
    ASSERT_TRUE(pollUntil([&] { return !runner->apiUrl().empty(); }, 30s));
    url = runner->apiUrl();
    ASSERT_TRUE(waitForPlan("deploy", "COMPLETE")) << plan("deploy").dump();
  }
  PodTask pod() {
    PodTask t;
    Reply r = get("/v1/pod/db-0/info");
    if (!r.body.is_array() || r.body.size() != 1) return t;
    const json& info = r.body[0]["info"];
    t.taskId = info["task_id"].value("value", "");
    t.agentId = info["agent_id"].value("value", "");
    t.state = r.body[0].value("status", json::object()).value("state", "");
    for (const json& res : info.value("resources", json::array())) {
      if (res.contains("disk") && res["disk"].contains("persistence")) {
        t.persistenceId = res["disk"]["persistence"].value("id", "");
      }
    }
    return t;
  }
  std::filesystem::path volumeOf(const PodTask& t) {
    std::filesystem::path work;
    cluster->master().inspect(
        [&](const local::MasterState& s) { work = s.agents().at(t.agentId).config.workDir; });
    return work / "volumes" / "roles" / "keeper-role" / t.persistenceId;
  }
  std::string recoveryMessage() {
    json s = step("recovery", "db-0");
    return s.is_object() ? s.value("message", "") : "";
  }
};

TEST_F(AutomaticRecoveryE2eTest, AnAgentDownLongerThanTheTimeoutGetsItsPodReplaced) {
  startWithEnv(
      {{"ENABLE_AUTOMATIC_POD_REPLACEMENT", "true"}, {"PERMANENT_FAILURE_TIMEOUT_SECS", "2"}});
  PodTask old = pod();
  ASSERT_EQ(old.state, "TASK_RUNNING");
  std::filesystem::path oldVolume = volumeOf(old);
  ASSERT_TRUE(pollUntil([&] { return std::filesystem::exists(oldVolume / "log"); }, 10s));
  ASSERT_TRUE(cluster->master().agentDown(old.agentId).isOk());

  PodTask fresh;
  ASSERT_TRUE(pollUntil(
      [&] {
        fresh = pod();
        return fresh.state == "TASK_RUNNING" && fresh.agentId != old.agentId;
      },
      60s))
      << plan("recovery").dump();
  EXPECT_NE(fresh.persistenceId, old.persistenceId) << "a new volume";
  EXPECT_TRUE(pollUntil([&] { return std::filesystem::exists(volumeOf(fresh) / "log"); }, 10s));
  EXPECT_NE(recoveryMessage().find("RecoveryType: PERMANENT"), std::string::npos)
      << recoveryMessage();
  Reply property = get("/v1/state/properties/automatic-recovery");
  EXPECT_TRUE(property.body.contains("last_replacement_ms")) << property.text;
}

TEST_F(AutomaticRecoveryE2eTest, AnAgentBackBeforeTheTimeoutGetsItsPodBackInPlace) {
  startWithEnv(
      {{"ENABLE_AUTOMATIC_POD_REPLACEMENT", "true"}, {"PERMANENT_FAILURE_TIMEOUT_SECS", "600"}});
  PodTask old = pod();
  std::filesystem::path volume = volumeOf(old);
  ASSERT_TRUE(pollUntil([&] { return std::filesystem::exists(volume / "log"); }, 10s));
  std::ofstream(volume / "marker") << "kept\n";
  ASSERT_TRUE(cluster->master().agentDown(old.agentId).isOk());
  ASSERT_TRUE(pollUntil(
      [&] { return recoveryMessage().find("permanent-failure timeout 10m") != std::string::npos; },
      30s))
      << plan("recovery").dump();
  ASSERT_TRUE(cluster->master().agentUp(old.agentId).isOk());

  PodTask back;
  ASSERT_TRUE(pollUntil(
      [&] {
        back = pod();
        return back.state == "TASK_RUNNING" && back.taskId != old.taskId;
      },
      60s))
      << plan("recovery").dump();
  EXPECT_EQ(back.agentId, old.agentId);
  EXPECT_EQ(back.persistenceId, old.persistenceId) << "the same volume";
  EXPECT_TRUE(std::filesystem::exists(volume / "marker")) << "its data intact";
  EXPECT_NE(recoveryMessage().find("RecoveryType: TRANSIENT"), std::string::npos)
      << recoveryMessage();
  EXPECT_TRUE(
      pollUntil([&] { return recoveryMessage().find("failed since") == std::string::npos; }, 10s))
      << recoveryMessage();
}

}  // namespace
}  // namespace keel::scheduler::e2e
