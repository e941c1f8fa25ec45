// Small POSIX helpers shared by the agent runtime and keel-executor: process
// identity that survives pid reuse, wait-status texts as Mesos words them,
// rlimit names, whole-file I/O. All functions are thread-safe.
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keel/result.h"
#include "keel/status.h"

namespace keel::local {

// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); with
// the pid it identifies a process across pid reuse. nullopt when the process
// does not exist or is a zombie.
std::optional<uint64_t> processStartTime(pid_t pid);

// The process started first among those whose working directory is `dir`
// (a task's command, before health checks run there), or -1 when none. Reads
// /proc; processes that end meanwhile are skipped.
pid_t firstProcessIn(const std::string& dir);

// True when `pid` runs and started at `startTime`.
bool processAlive(pid_t pid, uint64_t startTime);

// A pidfd for `pid` (readable once it exited), or -1.
int openPidfd(pid_t pid);

// "exited with status 1", "terminated with signal Killed" (Mesos' WSTRINGIFY).
std::string describeWaitStatus(int status);

// RLIMIT_* for a Mesos RLimitInfo type name ("RLMT_NOFILE"); nullopt if unknown.
std::optional<int> rlimitResource(std::string_view mesosName);

// The path of the running binary (/proc/self/exe resolved).
std::string currentExecutablePath();

Result<std::string> readFile(const std::string& path);
// Writes to path.tmp then renames: readers see the old or the new content.
Status writeFileAtomic(const std::string& path, std::string_view content);
// Creates `path`, which must not exist, and writes `content`, with no
// temporary file and rename: for files in a directory created just before
// (a run directory), where no reader can see an older version. A crash
// mid-write leaves a short file that readers must treat as unreadable.
// kAlreadyExists when the file exists.
Status writeNewFile(const std::string& path, std::string_view content);
// Appends with one write(2) (O_APPEND): lines from concurrent writers do not interleave.
Status appendFile(const std::string& path, std::string_view content);

// Readies `attr` (initialised by the caller) for a child that starts as a
// process of its own should: no blocked signal, SIGPIPE and SIGCHLD at
// their defaults; `flags` are added to the POSIX_SPAWN_SETSIGMASK and
// POSIX_SPAWN_SETSIGDEF this needs.
void setPlainSignals(posix_spawnattr_t* attr, short flags);

// write(2) until done or error; retries EINTR. For blocking descriptors.
bool writeAll(int fd, std::string_view data);

}  // namespace keel::local
