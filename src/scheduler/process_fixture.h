// The fixture of the failover end-to-end tests: keel's local cluster and the
// data-store scheduler as real `keel` processes (`keel cluster run`,
// `keel run`), so that either can be killed with SIGKILL and started again on
// the same state directory, as an operator's machine would see it.
//
// The cluster's state is read over its HTTP API (/state), the scheduler's
// over its API; task processes are found through /proc by their sandbox.
// TearDown kills the scheduler, takes every agent down (their executors and
// tasks die with them) and stops the cluster, so no process outlives a test.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "testing/poll.h"
#include "testing/temp_dir.h"

namespace keel::scheduler::e2e {

using nlohmann::json;
using namespace std::chrono_literals;
using keel::testing::pollUntil;

struct HttpReply {
  int status = 0;  // 0: no answer
  json body;
};

HttpReply httpCall(const std::string& url, const std::string& method, const std::string& path);

// A child process of the test, started with fork/exec; its output goes to
// `logFile`. Killed with SIGKILL (and reaped) when destroyed.
class Child {
 public:
  Child() = default;
  Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
        const std::string& logFile);
  ~Child() { kill(SIGKILL); }
  Child(Child&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  Child& operator=(Child&& other) noexcept;
  pid_t pid() const { return pid_; }
  // Sends `signal` and reaps the child; no-op once it was reaped.
  void kill(int signal);

 private:
  pid_t pid_ = -1;
};

// A live task of the cluster, from /state and its process under /proc.
struct LiveTask {
  std::string id;
  std::string agentId;
  std::string state;
};

class ProcessE2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // `keel cluster run` on the fixture's cluster directory.
  void startCluster();
  void killCluster() { cluster_.kill(SIGKILL); }
  // `keel run` of the data-store example (env: data-store.env + `env`).
  void startScheduler(const std::map<std::string, std::string>& env = {});
  void killScheduler() { scheduler_.kill(SIGKILL); }

  HttpReply api(const std::string& method, const std::string& path) const {
    return httpCall(schedulerUrl_, method, path);
  }
  std::string planStatus(const std::string& plan) const;
  bool waitForPlan(const std::string& plan, const std::string& status, Duration deadline = 90s);
  json clusterState() const;
  // Non-terminal tasks of the cluster, by task name.
  std::map<std::string, LiveTask> liveTasks() const;
  // How many times each task name was launched: one sandbox per launch.
  std::map<std::string, int> launches() const;
  // pid of the process running in task `taskId`'s sandbox (the task's
  // command), or -1.
  pid_t taskPid(const std::string& taskId) const;
  // The host directory of the persistent volume task `name` runs with.
  std::string volumeOf(const std::string& taskName) const;
  // The agents that hold a reservation, and those running a task.
  std::set<std::string> reservedAgents() const;
  std::set<std::string> agentsWithTasks() const;
  size_t volumeCount() const { return clusterState()["volumes"].size(); }

  keel::testing::TempDir dir;
  std::string clusterDir() const { return (dir.path() / "cluster").string(); }
  std::string serviceDir() const { return (dir.path() / "svc").string(); }
  std::string clusterUrl_;

 private:
  Child cluster_;
  Child scheduler_;
  std::string schedulerUrl_;
};

}  // namespace keel::scheduler::e2e
