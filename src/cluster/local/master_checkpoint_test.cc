// MasterCheckpoint: a status update rewrites only its task's node; what was
// saved loads back; a save past the generic transaction limit is still one
// transaction.
#include "cluster/local/master_checkpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "keel/ids.h"
#include "keel/state/memory_persister.h"
#include "keel/state/sqlite_persister.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

namespace st = keel::state;

// Forwards to a real persister and records every commit's ops.
class RecordingPersister final : public st::Persister {
 public:
  explicit RecordingPersister(st::Persister& inner) : inner_(inner) {}
  Result<st::Node> get(const std::string& path) override { return inner_.get(path); }
  Result<std::vector<std::string>> children(const std::string& path) override {
    return inner_.children(path);
  }
  Result<std::vector<st::Version>> commit(const std::vector<st::Op>& ops) override {
    commits.push_back(ops);
    return inner_.commit(ops);
  }
  std::vector<std::vector<st::Op>> commits;

 private:
  st::Persister& inner_;
};

std::vector<std::string> paths(const std::vector<st::Op>& ops) {
  std::vector<std::string> out;
  for (const st::Op& op : ops) out.push_back(op.path);
  return out;
}

MasterOptions options() {
  MasterOptions o;
  o.masterId = "m";
  o.stateDir = "/tmp/keel-master-checkpoint-test";
  return o;
}

AgentRecord agent(const std::string& id, std::string attribute = "r1") {
  AgentRecord a;
  a.config.id = id;
  a.config.hostname = "127.0.0.1";
  a.config.workDir = "/tmp/keel-master-checkpoint-test/" + id;
  a.config.attributes = {{"rack", std::move(attribute)}};
  return a;
}

TaskRecord task(const std::string& id) {
  TaskRecord t;
  t.info.taskId.value = id;
  t.info.name = id;
  t.info.agentId.value = "a1";
  t.frameworkId = "fw";
  t.agentId = "a1";
  t.executorId = "e-" + id;
  t.role = "r";
  t.latest.taskId = t.info.taskId;
  t.latest.state = mesos::TaskState::kTaskStaging;
  return t;
}

ExecutorRecord executor(const std::string& taskId) {
  ExecutorRecord e;
  e.info.executorId.value = "e-" + taskId;
  e.frameworkId = "fw";
  e.agentId = "a1";
  e.role = "r";
  e.taskIds = {taskId};
  return e;
}

void restoreTasks(MasterState& state, int n) {
  std::vector<TaskRecord> tasks;
  std::vector<ExecutorRecord> executors;
  for (int i = 0; i < n; ++i) {
    tasks.push_back(task("t" + std::to_string(i)));
    executors.push_back(executor("t" + std::to_string(i)));
  }
  state.restore({}, {agent("a1")}, {}, {}, std::move(tasks), std::move(executors), {}, TimePoint{});
}

TaskEvent running(const std::string& taskId) {
  TaskEvent e;
  e.taskId = taskId;
  e.executorId = "e-" + taskId;
  e.frameworkId = "fw";
  e.state = "TASK_RUNNING";
  e.source = "SOURCE_EXECUTOR";
  e.uuid = randomUuid();
  return e;
}

TEST(MasterCheckpointTest, AStatusUpdateRewritesOnlyItsTaskAndLoadsBack) {
  st::MemoryPersister memory;
  auto recording = std::make_unique<RecordingPersister>(memory);
  RecordingPersister* commits = recording.get();
  MasterCheckpoint checkpoint(std::move(recording));
  MasterState state(options());
  restoreTasks(state, 50);
  ASSERT_TRUE(checkpoint.save(state));
  ASSERT_EQ(commits->commits.size(), 1u);
  EXPECT_EQ(commits->commits[0].size(), 1u + 1u + 50u + 50u + 1u)
      << "master, agent, tasks, executors, operation updates";

  Outbox out;
  state.taskEvent("a1", running("t7"), TimePoint{}, out);
  ASSERT_TRUE(checkpoint.save(state));
  ASSERT_EQ(commits->commits.size(), 2u);
  EXPECT_EQ(paths(commits->commits[1]), std::vector<std::string>{"/tasks/fw/t7"});

  ASSERT_TRUE(checkpoint.save(state));
  EXPECT_EQ(commits->commits.size(), 2u) << "nothing changed, nothing written";

  MasterCheckpoint reread(std::make_unique<RecordingPersister>(memory));
  auto snapshot = reread.load();
  ASSERT_TRUE(snapshot) << snapshot.error();
  ASSERT_TRUE(snapshot->has_value());
  ASSERT_EQ((*snapshot)->tasks.size(), 50u);
  for (const TaskRecord& t : (*snapshot)->tasks) {
    bool seven = t.info.taskId.value == "t7";
    EXPECT_EQ(t.latest.state,
              seven ? mesos::TaskState::kTaskRunning : mesos::TaskState::kTaskStaging);
    EXPECT_EQ(t.unacknowledged.size(), seven ? 1u : 0u);
  }
}

