// The local cluster's agent side: launching N trivial tasks (`sleep 1000`)
// through the AgentRuntime (one keel-executor per task, or per group of 10)
// until all are TASK_RUNNING, against spawning the same N processes directly
// with posix_spawn in the same run. Counters: the runtime's own memory per
// running task (RSS growth of this process) and the executors' PSS per task.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cluster/local/agent_run.h"
#include "cluster/local/agent_runtime.h"
#include "testing/temp_dir.h"

extern char** environ;

namespace {

using namespace keel;
using namespace keel::local;

long statusKb(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(key.size()));
  }
  return 0;
}

void BM_SpawnDirect(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<pid_t> pids;
    char sleepArg[] = "1000";
    char sleepCmd[] = "sleep";
    char* argv[] = {sleepCmd, sleepArg, nullptr};
    for (int i = 0; i < n; ++i) {
      pid_t pid = 0;
      if (posix_spawnp(&pid, "sleep", nullptr, nullptr, argv, environ) == 0) pids.push_back(pid);
    }
    state.PauseTiming();
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
    for (pid_t pid : pids) ::waitpid(pid, nullptr, 0);
    state.ResumeTiming();
  }
}

// Args: tasks, tasks per executor, cgroups on (1) or off (0).
void BM_RuntimeLaunch(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int perExecutor = static_cast<int>(state.range(1));
  keel::testing::TempDir dir;
  AgentRuntimeOptions options;
  options.agentId = "bench";
  options.workDir = dir.file("agent");
  options.executorBinary = KEEL_EXECUTOR_BINARY;
  options.useCgroups = state.range(2) != 0;
  auto runtime = std::move(*makeAgentRuntime(options));
  int round = 0;
  double runtimeKb = 0, executorKb = 0;
  for (auto _ : state) {
    long rssBefore = statusKb("/proc/self/status", "VmRSS:");
    ++round;
    for (int i = 0; i < n; i += perExecutor) {
      LaunchRequest r;
      r.frameworkId = "fw";
      r.executorId = "e" + std::to_string(round) + "-" + std::to_string(i);
      r.taskGroup = perExecutor > 1;
      for (int j = i; j < std::min(n, i + perExecutor); ++j) {
        TaskLaunch t;
        t.taskId = "t" + std::to_string(round) + "-" + std::to_string(j);
        t.command = "sleep 1000";
        r.tasks.push_back(t);
      }
      if (!runtime->launch(r)) state.SkipWithError("launch failed");
    }
    int running = 0;
    while (running < n) {
      for (auto& event : runtime->pollEvents(keel::Duration(1000))) {
        if (auto* e = std::get_if<TaskEvent>(&event)) {
          runtime->acknowledge(e->taskId, e->uuid);
          if (e->state == "TASK_RUNNING") ++running;
          if (e->state == "TASK_FAILED") state.SkipWithError(e->message.c_str());
        }
      }
    }
    state.PauseTiming();
    // The first round shows the growth; later rounds reuse the heap it freed.
    runtimeKb = std::max(
        runtimeKb, static_cast<double>(statusKb("/proc/self/status", "VmRSS:") - rssBefore) / n);
    long pss = 0;
    for (const auto& run : listRunDirs(options.workDir)) {
      auto files = loadRun(run);
      if (files && !files->completed && files->pid > 0) {
        pss += statusKb("/proc/" + std::to_string(files->pid) + "/smaps_rollup", "Pss:");
      }
    }
    executorKb = static_cast<double>(pss) / n;
    if (!runtime->killAll()) state.SkipWithError("killAll failed");
    state.ResumeTiming();
  }
  state.counters["runtime_kb_per_task"] = runtimeKb;
  state.counters["executor_pss_kb_per_task"] = executorKb;
}

BENCHMARK(BM_SpawnDirect)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(BM_RuntimeLaunch)
    ->ArgNames({"tasks", "per_executor", "cgroups"})
    ->Args({1000, 1, 0})
    ->Args({1000, 10, 0})
    ->Args({1000, 1, 1})
    ->Args({1000, 10, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
