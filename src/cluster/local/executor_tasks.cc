// Executor: starting, watching and killing tasks and their probes.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cluster/local/executor.h"
#include "cluster/local/fetcher.h"
#include "cluster/local/process_util.h"
#include "cluster/local/sandbox.h"
#include "cluster/local/task_spawn.h"
#include "keel/log.h"

namespace keel::local {
namespace {

constexpr const char* kLog = "executor";
constexpr Duration kDefaultGrace{3000};

TimePoint now() { return std::chrono::system_clock::now(); }

std::vector<char*> cStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Common start of every child: default signals, own process group. Probes
// die with the executor; tasks do not (the runtime kills their groups when
// it finds the executor dead, while the group leader still identifies them).
void becomeChild(bool dieWithExecutor) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::setpgid(0, 0);
  if (dieWithExecutor) ::prctl(PR_SET_PDEATHSIG, SIGKILL);
}

[[noreturn]] void failChild(int fd, const std::string& message, int code = 1) {
  writeAll(fd, message);
  ::_exit(code);
}

void redirect(int target, const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd >= 0) {
    ::dup2(fd, target);
    ::close(fd);
  }
}

Status applyRlimits(const std::vector<RLimit>& limits) {
  for (const auto& limit : limits) {
    auto resource = rlimitResource(limit.type);
    if (!resource) return Status::invalidArgument("unknown rlimit type " + limit.type);
    rlimit value{limit.soft ? *limit.soft : RLIM_INFINITY,
                 limit.hard ? *limit.hard : RLIM_INFINITY};
    if (::setrlimit(*resource, &value) != 0) {
      return Status::invalidArgument("setrlimit " + limit.type + ": " + std::strerror(errno));
    }
  }
  return Status::ok();
}

// The spawnTask plan of a task that fetches nothing and whose rlimits are
// all known (otherwise the fork path reports what is wrong).
std::optional<TaskSpawn> spawnPlan(const TaskLaunch& spec, const std::string& sandbox,
                                   const TaskCgroups& cgroups, int errorFd) {
  if (!spec.uris.empty()) return std::nullopt;
  TaskSpawn spawn;
  for (const RLimit& limit : spec.rlimits) {
    std::optional<int> resource = rlimitResource(limit.type);
    if (!resource) return std::nullopt;
    rlimit value{limit.soft ? *limit.soft : RLIM_INFINITY,
                 limit.hard ? *limit.hard : RLIM_INFINITY};
    spawn.rlimits.push_back({limit.type, *resource, value});
  }
  spawn.workDir = sandbox;
  spawn.cgroupProcs = cgroupProcsFiles(cgroups);
  spawn.errorFd = errorFd;
  return spawn;
}

}  // namespace

void Executor::launchGroup(const std::vector<TaskLaunch>& specs) {
  int group = ++nextGroup_;
  std::vector<std::string> fresh;
  for (const auto& spec : specs) {
    if (tasks_.count(spec.taskId) != 0) continue;  // a launch re-sent after a reconnect
    Task& task = tasks_[spec.taskId];
    task.spec = spec;
    task.group = group;
    task.sandbox = taskSandboxPath(config_.runDir, spec.taskId);
    fresh.push_back(spec.taskId);
  }
  for (const auto& id : fresh)
    sendUpdate(tasks_.at(id), freshStatus(tasks_.at(id), "TASK_STARTING"));
  for (const auto& id : fresh) startTask(tasks_.at(id));
}

void Executor::startTask(Task& task) {
  Status prepared = prepareSandbox(task.sandbox, task.spec.volumes);
  if (prepared.isOk()) {
    auto groups =
        createTaskCgroups(config_.cgroups, task.spec.taskId, task.spec.cpus, task.spec.memMb);
    if (groups) {
      task.cgroups = *groups;
    } else {
      KEEL_LOG(Warn, kLog) << "task " << task.spec.taskId
                           << " runs without cgroup limits: " << groups.error();
    }
  }
  int fds[2] = {-1, -1};
  if (prepared.isOk() && ::pipe2(fds, O_CLOEXEC) != 0) prepared = Status::ioError("pipe2");
  pid_t pid = prepared.isOk() ? forkTask(task, fds[1]) : -1;
  if (fds[1] >= 0) ::close(fds[1]);
  if (pid < 0) {
    if (fds[0] >= 0) ::close(fds[0]);
    if (prepared.isOk()) prepared = Status::ioError(std::string("fork: ") + std::strerror(errno));
    task.launchError = prepared.message();
    TaskEvent e = freshStatus(task, "TASK_FAILED");
    e.reason = "REASON_CONTAINER_LAUNCH_FAILED";
    e.message = "Failed to launch container: " + task.launchError;
    finishTask(task, e);
    return;
  }
  ::setpgid(pid, pid);
  task.pid = pid;
  task.startTime = processStartTime(pid).value_or(0);
  task.launchFd = fds[0];
  children_[pid] = {task.spec.taskId, ChildKind::kTask};
}

