// The `keel cluster` process: files it leaves in its state directory, and
// start / stop / status from another process.
//
// State directory files (all written atomically, by the running cluster):
//   lock          StateDirLock: held by the running cluster (flock; dies with it)
//   cluster.pid   its pid (written last: cluster.url and port are the
//                 running cluster's only while cluster.pid names the lock holder)
//   cluster.url   http://127.0.0.1:<port> (the master to give a scheduler)
//   port          the port alone
//   master-port   the port served last, kept across stops: a restart without
//                 --port serves it again, so schedulers given the cluster's
//                 URL find the restarted cluster
//   cluster.log   its stdout/stderr when started in the background
//   state.db      the checkpoint (see master_checkpoint.h)
//
// Thread-safety: the functions are safe to call from any thread; start and
// stop act on other processes and are not meant to race each other.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "keel/clock.h"
#include "keel/result.h"

namespace keel::local {

inline constexpr const char* kPidFileName = "cluster.pid";
inline constexpr const char* kUrlFileName = "cluster.url";
inline constexpr const char* kPortFileName = "port";
inline constexpr const char* kMasterPortFileName = "master-port";
inline constexpr const char* kLogFileName = "cluster.log";

struct RunningCluster {
  pid_t pid = 0;
  std::string url;  // empty while the cluster is still starting
};

// Writes `content` to `path` through a temporary file, fsync and rename.
Status writeFileAtomically(const std::string& path, const std::string& content);

// The cluster holding `stateDir`, or nullopt when none holds its lock (stale
// pid/url files are ignored). IoError when the directory is unreadable.
Result<std::optional<RunningCluster>> findRunningCluster(const std::string& stateDir);

// Starts `argv` (argv[0] is the executable path; it must run the cluster in
// the foreground on `stateDir`) as a daemon: own session, stdin from
// /dev/null, output appended to <stateDir>/cluster.log, not a child of the
// caller. Waits up to `deadline` for cluster.url to appear. Fails with
// FailedPrecondition "a keel cluster is already running (pid N) at URL" when
// one holds the state dir, DeadlineExceeded (with the log's tail) when it
// did not come up in time, Internal when it exited during start-up.
Result<RunningCluster> startClusterDaemon(const std::string& stateDir,
                                          const std::vector<std::string>& argv, Duration deadline);

// SIGTERM to the running cluster, then waits up to `deadline` for it to
// exit. NotFound when no cluster runs on `stateDir`; DeadlineExceeded when
// it is still alive at the deadline.
Status stopCluster(const std::string& stateDir, Duration deadline);

// The cluster running on `stateDir`, or one started now as a daemon running
// `<keelBinary> cluster run --state-dir <stateDir>`. Waits up to `deadline`
// for its URL (also when another process is starting it at the same time).
// The errors of startClusterDaemon otherwise.
Result<RunningCluster> ensureLocalCluster(const std::string& keelBinary,
                                          const std::string& stateDir, Duration deadline);

}  // namespace keel::local
