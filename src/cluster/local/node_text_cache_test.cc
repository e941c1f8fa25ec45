// NodeTextCache: the text it assembles is checkpoint::taskJson(t).dump()
// byte for byte, through every change a launch makes, and a record
// replaced at the same path (a new serial) or never stamped is encoded
// again, not given stale text.
#include "cluster/local/node_text_cache.h"

#include <gtest/gtest.h>

#include "cluster/local/checkpoint_json.h"
#include "keel/mesos/resources.h"

namespace keel::local {
namespace {

mesos::TaskStatus status(const TaskRecord& t, mesos::TaskState state, const std::string& uuid) {
  mesos::TaskStatus s;
  s.taskId = t.info.taskId;
  s.state = state;
  s.agentId = t.info.agentId;
  s.uuid = mesos::Bytes{uuid};
  s.message = "line\n\"quoted\" \u00e9";  // escapes and UTF-8 go through dump() alike
  s.timestamp = 1700000000.25;
  return s;
}

TaskRecord task(const std::string& id) {
  TaskRecord t;
  t.info.taskId.value = id;
  t.info.name = id + " \"name\"";
  t.info.agentId.value = "a1";
  t.info.resources = {mesos::allocatedTo(mesos::scalarResource("cpus", 0.5), "r")};
  mesos::CommandInfo command;
  command.value = "sleep 1000";
  t.info.command = command;
  t.frameworkId = "fw";
  t.agentId = "a1";
  t.executorId = "e-" + id;
  t.role = "r";
  t.resources = t.info.resources;
  t.latest = status(t, mesos::TaskState::kTaskStaging, "u0");
  stampFixedFields(t);
  return t;
}

std::string expected(const TaskRecord& t) { return checkpoint::taskJson(t).dump(); }

TEST(NodeTextCacheTest, TaskTextEqualsTheJsonDumpThroughALaunch) {
  NodeTextCache cache;
  TaskRecord t = task("t1");
  EXPECT_EQ(cache.task("/tasks/fw/t1", t), expected(t));  // no unacknowledged update
  mesos::TaskStatus starting = status(t, mesos::TaskState::kTaskStarting, "u1");
  t.latest = starting;
  t.unacknowledged.push_back({starting});
  EXPECT_EQ(cache.task("/tasks/fw/t1", t), expected(t));  // one
  mesos::TaskStatus running = status(t, mesos::TaskState::kTaskRunning, "u2");
  t.latest = running;
  t.unacknowledged.push_back({running});
  EXPECT_EQ(cache.task("/tasks/fw/t1", t), expected(t));  // two
  t.unacknowledged.pop_front();
  EXPECT_EQ(cache.task("/tasks/fw/t1", t), expected(t));
  t.unacknowledged.clear();
  t.latest = status(t, mesos::TaskState::kTaskFinished, "u3");
  t.resourcesReleased = true;
  EXPECT_EQ(cache.task("/tasks/fw/t1", t), expected(t));
  EXPECT_EQ(cache.fixedEncodings(), 1u);  // the TaskInfo was encoded once
}

TEST(NodeTextCacheTest, TaskWithoutResourcesOrCommand) {
  NodeTextCache cache;
  TaskRecord t;
  t.info.taskId.value = "bare";
  t.latest.taskId = t.info.taskId;
  EXPECT_EQ(cache.task("/tasks/fw/bare", t), expected(t));
}

// A relaunch under the same id is a new record with a new serial.
TEST(NodeTextCacheTest, AReplacedTaskIsEncodedAgain) {
  NodeTextCache cache;
  TaskRecord t = task("t1");
  ASSERT_EQ(cache.task("/tasks/fw/t1", t), expected(t));
  TaskRecord relaunched = task("t1");  // the same id, another command and agent
  relaunched.info.command->value = "sleep 2000";
  relaunched.agentId = "a2";
  relaunched.resources.push_back(mesos::allocatedTo(mesos::scalarResource("mem", 1), "r"));
  stampFixedFields(relaunched);
  EXPECT_EQ(cache.task("/tasks/fw/t1", relaunched), expected(relaunched));
  EXPECT_EQ(cache.task("/tasks/fw/t1", relaunched), expected(relaunched));
  EXPECT_EQ(cache.fixedEncodings(), 2u);
  EXPECT_NE(expected(t), expected(relaunched));
}

// A record nobody stamped is never trusted: encoded whole at every save.
TEST(NodeTextCacheTest, AnUnstampedTaskIsEncodedEveryTime) {
  NodeTextCache cache;
  TaskRecord t = task("t1");
  t.fixedSerial = 0;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(cache.task("/tasks/fw/t1", t), expected(t));
  t.agentId = "a2";
  EXPECT_EQ(cache.task("/tasks/fw/t1", t), expected(t));
  EXPECT_EQ(cache.fixedEncodings(), 4u);
}

TEST(NodeTextCacheTest, ForgetAndKeepOnlyDropEntries) {
  NodeTextCache cache;
  (void)cache.task("/tasks/fw/t1", task("t1"));
  (void)cache.task("/tasks/fw/t2", task("t2"));
  (void)cache.task("/tasks/fw/t3", task("t3"));
  EXPECT_EQ(cache.size(), 3u);
  cache.forget("/tasks/fw/t1");
  EXPECT_EQ(cache.size(), 2u);
  cache.keepOnly({{"/tasks/fw/t3", "{}"}});
  EXPECT_EQ(cache.size(), 1u);
  (void)cache.task("/tasks/fw/t2", task("t2"));  // encoded again after being dropped
  EXPECT_EQ(cache.fixedEncodings(), 4u);
}

}  // namespace
}  // namespace keel::local