// Without URIs to fetch (which runs in the child, under the task's limits)
// the task starts through spawnTask: no copy of the executor's memory.
pid_t Executor::forkTask(Task& task, int launchWriteFd) {
  std::vector<std::string> env = taskEnvironment(config_, task.spec, task.sandbox);
  std::vector<std::string> argv;
  std::string program = "/bin/sh";
  if (task.spec.shell) {
    argv = {"sh", "-c", task.spec.command};
  } else {
    program = task.spec.command;
    argv = task.spec.arguments.empty() ? std::vector<std::string>{program} : task.spec.arguments;
  }
  if (auto spawn = spawnPlan(task.spec, task.sandbox, task.cgroups, launchWriteFd)) {
    spawn->program = std::move(program);
    spawn->argv = std::move(argv);
    spawn->env = std::move(env);
    return spawnTask(*spawn);
  }
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  becomeChild(false);
  (void)joinCgroups(task.cgroups);
  if (::chdir(task.sandbox.c_str()) != 0) failChild(launchWriteFd, "chdir " + task.sandbox);
  redirect(STDIN_FILENO, "/dev/null", O_RDONLY);
  redirect(STDOUT_FILENO, task.sandbox + "/stdout", O_WRONLY | O_CREAT | O_APPEND);
  redirect(STDERR_FILENO, task.sandbox + "/stderr", O_WRONLY | O_CREAT | O_APPEND);
  if (Status s = fetchUris(task.spec.uris, task.sandbox); !s.isOk())
    failChild(launchWriteFd, s.message());
  if (Status s = applyRlimits(task.spec.rlimits); !s.isOk()) failChild(launchWriteFd, s.message());
  auto args = cStrings(argv);
  auto envp = cStrings(env);
  ::execvpe(program.c_str(), args.data(), envp.data());
  failChild(launchWriteFd, "exec " + program + ": " + std::strerror(errno), 127);
}

void Executor::onLaunchPipe(Task& task) {
  char buf[4096];
  ssize_t n = ::read(task.launchFd, buf, sizeof buf);
  if (n < 0 && errno == EINTR) return;
  if (n > 0) {
    task.launchError.append(buf, static_cast<size_t>(n));
    return;
  }
  ::close(task.launchFd);
  task.launchFd = -1;
  if (!task.launchError.empty() || task.terminal || task.killing) return;
  task.running = true;
  sendUpdate(task, freshStatus(task, "TASK_RUNNING"));
  TimePoint t = now();
  if (task.spec.healthCheck) {
    task.health.emplace(*task.spec.healthCheck, t);
    task.nextHealth = t + std::chrono::duration_cast<Duration>(task.spec.healthCheck->delay);
  }
  if (task.spec.check) {
    task.checking = true;
    task.nextCheck = t + std::chrono::duration_cast<Duration>(task.spec.check->delay);
  }
}

void Executor::onTaskExit(Task& task, int status) {
  while (task.launchFd >= 0) onLaunchPipe(task);
  stopProbes(task);
  bool oom = memoryLimitHit(task.cgroups);
  destroyCgroups(task.cgroups);
  TaskEvent e;
  if (!task.launchError.empty()) {
    e = freshStatus(task, "TASK_FAILED");
    e.reason = "REASON_CONTAINER_LAUNCH_FAILED";
    e.message = "Failed to launch container: " + task.launchError;
  } else if (oom && !task.killing) {
    e = freshStatus(task, "TASK_FAILED");
    e.reason = "REASON_CONTAINER_LIMITATION_MEMORY";
    e.message = "Memory limit exceeded: Command " + describeWaitStatus(status);
  } else {
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    e = freshStatus(task, task.killing ? "TASK_KILLED" : ok ? "TASK_FINISHED" : "TASK_FAILED");
    e.message = "Command " + describeWaitStatus(status);
  }
  if (unhealthy_) e.healthy = false;
  finishTask(task, e);
}

void Executor::finishTask(Task& task, TaskEvent event) {
  task.terminal = true;
  task.escalateAt.reset();
  std::string state = event.state;
  sendUpdate(task, std::move(event));
  if (!config_.taskGroup || shuttingDown_ || groupKilling_[task.group]) return;
  if (state != "TASK_FAILED" && state != "TASK_KILLED") return;
  groupKilling_[task.group] = true;
  for (auto& [id, other] : tasks_) {
    if (other.group == task.group && !other.terminal) killTask(other, std::nullopt);
  }
}

