// The agent runtime with real processes: keel-executor, tasks, checks.
#include "cluster/local/agent_runtime.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "cluster/local/agent_run.h"
#include "cluster/local/cgroups.h"
#include "cluster/local/process_util.h"
#include "keel/ids.h"
#include "testing/paths.h"
#include "testing/poll.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kDeadline = 10s;

TaskLaunch task(const std::string& id, const std::string& command) {
  TaskLaunch t;
  t.taskId = id;
  t.name = id;
  t.command = command;
  return t;
}

// Live (not zombie) children of this process running `keel-executor
// --launcher` that lead no session (the executors forked by a launcher show
// the same command line, in sessions of their own).
std::vector<pid_t> launcherChildren() {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = readFile(entry.path() / "stat").value_or("");
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    pid_t parent = 0, group = 0, session = 0;
    if (std::sscanf(stat.c_str() + close + 2, "%c %d %d %d", &state, &parent, &group, &session) !=
        4)
      continue;
    pid_t pid = std::stoi(name);
    std::string cmdline = readFile(entry.path() / "cmdline").value_or("");
    if (parent == ::getpid() && state != 'Z' && session != pid &&
        cmdline.find("--launcher") != std::string::npos)
      out.push_back(pid);
  }
  return out;
}

LaunchRequest request(const std::string& executorId, std::vector<TaskLaunch> tasks,
                      bool group = true) {
  LaunchRequest r;
  r.frameworkId = "fw-1";
  r.agentId = "ignored";
  r.executorId = executorId;
  r.taskGroup = group;
  r.tasks = std::move(tasks);
  return r;
}

class AgentRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    agentId_ = "agent-" + randomUuid().substr(0, 8);
    runtime_ = makeRuntime();
  }

  void TearDown() override {
    if (runtime_) {
      EXPECT_TRUE(runtime_->killAll());
    }
    runtime_.reset();
    CgroupPlan plan = detectCgroups(agentId_, true);
    for (const auto& root : {plan.memoryRoot, plan.cpuRoot}) {
      if (!root.empty()) ::rmdir(root.c_str());
    }
  }

  std::unique_ptr<AgentRuntime> makeRuntime(
      Duration executorReconnectTimeout = kDefaultExecutorReconnectTimeout,
      bool forkExecutors = true) {
    AgentRuntimeOptions o;
    o.agentId = agentId_;
    o.forkExecutors = forkExecutors;
    o.executorReconnectTimeout = executorReconnectTimeout;
    o.workDir = dir_.file("agent");
    o.executorBinary = keel::testing::binaryDir() + "/src/cluster/local/keel-executor";
    auto made = makeAgentRuntime(o);
    EXPECT_TRUE(made) << made.error();
    return made ? std::move(*made) : nullptr;
  }

  // Drains events into the log (acknowledging task updates when ack_ is set)
  // until `done` holds or the deadline passes.
  bool waitFor(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (!runtime_) {  // no runtime to wait on: poll the condition
        std::this_thread::sleep_for(5ms);
        continue;
      }
      for (auto& event : runtime_->pollEvents(Duration(50))) {
        if (auto* e = std::get_if<TaskEvent>(&event)) {
          if (ack_) runtime_->acknowledge(e->taskId, e->uuid);
          updates_.push_back(*e);
        } else {
          exits_.push_back(std::get<ExecutorExited>(event));
        }
      }
    }
    return true;
  }

  std::vector<std::string> states(const std::string& taskId) const {
    std::vector<std::string> out;
    for (const auto& e : updates_) {
      if (e.taskId == taskId && (out.empty() || out.back() != e.state)) out.push_back(e.state);
    }
    return out;
  }
  std::optional<TaskEvent> last(const std::string& taskId) const {
    for (auto it = updates_.rbegin(); it != updates_.rend(); ++it) {
      if (it->taskId == taskId) return *it;
    }
    return std::nullopt;
  }
  bool reached(const std::string& taskId, const std::string& state) const {
    auto s = states(taskId);
    return std::find(s.begin(), s.end(), state) != s.end();
  }
  bool waitForState(const std::string& taskId, const std::string& state) {
    return waitFor([&] { return reached(taskId, state); });
  }
  std::string sandbox(const std::string& executorId, const std::string& taskId) const {
    for (const auto& run : listRunDirs(dir_.file("agent"))) {
      if (run.find("/executors/" + executorId + "/") != std::string::npos)
        return run + "/tasks/" + taskId;
    }
    return "<no run>";
  }
  bool waitForFile(const std::string& path) {
    return waitFor([&] { return fs::exists(path); });
  }

  // The executor process and its task's process of the run of `executorId`.
  std::pair<RunFiles, TaskRecord> runOf(const std::string& executorId, const std::string& taskId) {
    for (const auto& dir : listRunDirs(dir_.file("agent"))) {
      auto run = loadRun(dir);
      if (run && run->config.executorId == executorId) return {*run, run->tasks[taskId]};
    }
    return {};
  }

  testing::TempDir dir_;
  std::string agentId_;
  std::unique_ptr<AgentRuntime> runtime_;
  std::vector<TaskEvent> updates_;
  std::vector<ExecutorExited> exits_;
  bool ack_ = true;
};

