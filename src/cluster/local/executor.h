// The keel executor: one process per executor (pod), started detached by the
// AgentRuntime, running the executor's tasks as its child processes with the
// Mesos default-executor semantics (and the command executor's for a single
// LAUNCH task):
//   - each task in its own process group, sandbox, cgroups and rlimits;
//     TASK_STARTING when received, TASK_RUNNING once exec succeeded (fetch
//     and setup failures: TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED);
//   - exit 0: TASK_FINISHED, otherwise TASK_FAILED ("Command exited with
//     status N" / "Command terminated with signal X"); killed: TASK_KILLED;
//     whatever is left in the task's process group is SIGKILLed at its exit;
//   - kill: TASK_KILLING (when the framework has TASK_KILLING_STATE), SIGTERM
//     to the group, SIGKILL after the grace period (default 3 s);
//   - health checks (TASK_RUNNING with `healthy`, reason
//     REASON_TASK_HEALTH_CHECK_STATUS_UPDATED; the task is killed after
//     consecutive failures and its terminal update carries healthy=false);
//     checks (TASK_RUNNING with the check result, reason
//     REASON_TASK_CHECK_STATUS_UPDATED, whenever the result changes);
//   - in a task group, a task ending TASK_FAILED or TASK_KILLED gets the
//     other tasks of its group killed.
// Every update is appended to updates.jsonl and kept until the runtime acks
// it; each new runtime connection first gets a hello and the unacknowledged
// updates again. The executor exits once all its tasks are terminal and all
// updates acknowledged (or, with no acks coming, after config.linger).
// Orphaned -- no runtime connected for config.reconnectTimeout, or its run
// directory deleted while none is connected -- it kills its tasks with their
// kill policies and exits once they ended, acknowledged or not (what is
// unacknowledged stays in updates.jsonl for a later recovery).
//
// Single-threaded (poll loop); not thread-safe.
#pragma once

#include <sys/types.h>

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster/local/agent_protocol.h"
#include "cluster/local/cgroups.h"
#include "cluster/local/health_check.h"

namespace keel::local {

class Executor {
 public:
  // `controlFd`: an already connected control socket (the runtime's
  // socketpair end), or -1 to wait for a connection on the abstract socket.
  Executor(ExecutorConfig config, int controlFd);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs until done; returns the process exit code.
  int run();

 private:
  enum class ChildKind { kTask, kHealth, kCheck };
  struct ProbeRun {
    pid_t pid = -1;
    int resultFd = -1;
    TimePoint deadline;
    bool timedOut = false;
  };
  struct Task {
    TaskLaunch spec;
    int group = 0;
    std::string sandbox;
    TaskCgroups cgroups;
    pid_t pid = -1;
    uint64_t startTime = 0;
    int launchFd = -1;
    std::string launchError;
    bool running = false;
    bool killing = false;
    bool terminal = false;
    std::optional<TimePoint> escalateAt;
    std::optional<HealthTracker> health;
    TimePoint nextHealth;
    ProbeRun healthRun;
    CheckTracker checker;
    bool checking = false;
    TimePoint nextCheck;
    ProbeRun checkRun;
    TaskEvent last;
  };

  Status setUp();
  void loopOnce();
  Duration timeUntilNextDeadline(TimePoint now) const;
  bool finished(TimePoint now) const;
  void checkOrphaned(TimePoint now);

  // Control channel.
  void acceptConnection();
  void readConnection();
  void closeConnection();
  void dispatch(const ControlMessage& message);
  void sendLine(const std::string& line);
  void acknowledge(const std::string& uuid);
  // Appends a line to <runDir>/<name>, kept open (O_APPEND) after the first.
  Status appendRunFile(int& fd, const char* name, const std::string& line);

  // Tasks.
  void launchGroup(const std::vector<TaskLaunch>& tasks);
  void startTask(Task& task);
  pid_t forkTask(Task& task, int launchWriteFd);
  void onLaunchPipe(Task& task);
  void onTaskExit(Task& task, int status);
  void finishTask(Task& task, TaskEvent event);
  void killTask(Task& task, std::optional<Duration> grace);
  void stopProbes(Task& task);

  // Probes.
  void runTimers(TimePoint now);
  void startProbe(Task& task, ChildKind kind, TimePoint now);
  void onProbeExit(Task& task, ChildKind kind, int status);

  // Children.
  void reapChildren();

  // Updates.
  TaskEvent freshStatus(const Task& task, const std::string& state) const;
  void sendUpdate(Task& task, TaskEvent event);

  ExecutorConfig config_;
  int controlFd_ = -1;
  int listenFd_ = -1;
  int signalFd_ = -1;
  int updatesFd_ = -1;  // updates.jsonl
  int acksFd_ = -1;     // acks.jsonl
  LineBuffer input_;
  std::map<std::string, Task> tasks_;
  std::map<pid_t, std::pair<std::string, ChildKind>> children_;
  std::map<int, bool> groupKilling_;
  int nextGroup_ = 0;
  bool shuttingDown_ = false;
  bool unhealthy_ = false;
  std::optional<TimePoint> allTerminalSince_;
  std::optional<TimePoint> disconnectedSince_;  // no runtime connected since
  TimePoint nextRunDirCheck_{};
  bool orphaned_ = false;
  std::deque<std::pair<std::string, std::string>> unacked_;  // uuid, line
  bool done_ = false;
};

}  // namespace keel::local
