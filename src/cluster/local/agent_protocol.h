// The control protocol between the agent runtime and keel-executor, and the
// checkpoint records built from the same messages.
//
// Framing: one JSON object per line ("\n"-terminated) over a Unix stream
// socket. The runtime sends launch, kill, shutdown and ack; the executor sends
// hello (on every new connection, first) and update. The checkpoint files of
// a run hold the same lines: tasks.jsonl (launch), updates.jsonl (update),
// acks.jsonl (ack).
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/local/agent_runtime.h"
#include "cluster/local/cgroups.h"
#include "keel/result.h"

namespace keel::local {

// As the Mesos agent's --recovery_timeout: far longer than a cluster restart.
inline constexpr Duration kDefaultExecutorReconnectTimeout = std::chrono::minutes(15);

// What the runtime tells an executor at start (executor.json in its run dir).
struct ExecutorConfig {
  std::string executorId;
  std::string frameworkId;
  std::string agentId;
  std::string runDir;
  std::string socketName;  // abstract Unix socket name (without the leading NUL)
  bool taskGroup = true;   // default-executor semantics
  bool killingState = true;
  CgroupPlan cgroups;
  Duration linger{std::chrono::minutes(10)};  // wait for acks after the last task ended
  // With no runtime connected for this long (the cluster is gone and no
  // restart re-adopted it), the executor kills its tasks and exits. It does
  // so at once when its run directory was deleted (nobody can adopt it).
  Duration reconnectTimeout{kDefaultExecutorReconnectTimeout};
};

enum class MessageType { kLaunch, kKill, kShutdown, kAck, kHello, kUpdate };

struct TaskSummary {
  std::string taskId;
  std::string state;  // last state sent, "" when none yet
};

struct ControlMessage {
  MessageType type = MessageType::kHello;
  std::vector<TaskLaunch> tasks;   // kLaunch: one task group
  std::string taskId;              // kKill, kAck
  std::optional<Duration> grace;   // kKill
  std::string uuid;                // kAck
  int pid = 0;                     // kHello: executor pid
  std::vector<TaskSummary> known;  // kHello: tasks the executor has
  TaskEvent update;                // kUpdate
  int taskPid = 0;                 // kUpdate: the task's process (group) id
  uint64_t taskStartTime = 0;      // kUpdate: its processStartTime
};

ControlMessage launchMessage(std::vector<TaskLaunch> tasks);
ControlMessage killMessage(std::string taskId, std::optional<Duration> grace);
ControlMessage shutdownMessage();
ControlMessage ackMessage(std::string taskId, std::string uuid);
ControlMessage helloMessage(int pid, std::vector<TaskSummary> known);
ControlMessage updateMessage(TaskEvent event, int taskPid, uint64_t taskStartTime);

// One line, "\n" included.
std::string encodeMessage(const ControlMessage& message);
Result<ControlMessage> decodeMessage(std::string_view line);

std::string encodeExecutorConfig(const ExecutorConfig& config);
Result<ExecutorConfig> decodeExecutorConfig(std::string_view text);

bool isTerminalState(std::string_view state);

// Accumulates bytes and yields complete lines.
class LineBuffer {
 public:
  void append(std::string_view bytes) { data_.append(bytes); }
  // The next complete line without its "\n", or nullopt.
  std::optional<std::string> next();

 private:
  std::string data_;
  size_t start_ = 0;
};

}  // namespace keel::local