using Strings = std::vector<std::string>;

TEST_F(AgentRuntimeTest, ATaskWritesIntoItsVolumeAndFinishes) {
  std::string volume = dir_.file("agent/volumes/roles/r/v1");
  fs::create_directories(volume);
  TaskLaunch t = task("writer", "echo hello > data/out");
  t.volumes = {{volume, "data", false}};
  ASSERT_TRUE(runtime_->launch(request("e1", {t}, false)));
  ASSERT_TRUE(waitForState("writer", "TASK_FINISHED"));
  EXPECT_EQ(states("writer"), (Strings{"TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"}));
  EXPECT_EQ(last("writer")->message, "Command exited with status 0");
  EXPECT_EQ(last("writer")->source, "SOURCE_EXECUTOR");
  EXPECT_EQ(readFile(volume + "/out").value_or(""), "hello\n");
  ASSERT_TRUE(waitFor([&] { return !exits_.empty(); }));
  EXPECT_EQ(exits_[0].executorId, "e1");
  EXPECT_EQ(exits_[0].waitStatus, 0);
}

TEST_F(AgentRuntimeTest, TheTaskSeesTheMesosEnvironmentItsVariablesAndRlimits) {
  TaskLaunch t = task("env",
                      "echo "
                      "\"$FOO|$MESOS_TASK_ID|$MESOS_FRAMEWORK_ID|$MESOS_EXECUTOR_ID|$MESOS_AGENT_"
                      "ID|$MESOS_SANDBOX|$(ulimit -n)|$(pwd)\" > seen");
  t.env = {{"FOO", "bar"}};
  t.rlimits = {{"RLMT_NOFILE", 123, 123}};
  ASSERT_TRUE(runtime_->launch(request("e-env", {t})));
  ASSERT_TRUE(waitForState("env", "TASK_FINISHED"));
  std::string box = sandbox("e-env", "env");
  EXPECT_EQ(readFile(box + "/seen").value_or(""),
            "bar|env|fw-1|e-env|" + agentId_ + "|" + box + "|123|" + box + "\n");
}

TEST_F(AgentRuntimeTest, ANonZeroExitIsTaskFailedWithTheStatus) {
  ASSERT_TRUE(runtime_->launch(request("e1", {task("bad", "exit 3")}, false)));
  ASSERT_TRUE(waitForState("bad", "TASK_FAILED"));
  EXPECT_EQ(last("bad")->message, "Command exited with status 3");
}

TEST_F(AgentRuntimeTest, AnUnknownRlimitFailsTheLaunchWithTheReason) {
  TaskLaunch t = task("odd", "true");
  t.rlimits = {{"RLMT_WISHES", 1, 1}};
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitForState("odd", "TASK_FAILED"));
  EXPECT_EQ(states("odd"), (Strings{"TASK_STARTING", "TASK_FAILED"}));
  EXPECT_EQ(last("odd")->reason, "REASON_CONTAINER_LAUNCH_FAILED");
  EXPECT_NE(last("odd")->message.find("RLMT_WISHES"), std::string::npos);
}

