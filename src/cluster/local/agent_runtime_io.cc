// LocalAgentRuntime: the I/O thread, executor exits and recovery.
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cluster/local/agent_runtime_impl.h"
#include "cluster/local/process_util.h"
#include "keel/ids.h"
#include "keel/log.h"

namespace keel::local {
namespace {

constexpr const char* kLog = "agent";

int connectAbstract(const std::string& name) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  size_t len = std::min(name.size(), sizeof(addr.sun_path) - 1);
  std::memcpy(addr.sun_path + 1, name.data(), len);
  socklen_t size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + len);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), size) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

void LocalAgentRuntime::ioLoop() {
  ::pthread_setname_np(::pthread_self(), "keel-agent-io");
  epoll_event events[64];
  for (;;) {
    int n = ::epoll_wait(epollFd_, events, 64, -1);
    if (n < 0 && errno != EINTR) {
      KEEL_LOG(Error, kLog) << "epoll_wait: " << std::strerror(errno);
      return;
    }
    std::vector<AgentEvent> out;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      for (int i = 0; i < n; ++i) {
        auto it = byFd_.find(events[i].data.fd);
        if (it == byFd_.end()) continue;
        RunPtr run = it->second;
        if (events[i].data.fd == run->fd) {
          onReadable(run);
        } else {
          onExecutorExit(run);
        }
      }
      out.swap(outbox_);
    }
    bool any = !out.empty();
    push(std::move(out));
    if (any && options_.onEvents) options_.onEvents();
  }
}

void LocalAgentRuntime::closeControl(Run& run) {
  if (run.fd < 0) return;
  ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, run.fd, nullptr);
  byFd_.erase(run.fd);
  ::close(run.fd);
  run.fd = -1;
  run.input = LineBuffer();
}

void LocalAgentRuntime::onReadable(const RunPtr& run) {
  char buf[65536];
  while (run->fd >= 0) {
    ssize_t n = ::recv(run->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      closeControl(*run);
      if (run->pidfd < 0 && !processAlive(run->pid, run->startTime)) onExecutorExit(run);
      return;
    }
    run->input.append(std::string_view(buf, static_cast<size_t>(n)));
    while (auto line = run->input.next()) {
      auto message = decodeMessage(*line);
      if (message) {
        onMessage(run, *message);
      } else {
        KEEL_LOG(Warn, kLog) << "executor " << run->config.executorId << ": " << message.error();
      }
    }
  }
}

void LocalAgentRuntime::onMessage(const RunPtr& run, const ControlMessage& m) {
  if (m.type == MessageType::kHello) {
    bool missing = std::any_of(run->tasks.begin(), run->tasks.end(), [&](const auto& kv) {
      return std::none_of(m.known.begin(), m.known.end(),
                          [&](const TaskSummary& k) { return k.taskId == kv.first; });
    });
    // A launch that was checkpointed but never reached the executor: send it (again).
    if (missing) {
      for (const auto& line : run->launchLines) sendLine(*run, line);
    }
    return;
  }
  if (m.type != MessageType::kUpdate) return;
  const TaskEvent& e = m.update;
  TaskRecord& record = run->tasks[e.taskId];
  record.state = e.state;
  if (m.taskPid > 0) {
    record.pid = m.taskPid;
    record.startTime = m.taskStartTime;
  }
  if (run->silenced) return;
  run->pending[e.taskId].insert(e.uuid);
  taskRun_[e.taskId] = run;
  outbox_.push_back(e);
}

int LocalAgentRuntime::reapStatus(Run& run) {
  int status = 0;
  if (::waitpid(run.pid, &status, WNOHANG) == run.pid) return status;
  return ::access((run.config.runDir + "/exit.json").c_str(), F_OK) == 0 ? 0 : -1;
}

void LocalAgentRuntime::onExecutorExit(const RunPtr& run) {
  if (run->dead) return;
  run->dead = true;
  if (run->fd >= 0) onReadable(run);  // what it said before dying
  closeControl(*run);
  int status = reapStatus(*run);
  if (run->pidfd >= 0) {
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, run->pidfd, nullptr);
    byFd_.erase(run->pidfd);
    ::close(run->pidfd);
    run->pidfd = -1;
  }
  KEEL_LOG(Info, kLog).field("executor", run->config.executorId).field("status", status)
      << " executor exited";
  if (run->silenced) {
    for (const auto& [taskId, task] : run->tasks) {
      if (task.pid > 0 && processAlive(task.pid, task.startTime)) ::killpg(task.pid, SIGKILL);
      if (!isTerminalState(task.state)) destroyCgroups(taskCgroupsFor(run->config.cgroups, taskId));
    }
    run->pending.clear();
  } else {
    for (auto& e : endOpenTasks(run, "TASK_FAILED", "Executor terminated"))
      outbox_.push_back(std::move(e));
    outbox_.push_back(ExecutorExited{run->config.executorId, run->config.frameworkId, status});
  }
  releaseRun(run);
  if (auto it = live_.find(run->config.executorId); it != live_.end() && it->second == run) {
    live_.erase(it);
  }
  runsChanged_.notify_all();
}

