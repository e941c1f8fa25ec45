#include "scheduler/task_book.h"

#include <gtest/gtest.h>

#include <string>

#include "keel/mesos/json.h"
#include "keel/state/memory_persister.h"
#include "keel/state/task_store.h"

namespace keel::scheduler {
namespace {

mesos::TaskInfo taskInfo(int index) {
  mesos::TaskInfo info;
  info.name = "app-" + std::to_string(index) + "-server";
  info.taskId.value = info.name + "__id";
  info.agentId.value = "S" + std::to_string(index % 7);
  info.command = mesos::CommandInfo{};
  info.labels = mesos::Labels{{{"task_type", "app"}, {"index", std::to_string(index)}}};
  return info;
}

// A store of `count` tasks, each with a TaskInfo and every other with a
// TASK_RUNNING status.
void fill(state::TaskStore& store, int count) {
  for (int i = 0; i < count; ++i) {
    mesos::TaskInfo info = taskInfo(i);
    ASSERT_TRUE(store.putInfo(info.name, mesos::encodeJson(info)).isOk());
    if (i % 2 == 1) continue;
    mesos::TaskStatus status;
    status.taskId = info.taskId;
    status.state = mesos::TaskState::kTaskRunning;
    ASSERT_TRUE(store.putStatus(info.name, mesos::encodeJson(status)).isOk());
  }
}

// Enough tasks for load() to decode on several threads.
constexpr int kTasks = 1500;

TEST(TaskBook, LoadsEveryStoredTaskWithItsStatusAndPodInstance) {
  state::MemoryPersister persister;
  state::TaskStore store(persister);
  fill(store, kTasks);
  TaskBook book(store);
  ASSERT_TRUE(book.load().isOk());
  ASSERT_EQ(book.all().size(), static_cast<size_t>(kTasks));
  for (int i = 0; i < kTasks; ++i) {
    const TaskRecord* rec = book.find(taskInfo(i).name);
    ASSERT_NE(rec, nullptr) << i;
    EXPECT_EQ(rec->info, taskInfo(i));
    EXPECT_EQ(rec->currentStatus() != nullptr, i % 2 == 0) << i;
    ASSERT_EQ(book.instanceTasks("app-" + std::to_string(i)).size(), 1u) << i;
  }
}

TEST(TaskBook, ACorruptRecordFailsTheLoadNamingTheTaskAndKeepsNothingHalfRead) {
  state::MemoryPersister persister;
  state::TaskStore store(persister);
  fill(store, kTasks);
  ASSERT_TRUE(store.putInfo("app-1200-server", "{\"name\": 7}").isOk());
  ASSERT_TRUE(store.putStatus("app-9-server", "not json").isOk());
  TaskBook book(store);
  Status s = book.load();
  ASSERT_EQ(s.code(), StatusCode::kCorruption);
  // The first corrupt task in name order is the one reported.
  EXPECT_NE(s.message().find("stored TaskInfo of app-1200-server"), std::string::npos)
      << s.message();
  EXPECT_TRUE(book.all().empty());
}

}  // namespace
}  // namespace keel::scheduler