TEST_F(AgentRuntimeTest, AKilledTaskThatHandlesSigtermEndsKilledWithinItsGrace) {
  TaskLaunch t = task("polite", "trap 'exit 0' TERM; touch ready; while true; do sleep 0.05; done");
  t.killGracePeriod = Duration(5000);
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitForFile(sandbox("e1", "polite") + "/ready"));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(runtime_->kill("polite", std::nullopt));
  ASSERT_TRUE(waitForState("polite", "TASK_KILLED"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  EXPECT_EQ(states("polite"),
            (Strings{"TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_KILLED"}));
  EXPECT_EQ(last("polite")->message, "Command exited with status 0");
}

TEST_F(AgentRuntimeTest, ATaskIgnoringSigtermIsSigkilledAfterTheGracePeriod) {
  TaskLaunch t = task("stubborn", "trap '' TERM; touch ready; while true; do sleep 0.05; done");
  t.killGracePeriod = Duration(10000);
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitForFile(sandbox("e1", "stubborn") + "/ready"));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(runtime_->kill("stubborn", Duration(300)));  // overrides the task's 10 s
  ASSERT_TRUE(waitForState("stubborn", "TASK_KILLED"));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 5s);
  EXPECT_EQ(last("stubborn")->message, "Command terminated with signal Killed");
}

TEST_F(AgentRuntimeTest, KillingReachesTheTasksGrandchildren) {
  ASSERT_TRUE(runtime_->launch(
      request("e1", {task("tree", "sh -c 'sleep 1000 & echo $! > gc.pid; wait' & wait")})));
  std::string pidFile = sandbox("e1", "tree") + "/gc.pid";
  ASSERT_TRUE(
      waitFor([&] { return readFile(pidFile).value_or("").find('\n') != std::string::npos; }));
  pid_t grandchild = std::stoi(*readFile(pidFile));
  ASSERT_TRUE(processStartTime(grandchild).has_value());
  ASSERT_TRUE(runtime_->kill("tree", Duration(200)));
  ASSERT_TRUE(waitForState("tree", "TASK_KILLED"));
  EXPECT_TRUE(waitFor([&] { return !processStartTime(grandchild).has_value(); }));
}

TEST_F(AgentRuntimeTest, WhatAFinishedTaskLeavesRunningIsKilled) {
  ASSERT_TRUE(runtime_->launch(request("e1", {task("leaver", "sleep 1000 & echo $! > bg.pid")})));
  ASSERT_TRUE(waitForState("leaver", "TASK_FINISHED"));
  pid_t background = std::stoi(readFile(sandbox("e1", "leaver") + "/bg.pid").value_or("0"));
  ASSERT_GT(background, 0);
  EXPECT_TRUE(waitFor([&] { return !processStartTime(background).has_value(); }));
}

TEST_F(AgentRuntimeTest, HealthCheckFailuresKillTheTaskAndAreReported) {
  TaskLaunch t = task("sick", "sleep 1000");
  t.healthCheck = HealthCheckSpec{{CheckKind::kCommand, "exit 1", {}, 0, "/"},
                                  Seconds(0),
                                  Seconds(0.05),
                                  Seconds(2),
                                  Seconds(0),
                                  2};
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitForState("sick", "TASK_KILLED"));
  EXPECT_EQ(states("sick"),
            (Strings{"TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_KILLED"}));
  auto unhealthy = std::find_if(updates_.begin(), updates_.end(), [](const TaskEvent& e) {
    return e.reason == "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";
  });
  ASSERT_NE(unhealthy, updates_.end());
  EXPECT_EQ(unhealthy->state, "TASK_RUNNING");
  EXPECT_EQ(unhealthy->healthy, false);
  EXPECT_EQ(last("sick")->healthy, false);
}

TEST_F(AgentRuntimeTest, TcpAndHttpHealthChecksReportHealthy) {
  httplib::Server server;
  server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::yield();
  TaskLaunch http = task("http", "sleep 1000");
  http.healthCheck =
      HealthCheckSpec{{CheckKind::kHttp, "", {}, static_cast<uint16_t>(port), "/health"},
                      Seconds(0),
                      Seconds(0.05),
                      Seconds(2),
                      Seconds(0),
                      3};
  TaskLaunch tcp = task("tcp", "sleep 1000");
  tcp.healthCheck = HealthCheckSpec{{CheckKind::kTcp, "", {}, static_cast<uint16_t>(port), "/"},
                                    Seconds(0),
                                    Seconds(0.05),
                                    Seconds(2),
                                    Seconds(0),
                                    3};
  ASSERT_TRUE(runtime_->launch(request("e1", {http, tcp})));
  bool healthy = waitFor([&] {
    return last("http") && last("http")->healthy == true && last("tcp") &&
           last("tcp")->healthy == true;
  });
  server.stop();
  serving.join();
  EXPECT_TRUE(healthy);
}

