#include "cluster/local/executor_launcher.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cluster/local/process_util.h"

extern char** environ;

namespace keel::local {
namespace {

constexpr int kLauncherFd = 3;

std::string errnoText(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

// The launcher's descriptor 3 is `fd`; stdin is /dev/null; stdout and
// stderr are the caller's. Its own process group keeps a terminal's ^C
// away from it: it stops when the socket closes.
Result<pid_t> spawnLauncher(const std::string& binary, int fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fd, kLauncherFd);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  setPlainSignals(&attr, POSIX_SPAWN_SETPGROUP);
  std::string program = binary, flag = "--launcher";
  char* argv[] = {program.data(), flag.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, binary.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Status::ioError(errnoText("start executor launcher " + binary, rc));
  return pid;
}

// Sends `runDir` with `controlFd` attached (SCM_RIGHTS).
bool sendRequest(int fd, const std::string& runDir, int controlFd) {
  iovec iov{const_cast<char*>(runDir.data()), runDir.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &controlFd, sizeof(int));
  ssize_t n;
  do {
    n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n == static_cast<ssize_t>(runDir.size());
}

// One request: the run directory and the control descriptor, or -1 in
// `controlFd` when none came. False at the end of the stream.
bool receiveRequest(int fd, std::string& runDir, int& controlFd) {
  char path[PATH_MAX];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  iovec iov{path, sizeof path};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  runDir.assign(path, static_cast<size_t>(n));
  controlFd = -1;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      std::memcpy(&controlFd, CMSG_DATA(c), sizeof(int));
  }
  return true;
}

void replaceFd(const char* path, int flags, std::initializer_list<int> targets) {
  int fd = ::open(path, flags | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::fprintf(stderr, "keel-executor: %s: %s\n", path, std::strerror(errno));
    ::_exit(127);
  }
  for (int target : targets) ::dup2(fd, target);
  ::close(fd);
}

// In the forked executor: the descriptors, session and signals of a
// posix_spawn'd one (see the header), then the executor itself.
[[noreturn]] void becomeExecutor(int launcherFd, const std::string& runDir, int controlFd,
                                 const std::function<int(const std::string&, int)>& executorMain) {
  ::setsid();
  if (controlFd == launcherFd) std::abort();  // the socket is open: recvmsg cannot return it
  ::dup2(controlFd, kLauncherFd);             // replaces the launcher's socket
  replaceFd("/dev/null", O_RDONLY, {STDIN_FILENO});
  std::string log = runDir + "/executor.log";
  replaceFd(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, {STDOUT_FILENO, STDERR_FILENO});
  ::syscall(SYS_close_range, kLauncherFd + 1, ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::signal(SIGCHLD, SIG_DFL);
  std::exit(executorMain(runDir, kLauncherFd));
}

}  // namespace

Result<std::unique_ptr<ExecutorLauncher>> ExecutorLauncher::start(const std::string& binary) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
    return Status::ioError(errnoText("socketpair", errno));
  Result<pid_t> pid = spawnLauncher(binary, pair[1]);
  ::close(pair[1]);
  if (!pid) {
    ::close(pair[0]);
    return pid.error();
  }
  return std::unique_ptr<ExecutorLauncher>(new ExecutorLauncher(*pid, pair[0]));
}

std::unique_ptr<ExecutorLauncher> ExecutorLauncher::adopt(pid_t pid, int fd) {
  return std::unique_ptr<ExecutorLauncher>(new ExecutorLauncher(pid, fd));
}

ExecutorLauncher::~ExecutorLauncher() {
  ::close(fd_);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

Result<pid_t> ExecutorLauncher::launch(const std::string& runDir, int controlFd) {
  std::lock_guard lock(mu_);
  auto gone = [&] { return "executor launcher (pid " + std::to_string(pid_) + ") is gone"; };
  if (!sendRequest(fd_, runDir, controlFd))
    return Status::unavailable(errnoText(gone(), errno) + "; nothing was started");
  int32_t reply = 0;
  ssize_t n;
  do {
    n = ::recv(fd_, &reply, sizeof reply, 0);
  } while (n < 0 && errno == EINTR);
  if (n != sizeof reply)
    return Status::ioError(gone() + " before answering: an executor may have started");
  if (reply < 0) return Status::ioError(errnoText("executor launcher: fork", -reply));
  return static_cast<pid_t>(reply);
}

int serveExecutorLauncher(int fd, const std::function<int(const std::string&, int)>& executorMain) {
  ::signal(SIGPIPE, SIG_IGN);
  std::string runDir;
  int controlFd = -1;
  while (receiveRequest(fd, runDir, controlFd)) {
    int32_t reply = -EINVAL;
    if (controlFd >= 0) {
      // A fork whose child is our parent's child (see the header). The
      // launcher is single-threaded and holds no lock here, so the child
      // may run on without exec.
      long pid = ::syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, nullptr, nullptr, 0);
      if (pid == 0) becomeExecutor(fd, runDir, controlFd, executorMain);
      reply = pid > 0 ? static_cast<int32_t>(pid) : -errno;
      ::close(controlFd);
    }
    if (::send(fd, &reply, sizeof reply, MSG_NOSIGNAL) != sizeof reply) return 1;
  }
  return 0;
}

}  // namespace keel::local
