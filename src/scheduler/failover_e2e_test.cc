// End to end, with real processes for everything: keel's local cluster and
// the data-store scheduler run as `keel` processes; tasks, executors, the
// scheduler and the cluster are killed with SIGKILL, agents taken down,
// brought back and removed. Each test checks what issue 5 promises: failed
// tasks come back on their volumes with their data, a restarted scheduler
// neither relaunches running tasks nor leaks reservations or volumes, and a
// restarted cluster re-adopts the tasks that kept running.
#include <algorithm>
#include <fstream>
#include <functional>
#include <sstream>

#include "scheduler/process_fixture.h"

namespace keel::scheduler::e2e {
namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeMarker(const std::string& volume) {
  std::ofstream(volume + "/marker") << "written before the failure\n";
}

bool hasMarker(const std::string& volume) {
  return readAll(volume + "/marker") == "written before the failure\n";
}

// The parent of `pid` (field 4 of /proc/<pid>/stat), or -1.
pid_t parentOf(pid_t pid) {
  std::string stat = readAll("/proc/" + std::to_string(pid) + "/stat");
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 2));
  std::string state;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return ppid;
}

class FailoverE2eTest : public ProcessE2eTest {
 protected:
  void deploy() {
    startScheduler();
    ASSERT_TRUE(waitForPlan("deploy", "COMPLETE")) << api("GET", "/v1/plans/deploy").body.dump();
  }
  // Waits until task `name` runs with an id other than `oldId`.
  bool waitRelaunched(const std::string& name, const std::string& oldId, Duration deadline = 60s) {
    return pollUntil(
        [&] {
          auto live = liveTasks();
          auto it = live.find(name);
          return it != live.end() && it->second.id != oldId && it->second.state == "TASK_RUNNING";
        },
        deadline, 50ms);
  }
  std::string recoveryMessage(const std::string& instance) {
    json plan = api("GET", "/v1/plans/recovery").body;
    for (const json& phase : plan.value("phases", json::array()))
      for (const json& s : phase["steps"])
        if (s.value("name", "") == instance) return s.value("message", "");
    return "";
  }
  // No agent holds a reservation without running a task of the service.
  bool noStrayReservations() { return reservedAgents() == agentsWithTasks(); }
  // Transient recovery of `name`, killed by `kill`: same agent, same volume,
  // the data intact.
  void expectRecoveredInPlace(const std::string& name, const std::function<void(pid_t)>& kill) {
    LiveTask before = liveTasks()[name];
    std::string volume = volumeOf(name);
    ASSERT_FALSE(volume.empty()) << clusterState().dump();
    writeMarker(volume);
    pid_t pid = taskPid(before.id);
    ASSERT_GT(pid, 0) << "no process runs in the sandbox of " << before.id;
    kill(pid);
    ASSERT_TRUE(waitRelaunched(name, before.id)) << clusterState()["tasks"].dump();
    EXPECT_EQ(liveTasks()[name].agentId, before.agentId);
    EXPECT_EQ(volumeOf(name), volume);
    EXPECT_TRUE(hasMarker(volume));
    // The relaunched command appends its line after it is RUNNING.
    std::string output;
    EXPECT_TRUE(pollUntil(
        [&] {
          output = readAll(volume + "/output");
          return std::count(output.begin(), output.end(), '\n') == 2;
        },
        10s))
        << output;
    std::string instance = name.substr(0, name.rfind('-'));
    EXPECT_TRUE(pollUntil(
        [&] { return recoveryMessage(instance).find("TRANSIENT") != std::string::npos; }, 10s))
        << api("GET", "/v1/plans/recovery").body.dump();
  }
};

TEST_F(FailoverE2eTest, TaskOrExecutorKilledWithSigkillComesBackOnItsVolume) {
  deploy();
  expectRecoveredInPlace("data-0-node", [](pid_t task) { ::kill(task, SIGKILL); });
  expectRecoveredInPlace("data-1-node", [](pid_t task) {
    pid_t executor = parentOf(task);
    ASSERT_GT(executor, 1);
    EXPECT_NE(readAll("/proc/" + std::to_string(executor) + "/cmdline").find("keel-executor"),
              std::string::npos);
    ::kill(executor, SIGKILL);
  });
  std::map<std::string, int> launched = launches();
  EXPECT_EQ(launched["data-0-node"], 2);
  EXPECT_EQ(launched["data-1-node"], 2);
  EXPECT_EQ(launched["data-2-node"], 1);
  EXPECT_EQ(launched["meta-data-0-node"], 1);
}