TEST_F(AgentRuntimeTest, CheckResultsAreReportedWhenTheyChange) {
  TaskLaunch t = task("ready", "sleep 1000");
  t.check = CheckSpec{
      {CheckKind::kCommand, "test -f marker", {}, 0, "/"}, Seconds(0), Seconds(0.05), Seconds(2)};
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitFor([&] { return last("ready") && last("ready")->checkExitCode == 1; }));
  std::ofstream(sandbox("e1", "ready") + "/marker") << "";
  ASSERT_TRUE(waitFor([&] { return last("ready") && last("ready")->checkExitCode == 0; }));
  std::vector<int> codes;
  for (const auto& e : updates_) {
    if (e.reason == "REASON_TASK_CHECK_STATUS_UPDATED") {
      EXPECT_EQ(e.state, "TASK_RUNNING");
      codes.push_back(e.checkExitCode.value_or(-1));
    }
  }
  EXPECT_EQ(codes, (std::vector<int>{1, 0}));  // reported once per change
}

TEST_F(AgentRuntimeTest, UrisAreFetchedIntoTheSandboxBeforeTheTaskStarts) {
  fs::create_directories(dir_.file("pkg/conf"));
  std::ofstream(dir_.file("plain.txt")) << "plain ";
  std::ofstream(dir_.file("pkg/conf/app.conf")) << "conf ";
  ASSERT_EQ(std::system(
                ("tar -czf " + dir_.file("pkg.tgz") + " -C " + dir_.file("pkg") + " conf").c_str()),
            0);
  httplib::Server server;
  server.Get("/run.sh", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("echo from-http", "text/plain");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::yield();
  TaskLaunch t = task("fetching", "cat plain.txt conf/app.conf > out; ./run.sh >> out");
  t.uris = {{"file://" + dir_.file("plain.txt"), true, false, ""},
            {dir_.file("pkg.tgz"), true, false, ""},
            {"http://127.0.0.1:" + std::to_string(port) + "/run.sh", false, true, ""}};
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  bool finished = waitForState("fetching", "TASK_FINISHED");
  server.stop();
  serving.join();
  ASSERT_TRUE(finished) << (last("fetching") ? last("fetching")->message : "");
  EXPECT_EQ(readFile(sandbox("e1", "fetching") + "/out").value_or(""), "plain conf from-http\n");
}

TEST_F(AgentRuntimeTest, AFailedFetchFailsTheTaskWithContainerLaunchFailed) {
  TaskLaunch t = task("nofetch", "true");
  t.uris = {{dir_.file("absent.tgz"), true, false, ""}};
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitForState("nofetch", "TASK_FAILED"));
  EXPECT_EQ(last("nofetch")->reason, "REASON_CONTAINER_LAUNCH_FAILED");
  EXPECT_NE(last("nofetch")->message.find("absent.tgz"), std::string::npos);
}

TEST_F(AgentRuntimeTest, AFailedTaskOfAGroupGetsTheOthersKilled) {
  ASSERT_TRUE(runtime_->launch(
      request("pod", {task("crash", "sleep 0.2; exit 1"), task("peer", "sleep 1000")})));
  ASSERT_TRUE(waitForState("peer", "TASK_KILLED"));
  EXPECT_EQ(states("crash").back(), "TASK_FAILED");
  ASSERT_TRUE(waitFor([&] { return !exits_.empty(); }));
}

TEST_F(AgentRuntimeTest, LaterGroupsJoinARunningExecutorAndShutdownKillsThemAll) {
  ASSERT_TRUE(runtime_->launch(request("pod", {task("a", "sleep 1000")})));
  ASSERT_TRUE(runtime_->launch(request("pod", {task("b", "sleep 1000")})));
  ASSERT_TRUE(
      waitFor([&] { return reached("a", "TASK_RUNNING") && reached("b", "TASK_RUNNING"); }));
  EXPECT_EQ(listRunDirs(dir_.file("agent")).size(), 1u);
  ASSERT_TRUE(runtime_->shutdownExecutor("pod"));
  ASSERT_TRUE(waitFor([&] {
    return reached("a", "TASK_KILLED") && reached("b", "TASK_KILLED") && !exits_.empty();
  }));
}

