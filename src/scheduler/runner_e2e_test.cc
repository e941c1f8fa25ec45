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
#include "testing/paths.h"

namespace keel::scheduler::e2e {
namespace {

class RunnerE2eTest : public SchedulerE2eTest {
 protected:
  void startRunner() {
    auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
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
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
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

// What /v1/pod/<pod>/info says of a pod instance's one task.
struct PodTask {
  std::string state;
  std::string agentId;
  std::string persistenceId;
  std::string incarnationLabel;
  std::string incarnationEnv;
};

PodTask podTask(const std::string& url, const std::string& pod) {
  Reply r = request(url, "GET", "/v1/pod/" + pod + "/info");
  PodTask t;
  if (!r.body.is_array() || r.body.size() != 1) return t;
  const json& info = r.body[0]["info"];
  t.state = r.body[0].value("status", json::object()).value("state", "");
  t.agentId = info["agent_id"].value("value", "");
  for (const json& res : info.value("resources", json::array())) {
    if (res.contains("disk") && res["disk"].contains("persistence")) {
      t.persistenceId = res["disk"]["persistence"].value("id", "");
    }
  }
  for (const json& l : info["labels"].value("labels", json::array())) {
    if (l.value("key", "") == "incarnation") t.incarnationLabel = l.value("value", "");
  }
  for (const json& v : info["command"]["environment"].value("variables", json::array())) {
    if (v.value("name", "") == "POD_INCARNATION") t.incarnationEnv = v.value("value", "");
  }
  return t;
}

TEST_F(RunnerE2eTest, ReplacesAPodOnANewVolumeAndDestroysTheOldOne) {
  startRunner();
  const std::string url = runner->apiUrl();
  ASSERT_TRUE(pollUntil([&] { return planStatus("deploy") == "COMPLETE"; }, 120s))
      << request(url, "GET", "/v1/plans/deploy").body.dump();
  PodTask old = podTask(url, "data-0");
  ASSERT_EQ(old.state, "TASK_RUNNING");
  ASSERT_EQ(old.incarnationLabel, "0");
  ASSERT_EQ(old.incarnationEnv, "0");
  auto volumeDir = [&](const PodTask& t) {
    std::filesystem::path work;
    cluster->master().inspect(
        [&](const local::MasterState& s) { work = s.agents().at(t.agentId).config.workDir; });
    return work / "volumes" / "roles" / "data-store-role" / t.persistenceId;
  };
  std::filesystem::path oldVolume = volumeDir(old);
  ASSERT_TRUE(pollUntil([&] { return std::filesystem::exists(oldVolume / "output"); }, 10s))
      << "the data node writes into its volume: " << oldVolume;
  std::ofstream(oldVolume / "marker") << "written before the replace\n";

  Reply replaced = request(url, "POST", "/v1/pod/data-0/replace");
  ASSERT_EQ(replaced.status, 200) << replaced.body.dump();
  EXPECT_EQ(replaced.body, json::parse(R"({"pod":"data-0","tasks":["data-0-node"]})"));
  PodTask fresh;
  ASSERT_TRUE(pollUntil(
      [&] {
        fresh = podTask(url, "data-0");
        return planStatus("recovery") == "COMPLETE" && fresh.state == "TASK_RUNNING" &&
               fresh.incarnationLabel == "1";
      },
      30s))
      << request(url, "GET", "/v1/plans/recovery").body.dump();
  Reply recovery = request(url, "GET", "/v1/plans/recovery");
  EXPECT_NE(recovery.body["phases"][0]["steps"][0]["message"].get<std::string>().find(
                "RecoveryType: PERMANENT"),
            std::string::npos);
  EXPECT_EQ(fresh.incarnationEnv, "1");
  EXPECT_NE(fresh.persistenceId, old.persistenceId) << "a new persistent volume";
  std::filesystem::path freshVolume = volumeDir(fresh);
  ASSERT_TRUE(pollUntil([&] { return std::filesystem::exists(freshVolume / "output"); }, 10s));
  EXPECT_FALSE(std::filesystem::exists(freshVolume / "marker")) << "nothing of the old volume";
  EXPECT_TRUE(pollUntil([&] { return !std::filesystem::exists(oldVolume); }, 20s))
      << "the old volume is DESTROYed when offered back: " << oldVolume;
}

// The tutorial's "Task Configuration management": TASKCFG_ALL_* reaches the
// tasks' environment, and a config template rendered against it is in the
// sandbox at its dest before the command runs (the command reads it).
TEST_F(RunnerE2eTest, RendersConfigTemplatesIntoTheSandboxWithTaskcfgValues) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
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
