// End-to-end recovery harness (not a Google Benchmark: real processes, one
// measured sample per crash). The data-store service runs on a local cluster
// in this process (LocalCluster with its default settings, ServiceRunner
// with the real SQLite store and HTTP API); the harness SIGKILLs the command
// of one data node at a time and times the kill until the master reports
// the relaunched task TASK_RUNNING (transient recovery: same agent, same
// volume). Crash-loop backoff is switched off (recoveryBackoffReset = 0),
// as the target excludes it: every crash is a first failure. Crashes are
// 1.5 s apart: the scheduler sends at most one REVIVE per second
// (reviveMinInterval), so a crash soon after another's recovery would wait
// for that limit, which is not what this measures.
//
// Usage: bench_task_recovery [samples=30]
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cluster/local/local_cluster.h"
#include "cluster/local/process_util.h"
#include "http/fake_scheduler_api.h"
#include "keel/scheduler/runner.h"
#include "testing/paths.h"
#include "testing/poll.h"
#include "testing/temp_dir.h"

namespace {

using namespace keel;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

struct Live {
  std::string id;
  bool running = false;
};

std::optional<Live> liveTask(local::LocalCluster& cluster, const std::string& name) {
  std::optional<Live> out;
  cluster.master().inspect([&](const local::MasterState& s) {
    for (const auto& [key, t] : s.tasks()) {
      if (t.info.name != name || mesos::isTerminal(t.latest.state)) continue;
      out = Live{t.info.taskId.value, t.latest.state == mesos::TaskState::kTaskRunning};
    }
  });
  return out;
}

// The first process started in the sandbox of `taskId` (the task's command).
pid_t taskPid(const std::string& clusterDir, const std::string& taskId) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(clusterDir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_symlink()) it.disable_recursion_pending();
    if (!it->is_symlink() && it->path().filename() == taskId) {
      return local::firstProcessIn(it->path().string());
    }
  }
  return -1;
}

// One crash of `name`: milliseconds from SIGKILL to the new task RUNNING.
std::optional<double> crashAndTime(local::LocalCluster& cluster, const std::string& clusterDir,
                                   const std::string& name) {
  std::optional<Live> before = liveTask(cluster, name);
  if (!before || !before->running) return std::nullopt;
  pid_t pid = taskPid(clusterDir, before->id);
  if (pid <= 0) return std::nullopt;
  auto start = Steady::now();
  ::kill(pid, SIGKILL);
  bool back = testing::pollUntil(
      [&] {
        std::optional<Live> now = liveTask(cluster, name);
        return now && now->id != before->id && now->running;
      },
      60s, 1ms);
  if (!back) return std::nullopt;
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  int samples = argc > 1 ? std::atoi(argv[1]) : 30;
  testing::TempDir dir;
  local::ClusterConfig config;
  config.stateDir = (dir.path() / "cluster").string();
  config.agents = *local::defaultAgents(4);
  auto cluster = local::LocalCluster::start(config);
  if (!cluster) {
    std::cerr << cluster.error().toString() << "\n";
    return 1;
  }
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  scheduler::RunnerOptions options;
  options.stateDir = (dir.path() / "svc").string();
  options.masterUrl = (*cluster)->url();
  options.handleSignals = false;
  options.scheduler.recoveryBackoffReset = Duration::zero();
  scheduler::ServiceRunner runner(*spec, options);
  std::thread thread([&] { (void)runner.run(); });
  bool deployed = testing::pollUntil(
      [&] {
        int running = 0;
        for (const char* n : {"data-0-node", "data-1-node", "data-2-node"}) {
          auto t = liveTask(**cluster, n);
          running += t && t->running;
        }
        return running == 3;
      },
      120s, 10ms);
  std::vector<double> ms;
  Steady::time_point last = Steady::now();
  for (int i = 0; deployed && i < samples; ++i) {
    std::this_thread::sleep_until(last + 1500ms);
    last = Steady::now();
    std::string name = "data-" + std::to_string(i % 3) + "-node";
    if (std::optional<double> t = crashAndTime(**cluster, config.stateDir, name)) ms.push_back(*t);
  }
  runner.stop();
  thread.join();
  std::vector<std::string> agents;
  (*cluster)->master().inspect([&](const local::MasterState& s) {
    for (const auto& [id, a] : s.agents()) agents.push_back(id);
  });
  for (const std::string& id : agents) (void)(*cluster)->master().agentDown(id);
  (*cluster)->stop();
  if (ms.empty()) {
    std::cerr << "no sample: the deploy or a recovery did not finish\n";
    return 1;
  }
  std::printf("task crash -> RUNNING again: %zu samples, p50 %.0f ms, p90 %.0f ms, max %.0f ms\n",
              ms.size(), percentile(ms, 0.5), percentile(ms, 0.9), percentile(ms, 1.0));
  return 0;
}
