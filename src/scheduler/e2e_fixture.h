// The fixture of the scheduler's end-to-end tests: a real LocalCluster
// (master, keel-executor processes, volume directories) in the test process,
// a ServiceRunner (real SQLite store, real HTTP API, MesosClient) on a
// thread, and a small HTTP client for the scheduler's API.
//
// TearDown stops the runner, takes every agent down (which kills the
// executors and their tasks) and stops the cluster, so a test leaves no
// process behind whatever it asserted.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cluster/local/local_cluster.h"
#include "keel/mesos/resources.h"
#include "keel/scheduler/runner.h"
#include "keel/spec_loader.h"
#include "testing/paths.h"
#include "testing/poll.h"
#include "testing/temp_dir.h"

namespace keel::scheduler::e2e {

using nlohmann::json;
using namespace std::chrono_literals;
using keel::testing::pollUntil;

struct Reply {
  int status = 0;  // 0: no answer
  json body;       // discarded when the body is not JSON
  std::string text;
};

inline Reply request(const std::string& url, const std::string& method, const std::string& path) {
  httplib::Client client(url);
  client.set_read_timeout(10, 0);
  auto res = method == "POST" ? client.Post(path) : client.Get(path);
  if (!res) return {};
  return {res->status, json::parse(res->body, nullptr, false), res->body};
}

// A svc.yml text rendered against `env`; fails the test when it does not load.
inline spec::ServiceSpec specFromYaml(const std::string& yaml,
                                      const std::map<std::string, std::string>& env = {}) {
  spec::LoadOptions options;
  options.env = env;
  spec::LoadResult loaded = spec::loadServiceSpecText(yaml, "svc.yml", options);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors.front().toString());
  return loaded.ok() ? *loaded.spec : spec::ServiceSpec{};
}

struct Exit {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs the real `keel` (this build's) with `args` and KEEL_HOME under
// `scratch`; its stdout and stderr kept.
inline Exit runKeel(const std::string& args, const std::filesystem::path& scratch) {
  std::string outFile = (scratch / "keel.out").string();
  std::string errFile = (scratch / "keel.err").string();
  std::string cmd = "KEEL_HOME=" + (scratch / "home").string() + " " + keel::testing::binaryDir() +
                    "/src/cli/keel " + args + " >" + outFile + " 2>" + errFile;
  int status = std::system(cmd.c_str());
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read(outFile), read(errFile)};
}

class SchedulerE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { startCluster(3); }
  void TearDown() override {
    stopRunner();
    if (cluster) {
      std::vector<std::string> agents;
      cluster->master().inspect([&](const local::MasterState& s) {
        for (const auto& [id, agent] : s.agents()) agents.push_back(id);
      });
      for (const std::string& id : agents) (void)cluster->master().agentDown(id);
      cluster->stop();
    }
  }

  void startCluster(int agents) {
    local::ClusterConfig config;
    config.stateDir = (dir.path() / "cluster").string();
    config.agents = *local::defaultAgents(agents);
    config.allocationInterval = 100ms;
    config.useCgroups = false;
    auto started = local::LocalCluster::start(config);
    ASSERT_TRUE(started) << started.error().toString();
    cluster = std::move(*started);
  }

  void startRunner(spec::ServiceSpec spec) {
    RunnerOptions options;
    options.stateDir = stateDir();
    options.masterUrl = cluster->url();
    options.handleSignals = false;
    options.tickInterval = 200ms;
    options.scheduler = schedulerOptions;
    runner = std::make_unique<ServiceRunner>(std::move(spec), options);
    thread = std::thread([this] { result = runner->run(); });
    ASSERT_TRUE(pollUntil([&] { return !runner->apiUrl().empty(); }, 30s));
    url = runner->apiUrl();
  }
  void stopRunner() {
    if (runner) runner->stop();
    if (thread.joinable()) thread.join();
  }

  std::string stateDir() const { return (dir.path() / "svc").string(); }
  Reply get(const std::string& path) const { return request(url, "GET", path); }
  Reply post(const std::string& path) const { return request(url, "POST", path); }

