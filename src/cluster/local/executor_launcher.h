// ExecutorLauncher: starts keel-executor processes by forking a running
// launcher (`keel-executor --launcher`) instead of exec'ing the binary for
// every pod.
//
// Why: an exec of keel-executor costs ~2 ms of CPU on the machines keel is
// measured on (mapping and relocating the binary and libc, and the dynamic
// loader's CPU feature probes, which trap to the hypervisor on a VM); a fork
// of the small, idle launcher costs a tenth of that. With one executor per
// pod that was the largest part of a 1,000-task launch (docs/benchmarks.md).
//
// The executor the launcher forks is the *caller's* child, not the
// launcher's (clone(2) with CLONE_PARENT): the agent runtime waits for it,
// reads its exit status and holds a pidfd to it exactly as for a process it
// spawned itself. Its descriptors and signals are those a posix_spawn of
// `keel-executor --run-dir <dir> --control-fd 3` would give it: 0 from
// /dev/null, 1 and 2 appended to <dir>/executor.log, 3 the control socket,
// nothing else; an empty signal mask, default SIGPIPE and SIGCHLD; its own
// session. Its environment is the launcher's, i.e. the caller's when the
// launcher started. /proc/<pid>/cmdline shows `keel-executor --launcher`.
//
// The launcher is single-threaded and stops when the caller's end of its
// socket closes (the ExecutorLauncher is destroyed or its process dies).
// Executors it started run on: they are in their own sessions.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "keel/result.h"
#include "keel/status.h"

namespace keel::local {

class ExecutorLauncher {
 public:
  // Starts `executorBinary --launcher` with a socket to it. kIoError when
  // it cannot be started.
  static Result<std::unique_ptr<ExecutorLauncher>> start(const std::string& executorBinary);

  // A launcher already running: the child process `pid` serving
  // serveExecutorLauncher on the other end of the SOCK_SEQPACKET socket
  // `fd`, which this object then owns (tests fork one in-process).
  static std::unique_ptr<ExecutorLauncher> adopt(pid_t pid, int fd);

  // Closes the socket (the launcher exits) and reaps the launcher.
  ~ExecutorLauncher();
  ExecutorLauncher(const ExecutorLauncher&) = delete;
  ExecutorLauncher& operator=(const ExecutorLauncher&) = delete;

  // Starts an executor for `runDir` whose descriptor 3 is `controlFd` (the
  // caller keeps its own copy of it). Returns the executor's pid, a child
  // of the calling process. kUnavailable when the launcher was gone before
  // the request reached it: nothing was started, the caller may start
  // another launcher and try again. kIoError when it could not fork, or
  // died after the request without answering: an executor may then have
  // started on `controlFd`, so the run must not be started a second time.
  // Thread-safe: concurrent calls are served one after the other.
  Result<pid_t> launch(const std::string& runDir, int controlFd);

  pid_t pid() const { return pid_; }

 private:
  ExecutorLauncher(pid_t pid, int fd) : pid_(pid), fd_(fd) {}

  pid_t pid_;
  int fd_;
  std::mutex mu_;
};

// The launcher's side, run by `keel-executor --launcher` with the socket
// as descriptor `fd`: serves requests until the socket closes, then
// returns 0. In each forked executor it does not return: it calls
// exit(executorMain(runDir, 3)) once the descriptors and signals above are
// set up.
int serveExecutorLauncher(
    int fd, const std::function<int(const std::string& runDir, int controlFd)>& executorMain);

}  // namespace keel::local
