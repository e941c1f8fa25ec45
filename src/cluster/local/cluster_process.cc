#include "cluster/local/cluster_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "keel/state/state_dir_lock.h"

namespace keel::local {
namespace {

namespace fs = std::filesystem;

std::string errnoText() { return std::strerror(errno); }

std::string readSmallFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The holder's pid when someone holds <stateDir>/lock, else 0.
Result<pid_t> lockHolder(const std::string& stateDir) {
  fs::path path = fs::path(stateDir) / state::kLockFileName;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return pid_t{0};
    return Status::ioError("cannot open " + path.string() + ": " + errnoText());
  }
  bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  if (!held) return pid_t{0};
  std::string text = readSmallFile(path);
  pid_t pid = text.empty() ? -1 : static_cast<pid_t>(std::atoi(text.c_str()));
  return pid;
}

std::string logTail(const std::string& stateDir) {
  std::string log = readSmallFile(fs::path(stateDir) / kLogFileName);
  if (log.size() > 2000) log = log.substr(log.size() - 2000);
  return log;
}

[[noreturn]] void execDaemon(const std::string& stateDir, const std::vector<std::string>& argv) {
  ::setsid();
  if (::fork() != 0) ::_exit(0);  // the grandchild is adopted by init: no zombie for the caller
  int devNull = ::open("/dev/null", O_RDONLY);
  std::string logPath = (fs::path(stateDir) / kLogFileName).string();
  int log = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (devNull >= 0) ::dup2(devNull, 0);
  if (log >= 0) {
    ::dup2(log, 1);
    ::dup2(log, 2);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

}  // namespace

Status writeFileAtomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::ioError("cannot write " + tmp + ": " + errnoText());
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::ioError("cannot write " + path + ": " + errnoText());
  }
  return Status::ok();
}

Result<std::optional<RunningCluster>> findRunningCluster(const std::string& stateDir) {
  KEEL_ASSIGN_OR_RETURN(pid_t holder, lockHolder(stateDir));
  if (holder == 0) return std::optional<RunningCluster>();
  RunningCluster running;
  running.pid = holder;
  std::string pidText = readSmallFile(fs::path(stateDir) / kPidFileName);
  if (!pidText.empty() && std::atoi(pidText.c_str()) == holder) {
    running.url = readSmallFile(fs::path(stateDir) / kUrlFileName);
  }
  return std::optional<RunningCluster>(running);
}

Result<RunningCluster> startClusterDaemon(const std::string& stateDir,
                                          const std::vector<std::string>& argv, Duration deadline) {
  if (argv.empty()) return Status::invalidArgument("no command to start the cluster with");
  std::error_code ec;
  fs::create_directories(stateDir, ec);
  if (ec) return Status::ioError("cannot create " + stateDir + ": " + ec.message());
  KEEL_ASSIGN_OR_RETURN(auto running, findRunningCluster(stateDir));
  if (running) {
    return Status::failedPrecondition("a keel cluster is already running (pid " +
                                      std::to_string(running->pid) + ") at " +
                                      (running->url.empty() ? stateDir : running->url));
  }
  fs::remove(fs::path(stateDir) / kUrlFileName, ec);
  pid_t child = ::fork();
  if (child < 0) return Status::ioError("fork failed: " + errnoText());
  if (child == 0) execDaemon(stateDir, argv);
  int status = 0;
  ::waitpid(child, &status, 0);
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    KEEL_ASSIGN_OR_RETURN(auto now, findRunningCluster(stateDir));
    if (now && !now->url.empty()) return *now;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::deadlineExceeded("the cluster did not come up within " +
                                  std::to_string(deadline.count()) + " ms; " + kLogFileName +
                                  " ends with:\n" + logTail(stateDir));
}

Status stopCluster(const std::string& stateDir, Duration deadline) {
  KEEL_ASSIGN_OR_RETURN(auto running, findRunningCluster(stateDir));
  if (!running || running->pid <= 0) {
    return Status::notFound("no keel cluster is running on " + stateDir);
  }
  if (::kill(running->pid, SIGTERM) != 0 && errno != ESRCH) {
    return Status::ioError("cannot signal pid " + std::to_string(running->pid) + ": " +
                           errnoText());
  }
  auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    KEEL_ASSIGN_OR_RETURN(auto still, findRunningCluster(stateDir));
    if (!still) return Status::ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::deadlineExceeded("the cluster (pid " + std::to_string(running->pid) +
                                  ") is still running after " + std::to_string(deadline.count()) +
                                  " ms");
}

Result<RunningCluster> ensureLocalCluster(const std::string& keelBinary,
                                          const std::string& stateDir, Duration deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  KEEL_ASSIGN_OR_RETURN(auto running, findRunningCluster(stateDir));
  if (!running) {
    Result<RunningCluster> started = startClusterDaemon(
        stateDir, {keelBinary, "cluster", "run", "--state-dir", stateDir}, deadline);
    // Lost a race with another starter: wait for that one's URL below.
    if (started || started.error().code() != StatusCode::kFailedPrecondition) return started;
  }
  while (std::chrono::steady_clock::now() < until) {
    KEEL_ASSIGN_OR_RETURN(auto now, findRunningCluster(stateDir));
    if (now && !now->url.empty()) return *now;
    if (!now) return Status::internal("the keel cluster on " + stateDir + " exited while starting");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::deadlineExceeded("the keel cluster on " + stateDir +
                                  " did not publish its URL within " +
                                  std::to_string(deadline.count()) + " ms");
}

}  // namespace keel::local
