// End to end: the operator's plan and task API of a ServiceRunner against a
// real LocalCluster, driven over the scheduler's real HTTP API: interrupt and
// continue mid-deploy, restart of a block, forceComplete, task connection
// ports, a step that cannot be placed and why, and `keel run` refusing an
// invalid spec before it subscribes.
#include <fstream>

#include "scheduler/e2e_fixture.h"

namespace keel::scheduler::e2e {
namespace {

// Three serial steps whose readiness check passes once the test creates the
// gate file: the first step stays STARTED (running, not ready) until then.
constexpr const char* kGatedSpec = R"(name: gated
pods:
  app:
    count: 3
    tasks:
      node:
        goal: RUNNING
        cmd: sleep 600
        cpus: 0.1
        memory: 32
        readiness-check:
          cmd: test -f {{GATE}}
          interval: 1
          delay: 0
          timeout: 5
)";

constexpr const char* kOneTaskSpec = R"(name: single
pods:
  app:
    count: 1
    tasks:
      node:
        goal: RUNNING
        cmd: sleep 600
        cpus: 0.1
        memory: 32
)";

// `small` fits any agent (2 cpus, 2048 MB each); `big` fits none.
constexpr const char* kTooBigSpec = R"(name: toobig
pods:
  small:
    count: 1
    tasks:
      node:
        goal: RUNNING
        cmd: sleep 600
        cpus: 0.1
        memory: 32
  big:
    count: 1
    tasks:
      node:
        goal: RUNNING
        cmd: sleep 600
        cpus: 64
        memory: 32
)";

// A dynamic port and a fixed one (in the first agent's 31000-31099).
constexpr const char* kPortsSpec = R"(name: ported
pods:
  web:
    count: 1
    tasks:
      server:
        goal: RUNNING
        cmd: sleep 600
        cpus: 0.1
        memory: 32
        ports:
          http:
            port: 0
          admin:
            port: 31050
)";

class OperatorE2eTest : public SchedulerE2eTest {};

TEST_F(OperatorE2eTest, InterruptMidDeployLetsRunningStepsFinishAndContinueResumes) {
  std::string gate = (dir.path() / "gate").string();
  startRunner(specFromYaml(kGatedSpec, {{"GATE", gate}}));
  ASSERT_TRUE(pollUntil([&] { return stepStatus("deploy", "app-0") == "STARTED"; }, 30s, 20ms))
      << plan("deploy").dump();
  EXPECT_EQ(stepStatus("deploy", "app-1"), "PENDING") << "serial: app-1 waits for app-0";

  Reply interrupted = post("/v1/plans/deploy/interrupt");
  ASSERT_EQ(interrupted.status, 200) << interrupted.text;
  std::ofstream(gate) << "open\n";
  // The running step finishes...
  ASSERT_TRUE(pollUntil([&] { return stepStatus("deploy", "app-0") == "COMPLETE"; }, 30s, 20ms))
      << plan("deploy").dump();
  EXPECT_NE(planStatus("deploy"), "COMPLETE");
  // ... and no new one starts while the plan is interrupted: several offer
  // cycles (100 ms allocation, 200 ms ticks) go by without app-1.
  EXPECT_FALSE(pollUntil(
      [&] { return stepStatus("deploy", "app-1") != "PENDING" || masterTasks().size() != 1; },
      1500ms, 50ms))
      << plan("deploy").dump();
  EXPECT_EQ(masterTasks().count("app-1-node"), 0u);

  Reply continued = post("/v1/plans/deploy/continue");
  ASSERT_EQ(continued.status, 200) << continued.text;
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE")) << plan("deploy").dump();
  std::map<std::string, mesos::TaskState> tasks = masterTasks();
  EXPECT_EQ(tasks.size(), 3u);
  for (const auto& [name, state] : tasks) EXPECT_EQ(state, mesos::TaskState::kTaskRunning) << name;
}

TEST_F(OperatorE2eTest, RestartOfABlockRelaunchesItWithANewTaskId) {
  startRunner(specFromYaml(kOneTaskSpec));
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE")) << plan("deploy").dump();
  std::string first = taskId("app-0", "app-0-node");
  ASSERT_FALSE(first.empty());

  // The tutorial's seed-era form, then the current one.
  std::vector<std::string> ids = {first};
  for (const char* path : {"/v1/plan/restart?phase=app&block=app-0",
                           "/v1/plans/deploy/restart?phase=app&step=app-0"}) {
    Reply restarted = post(path);
    ASSERT_EQ(restarted.status, 200) << path << ": " << restarted.text;
    ASSERT_TRUE(pollUntil(
        [&] {
          std::string id = taskId("app-0", "app-0-node");
          return !id.empty() && id != ids.back() && stepStatus("deploy", "app-0") == "COMPLETE";
        },
        30s, 20ms))
        << path << ": " << plan("deploy").dump();
    ids.push_back(taskId("app-0", "app-0-node"));
    std::map<std::string, mesos::TaskState> tasks = masterTasks();
    ASSERT_EQ(tasks.size(), 1u) << "the old launch was killed";
    EXPECT_EQ(tasks["app-0-node"], mesos::TaskState::kTaskRunning);
  }
  bool runsNewest = false;
  cluster->master().inspect([&](const local::MasterState& s) {
    for (const auto& [key, task] : s.tasks()) {
      if (task.info.taskId.value == ids.back()) {
        runsNewest = task.latest.state == mesos::TaskState::kTaskRunning;
      }
    }
  });
  EXPECT_TRUE(runsNewest) << ids.back();
  EXPECT_EQ(planStatus("deploy"), "COMPLETE");
}

