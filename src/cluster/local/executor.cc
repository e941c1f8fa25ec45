#include "cluster/local/executor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cluster/local/process_util.h"
#include "keel/ids.h"
#include "keel/log.h"

namespace keel::local {
namespace {

constexpr const char* kLog = "executor";
// While disconnected: how often to look whether the run directory still exists.
constexpr Duration kRunDirCheckInterval = std::chrono::seconds(1);

TimePoint now() { return std::chrono::system_clock::now(); }

int listenAbstract(const std::string& name) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  size_t len = std::min(name.size(), sizeof(addr.sun_path) - 1);
  std::memcpy(addr.sun_path + 1, name.data(), len);
  socklen_t size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + len);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), size) != 0 || ::listen(fd, 4) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

Executor::Executor(ExecutorConfig config, int controlFd)
    : config_(std::move(config)), controlFd_(controlFd) {}

Executor::~Executor() {
  closeConnection();
  if (listenFd_ >= 0) ::close(listenFd_);
  if (signalFd_ >= 0) ::close(signalFd_);
  for (int fd : {updatesFd_, acksFd_}) {
    if (fd >= 0) ::close(fd);
  }
}

Status Executor::appendRunFile(int& fd, const char* name, const std::string& line) {
  std::string path = config_.runDir + "/" + name;
  if (fd < 0) fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError(path + ": " + std::strerror(errno));
  if (!writeAll(fd, line)) return Status::ioError(path + ": " + std::strerror(errno));
  return Status::ok();
}

Status Executor::setUp() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  signalFd_ = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signalFd_ < 0) return Status::ioError(std::string("signalfd: ") + std::strerror(errno));
  ::signal(SIGPIPE, SIG_IGN);
  listenFd_ = listenAbstract(config_.socketName);
  if (listenFd_ < 0)
    return Status::ioError("listen on @" + config_.socketName + ": " + std::strerror(errno));
  if (controlFd_ >= 0) ::fcntl(controlFd_, F_SETFD, FD_CLOEXEC);
  return Status::ok();
}

int Executor::run() {
  if (Status s = setUp(); !s.isOk()) {
    KEEL_LOG(Error, kLog) << "cannot start: " << s;
    return 2;
  }
  if (controlFd_ >= 0) {
    ControlMessage hello = helloMessage(static_cast<int>(::getpid()), {});
    sendLine(encodeMessage(hello));
  } else {
    disconnectedSince_ = now();
  }
  while (!done_) loopOnce();
  KEEL_LOG(Info, kLog) << "exiting" << (unacked_.empty() ? "" : " with unacknowledged updates");
  (void)writeFileAtomic(config_.runDir + "/exit.json", "{\"status\":0}\n");
  return 0;
}

void Executor::loopOnce() {
  std::vector<pollfd> fds{{signalFd_, POLLIN, 0}, {listenFd_, POLLIN, 0}};
  if (controlFd_ >= 0) fds.push_back({controlFd_, POLLIN, 0});
  size_t firstPipe = fds.size();
  std::vector<std::string> pipeTasks;
  for (auto& [id, task] : tasks_) {
    if (task.launchFd < 0) continue;
    fds.push_back({task.launchFd, POLLIN, 0});
    pipeTasks.push_back(id);
  }
  Duration wait = timeUntilNextDeadline(now());
  int n =
      ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<int64_t>(wait.count(), 0, 60000)));
  if (n < 0 && errno != EINTR) {
    KEEL_LOG(Error, kLog) << "poll: " << std::strerror(errno);
    done_ = true;
    return;
  }
  for (size_t i = 0; i < pipeTasks.size(); ++i) {
    if (fds[firstPipe + i].revents != 0) onLaunchPipe(tasks_.at(pipeTasks[i]));
  }
  if (fds[0].revents != 0) reapChildren();
  if (fds[1].revents != 0) acceptConnection();
  if (fds.size() > 2 && firstPipe == 3 && fds[2].revents != 0) readConnection();
  runTimers(now());
  checkOrphaned(now());
  if (finished(now())) done_ = true;
}

void Executor::checkOrphaned(TimePoint t) {
  if (orphaned_ || !disconnectedSince_) return;
  bool runDirGone = false;
  if (t >= nextRunDirCheck_) {
    nextRunDirCheck_ = t + kRunDirCheckInterval;
    runDirGone = ::access(config_.runDir.c_str(), F_OK) != 0 && errno == ENOENT;
  }
  if (!runDirGone && t < *disconnectedSince_ + config_.reconnectTimeout) return;
  orphaned_ = true;
  shuttingDown_ = true;
  KEEL_LOG(Warn, kLog) << (runDirGone
                               ? "run directory deleted"
                               : "no agent runtime reconnected within " +
                                     std::to_string(config_.reconnectTimeout.count()) + " ms")
                       << ": killing the tasks and exiting";
  for (auto& [id, task] : tasks_) killTask(task, std::nullopt);
}

Duration Executor::timeUntilNextDeadline(TimePoint t) const {
  TimePoint next = t + std::chrono::seconds(60);
  auto consider = [&](TimePoint p) { next = std::min(next, p); };
  for (const auto& [id, task] : tasks_) {
    if (task.escalateAt) consider(*task.escalateAt);
    if (task.healthRun.pid > 0)
      consider(task.healthRun.deadline);
    else if (task.health && task.running && !task.killing)
      consider(task.nextHealth);
    if (task.checkRun.pid > 0)
      consider(task.checkRun.deadline);
    else if (task.checking && !task.killing)
      consider(task.nextCheck);
  }
  if (allTerminalSince_) consider(*allTerminalSince_ + config_.linger);
  if (disconnectedSince_ && !orphaned_) {
    consider(std::min(nextRunDirCheck_, *disconnectedSince_ + config_.reconnectTimeout));
  }
  return std::chrono::duration_cast<Duration>(next - t) + Duration(1);
}