TEST_F(FailoverE2eTest, AgentDownAndBackRelaunchesInPlaceAgentRemovedIsReplaced) {
  deploy();
  LiveTask data2 = liveTasks()["data-2-node"];
  std::string volume = volumeOf("data-2-node");
  writeMarker(volume);
  ASSERT_EQ(httpCall(clusterUrl_, "POST", "/agents/" + data2.agentId + "/down").status, 200);
  ASSERT_TRUE(pollUntil([&] { return liveTasks().count("data-2-node") == 0; }, 30s));
  // The recovery step waits for the agent: its resources are offered nowhere else.
  EXPECT_TRUE(pollUntil(
      [&] { return recoveryMessage("data-2").find("TRANSIENT") != std::string::npos; }, 15s))
      << api("GET", "/v1/plans/recovery").body.dump();
  EXPECT_NE(planStatus("recovery"), "COMPLETE");
  ASSERT_EQ(httpCall(clusterUrl_, "POST", "/agents/" + data2.agentId + "/up").status, 200);
  ASSERT_TRUE(waitRelaunched("data-2-node", data2.id));
  EXPECT_EQ(liveTasks()["data-2-node"].agentId, data2.agentId);
  EXPECT_EQ(volumeOf("data-2-node"), volume);
  EXPECT_TRUE(hasMarker(volume));

  LiveTask data1 = liveTasks()["data-1-node"];
  std::string oldVolume = volumeOf("data-1-node");
  ASSERT_EQ(httpCall(clusterUrl_, "DELETE", "/agents/" + data1.agentId).status, 200);
  ASSERT_TRUE(waitRelaunched("data-1-node", data1.id));
  EXPECT_NE(liveTasks()["data-1-node"].agentId, data1.agentId);
  EXPECT_NE(volumeOf("data-1-node"), oldVolume);
  EXPECT_NE(recoveryMessage("data-1").find("PERMANENT"), std::string::npos)
      << api("GET", "/v1/plans/recovery").body.dump();
  EXPECT_TRUE(waitForPlan("recovery", "COMPLETE"));
}

TEST_F(FailoverE2eTest, SchedulerKilledDuringDeployAndRecoveryFinishesWithoutDuplicates) {
  startScheduler();
  ASSERT_TRUE(pollUntil([&] { return liveTasks().count("data-0-node") == 1; }, 60s));
  killScheduler();
  std::map<std::string, LiveTask> before = liveTasks();
  startScheduler();
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE")) << api("GET", "/v1/plans/deploy").body.dump();
  std::map<std::string, LiveTask> after = liveTasks();
  EXPECT_EQ(after.size(), 5u);
  for (const auto& [name, task] : before) {
    if (task.state == "TASK_RUNNING") {
      EXPECT_EQ(after[name].id, task.id) << name;
    }
  }
  for (const auto& [name, n] : launches()) EXPECT_LE(n, before.count(name) ? 1 : 2) << name;

  LiveTask data0 = after["data-0-node"];
  std::string oldVolume = volumeOf("data-0-node");
  ASSERT_EQ(api("POST", "/v1/pod/data-0/replace").status, 200);
  killScheduler();
  startScheduler();
  ASSERT_TRUE(waitRelaunched("data-0-node", data0.id));
  ASSERT_TRUE(waitForPlan("recovery", "COMPLETE"));
  EXPECT_NE(volumeOf("data-0-node"), oldVolume);
  EXPECT_TRUE(pollUntil([&] { return volumeCount() == 5u && noStrayReservations(); }, 30s))
      << clusterState().dump();
  EXPECT_FALSE(std::filesystem::exists(oldVolume));
  EXPECT_EQ(launches()["data-0-node"], 2);
}

TEST_F(FailoverE2eTest, ClusterKilledWithSigkillReadoptsTasksAndTheSchedulerCarriesOn) {
  deploy();
  std::map<std::string, LiveTask> before = liveTasks();
  std::string volume = volumeOf("data-0-node");
  writeMarker(volume);
  killCluster();
  startCluster();
  ASSERT_TRUE(pollUntil(
      [&] {
        auto now = liveTasks();
        if (now.size() != before.size()) return false;
        for (const auto& [name, task] : before) {
          if (now[name].id != task.id || now[name].state != "TASK_RUNNING") return false;
        }
        return true;
      },
      30s))
      << clusterState()["tasks"].dump();
  EXPECT_TRUE(hasMarker(volume));
  // The scheduler found the restarted cluster: it recovers a task killed now.
  pid_t pid = taskPid(before["data-0-node"].id);
  ASSERT_GT(pid, 0);
  ::kill(pid, SIGKILL);
  ASSERT_TRUE(waitRelaunched("data-0-node", before["data-0-node"].id));
  EXPECT_EQ(volumeOf("data-0-node"), volume);
  EXPECT_TRUE(hasMarker(volume));
  EXPECT_EQ(planStatus("deploy"), "COMPLETE");
  for (const auto& [name, n] : launches()) EXPECT_EQ(n, name == "data-0-node" ? 2 : 1) << name;
}

}  // namespace
}  // namespace keel::scheduler::e2e
