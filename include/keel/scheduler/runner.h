// ServiceRunner: a service's scheduler as a process: what `keel run` and the
// data-store example program both call.
//
// run() takes the state directory's lock (a second scheduler on the same
// directory fails with "another keel scheduler (pid N) holds <dir>/lock"),
// opens <stateDir>/state.db, builds the Scheduler, serves its HTTP API, and
// subscribes to the master. One EventLoop thread owns the scheduler; the
// Mesos client's callbacks, a one-second tick timer and the API's routes
// post to it. Once the API serves, <stateDir>/scheduler.url holds
// "http://127.0.0.1:<port>" (written atomically; removed on a clean exit).
// Where to look (API URL, state dir) is printed to stderr.
//
// run() returns on stop(), on SIGINT/SIGTERM (with handleSignals), when
// the Mesos client gives up (401, an ERROR event: the error is returned), or
// when an uninstall (POST /v1/uninstall) finished: the framework is torn down
// and, after everything stopped, the state directory is deleted (its files;
// the directory itself when nothing else is in it); uninstalled() is then
// true.
//
// Thread-safety: run() once, from one thread; stop() and apiUrl() from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "keel/scheduler/scheduler.h"
#include "keel/spec.h"
#include "keel/status.h"

namespace keel::scheduler {

inline constexpr const char* kSchedulerUrlFileName = "scheduler.url";
// What `keel run` and `keel update` keep in the state directory: how the
// scheduler was started (spec, env file, options, package, master, port),
// and the options / env file an update gave it. Deleted by an uninstall.
inline constexpr const char* kLaunchFileName = "launch.json";
inline constexpr const char* kUpdateOptionsFileName = "update-options.json";
inline constexpr const char* kUpdateEnvFileName = "update.env";

// $KEEL_HOME, else $HOME/.keel, else /tmp/keel-<uid>.
std::string keelHome();
// <keelHome()>/services/<service name, '/' replaced by '_'>.
std::string defaultServiceStateDir(const std::string& serviceName);

struct RunnerOptions {
  std::string stateDir;  // empty: defaultServiceStateDir(spec.name)
  std::string masterUrl = "http://127.0.0.1:5050";
  std::string apiHost = "127.0.0.1";
  uint16_t apiPort = 0;  // 0: any free port
  Duration tickInterval = std::chrono::seconds(1);
  bool handleSignals = true;  // SIGINT/SIGTERM end run() cleanly
  SchedulerOptions scheduler;
  // With handleSignals: SIGHUP ends run() cleanly too and sets
  // restartRequested() (`keel run` then starts the scheduler again with its
  // stored launch settings: `keel update`).
  bool restartOnHangup = false;
  // Called on run()'s thread once the API serves and scheduler.url is
  // written (the state directory's lock is held).
  std::function<void()> onServing;
};

class ServiceRunner {
 public:
  ServiceRunner(spec::ServiceSpec spec, RunnerOptions options);
  ~ServiceRunner();
  ServiceRunner(const ServiceRunner&) = delete;
  ServiceRunner& operator=(const ServiceRunner&) = delete;

  // Blocks until stopped. Errors: the lock is held (FailedPrecondition), the
  // store cannot be opened or read, the API cannot bind, the master URL is
  // malformed, or the client failed for good.
  Status run();
  // Makes run() return (after a clean shutdown). Idempotent.
  void stop();
  // "http://host:port" once the API serves; empty before.
  std::string apiUrl() const;
  const std::string& stateDir() const { return options_.stateDir; }
  // True once run() returned after a finished uninstall.
  bool uninstalled() const;
  // True once run() returned for a SIGHUP (restartOnHangup).
  bool restartRequested() const { return restartRequested_.load(); }

 private:
  struct Parts;
  Status startScheduler(Parts& parts);
  Status startClient(Parts& parts);
  void announce(const Parts& parts);
  Status serve();
  void eraseState();
  std::string urlFile() const;
  void requestStop(Status reason);
  Status waitForStop();

  spec::ServiceSpec spec_;
  RunnerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopRequested_ = false;
  bool uninstalled_ = false;
  Status stopReason_;
  std::string apiUrl_;
  std::atomic<bool> restartRequested_{false};
};

}  // namespace keel::scheduler
