// The local master's checkpoint writes while N tasks launch, as the writer
// thread does them: each task's record changes five times (launched,
// TASK_STARTING, TASK_RUNNING, the two acknowledgements) and each change is
// captured and written on its own (a CheckpointDelta of the task, with or
// without its executor, plus the /master, framework and operation-update
// nodes every save compares). MasterCheckpoint::write over a MemoryPersister,
// so the numbers are the encoding and comparison, not SQLite.
//
//   BM_CheckpointLaunch/N/E   one launch of N tasks (one task per executor);
//                             E=1: the executor in every delta (as the master
//                             tracked changes before touchTaskOnly), E=0: only
//                             in the launch's
// items_per_second is task record changes written per second.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "cluster/local/master_checkpoint.h"
#include "keel/check.h"
#include "keel/mesos/resources.h"
#include "keel/state/memory_persister.h"

namespace keel::local {
namespace {

constexpr const char* kRole = "bench-role";

// A task as bench_cluster_launch launches it: `sleep 1000`, cpus and mem.
TaskRecord launched(int n) {
  std::string id = "t" + std::to_string(n);
  TaskRecord t;
  t.info.name = id;
  t.info.taskId.value = id;
  t.info.agentId.value = "agent-" + std::to_string(n % 6);
  t.info.resources = {mesos::allocatedTo(mesos::scalarResource("cpus", 0.01), kRole),
                      mesos::allocatedTo(mesos::scalarResource("mem", 1), kRole)};
  mesos::CommandInfo command;
  command.shell = false;
  command.value = "/bin/sleep";
  command.arguments = {"/bin/sleep", "1000"};
  t.info.command = command;
  t.frameworkId = "framework-1";
  t.agentId = t.info.agentId.value;
  t.executorId = "e" + std::to_string(n);
  t.role = kRole;
  t.resources = t.info.resources;
  t.latest.taskId = t.info.taskId;
  t.latest.state = mesos::TaskState::kTaskStaging;
  return t;
}

ExecutorRecord executorOf(const TaskRecord& t) {
  ExecutorRecord e;
  e.info.type = mesos::ExecutorInfo::Type::kDefault;
  e.info.executorId.value = t.executorId;
  e.info.frameworkId = mesos::FrameworkID{t.frameworkId};
  e.info.resources = {mesos::allocatedTo(mesos::scalarResource("cpus", 0.05), kRole),
                      mesos::allocatedTo(mesos::scalarResource("mem", 32), kRole),
                      mesos::allocatedTo(mesos::scalarResource("disk", 1), kRole)};
  e.frameworkId = t.frameworkId;
  e.agentId = t.agentId;
  e.role = kRole;
  e.resources = e.info.resources;
  e.taskIds = {t.info.taskId.value};
  return e;
}

mesos::TaskStatus update(const TaskRecord& t, mesos::TaskState state, int64_t n) {
  mesos::TaskStatus s;
  s.taskId = t.info.taskId;
  s.state = state;
  s.source = mesos::TaskStatus::Source::kSourceExecutor;
  s.agentId = t.info.agentId;
  s.executorId = mesos::ExecutorID{t.executorId};
  s.timestamp = 1700000000.125 + static_cast<double>(n);
  s.uuid = mesos::Bytes{std::string(16, static_cast<char>('a' + n % 26))};
  return s;
}

// Status n (0: launched, 1: STARTING, 2: RUNNING, 3 and 4: the acks).
void advance(TaskRecord& t, int step, int64_t n) {
  if (step == 1 || step == 2) {
    auto state = step == 1 ? mesos::TaskState::kTaskStarting : mesos::TaskState::kTaskRunning;
    t.latest = update(t, state, n);
    t.unacknowledged.push_back({t.latest});
  } else if (step >= 3) {
    t.unacknowledged.pop_front();
  }
}

CheckpointDelta deltaOf(const TaskRecord& t, const ExecutorRecord* e,
                        const FrameworkRecord& framework) {
  CheckpointDelta d;
  d.masterId = "bench-master";
  d.frameworks.emplace(t.frameworkId, framework);
  d.tasks.emplace(CheckpointDelta::Key{t.frameworkId, t.info.taskId.value}, t);
  if (e) d.executors.emplace(CheckpointDelta::Key{e->frameworkId, e->info.executorId.value}, *e);
  return d;
}

void BM_CheckpointLaunch(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  const bool executorEveryChange = state.range(1) != 0;
  FrameworkRecord framework;
  framework.info.id = mesos::FrameworkID{"framework-1"};
  framework.info.name = "bench";
  framework.info.user = "nobody";
  framework.info.roles = {kRole};
  for (auto _ : state) {
    MasterCheckpoint checkpoint(std::make_unique<state::MemoryPersister>());
    std::vector<TaskRecord> records;
    for (int i = 0; i < tasks; ++i) records.push_back(launched(i));
    for (int step = 0; step < 5; ++step) {
      for (int i = 0; i < tasks; ++i) {
        advance(records[i], step, int64_t{step} * tasks + i);
        ExecutorRecord executor = executorOf(records[i]);
        bool withExecutor = step == 0 || executorEveryChange;
        Status s =
            checkpoint.write(deltaOf(records[i], withExecutor ? &executor : nullptr, framework));
        KEEL_CHECK(s.isOk());
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * tasks * 5);
}
BENCHMARK(BM_CheckpointLaunch)
    ->ArgNames({"tasks", "executor_every_change"})
    ->Args({1000, 1})
    ->Args({1000, 0})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

}  // namespace
}  // namespace keel::local

BENCHMARK_MAIN();
