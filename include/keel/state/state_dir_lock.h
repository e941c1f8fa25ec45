// StateDirLock: "one scheduler per service". An exclusive flock(2) on
// <state-dir>/lock, held for the life of the object. The holder's pid is
// written into the file so that a second scheduler can say who is in the way:
//   another keel scheduler (pid 4242) holds /var/lib/keel/hello/lock
// The kernel drops the lock when the holder dies (even by SIGKILL), so a stale
// lock file never blocks a restart.
//
// Thread-safety: acquire() is thread-safe; the object is move-only and is not
// meant to be shared. Two StateDirLock objects in the same process exclude
// each other too (flock is per open file description). The descriptor is
// close-on-exec; a child forked without exec shares the lock until it exits.
#pragma once

#include <string>
#include <string_view>

#include "keel/result.h"

namespace keel::state {

inline constexpr const char* kLockFileName = "lock";

class StateDirLock {
 public:
  // Creates `stateDir` (and parents) when missing, then takes the lock
  // without waiting. FailedPrecondition "another <holder> (pid N) holds
  // <path>" when someone holds it ("pid unknown" if it has not written its
  // pid yet); IoError naming the path when the directory or file cannot be
  // made or opened. `holder` names what holds such a directory ("keel
  // scheduler", "keel cluster").
  static Result<StateDirLock> acquire(const std::string& stateDir,
                                      std::string_view holder = "keel scheduler");

  StateDirLock(StateDirLock&& other) noexcept;
  StateDirLock& operator=(StateDirLock&& other) noexcept;
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;
  ~StateDirLock();

  // The lock file's path.
  const std::string& path() const { return path_; }

 private:
  StateDirLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  void release();

  int fd_ = -1;
  std::string path_;
};

}  // namespace keel::state