void Executor::killTask(Task& task, std::optional<Duration> grace) {
  if (task.terminal || task.killing) return;
  task.killing = true;
  stopProbes(task);
  Duration period = grace ? *grace : task.spec.killGracePeriod.value_or(kDefaultGrace);
  if (config_.killingState) sendUpdate(task, freshStatus(task, "TASK_KILLING"));
  if (task.pid > 0) ::killpg(task.pid, SIGTERM);
  task.escalateAt = now() + period;
}

void Executor::stopProbes(Task& task) {
  for (ProbeRun* run : {&task.healthRun, &task.checkRun}) {
    if (run->pid > 0) ::killpg(run->pid, SIGKILL);
  }
}

void Executor::startProbe(Task& task, ChildKind kind, TimePoint t) {
  bool health = kind == ChildKind::kHealth;
  const CheckTarget& target = health ? task.spec.healthCheck->target : task.spec.check->target;
  Seconds timeout = health ? task.spec.healthCheck->timeout : task.spec.check->timeout;
  ProbeRun& run = health ? task.healthRun : task.checkRun;
  std::vector<std::string> env = taskEnvironment(config_, task.spec, task.sandbox, target.env);
  std::vector<std::string> argv{"sh", "-c", target.command};
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;
  pid_t pid = ::fork();
  if (pid == 0) {
    becomeChild(true);
    if (target.kind != CheckKind::kCommand)
      ::_exit(runProbe(target, std::chrono::duration_cast<Duration>(timeout), fds[1]));
    if (::chdir(task.sandbox.c_str()) != 0) ::_exit(126);
    redirect(STDIN_FILENO, "/dev/null", O_RDONLY);
    redirect(STDOUT_FILENO, "/dev/null", O_WRONLY);
    redirect(STDERR_FILENO, "/dev/null", O_WRONLY);
    auto args = cStrings(argv);
    auto envp = cStrings(env);
    ::execve("/bin/sh", args.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    return;
  }
  ::setpgid(pid, pid);
  run = ProbeRun{pid, fds[0], t + std::chrono::duration_cast<Duration>(timeout), false};
  children_[pid] = {task.spec.taskId, kind};
}

void Executor::onProbeExit(Task& task, ChildKind kind, int status) {
  bool health = kind == ChildKind::kHealth;
  ProbeRun& run = health ? task.healthRun : task.checkRun;
  std::string text;
  char buf[64];
  for (ssize_t n; (n = ::read(run.resultFd, buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<size_t>(n));
  ::close(run.resultFd);
  bool timedOut = run.timedOut;
  run = ProbeRun{};
  if (task.terminal || task.killing) return;
  TimePoint t = now();
  bool exitedZero = !timedOut && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (health) {
    task.nextHealth = t + std::chrono::duration_cast<Duration>(task.spec.healthCheck->interval);
    auto outcome = task.health->onResult(exitedZero, t);
    if (outcome.report) {
      TaskEvent e = task.last;
      e.reason = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";
      e.healthy = *outcome.report;
      sendUpdate(task, e);
    }
    if (outcome.kill) {
      unhealthy_ = true;
      killTask(task, std::nullopt);
    }
    return;
  }
  task.nextCheck = t + std::chrono::duration_cast<Duration>(task.spec.check->interval);
  CheckResult result;
  switch (task.spec.check->target.kind) {
    case CheckKind::kCommand:
      if (!timedOut)
        result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    case CheckKind::kHttp:
      if (int code = std::atoi(text.c_str()); code > 0) result.httpStatus = code;
      break;
    case CheckKind::kTcp:
      result.tcpSucceeded = exitedZero;
      break;
  }
  if (auto changed = task.checker.onResult(result)) {
    TaskEvent e = task.last;
    e.reason = "REASON_TASK_CHECK_STATUS_UPDATED";
    e.checkExitCode = changed->exitCode;
    e.checkHttpStatus = changed->httpStatus;
    e.checkTcpSucceeded = changed->tcpSucceeded;
    sendUpdate(task, e);
  }
}

void Executor::reapChildren() {
  signalfd_siginfo info;
  while (::read(signalFd_, &info, sizeof info) > 0) {
  }
  for (;;) {
    siginfo_t child{};
    if (::waitid(P_ALL, 0, &child, WEXITED | WNOHANG | WNOWAIT) != 0 || child.si_pid == 0) break;
    pid_t pid = child.si_pid;
    auto it = children_.find(pid);
    // While the zombie holds the group id, clean up whatever the group left behind.
    if (it != children_.end()) ::killpg(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (it == children_.end()) continue;
    auto [taskId, kind] = it->second;
    children_.erase(it);
    Task& task = tasks_.at(taskId);
    if (kind == ChildKind::kTask) {
      onTaskExit(task, status);
    } else {
      onProbeExit(task, kind, status);
    }
  }
}

}  // namespace keel::local
