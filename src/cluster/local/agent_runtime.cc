#include "cluster/local/agent_runtime.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cluster/local/agent_runtime_impl.h"
#include "cluster/local/process_util.h"
#include "keel/ids.h"
#include "keel/log.h"

extern char** environ;

namespace keel::local {
namespace {

namespace fs = std::filesystem;
constexpr const char* kLog = "agent";

std::string errnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

Result<std::unique_ptr<AgentRuntime>> makeAgentRuntime(AgentRuntimeOptions options) {
  auto runtime = std::make_unique<LocalAgentRuntime>(std::move(options));
  KEEL_RETURN_IF_ERROR(runtime->start());
  return std::unique_ptr<AgentRuntime>(std::move(runtime));
}

LocalAgentRuntime::LocalAgentRuntime(AgentRuntimeOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &SystemClock::instance()) {}

Status LocalAgentRuntime::start() {
  if (options_.agentId.empty()) return Status::invalidArgument("agent id is empty");
  std::error_code ec;
  fs::create_directories(fs::path(options_.workDir) / "executors", ec);
  if (ec) return Status::ioError("agent work dir " + options_.workDir + ": " + ec.message());
  if (options_.executorBinary.empty()) {
    options_.executorBinary =
        (fs::path(currentExecutablePath()).parent_path() / "keel-executor").string();
  }
  if (::access(options_.executorBinary.c_str(), X_OK) != 0) {
    return Status::failedPrecondition("executor binary " + options_.executorBinary +
                                      " is not executable");
  }
  cgroups_ = detectCgroups(options_.agentId, options_.useCgroups, options_.cpus);
  KEEL_LOG(Info, kLog).field("agent", options_.agentId).field("cgroups", cgroups_.description)
      << " agent runtime ready";
  epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epollFd_ < 0 || wakeFd_ < 0) return Status::ioError(errnoText("epoll"));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wakeFd_;
  ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &ev);
  io_ = std::thread([this] { ioLoop(); });
  return Status::ok();
}

LocalAgentRuntime::~LocalAgentRuntime() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  if (wakeFd_ >= 0) {
    uint64_t one = 1;
    (void)!::write(wakeFd_, &one, sizeof one);
  }
  if (io_.joinable()) io_.join();
  for (auto& [fd, run] : byFd_) ::close(fd);
  if (epollFd_ >= 0) ::close(epollFd_);
  if (wakeFd_ >= 0) ::close(wakeFd_);
  removeAgentCgroups(cgroups_);
}

Status LocalAgentRuntime::validate(const LaunchRequest& r) const {
  if (r.executorId.empty()) return Status::invalidArgument("executor id is empty");
  if (r.tasks.empty()) return Status::invalidArgument("no tasks to launch");
  std::set<std::string> ids;
  for (const auto& t : r.tasks) {
    if (t.taskId.empty()) return Status::invalidArgument("task id is empty");
    if (t.taskId.find('/') != std::string::npos)
      return Status::invalidArgument("task id '" + t.taskId + "' holds '/'");
    if (!ids.insert(t.taskId).second || taskRun_.count(t.taskId) != 0 ||
        launching_.count(t.taskId) != 0) {
      return Status::alreadyExists("task '" + t.taskId + "' is already known on agent " +
                                   options_.agentId);
    }
    if (!t.shell && t.command.empty())
      return Status::invalidArgument("task '" + t.taskId + "' has no command");
  }
  return Status::ok();
}

// Starting an executor (directories, checkpoint files, posix_spawn) runs
// without mu_: the I/O thread and acknowledge() (the master's thread) need
// it for every status update, and waited behind each spawn.
Status LocalAgentRuntime::launch(const LaunchRequest& request) {
  std::string line = encodeMessage(launchMessage(request.tasks));
  {
    std::lock_guard lock(mu_);
    KEEL_RETURN_IF_ERROR(validate(request));
    if (auto it = live_.find(request.executorId); it != live_.end()) {
      RunPtr run = it->second;
      KEEL_RETURN_IF_ERROR(appendFile(run->config.runDir + "/tasks.jsonl", line));
      run->launchLines.push_back(line);
      sendLine(*run, line);
      addTasks(run, request);
      return Status::ok();
    }
    if (!starting_.insert(request.executorId).second) {
      return Status::alreadyExists("executor '" + request.executorId + "' is starting");
    }
    for (const auto& t : request.tasks) launching_.insert(t.taskId);
  }
  Result<RunPtr> spawned = spawnRun(request, line);
  std::lock_guard lock(mu_);
  starting_.erase(request.executorId);
  for (const auto& t : request.tasks) launching_.erase(t.taskId);
  if (!spawned) return spawned.error();
  RunPtr run = *spawned;
  KEEL_RETURN_IF_ERROR(registerRun(run));
  sendLine(*run, line);
  addTasks(run, request);
  return Status::ok();
}

