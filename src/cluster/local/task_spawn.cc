#include "cluster/local/task_spawn.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>

namespace keel::local {
namespace {

constexpr size_t kChildStack = 256 * 1024;

// Everything the child needs, prepared by the parent: the child shares the
// parent's memory and must not allocate.
struct Prepared {
  const TaskSpawn* spawn;
  std::vector<char*> argv;
  std::vector<char*> envp;
  std::string stdoutPath, stderrPath;
  std::string chdirError, execError;
  std::vector<std::string> rlimitErrors;
};

void writeText(int fd, const char* text) {
  size_t left = std::strlen(text);
  while (left > 0) {
    ssize_t n = ::write(fd, text, left);
    if (n <= 0 && errno != EINTR) return;
    if (n > 0) {
      text += n;
      left -= static_cast<size_t>(n);
    }
  }
}

[[noreturn]] void fail(int fd, const char* message, const char* detail, int code) {
  if (fd >= 0) {
    writeText(fd, message);
    if (detail != nullptr) writeText(fd, detail);
  }
  ::_exit(code);
}

void redirect(int target, const char* path, int flags) {
  int fd = ::open(path, flags | O_CLOEXEC, 0644);
  if (fd < 0) return;
  ::dup2(fd, target);
  ::close(fd);
}

int childMain(void* arg) {
  const Prepared& p = *static_cast<const Prepared*>(arg);
  const TaskSpawn& s = *p.spawn;
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &dfl, nullptr);
  ::setpgid(0, 0);
  for (const std::string& procs : s.cgroupProcs) {
    int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) continue;  // as before: a task runs without the limit it cannot join
    writeText(fd, "0");
    ::close(fd);
  }
  if (::chdir(s.workDir.c_str()) != 0) fail(s.errorFd, p.chdirError.c_str(), nullptr, 1);
  redirect(STDIN_FILENO, "/dev/null", O_RDONLY);
  redirect(STDOUT_FILENO, p.stdoutPath.c_str(), O_WRONLY | O_CREAT | O_APPEND);
  redirect(STDERR_FILENO, p.stderrPath.c_str(), O_WRONLY | O_CREAT | O_APPEND);
  for (size_t i = 0; i < s.rlimits.size(); ++i) {
    if (::setrlimit(s.rlimits[i].resource, &s.rlimits[i].value) != 0)
      fail(s.errorFd, p.rlimitErrors[i].c_str(), strerrordesc_np(errno), 1);
  }
  ::execvpe(s.program.c_str(), p.argv.data(), p.envp.data());
  fail(s.errorFd, p.execError.c_str(), strerrordesc_np(errno), 127);
}

std::vector<char*> cStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

pid_t spawnTask(const TaskSpawn& spawn) {
  Prepared p{&spawn,
             cStrings(spawn.argv),
             cStrings(spawn.env),
             spawn.workDir + "/stdout",
             spawn.workDir + "/stderr",
             "chdir " + spawn.workDir,
             "exec " + spawn.program + ": ",
             {}};
  for (const SpawnRlimit& limit : spawn.rlimits) {
    p.rlimitErrors.push_back("setrlimit " + limit.name + ": ");
  }
  // One stack per thread, reused: the child runs on it only while this
  // thread waits (CLONE_VFORK). Left uninitialised, it costs the pages the
  // child touches; a zero-filled one cost 64 page faults per task.
  thread_local std::unique_ptr<char[]> stack(new char[kChildStack]);
  // The stack grows down on every architecture keel builds for.
  char* top = stack.get() + kChildStack;
  return ::clone(childMain, top, CLONE_VM | CLONE_VFORK | SIGCHLD, &p);
}

}  // namespace keel::local
