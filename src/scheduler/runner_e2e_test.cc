// End to end: the data-store spec run by ServiceRunner (real SQLite store,
// real HTTP API, MesosClient) against a real LocalCluster (real master,
// keel-executor processes, volume directories), checked over the HTTP API.
#include "keel/scheduler/runner.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "http/fake_scheduler_api.h"
#include "keel/config/task_env.h"
#include "scheduler/e2e_fixture.h"

namespace keel::scheduler::e2e {
namespace {

class RunnerE2eTest : public SchedulerE2eTest {
 protected:
  void startRunner() {
    auto spec = http::loadDataStoreSpec(KEEL_SOURCE_DIR, {});
    ASSERT_TRUE(spec) << spec.error().toString();
    SchedulerE2eTest::startRunner(*spec);
  }
};

TEST_F(RunnerE2eTest, DeploysDataStoreAndRecoversARestartedPodInPlace) {
  startRunner();
  std::string urlFile = stateDir() + "/" + kSchedulerUrlFileName;
  EXPECT_TRUE(std::filesystem::exists(urlFile));
  ASSERT_TRUE(pollUntil([&] { return planStatus("deploy") == "COMPLETE"; }, 120s))
      << request(runner->apiUrl(), "GET", "/v1/plans/deploy").body.dump();
  Reply pods = request(runner->apiUrl(), "GET", "/v1/pod/status");
  int running = 0;
  for (const json& pod : pods.body["pods"]) {
    for (const json& instance : pod["instances"]) {
      for (const json& task : instance["tasks"]) running += task["status"] == "RUNNING";
    }
  }
  EXPECT_EQ(running, 5) << pods.body.dump();

  // A second scheduler on the same state directory is refused.
  auto spec = http::loadDataStoreSpec(KEEL_SOURCE_DIR, {});
  RunnerOptions second;
  second.stateDir = stateDir();
  second.masterUrl = cluster->url();
  second.handleSignals = false;
  Status refused = ServiceRunner(*spec, second).run();
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition) << refused.toString();

  Reply restart = request(runner->apiUrl(), "POST", "/v1/pod/data-1/restart");
  ASSERT_EQ(restart.status, 200) << restart.body.dump();
  ASSERT_TRUE(pollUntil(
      [&] {
        Reply r = request(runner->apiUrl(), "GET", "/v1/plans/recovery");
        return r.body.is_object() && r.body["status"] == "COMPLETE" &&
               r.body["phases"][0]["steps"].size() == 1;
      },
      60s))
      << request(runner->apiUrl(), "GET", "/v1/plans/recovery").body.dump();
  Reply recovery = request(runner->apiUrl(), "GET", "/v1/plans/recovery");
  EXPECT_EQ(recovery.body["phases"][0]["steps"][0]["name"], "data-1");
  EXPECT_NE(recovery.body["phases"][0]["steps"][0]["message"].get<std::string>().find(
                "RecoveryType: TRANSIENT"),
            std::string::npos);

  runner->stop();
  thread.join();
  EXPECT_TRUE(result.isOk()) << result.toString();
  EXPECT_FALSE(std::filesystem::exists(urlFile)) << "removed on a clean exit";
}

// The tutorial's "Task Configuration management": TASKCFG_ALL_* reaches the
// tasks' environment, and a config template rendered against it is in the
// sandbox at its dest before the command runs (the command reads it).
TEST_F(RunnerE2eTest, RendersConfigTemplatesIntoTheSandboxWithTaskcfgValues) {
  auto spec = http::loadDataStoreSpec(KEEL_SOURCE_DIR, {});
  ASSERT_TRUE(spec) << spec.error().toString();
  spec::TaskSpec& task = spec->pods[0].tasks[0];  // meta-data's node
  task.configs.push_back(
      {"app", "app.conf.mustache", "conf/app.conf", "task={{TASK_NAME}} greeting={{GREETING}}\n"});
  task.cmd = "cp conf/app.conf seen-at-start.conf && " + task.cmd;
  SchedulerE2eTest::startRunner(
      config::withRoutedTaskEnv(*spec, {{"TASKCFG_ALL_GREETING", "hello"}}));
  ASSERT_TRUE(pollUntil([&] { return planStatus("deploy") == "COMPLETE"; }, 120s))
      << request(runner->apiUrl(), "GET", "/v1/plans/deploy").body.dump();

  std::map<std::string, std::string> seen;  // task id -> file read at start
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path() / "cluster")) {
    if (entry.path().filename() != "seen-at-start.conf") continue;
    std::ifstream in(entry.path());
    seen[entry.path().parent_path().filename().string()] =
        std::string(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_EQ(seen.size(), 2u) << "one per meta-data task";
  std::set<std::string> texts;
  for (const auto& [taskId, text] : seen) texts.insert(text);
  EXPECT_EQ(texts, (std::set<std::string>{"task=meta-data-0-node greeting=hello\n",
                                          "task=meta-data-1-node greeting=hello\n"}));
  Reply info = request(runner->apiUrl(), "GET", "/v1/pod/meta-data-0/info");
  bool routed = false;
  for (const json& v : info.body[0]["info"]["command"]["environment"]["variables"]) {
    routed = routed || (v["name"] == "GREETING" && v["value"] == "hello");
  }
  EXPECT_TRUE(routed) << info.body.dump();
}

}  // namespace
}  // namespace keel::scheduler::e2e