std::vector<TaskEvent> LocalAgentRuntime::endOpenTasks(const RunPtr& run, const std::string& state,
                                                       const std::string& message) {
  std::vector<TaskEvent> out;
  for (auto& [taskId, task] : run->tasks) {
    if (isTerminalState(task.state)) continue;
    if (task.pid > 0 && processAlive(task.pid, task.startTime)) ::killpg(task.pid, SIGKILL);
    destroyCgroups(taskCgroupsFor(run->config.cgroups, taskId));
    TaskEvent e;
    e.taskId = taskId;
    e.executorId = run->config.executorId;
    e.frameworkId = run->config.frameworkId;
    e.state = state;
    e.message = message;
    e.reason = "REASON_EXECUTOR_TERMINATED";
    e.source = "SOURCE_AGENT";
    e.timestamp = clock_->now();
    e.uuid = randomUuid();
    ControlMessage m = updateMessage(e, 0, 0);
    (void)appendFile(run->config.runDir + "/updates.jsonl", encodeMessage(m));
    task.state = state;
    run->pending[taskId].insert(e.uuid);
    taskRun_[taskId] = run;
    out.push_back(std::move(e));
  }
  return out;
}

void LocalAgentRuntime::releaseRun(const RunPtr& run) {
  if (!run->dead) return;
  for (const auto& [taskId, uuids] : run->pending) {
    if (!uuids.empty()) return;
  }
  (void)markCompleted(run->config.runDir);
  for (auto it = taskRun_.begin(); it != taskRun_.end();) {
    it = it->second == run ? taskRun_.erase(it) : std::next(it);
  }
}

Result<RecoveryResult> LocalAgentRuntime::recover(bool partitionAware) {
  RecoveryResult result;
  std::vector<AgentEvent> none;
  {
    std::lock_guard lock(mu_);
    for (const auto& dir : listRunDirs(options_.workDir)) adoptOrBury(dir, partitionAware, &result);
  }
  return result;
}

void LocalAgentRuntime::adoptOrBury(const std::string& runDir, bool partitionAware,
                                    RecoveryResult* result) {
  auto files = loadRun(runDir);
  if (!files) {
    KEEL_LOG(Warn, kLog) << "skipping run " << runDir << ": " << files.error();
    return;
  }
  if (files->completed) return;
  auto run = std::make_shared<Run>();
  run->config = files->config;
  run->pid = files->pid;
  run->startTime = files->startTime;
  run->launchLines = files->launchLines;
  run->tasks = files->tasks;
  AdoptedExecutor adopted{run->config.executorId, run->config.frameworkId, {}};
  for (const auto& id : files->taskIds) {
    taskRun_[id] = run;
    if (!isTerminalState(run->tasks[id].state)) adopted.taskIds.push_back(id);
  }
  run->fd = connectAbstract(run->config.socketName);
  if (run->fd >= 0) {
    if (processAlive(run->pid, run->startTime)) run->pidfd = openPidfd(run->pid);
    if (Status s = registerRun(run); !s.isOk()) {
      KEEL_LOG(Error, kLog) << "adopting " << runDir << ": " << s;
    }
    result->adopted.push_back(std::move(adopted));
    return;
  }
  if (processAlive(run->pid, run->startTime)) ::kill(run->pid, SIGKILL);  // alive but deaf
  run->dead = true;
  for (const auto& e : files->unacked) {
    run->pending[e.taskId].insert(e.uuid);
    result->gone.push_back(e);
  }
  auto ended = endOpenTasks(run, partitionAware ? "TASK_GONE" : "TASK_LOST",
                            "Executor terminated while the agent was down");
  bool report = !ended.empty() || !files->unacked.empty() || !files->exited;
  for (auto& e : ended) result->gone.push_back(std::move(e));
  if (report) {
    result->gone.push_back(
        ExecutorExited{run->config.executorId, run->config.frameworkId, files->exited ? 0 : -1});
  }
  releaseRun(run);
}

}  // namespace keel::local