  json plan(const std::string& name) const { return get("/v1/plans/" + name).body; }
  std::string planStatus(const std::string& name) const {
    json p = plan(name);
    return p.is_object() ? p.value("status", "") : "";
  }
  // The step of plan `plan` named `stepName`, or "<stepName>:[tasks]" for a
  // pod instance's step ({} when absent).
  json step(const std::string& planName, const std::string& stepName) const {
    json p = plan(planName);
    if (!p.is_object()) return json::object();
    for (const json& phase : p["phases"]) {
      for (const json& s : phase["steps"]) {
        std::string name = s.value("name", "");
        if (name == stepName || name.rfind(stepName + ":[", 0) == 0) return s;
      }
    }
    return json::object();
  }
  std::string stepStatus(const std::string& planName, const std::string& stepName) const {
    return step(planName, stepName).value("status", "");
  }
  bool waitForPlan(const std::string& name, const std::string& status, Duration deadline = 60s) {
    return pollUntil([&] { return planStatus(name) == status; }, deadline, 50ms);
  }
  // The task's current Mesos task id as /v1/pod/<instance>/info shows it;
  // `task` is the task's full name ("data-0-node") or its name in the pod
  // ("node"). Empty when the pod has no such task.
  std::string taskId(const std::string& instance, const std::string& task) const {
    Reply info = get("/v1/pod/" + instance + "/info");
    if (!info.body.is_array()) return "";
    for (const json& t : info.body) {
      std::string name = t["info"].value("name", "");
      if (name == task || name == instance + "-" + task) {
        return t["info"]["task_id"].value("value", "");
      }
    }
    return "";
  }
  // Tasks of the master that are not terminal, by name.
  std::map<std::string, mesos::TaskState> masterTasks() {
    std::map<std::string, mesos::TaskState> out;
    cluster->master().inspect([&](const local::MasterState& s) {
      for (const auto& [key, task] : s.tasks()) {
        if (!mesos::isTerminal(task.latest.state)) out[task.info.name] = task.latest.state;
      }
    });
    return out;
  }
  // The volume directory of each running task, by task name.
  std::map<std::string, std::string> taskVolumes() {
    std::map<std::string, std::string> out;
    cluster->master().inspect([&](const local::MasterState& s) {
      for (const auto& [key, task] : s.tasks()) {
        if (mesos::isTerminal(task.latest.state)) continue;
        for (const mesos::Resource& r : task.info.resources) {
          if (mesos::isPersistentVolume(r)) out[task.info.name] = s.volumePath(task.agentId, r);
        }
      }
    });
    return out;
  }
  // Host directories of the persistent volumes on every agent.
  std::vector<std::string> volumeDirs() {
    std::vector<std::string> dirs;
    cluster->master().inspect([&](const local::MasterState& s) {
      for (const auto& [id, agent] : s.agents()) {
        for (const mesos::Resource& r : agent.total) {
          if (mesos::isPersistentVolume(r)) dirs.push_back(s.volumePath(id, r));
        }
      }
    });
    return dirs;
  }
  // Dynamically reserved resources on every agent.
  int reservations() {
    int n = 0;
    cluster->master().inspect([&](const local::MasterState& s) {
      for (const auto& [id, agent] : s.agents()) {
        for (const mesos::Resource& r : agent.total) n += mesos::isDynamicallyReserved(r);
      }
    });
    return n;
  }
  size_t frameworkCount() {
    size_t n = 0;
    cluster->master().inspect([&](const local::MasterState& s) { n = s.frameworks().size(); });
    return n;
  }

  keel::testing::TempDir dir;
  std::unique_ptr<local::LocalCluster> cluster;
  std::unique_ptr<ServiceRunner> runner;
  std::thread thread;
  Status result;
  std::string url;
  SchedulerOptions schedulerOptions;  // given to every startRunner()
};

}  // namespace keel::scheduler::e2e