void LocalAgentRuntime::addTasks(const RunPtr& run, const LaunchRequest& request) {
  for (const auto& t : request.tasks) {
    run->tasks[t.taskId] = TaskRecord{};
    taskRun_[t.taskId] = run;
  }
}

Result<LocalAgentRuntime::RunPtr> LocalAgentRuntime::spawnRun(const LaunchRequest& request,
                                                              const std::string& launchLine) {
  auto run = std::make_shared<Run>();
  std::string runId = randomUuid();
  ExecutorConfig& c = run->config;
  c.executorId = request.executorId;
  c.frameworkId = request.frameworkId;
  c.agentId = options_.agentId;
  c.runDir =
      (fs::path(options_.workDir) / "executors" / request.executorId / "runs" / runId).string();
  c.socketName = "keel-executor-" + runId;
  c.taskGroup = request.taskGroup;
  c.killingState = request.killingState;
  c.cgroups = cgroups_;
  c.reconnectTimeout = options_.executorReconnectTimeout;
  std::error_code ec;
  fs::create_directories(c.runDir, ec);
  if (ec) return Status::ioError("run dir " + c.runDir + ": " + ec.message());
  // The run directory is new: its files are written once, in place.
  KEEL_RETURN_IF_ERROR(writeNewFile(c.runDir + "/executor.json", encodeExecutorConfig(c)));
  KEEL_RETURN_IF_ERROR(appendFile(c.runDir + "/tasks.jsonl", launchLine));
  run->launchLines.push_back(launchLine);

  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return Status::ioError(errnoText("socketpair"));
  Result<pid_t> pid = startExecutor(c.runDir, pair[1]);
  ::close(pair[1]);
  if (!pid) {
    ::close(pair[0]);
    return pid.error();
  }
  run->pid = *pid;
  run->ourChild = true;
  run->startTime = processStartTime(*pid).value_or(0);
  run->fd = pair[0];
  run->pidfd = openPidfd(*pid);
  (void)writePidFile(c.runDir, *pid, run->startTime);
  return run;
}

// A launcher that was gone before it got the request (killed, say) is
// replaced once per launch; when no launcher can be had the executor is
// spawned. A launcher that failed after the request fails the launch: an
// executor may be running on this run already.
Result<pid_t> LocalAgentRuntime::startExecutor(const std::string& runDir, int controlFd) {
  std::lock_guard lock(launcherMu_);
  for (int attempt = 0; options_.forkExecutors && attempt < 2; ++attempt) {
    if (!launcher_) {
      auto started = ExecutorLauncher::start(options_.executorBinary);
      if (!started) {
        KEEL_LOG(Warn, kLog).field("agent", options_.agentId)
            << " executors are spawned one by one: " << started.error();
        break;
      }
      launcher_ = std::move(*started);
    }
    Result<pid_t> pid = launcher_->launch(runDir, controlFd);
    if (!pid) {
      KEEL_LOG(Warn, kLog).field("agent", options_.agentId) << " " << pid.error();
      launcher_.reset();
    }
    if (pid || pid.error().code() != StatusCode::kUnavailable) return pid;
  }
  return spawnExecutor(runDir, controlFd);
}