TEST(MasterCheckpointTest, AnExecutorsExitErasesItAndRewritesItsTasks) {
  st::MemoryPersister memory;
  auto recording = std::make_unique<RecordingPersister>(memory);
  RecordingPersister* commits = recording.get();
  MasterCheckpoint checkpoint(std::move(recording));
  MasterState state(options());
  restoreTasks(state, 3);
  ASSERT_TRUE(checkpoint.save(state));
  Outbox out;
  state.executorExited("a1", ExecutorExited{"e-t1", "fw", 0}, TimePoint{}, out);
  ASSERT_TRUE(checkpoint.save(state));
  ASSERT_EQ(commits->commits.size(), 2u);
  const std::vector<st::Op>& ops = commits->commits[1];
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].path, "/tasks/fw/t1");  // its resources released
  EXPECT_EQ(ops[0].kind, st::Op::Kind::kSet);
  EXPECT_EQ(ops[1].path, "/executors/fw/e-t1");
  EXPECT_EQ(ops[1].kind, st::Op::Kind::kErase);
}

TEST(MasterCheckpointTest, AnUntrackedChangeIsFoundByComparingEveryRecord) {
  st::MemoryPersister memory;
  auto recording = std::make_unique<RecordingPersister>(memory);
  RecordingPersister* commits = recording.get();
  MasterCheckpoint checkpoint(std::move(recording));
  MasterState state(options());
  restoreTasks(state, 3);
  ASSERT_TRUE(checkpoint.save(state));
  Outbox out;
  ASSERT_TRUE(state.agentDown("a1", TimePoint{}, out));  // names no record: all compared
  ASSERT_TRUE(checkpoint.save(state));
  ASSERT_EQ(commits->commits.size(), 2u);
  std::vector<std::string> written = paths(commits->commits[1]);
  EXPECT_NE(std::find(written.begin(), written.end(), "/agents/a1"), written.end());
}

// The node text of a task is assembled from cached pieces (NodeTextCache):
// a task replaced under the same id, or removed and launched again, is
// written with its new TaskInfo, and what loads back is the new record.
TEST(MasterCheckpointTest, ATaskReplacedUnderItsIdIsWrittenAnew) {
  st::MemoryPersister memory;
  MasterCheckpoint checkpoint(std::make_unique<RecordingPersister>(memory));
  CheckpointDelta first;
  first.masterId = "m";
  first.tasks.emplace(CheckpointDelta::Key{"fw", "t1"}, task("t1"));
  ASSERT_TRUE(checkpoint.write(first));

  TaskRecord relaunched = task("t1");
  relaunched.info.name = "relaunched";
  relaunched.agentId = "a2";
  CheckpointDelta second;
  second.masterId = "m";
  second.tasks.emplace(CheckpointDelta::Key{"fw", "t1"}, relaunched);
  ASSERT_TRUE(checkpoint.write(second));
  CheckpointDelta removed;
  removed.masterId = "m";
  removed.tasks.emplace(CheckpointDelta::Key{"fw", "t1"}, std::nullopt);
  ASSERT_TRUE(checkpoint.write(removed));
  ASSERT_TRUE(checkpoint.write(first));  // launched again as at first

  MasterCheckpoint reread(std::make_unique<RecordingPersister>(memory));
  auto snapshot = reread.load();
  ASSERT_TRUE(snapshot) << snapshot.error();
  ASSERT_EQ((*snapshot)->tasks.size(), 1u);
  EXPECT_EQ((*snapshot)->tasks[0].info.name, "t1");
  EXPECT_EQ((*snapshot)->tasks[0].agentId, "a1");

  ASSERT_TRUE(checkpoint.write(second));
  auto again = MasterCheckpoint(std::make_unique<RecordingPersister>(memory)).load();
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ((*again)->tasks[0].info.name, "relaunched");
  EXPECT_EQ((*again)->tasks[0].agentId, "a2");
}

// Past the generic 1 MB limit (kept for ZooKeeper) the checkpoint's SQLite
// store still takes a save as one transaction: never half old, half new.
TEST(MasterCheckpointTest, ASaveLargerThanTheGenericLimitIsOneTransaction) {
  keel::testing::TempDir dir;
  st::SqliteOptions lifted;
  lifted.maxTransactionBytes = std::numeric_limits<size_t>::max();
  auto db = st::SqlitePersister::open(dir.file("recorded.db"), lifted);
  ASSERT_TRUE(db) << db.error();
  auto recording = std::make_unique<RecordingPersister>(**db);
  RecordingPersister* commits = recording.get();
  MasterCheckpoint recorded(std::move(recording));

  MasterState state(options());
  std::vector<AgentRecord> agents;
  for (int i = 0; i < 300; ++i)
    agents.push_back(agent("a" + std::to_string(i), std::string(4096, 'x')));
  state.restore({}, std::move(agents), {}, {}, {}, {}, {}, TimePoint{});
  ASSERT_TRUE(recorded.save(state));
  ASSERT_EQ(commits->commits.size(), 1u);
  size_t bytes = 0;
  for (const st::Op& op : commits->commits[0]) bytes += op.path.size() + op.value.size();
  EXPECT_GT(bytes, st::kMaxTransactionBytes);

  auto opened = MasterCheckpoint::open(dir.path().string());  // as the cluster opens it
  ASSERT_TRUE(opened) << opened.error();
  MasterState again(options());
  std::vector<AgentRecord> more;
  for (int i = 0; i < 300; ++i)
    more.push_back(agent("b" + std::to_string(i), std::string(4096, 'y')));
  again.restore({}, std::move(more), {}, {}, {}, {}, {}, TimePoint{});
  ASSERT_TRUE((*opened)->save(again));
  auto snapshot = (*opened)->load();
  ASSERT_TRUE(snapshot) << snapshot.error();
  EXPECT_EQ((*snapshot)->agents.size(), 300u);
}

}  // namespace
}  // namespace keel::local
