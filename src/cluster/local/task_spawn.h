// Starting a task's process without copying the executor's address space.
//
// fork(2) copies the executor's mappings (its binary, libc, libm, ld.so)
// into the child, and the child's exec then tears the copy down again: both
// take the write lock of every mapped file's rmap tree (i_mmap_rwsem), the
// one every process starting on the machine needs to map libc. The task's
// child does that teardown after joining the task's cgroups, so a task with
// a small CPU quota can be throttled while it holds the lock, and all other
// process starts queue behind it. spawnTask uses clone(CLONE_VM |
// CLONE_VFORK), as posix_spawn(3) does: no copy, no teardown, and the steps
// posix_spawn cannot take (joining cgroup v1 groups, rlimits) done in the
// child with plain system calls before the exec.
//
// Thread-safety: call from a single-threaded process or with no other
// thread touching the arguments; the caller is suspended until the child
// has exec'd or exited. Not async-signal-safe.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace keel::local {

struct SpawnRlimit {
  std::string name;  // for the failure text, e.g. "RLMT_NOFILE"
  int resource = 0;  // RLIMIT_*
  rlimit value{};
};

struct TaskSpawn {
  std::string program;  // searched in the child's PATH when it holds no '/'
  std::vector<std::string> argv;
  std::vector<std::string> env;          // "NAME=value"
  std::string workDir;                   // chdir'd into; stdout and stderr appended there
  std::vector<std::string> cgroupProcs;  // cgroup.procs files the child joins ("0")
  std::vector<SpawnRlimit> rlimits;
  // Close-on-exec write end: the child writes why it failed here, then
  // exits (1, or 127 when the exec failed). Nothing is written on success.
  int errorFd = -1;
};

// The child's pid (its own process group leader, signals unblocked and at
// their defaults, stdin /dev/null, stdout/stderr appended to
// <workDir>/stdout and <workDir>/stderr), or -1 with errno set when no
// child could be created. Failures after that (chdir, setrlimit, exec) are
// reported through errorFd as above.
pid_t spawnTask(const TaskSpawn& spawn);

}  // namespace keel::local