TEST_F(OperatorE2eTest, ForceCompleteCompletesAStepThatCannotBePlaced) {
  startRunner(specFromYaml(kTooBigSpec));
  ASSERT_TRUE(pollUntil(
      [&] {
        return step("deploy", "big-0").value("message", "").find("cpus") != std::string::npos;
      },
      30s, 20ms))
      << plan("deploy").dump();
  EXPECT_EQ(stepStatus("deploy", "big-0"), "PENDING");

  Reply forced = post("/v1/plans/deploy/forceComplete?phase=big&step=big-0");
  ASSERT_EQ(forced.status, 200) << forced.text;
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE")) << plan("deploy").dump();
  EXPECT_EQ(stepStatus("deploy", "big-0"), "COMPLETE");
  EXPECT_EQ(masterTasks().count("big-0-node"), 0u);
  EXPECT_EQ(masterTasks().count("small-0-node"), 1u);
}

// "31000,31050" from the task's reserved port ranges, as the master holds them.
std::string masterPorts(local::Master& master, const std::string& taskName) {
  std::string out;
  master.inspect([&](const local::MasterState& s) {
    for (const auto& [key, task] : s.tasks()) {
      if (task.info.name != taskName) continue;
      for (const mesos::Resource& r : task.info.resources) {
        if (r.name != "ports" || !r.ranges) continue;
        for (const mesos::Value::Range& range : r.ranges->range) {
          if (!out.empty()) out += ",";
          out += std::to_string(range.begin);
          if (range.end != range.begin) out += "-" + std::to_string(range.end);
        }
      }
    }
  });
  return out;
}

TEST_F(OperatorE2eTest, TaskConnectionShowsTheTasksReservedPorts) {
  startRunner(specFromYaml(kPortsSpec));
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE")) << plan("deploy").dump();
  Reply connection = get("/v1/tasks/connection/web-0-server");
  ASSERT_EQ(connection.status, 200) << connection.text;
  std::string ports = connection.body.value("ports", "");
  EXPECT_EQ(ports, masterPorts(cluster->master(), "web-0-server"));
  EXPECT_NE(ports.find(','), std::string::npos) << ports;
  EXPECT_NE(ports.find("31050"), std::string::npos) << ports;
  EXPECT_EQ(connection.body.value("dns", "").rfind("web-0-server.", 0), 0u) << connection.text;
  EXPECT_EQ(get("/v1/tasks/connection/web-9-server").status, 404);
}

int64_t sum(const json& counts) {
  int64_t n = 0;
  for (const auto& [key, value] : counts.items()) n += value.get<int64_t>();
  return n;
}

TEST_F(OperatorE2eTest, TooFewResourcesLeaveTheStepPendingWithReasonsInDebugOffers) {
  startRunner(specFromYaml(kTooBigSpec));
  ASSERT_TRUE(pollUntil(
      [&] {
        json offers = get("/v2/debug/offers?plan=deploy&step=big-0").body;
        return offers.is_object() && offers.value("rejectedCount", 0) >= 3;
      },
      30s, 20ms))
      << get("/v2/debug/offers").text;
  json big = step("deploy", "big-0");
  EXPECT_EQ(big.value("status", ""), "PENDING");
  std::string message = big.value("message", "");
  EXPECT_NE(message.find("no offer fits"), std::string::npos) << message;
  EXPECT_NE(message.find("cpus"), std::string::npos) << message;

  json offers = get("/v2/debug/offers?plan=deploy&step=big-0").body;
  EXPECT_EQ(offers["acceptedCount"], 0) << offers.dump();
  EXPECT_EQ(sum(offers["failureReasons"]), offers["rejectedCount"].get<int64_t>());
  EXPECT_EQ(sum(offers["rejectedAgents"]), offers["rejectedCount"].get<int64_t>());
  ASSERT_FALSE(offers["outcomes"].empty());
  for (const json& o : offers["outcomes"]) {
    EXPECT_EQ(o["podInstanceName"], "big-0");
    EXPECT_FALSE(o["pass"].get<bool>());
    std::string last = o["outcomeDetails"].back();
    EXPECT_EQ(last.rfind("FAIL(", 0), 0u) << last;
  }
  // A filter counts only what it selects: the small pod was placed at once.
  json small = get("/v2/debug/offers?phase=small").body;
  EXPECT_EQ(small["acceptedCount"], 1) << small.dump();
  EXPECT_EQ(small["rejectedCount"], 0) << small.dump();
  EXPECT_TRUE(small["failureReasons"].empty()) << small.dump();
  json all = get("/v2/debug/offers").body;
  EXPECT_GE(all["rejectedCount"].get<int64_t>(), offers["rejectedCount"].get<int64_t>());
  EXPECT_GE(all["acceptedCount"].get<int64_t>(), 1);
}

TEST_F(OperatorE2eTest, KeelRunRefusesAnInvalidSpecBeforeSubscribing) {
  std::string bad = (dir.path() / "svc.yml").string();
  std::ofstream(bad) << R"(name: broken
pods:
  app:
    count: 1
    tasks:
      node:
        goal: RUNNING
        cpus: lots
        memory: 32
)";
  std::string stateDir = (dir.path() / "broken-state").string();
  Exit run = runKeel("run " + bad + " --master " + cluster->url() + " --state-dir " + stateDir,
                     dir.path());
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_NE(run.err.find("svc.yml:8:9: pods.app.tasks.node.cpus"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'lots'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("nothing was started"), std::string::npos) << run.err;
  EXPECT_EQ(frameworkCount(), 0u);
  EXPECT_FALSE(std::filesystem::exists(stateDir)) << "no state written for a refused spec";
}

}  // namespace
}  // namespace keel::scheduler::e2e
