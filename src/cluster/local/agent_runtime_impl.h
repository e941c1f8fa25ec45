// LocalAgentRuntime: the real AgentRuntime (see agent_runtime.h). Internal.
//
// Threads: callers (the master) and one I/O thread. The I/O thread waits
// (epoll) on every executor's control socket and pidfd, turns messages into
// AgentEvents and handles executor deaths. mu_ guards the runs; queueMu_ the
// event queue; callbacks (onEvents) run with no lock held.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "cluster/local/agent_run.h"
#include "cluster/local/agent_runtime.h"
#include "cluster/local/executor_launcher.h"

namespace keel::local {

class LocalAgentRuntime final : public AgentRuntime {
 public:
  explicit LocalAgentRuntime(AgentRuntimeOptions options);
  ~LocalAgentRuntime() override;
  Status start();

  Status launch(const LaunchRequest& request) override;
  Status kill(const std::string& taskId, std::optional<Duration> grace) override;
  Status shutdownExecutor(const std::string& executorId) override;
  Status killAll() override;
  Result<RecoveryResult> recover(bool partitionAware) override;
  std::vector<AgentEvent> pollEvents(Duration wait) override;
  void acknowledge(const std::string& taskId, const std::string& uuid) override;
  std::string cgroupMode() const override { return cgroups_.description; }

 private:
  struct Run {
    ExecutorConfig config;
    pid_t pid = 0;
    uint64_t startTime = 0;
    bool ourChild = false;
    int fd = -1;     // control connection
    int pidfd = -1;  // readable once the executor exited
    LineBuffer input;
    std::vector<std::string> launchLines;
    std::map<std::string, TaskRecord> tasks;
    std::map<std::string, std::set<std::string>> pending;  // task id -> uuids delivered, not acked
    bool dead = false;
    bool silenced = false;  // killAll: no events for its end
  };
  using RunPtr = std::shared_ptr<Run>;

  Status validate(const LaunchRequest& request) const;
  // Starts the executor process of a new run (called without mu_; the run
  // is registered by the caller).
  Result<RunPtr> spawnRun(const LaunchRequest& request, const std::string& launchLine);
  // The executor process of `runDir` with `controlFd` as its descriptor 3:
  // forked by the launcher, else spawned. Thread-safe (launcherMu_).
  Result<pid_t> startExecutor(const std::string& runDir, int controlFd);
  Result<pid_t> spawnExecutor(const std::string& runDir, int controlFd);
  void addTasks(const RunPtr& run, const LaunchRequest& request);
  Status registerRun(const RunPtr& run);
  void sendLine(Run& run, const std::string& line);

  void ioLoop();
  void onReadable(const RunPtr& run);
  void onMessage(const RunPtr& run, const ControlMessage& message);
  void onExecutorExit(const RunPtr& run);
  void closeControl(Run& run);
  int reapStatus(Run& run);
  // Terminal updates, checkpointed, for the run's tasks not yet terminal.
  std::vector<TaskEvent> endOpenTasks(const RunPtr& run, const std::string& state,
                                      const std::string& message);
  // For a dead run: once nothing awaits an ack, marks it completed and forgets it.
  void releaseRun(const RunPtr& run);
  void adoptOrBury(const std::string& runDir, bool partitionAware, RecoveryResult* result);

  void push(std::vector<AgentEvent> events);

  AgentRuntimeOptions options_;
  Clock* clock_;
  CgroupPlan cgroups_;

  mutable std::mutex mu_;
  std::condition_variable runsChanged_;
  std::map<std::string, RunPtr> live_;     // by executor id
  std::map<std::string, RunPtr> taskRun_;  // task id -> run, until its terminal update is acked
  std::map<int, RunPtr> byFd_;             // control fds and pidfds
  std::vector<AgentEvent> outbox_;         // filled under mu_, queued after
  std::set<std::string> starting_;         // executor ids being spawned (without mu_)
  std::set<std::string> launching_;        // their task ids
  int epollFd_ = -1;
  int wakeFd_ = -1;
  bool stopping_ = false;
  std::thread io_;

  std::mutex launcherMu_;
  std::unique_ptr<ExecutorLauncher> launcher_;  // null: spawn each executor

  std::mutex queueMu_;
  std::condition_variable queueCv_;
  std::deque<AgentEvent> queue_;
};

}  // namespace keel::local