bool Executor::finished(TimePoint t) const {
  bool anyLive =
      std::any_of(tasks_.begin(), tasks_.end(), [](const auto& kv) { return !kv.second.terminal; });
  if (anyLive || (tasks_.empty() && !shuttingDown_)) return false;
  if (!children_.empty()) return false;
  return orphaned_ || unacked_.empty() ||
         (allTerminalSince_ && t >= *allTerminalSince_ + config_.linger);
}

void Executor::acceptConnection() {
  int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  closeConnection();
  controlFd_ = fd;
  disconnectedSince_.reset();
  ControlMessage hello = helloMessage(static_cast<int>(::getpid()), {});
  for (const auto& [id, task] : tasks_) hello.known.push_back({id, task.last.state});
  sendLine(encodeMessage(hello));
  for (const auto& [uuid, line] : unacked_) sendLine(line);
  KEEL_LOG(Info, kLog) << "runtime connected"
                       << " unacked=" << unacked_.size();
}

void Executor::closeConnection() {
  if (controlFd_ >= 0) {
    ::close(controlFd_);
    disconnectedSince_ = now();
  }
  controlFd_ = -1;
  input_ = LineBuffer();
}

void Executor::readConnection() {
  char buf[65536];
  ssize_t n = ::recv(controlFd_, buf, sizeof buf, MSG_DONTWAIT);
  if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) return;
  if (n <= 0) {
    closeConnection();
    return;
  }
  input_.append(std::string_view(buf, static_cast<size_t>(n)));
  while (auto line = input_.next()) {
    auto message = decodeMessage(*line);
    if (!message) {
      KEEL_LOG(Warn, kLog) << "dropping control message: " << message.error();
      continue;
    }
    dispatch(*message);
  }
}

void Executor::sendLine(const std::string& line) {
  if (controlFd_ < 0) return;
  if (::send(controlFd_, line.data(), line.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(line.size())) {
    // A partial send on a blocking stream socket only happens on error.
    closeConnection();
  }
}

void Executor::dispatch(const ControlMessage& m) {
  switch (m.type) {
    case MessageType::kLaunch:
      launchGroup(m.tasks);
      break;
    case MessageType::kKill: {
      auto it = tasks_.find(m.taskId);
      if (it != tasks_.end()) killTask(it->second, m.grace);
      break;
    }
    case MessageType::kShutdown:
      shuttingDown_ = true;
      for (auto& [id, task] : tasks_) killTask(task, std::nullopt);
      break;
    case MessageType::kAck:
      acknowledge(m.uuid);
      break;
    default:
      KEEL_LOG(Warn, kLog) << "unexpected control message from the runtime";
      break;
  }
}

void Executor::acknowledge(const std::string& uuid) {
  auto it = std::find_if(unacked_.begin(), unacked_.end(),
                         [&](const auto& u) { return u.first == uuid; });
  if (it == unacked_.end()) return;
  unacked_.erase(it);
  ControlMessage ack = ackMessage("", uuid);
  (void)appendRunFile(acksFd_, "acks.jsonl", encodeMessage(ack));
}

TaskEvent Executor::freshStatus(const Task& task, const std::string& state) const {
  TaskEvent e;
  e.taskId = task.spec.taskId;
  e.state = state;
  e.source = "SOURCE_EXECUTOR";
  return e;
}

void Executor::sendUpdate(Task& task, TaskEvent e) {
  e.executorId = config_.executorId;
  e.frameworkId = config_.frameworkId;
  e.timestamp = now();
  e.uuid = randomUuid();
  task.last = e;
  ControlMessage m = updateMessage(e, task.pid, task.startTime);
  std::string line = encodeMessage(m);
  if (Status s = appendRunFile(updatesFd_, "updates.jsonl", line); !s.isOk()) {
    KEEL_LOG(Error, kLog) << "cannot checkpoint update: " << s;
  }
  unacked_.emplace_back(e.uuid, line);
  sendLine(line);
  bool allTerminal =
      std::all_of(tasks_.begin(), tasks_.end(), [](const auto& kv) { return kv.second.terminal; });
  allTerminalSince_ = allTerminal ? std::optional<TimePoint>(now()) : std::nullopt;
}

void Executor::runTimers(TimePoint t) {
  for (auto& [id, task] : tasks_) {
    if (task.escalateAt && t >= *task.escalateAt) {
      task.escalateAt.reset();
      if (task.pid > 0 && !task.terminal) {
        KEEL_LOG(Info, kLog) << "task " << id << " outlived its grace period: SIGKILL";
        ::killpg(task.pid, SIGKILL);
      }
    }
    for (auto [run, kind] : {std::pair{&task.healthRun, ChildKind::kHealth},
                             std::pair{&task.checkRun, ChildKind::kCheck}}) {
      if (run->pid > 0 && !run->timedOut && t >= run->deadline) {
        run->timedOut = true;
        ::killpg(run->pid, SIGKILL);
      }
    }
    if (task.terminal || task.killing || !task.running) continue;
    if (task.health && task.healthRun.pid < 0 && t >= task.nextHealth)
      startProbe(task, ChildKind::kHealth, t);
    if (task.checking && task.checkRun.pid < 0 && t >= task.nextCheck)
      startProbe(task, ChildKind::kCheck, t);
  }
}

}  // namespace keel::local
