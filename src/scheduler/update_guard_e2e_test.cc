// End to end: the update guard and `keel update` on a real LocalCluster.
// A new data-store version whose data task exits 1 is rolled back by itself
// (KEEL_UPDATE_AUTO_ROLLBACK with a failure budget): the pods return to the
// previous configuration and the reason shows in `keel plan status`. A
// service run by the real `keel run` takes new package options through
// `keel update --options`; invalid options are refused with nothing changed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/fake_scheduler_api.h"
#include "scheduler/e2e_fixture.h"
#include "testing/paths.h"

namespace keel::scheduler::e2e {
namespace {

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class UpdateGuardE2eTest : public SchedulerE2eTest {
 protected:
  void runWith(const std::map<std::string, std::string>& env) {
    stopRunner();
    auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), env);
    ASSERT_TRUE(spec) << spec.error().toString();
    startRunner(*spec);
  }
  std::string targetId() const {
    Reply r = get("/v1/configurations/targetId");
    return r.body.is_array() && r.body.size() == 1 ? r.body[0].get<std::string>() : "";
  }
  // The URIs the task's TaskInfo fetches (empty: no such task).
  std::string fetchedUris(const std::string& pod) const {
    Reply r = get("/v1/pod/" + pod + "/info");
    if (!r.body.is_array() || r.body.empty()) return "";
    return r.body[0]["info"]["command"].value("uris", json::array()).dump();
  }
};

TEST_F(UpdateGuardE2eTest, AFailingNewVersionRollsBackByItselfToThePreviousConfiguration) {
  schedulerOptions.update.autoRollback = true;
  schedulerOptions.update.failureBudget = 2;
  runWith({});
  ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 60s)) << plan("deploy").dump();
  std::string first = targetId();
  std::map<std::string, std::string> before;
  for (const char* pod : {"data-0", "data-1", "data-2"}) before[pod] = taskId(pod, "node");

  std::filesystem::path bad = dir.path() / "bad";
  std::filesystem::create_directories(bad);
  std::ofstream(bad / "data") << "#!/usr/bin/env bash\necho 'version 2 cannot start' >&2\nexit 1\n";
  runWith({{"DATA_URI", "file://" + (bad / "data").string()}});
  std::string second = targetId();
  ASSERT_NE(second, first);

  ASSERT_TRUE(pollUntil([&] { return targetId() == first; }, 30s, 50ms)) << plan("deploy").dump();
  ASSERT_TRUE(pollUntil(
      [&] {
        std::map<std::string, mesos::TaskState> tasks = masterTasks();
        auto t = tasks.find("data-0-node");
        return stepStatus("deploy", "data-0") == "COMPLETE" && t != tasks.end() &&
               t->second == mesos::TaskState::kTaskRunning;
      },
      30s, 50ms))
      << plan("deploy").dump();
  EXPECT_NE(taskId("data-0", "node"), before["data-0"]) << "relaunched with the first config";
  EXPECT_EQ(fetchedUris("data-0").find(bad.string()), std::string::npos) << fetchedUris("data-0");
  EXPECT_EQ(taskId("data-1", "node"), before["data-1"]) << "never reached by the update";
  EXPECT_EQ(taskId("data-2", "node"), before["data-2"]);

  Exit status = runKeel("plan status deploy --url " + url, dir.path());
  std::string shown = status.out + status.err;
  EXPECT_NE(shown.find("rolled back to " + first), std::string::npos) << shown;
  EXPECT_NE(shown.find("auto-rollback: 2 failures (data-0-node 2 times) of tasks running "
                       "configuration " +
                       second),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("data-0-node: TASK_FAILED"), std::string::npos) << shown;
}

// A tiny package: one pod whose count is the option app.count.
void writePackage(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "universe");
  std::ofstream(dir / "svc.yml") << "name: {{FRAMEWORK_NAME}}\n"
                                    "pods:\n"
                                    "  app:\n"
                                    "    count: {{APP_COUNT}}\n"
                                    "    tasks:\n"
                                    "      server:\n"
                                    "        goal: RUNNING\n"
                                    "        cmd: exec sleep 1000\n"
                                    "        cpus: 0.1\n"
                                    "        memory: 32\n";
  std::ofstream(dir / "universe/config.json") << R"({"type": "object", "properties": {
    "service": {"type": "object", "properties": {"name": {"type": "string", "default": "tiny"}}},
    "app": {"type": "object", "properties": {"count": {"type": "integer", "default": 1}}}}})";
  std::ofstream(dir / "universe/marathon.json.mustache")
      << R"({"env": {"FRAMEWORK_NAME": "{{service.name}}", "APP_COUNT": "{{app.count}}"}})";
}