TEST_F(AgentRuntimeTest, InvalidRequestsAreRefusedWithTheReason) {
  ASSERT_TRUE(runtime_->launch(request("e1", {task("dup", "sleep 1000")})));
  EXPECT_EQ(runtime_->launch(request("e2", {task("dup", "true")})).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(runtime_->launch(request("e3", {task("x", "true"), task("x", "true")})).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(runtime_->launch(request("e4", {})).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(runtime_->kill("nobody", std::nullopt).code(), StatusCode::kNotFound);
  EXPECT_EQ(runtime_->shutdownExecutor("nobody").code(), StatusCode::kNotFound);
}

TEST_F(AgentRuntimeTest, TasksRunInTheirOwnCgroupsWhereTheMachineHasThem) {
  if (runtime_->cgroupMode().rfind("disabled", 0) == 0) GTEST_SKIP() << runtime_->cgroupMode();
  TaskLaunch t = task("limited", "cat /proc/self/cgroup > cg");
  t.cpus = 0.5;
  t.memMb = 64;
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitForState("limited", "TASK_FINISHED"));
  std::string cg = readFile(sandbox("e1", "limited") + "/cg").value_or("");
  EXPECT_NE(cg.find("/keel/" + agentId_ + "/limited"), std::string::npos) << cg;
}

// The limits a task group gets (the CFS period is the new group's default,
// not written), and a leftover group of the same name is replaced.
TEST_F(AgentRuntimeTest, TaskCgroupsCarryTheTasksLimits) {
  CgroupPlan plan = detectCgroups(agentId_, true);
  if (plan.mode == CgroupPlan::Mode::kNone) GTEST_SKIP() << plan.description;
  bool v1 = plan.mode == CgroupPlan::Mode::kV1;
  auto value = [](const std::string& file) { return readFile(file).value_or("missing"); };
  for (double cpus : {0.5, 0.25}) {
    auto groups = createTaskCgroups(plan, "limits", cpus, 64);
    ASSERT_TRUE(groups) << groups.error();
    const std::string& cpu = groups->dirs.back();
    std::string quota = std::to_string(static_cast<int>(cpus * 100000));
    if (v1) {
      EXPECT_EQ(value(cpu + "/cpu.cfs_quota_us"), quota + "\n");
      EXPECT_EQ(value(cpu + "/cpu.cfs_period_us"), "100000\n");
      EXPECT_EQ(value(groups->memoryDir + "/memory.limit_in_bytes"), "67108864\n");
    } else {
      EXPECT_EQ(value(cpu + "/cpu.max"), quota + " 100000\n");
      EXPECT_EQ(value(groups->memoryDir + "/memory.max"), "67108864\n");
    }
  }
  TaskCgroups groups = taskCgroupsFor(plan, "limits");
  destroyCgroups(groups);
  for (const auto& dir : groups.dirs) EXPECT_FALSE(fs::exists(dir)) << dir;
}

// The agent's group weighs what the agent offers, the keel group above the
// agents the most the kernel allows.
TEST_F(AgentRuntimeTest, AgentCgroupsWeighWhatTheAgentOffers) {
  CgroupPlan plan = detectCgroups(agentId_, true, 3.0);
  if (plan.mode == CgroupPlan::Mode::kNone) GTEST_SKIP() << plan.description;
  bool v1 = plan.mode == CgroupPlan::Mode::kV1;
  std::string agent = v1 ? plan.cpuRoot : plan.memoryRoot;
  std::string keel = fs::path(agent).parent_path().string();
  const char* file = v1 ? "/cpu.shares" : "/cpu.weight";
  EXPECT_EQ(readFile(agent + file).value_or("missing"), v1 ? "3072\n" : "300\n");
  EXPECT_EQ(readFile(keel + file).value_or("missing"), v1 ? "262144\n" : "10000\n");
}

// A stopped runtime leaves no empty cgroup of its agent behind, and keeps
// the one a still running task needs.
TEST_F(AgentRuntimeTest, AStoppedRuntimeRemovesItsEmptyAgentCgroups) {
  CgroupPlan plan = detectCgroups(agentId_, true);
  if (plan.mode == CgroupPlan::Mode::kNone) GTEST_SKIP() << plan.description;
  TaskLaunch t = task("lasting", "sleep 1000");
  t.cpus = 0.1;
  t.memMb = 64;
  ASSERT_TRUE(runtime_->launch(request("e1", {t})));
  ASSERT_TRUE(waitForState("lasting", "TASK_RUNNING"));
  runtime_.reset();  // the executor and its task keep running
  EXPECT_TRUE(fs::exists(plan.memoryRoot + "/lasting"));
  runtime_ = makeRuntime();
  ASSERT_TRUE(runtime_->recover(true));
  ASSERT_TRUE(runtime_->killAll());
  runtime_.reset();
  EXPECT_FALSE(fs::exists(plan.memoryRoot));
  if (!plan.cpuRoot.empty()) {
    EXPECT_FALSE(fs::exists(plan.cpuRoot));
  }
}

// A task group no process uses (its executor was killed while no runtime
// watched) is removed when the runtime stops, with the agent's groups.
TEST_F(AgentRuntimeTest, AStoppedRuntimeRemovesTaskCgroupsNobodyUses) {
  CgroupPlan plan = detectCgroups(agentId_, true);
  if (plan.mode == CgroupPlan::Mode::kNone) GTEST_SKIP() << plan.description;
  auto orphan = createTaskCgroups(plan, "orphan", 0.1, 64);
  ASSERT_TRUE(orphan.has_value()) << orphan.error();
  ASSERT_TRUE(fs::exists(plan.memoryRoot + "/orphan"));
  runtime_.reset();
  EXPECT_FALSE(fs::exists(plan.memoryRoot + "/orphan"));
  EXPECT_FALSE(fs::exists(plan.memoryRoot));
  if (!plan.cpuRoot.empty()) {
    EXPECT_FALSE(fs::exists(plan.cpuRoot));
  }
}

TEST_F(AgentRuntimeTest, ANewRuntimeAdoptsLiveExecutorsAndReportsDeadOnesGone) {
  ack_ = false;  // nothing acknowledged: the new runtime must deliver again
  ASSERT_TRUE(runtime_->launch(request("alive", {task("survivor", "sleep 1000")})));
  ASSERT_TRUE(runtime_->launch(request("doomed", {task("victim", "sleep 1000")})));
  ASSERT_TRUE(waitFor(
      [&] { return reached("survivor", "TASK_RUNNING") && reached("victim", "TASK_RUNNING"); }));
  std::string firstRunning = last("survivor")->uuid;
  runtime_.reset();  // as if the cluster process died: executors keep running

  pid_t doomed = 0;
  for (const auto& dir : listRunDirs(dir_.file("agent"))) {
    if (dir.find("/doomed/") != std::string::npos) doomed = loadRun(dir)->pid;
  }
  ASSERT_GT(doomed, 0);
  ASSERT_EQ(::kill(doomed, SIGKILL), 0);
  ASSERT_TRUE(waitFor([&] { return !processStartTime(doomed).has_value(); }));

  updates_.clear();
  ack_ = true;
  runtime_ = makeRuntime();
  auto recovered = runtime_->recover(true);
  ASSERT_TRUE(recovered) << recovered.error();
  ASSERT_EQ(recovered->adopted.size(), 1u);
  EXPECT_EQ(recovered->adopted[0].executorId, "alive");
  EXPECT_EQ(recovered->adopted[0].taskIds, Strings{"survivor"});
  std::optional<TaskEvent> gone;
  bool doomedExit = false;
  for (const auto& event : recovered->gone) {
    if (auto* e = std::get_if<TaskEvent>(&event); e && e->state == "TASK_GONE") gone = *e;
    if (auto* x = std::get_if<ExecutorExited>(&event)) doomedExit = x->executorId == "doomed";
  }
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(gone->taskId, "victim");
  EXPECT_EQ(gone->reason, "REASON_EXECUTOR_TERMINATED");
  EXPECT_EQ(gone->source, "SOURCE_AGENT");
  EXPECT_TRUE(doomedExit);

  // The adopted executor re-sends what was never acknowledged, same uuids.
  ASSERT_TRUE(waitFor([&] {
    return std::any_of(updates_.begin(), updates_.end(),
                       [&](const TaskEvent& e) { return e.uuid == firstRunning; });
  }));
  ASSERT_TRUE(runtime_->kill("survivor", Duration(200)));
  ASSERT_TRUE(waitForState("survivor", "TASK_KILLED"));
}

TEST_F(AgentRuntimeTest, RecoveryAfterEverythingWasAcknowledgedReportsNothingTwice) {
  ASSERT_TRUE(runtime_->launch(request("e1", {task("quick", "true")})));
  ASSERT_TRUE(waitFor([&] { return reached("quick", "TASK_FINISHED") && !exits_.empty(); }));
  runtime_ = makeRuntime();
  auto recovered = runtime_->recover(false);
  ASSERT_TRUE(recovered) << recovered.error();
  EXPECT_TRUE(recovered->adopted.empty());
  EXPECT_TRUE(recovered->gone.empty());
}

// A cluster that is gone for good leaves no executors behind: once no
// runtime reconnected within the timeout, the executor kills its task (with
// its kill policy) and exits.
TEST_F(AgentRuntimeTest, AnExecutorNoRuntimeReadoptsKillsItsTasksAndExits) {
  runtime_ = makeRuntime(Duration(300));
  ASSERT_TRUE(runtime_->launch(request("orphan", {task("left", "sleep 1000")})));
  ASSERT_TRUE(waitForState("left", "TASK_RUNNING"));
  auto [run, taskRecord] = runOf("orphan", "left");
  ASSERT_GT(run.pid, 0);
  ASSERT_GT(taskRecord.pid, 0);
  runtime_.reset();  // the cluster process is gone and does not come back

  EXPECT_TRUE(waitFor([&, &run = run, &taskRecord = taskRecord] {
    return !processAlive(run.pid, run.startTime) &&
           !processAlive(taskRecord.pid, taskRecord.startTime);
  }));
  // What it could not deliver is kept for a later recovery.
  auto after = runOf("orphan", "left");
  EXPECT_TRUE(after.first.exited);
  EXPECT_EQ(after.second.state, "TASK_KILLED");
}

// Its state directory deleted (a cluster's temporary directory removed), an
// executor exits at once rather than after the reconnect timeout.
TEST_F(AgentRuntimeTest, AnExecutorWhoseRunDirectoryIsDeletedExitsWithoutWaiting) {
  ASSERT_TRUE(runtime_->launch(request("deleted", {task("left", "sleep 1000")})));
  ASSERT_TRUE(waitForState("left", "TASK_RUNNING"));
  auto [run, taskRecord] = runOf("deleted", "left");
  ASSERT_GT(run.pid, 0);
  runtime_.reset();
  fs::remove_all(dir_.file("agent"));

  EXPECT_TRUE(waitFor([&, &run = run, &taskRecord = taskRecord] {
    return !processAlive(run.pid, run.startTime) &&
           !processAlive(taskRecord.pid, taskRecord.startTime);
  }));
}

}  // namespace
}  // namespace keel::local

