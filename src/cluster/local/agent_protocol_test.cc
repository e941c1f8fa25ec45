#include "cluster/local/agent_protocol.h"

#include <gtest/gtest.h>

namespace keel::local {
namespace {

TaskLaunch fullTask() {
  TaskLaunch t;
  t.taskId = "data-0-node__1";
  t.name = "data-0-node";
  t.command = "echo hi > data/out";
  t.env = {{"FOO", "bar"}, {"EMPTY", ""}};
  t.uris = {{"http://127.0.0.1:1/x.tgz", true, false, "x.tgz"}};
  t.cpus = 0.5;
  t.memMb = 64;
  t.rlimits = {{"RLMT_NOFILE", 512, 1024}, {"RLMT_CORE", std::nullopt, std::nullopt}};
  t.volumes = {{"/var/vol", "data", false}};
  t.healthCheck = HealthCheckSpec{{CheckKind::kHttp, "", {}, 8080, "/health"},
                                  Seconds(1),
                                  Seconds(2),
                                  Seconds(3),
                                  Seconds(4),
                                  5};
  t.check = CheckSpec{
      {CheckKind::kCommand, "exit 3", {{"A", "b"}}, 0, "/"}, Seconds(0.5), Seconds(1), Seconds(2)};
  t.killGracePeriod = Duration(1500);
  return t;
}

TEST(AgentProtocol, LaunchMessagesRoundTripEveryTaskField) {
  std::string line = encodeMessage(launchMessage({fullTask()}));
  ASSERT_EQ(line.back(), '\n');
  auto decoded = decodeMessage(line.substr(0, line.size() - 1));
  ASSERT_TRUE(decoded) << decoded.error();
  ASSERT_EQ(decoded->type, MessageType::kLaunch);
  // Re-encoding the decoded message gives the same bytes: nothing was dropped.
  EXPECT_EQ(encodeMessage(*decoded), line);
  EXPECT_EQ(decoded->tasks.at(0).rlimits.at(0).soft, 512u);
  EXPECT_FALSE(decoded->tasks.at(0).rlimits.at(1).hard.has_value());
  EXPECT_EQ(decoded->tasks.at(0).healthCheck->target.port, 8080);
}

TEST(AgentProtocol, UpdatesKeepOptionalFieldsUnsetWhenUnset) {
  TaskEvent e;
  e.taskId = "t";
  e.state = "TASK_RUNNING";
  e.checkExitCode = 3;
  e.timestamp = fromEpochMillis(1234);
  e.uuid = "u";
  auto decoded = decodeMessage(encodeMessage(updateMessage(e, 42, 7)));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(decoded->update.checkExitCode, 3);
  EXPECT_FALSE(decoded->update.healthy.has_value());
  EXPECT_EQ(decoded->update.timestamp, fromEpochMillis(1234));
  EXPECT_EQ(decoded->taskPid, 42);
}

TEST(AgentProtocol, RejectsUnknownTypesAndBrokenJson) {
  EXPECT_FALSE(decodeMessage(R"({"type":"dance"})"));
  EXPECT_FALSE(decodeMessage(R"({"type":"kill"})"));
  EXPECT_FALSE(decodeMessage("{\"type\":"));
}

TEST(LineBuffer, YieldsCompleteLinesAcrossChunks) {
  LineBuffer b;
  b.append("one\ntw");
  EXPECT_EQ(b.next(), "one");
  EXPECT_EQ(b.next(), std::nullopt);
  b.append("o\n\nthree");
  EXPECT_EQ(b.next(), "two");
  EXPECT_EQ(b.next(), "");
  EXPECT_EQ(b.next(), std::nullopt);
  b.append("\n");
  EXPECT_EQ(b.next(), "three");
}

TEST(AgentProtocol, ExecutorConfigRoundTrips) {
  ExecutorConfig c;
  c.executorId = "e";
  c.runDir = "/r";
  c.cgroups.mode = CgroupPlan::Mode::kV1;
  c.cgroups.memoryRoot = "/m";
  c.linger = Duration(5);
  auto decoded = decodeExecutorConfig(encodeExecutorConfig(c));
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(encodeExecutorConfig(*decoded), encodeExecutorConfig(c));
}

}  // namespace
}  // namespace keel::local