class KeelUpdateE2eTest : public SchedulerE2eTest {
 protected:
  void TearDown() override {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
    SchedulerE2eTest::TearDown();
  }
  // `keel run <args>` in the background, as an operator would start it.
  void spawnKeelRun(const std::string& args) {
    std::string log = (dir.path() / "run.log").string();
    std::string cmd =
        "exec " + keel::testing::binaryDir() + "/src/cli/keel run " + args + " >" + log + " 2>&1";
    std::string home = (dir.path() / "home").string();
    pid = ::fork();
    if (pid == 0) {
      ::setenv("KEEL_HOME", home.c_str(), 1);
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ASSERT_GT(pid, 0);
  }
  std::string serviceUrl() const {
    std::string u = readAll(stateDir() + "/scheduler.url");
    while (!u.empty() && u.back() == '\n') u.pop_back();
    return u;
  }
  std::string targetOf(const std::string& base) const {
    Reply r = request(base, "GET", "/v1/configurations/targetId");
    return r.body.is_array() && r.body.size() == 1 ? r.body[0].get<std::string>() : "";
  }
  std::string planOf(const std::string& base) const {
    Reply r = request(base, "GET", "/v1/plans/deploy");
    return r.body.is_object() ? r.body.value("status", "") : "";
  }

  pid_t pid = -1;
};

TEST_F(KeelUpdateE2eTest, NewOptionsRestartTheSchedulerAndInvalidOnesChangeNothing) {
  std::filesystem::path pkg = dir.path() / "pkg";
  writePackage(pkg);
  std::ofstream(dir.path() / "one.json") << R"({"app": {"count": 1}})";
  std::ofstream(dir.path() / "bad.json") << R"({"app": {"count": "two"}})";
  std::ofstream(dir.path() / "two.json") << R"({"app": {"count": 2}})";
  spawnKeelRun((pkg / "svc.yml").string() + " --options " + (dir.path() / "one.json").string() +
               " --master " + cluster->url() + " --state-dir " + stateDir());
  ASSERT_TRUE(pollUntil(
      [&] {
        std::string u = serviceUrl();
        return !u.empty() && planOf(u) == "COMPLETE" &&
               std::filesystem::exists(stateDir() + "/launch.json");
      },
      30s, 50ms))
      << readAll(dir.path() / "run.log");
  std::string first = targetOf(serviceUrl());
  std::string launch = readAll(stateDir() + "/launch.json");
  std::string lockPid = readAll(stateDir() + "/lock");

  std::string bad = (dir.path() / "bad.json").string();
  Exit refused = runKeel("update --options " + bad + " --state-dir " + stateDir(), dir.path());
  EXPECT_EQ(refused.code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("app.count: must be an integer"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("nothing was changed"), std::string::npos) << refused.err;
  EXPECT_EQ(readAll(stateDir() + "/launch.json"), launch);
  EXPECT_EQ(readAll(stateDir() + "/lock"), lockPid) << "the same scheduler runs";
  EXPECT_EQ(targetOf(serviceUrl()), first);
  EXPECT_FALSE(std::filesystem::exists(stateDir() + "/update-options.json"));

  Exit applied = runKeel("update --options " + (dir.path() / "two.json").string() +
                             " --state-dir " + stateDir() + " --timeout 20",
                         dir.path());
  ASSERT_EQ(applied.code, 0) << applied.out << applied.err << readAll(dir.path() / "run.log");
  EXPECT_NE(applied.out.find("app-1"), std::string::npos) << applied.out;
  EXPECT_NE(applied.out.find("keel plan status deploy"), std::string::npos) << applied.out;
  EXPECT_NE(targetOf(serviceUrl()), first);
  ASSERT_TRUE(pollUntil(
      [&] {
        std::map<std::string, mesos::TaskState> tasks = masterTasks();
        return tasks.count("app-0-server") && tasks.count("app-1-server") &&
               planOf(serviceUrl()) == "COMPLETE";
      },
      30s, 50ms))
      << readAll(dir.path() / "run.log");
  EXPECT_NE(readAll(stateDir() + "/launch.json").find("update-options.json"), std::string::npos);
}

}  // namespace
}  // namespace keel::scheduler::e2e