namespace keel::local {
namespace {

// Executors are forked by one launcher per runtime; a launcher that died is
// replaced at the next launch, and what it started runs on.
TEST_F(AgentRuntimeTest, AKilledLauncherIsReplacedAndTheNextExecutorStartsAnyway) {
  ASSERT_TRUE(runtime_->launch(request("e1", {task("first", "sleep 1000")})));
  ASSERT_TRUE(waitForState("first", "TASK_RUNNING"));
  std::vector<pid_t> launchers = launcherChildren();
  ASSERT_EQ(launchers.size(), 1u);
  EXPECT_GT(runOf("e1", "first").first.pid, 0);
  ASSERT_EQ(::kill(launchers[0], SIGKILL), 0);
  ASSERT_TRUE(testing::pollUntil([] { return launcherChildren().empty(); }, kDeadline));
  ASSERT_TRUE(runtime_->launch(request("e2", {task("second", "sleep 1000")})));
  ASSERT_TRUE(waitForState("second", "TASK_RUNNING"));
  EXPECT_EQ(states("first"), (std::vector<std::string>{"TASK_STARTING", "TASK_RUNNING"}));
  std::vector<pid_t> now = launcherChildren();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(now[0], launchers[0]);
}

TEST_F(AgentRuntimeTest, WithoutTheLauncherEachExecutorIsSpawnedFromTheBinary) {
  runtime_ = makeRuntime(kDefaultExecutorReconnectTimeout, false);
  ASSERT_TRUE(runtime_->launch(request("e1", {task("spawned", "sleep 1000")})));
  ASSERT_TRUE(waitForState("spawned", "TASK_RUNNING"));
  EXPECT_TRUE(launcherChildren().empty());
  pid_t executor = runOf("e1", "spawned").first.pid;
  std::string cmdline = readFile("/proc/" + std::to_string(executor) + "/cmdline").value_or("");
  EXPECT_NE(cmdline.find("--run-dir"), std::string::npos) << cmdline;
}

}  // namespace
}  // namespace keel::local