Result<pid_t> LocalAgentRuntime::spawnExecutor(const std::string& runDir, int controlFd) {
  if (controlFd == 3) {  // dup2(3, 3) would leave FD_CLOEXEC set
    int moved = ::fcntl(controlFd, F_DUPFD_CLOEXEC, 4);
    Result<pid_t> pid = spawnExecutor(runDir, moved);
    ::close(moved);
    return pid;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string log = runDir + "/executor.log";
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_adddup2(&actions, controlFd, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  setPlainSignals(&attr, POSIX_SPAWN_SETSID);
  std::vector<std::string> args{options_.executorBinary, "--run-dir", runDir, "--control-fd", "3"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc =
      posix_spawn(&pid, options_.executorBinary.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    return Status::ioError("start executor " + options_.executorBinary + ": " + std::strerror(rc));
  return pid;
}

Status LocalAgentRuntime::registerRun(const RunPtr& run) {
  for (int fd : {run->fd, run->pidfd}) {
    if (fd < 0) continue;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &ev) != 0)
      return Status::ioError(errnoText("epoll_ctl"));
    byFd_[fd] = run;
  }
  live_[run->config.executorId] = run;
  return Status::ok();
}

void LocalAgentRuntime::sendLine(Run& run, const std::string& line) {
  if (run.fd < 0) return;
  if (::send(run.fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
    KEEL_LOG(Warn, kLog) << "lost the control connection of executor " << run.config.executorId;
  }
}

Status LocalAgentRuntime::kill(const std::string& taskId, std::optional<Duration> grace) {
  std::lock_guard lock(mu_);
  auto it = taskRun_.find(taskId);
  if (it == taskRun_.end() || it->second->dead ||
      isTerminalState(it->second->tasks[taskId].state)) {
    return Status::notFound("task '" + taskId + "' is not running on agent " + options_.agentId);
  }
  Run& run = *it->second;
  if (run.fd < 0)
    return Status::unavailable("executor " + run.config.executorId + " is not connected");
  sendLine(run, encodeMessage(killMessage(taskId, grace)));
  return Status::ok();
}

Status LocalAgentRuntime::shutdownExecutor(const std::string& executorId) {
  std::lock_guard lock(mu_);
  auto it = live_.find(executorId);
  if (it == live_.end()) return Status::notFound("executor '" + executorId + "' is not running");
  if (it->second->fd < 0)
    return Status::unavailable("executor " + executorId + " is not connected");
  sendLine(*it->second, encodeMessage(shutdownMessage()));
  return Status::ok();
}

Status LocalAgentRuntime::killAll() {
  std::unique_lock lock(mu_);
  for (auto& [id, run] : live_) {
    run->silenced = true;
    for (const auto& [taskId, task] : run->tasks) {
      if (task.pid > 0 && processAlive(task.pid, task.startTime)) ::killpg(task.pid, SIGKILL);
    }
    if (processAlive(run->pid, run->startTime)) ::kill(run->pid, SIGKILL);
  }
  bool gone = runsChanged_.wait_for(lock, std::chrono::seconds(10), [&] { return live_.empty(); });
  return gone ? Status::ok() : Status::deadlineExceeded("executors still alive after SIGKILL");
}

std::vector<AgentEvent> LocalAgentRuntime::pollEvents(Duration wait) {
  std::unique_lock lock(queueMu_);
  queueCv_.wait_for(lock, wait, [&] { return !queue_.empty(); });
  std::vector<AgentEvent> out(std::make_move_iterator(queue_.begin()),
                              std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

void LocalAgentRuntime::push(std::vector<AgentEvent> events) {
  if (events.empty()) return;
  {
    std::lock_guard lock(queueMu_);
    for (auto& e : events) queue_.push_back(std::move(e));
  }
  queueCv_.notify_all();
}

void LocalAgentRuntime::acknowledge(const std::string& taskId, const std::string& uuid) {
  std::lock_guard lock(mu_);
  auto it = taskRun_.find(taskId);
  if (it == taskRun_.end()) return;
  RunPtr run = it->second;
  auto& pending = run->pending[taskId];
  if (pending.erase(uuid) == 0) return;
  ControlMessage ack = ackMessage(taskId, uuid);
  if (run->dead) {
    (void)appendFile(run->config.runDir + "/acks.jsonl", encodeMessage(ack));
  } else {
    sendLine(*run, encodeMessage(ack));
  }
  if (pending.empty() && isTerminalState(run->tasks[taskId].state)) {
    run->pending.erase(taskId);
    taskRun_.erase(taskId);
  }
  if (run->dead) releaseRun(run);
}

}  // namespace keel::local
