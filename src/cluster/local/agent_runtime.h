// AgentRuntime: the agent side of keel's local cluster, one per simulated
// agent. It turns launch requests from the master into real processes: one
// `keel-executor` process per executor (pod), each task a child process of
// that executor in its own process group, with a sandbox, fetched URIs,
// linked volumes, the Mesos environment, rlimits, cgroup limits, health and
// readiness checks and kill policies. Status updates come back as
// AgentEvents that the master turns into UPDATE / FAILURE events.
//
// Internal to the local cluster (namespace keel::local); the master codes
// against this interface and may use a fake in its own tests.
//
// On-disk layout under AgentRuntimeOptions::workDir (the agent's work dir):
//   executors/<executor-id>/runs/<run>/            the executor's sandbox
//       executor.json   its configuration (ids, control socket name, cgroups)
//       pid             "<pid> <start time>" (pid reuse guard)
//       tasks.jsonl     every launch sent to it (checkpointed before sending)
//       updates.jsonl   every status update, as the executor sent it
//       acks.jsonl      acknowledged update uuids
//       exit.json       written by the executor when it exits by itself
//       completed       nothing left to deliver: recover() skips the run
//       executor.log    the executor's stdout and stderr
//       tasks/<task-id>/ one sandbox per task (MESOS_SANDBOX): stdout,
//                        stderr, fetched URIs, volume links
// The control channel is an abstract Unix socket (@keel-executor-<run>),
// plus a socketpair inherited at start.
// <run> is a fresh id per launch of an executor id. The master owns
// volumes/ (it creates volume directories and passes their paths in).
//
// Lifetime: executors are detached (own session) and outlive the runtime and
// the cluster process. Destroying an AgentRuntime closes its connections but
// kills nothing; a new runtime on the same workDir re-adopts live executors
// through recover(). An executor left without a runtime for
// executorReconnectTimeout, or whose run directory is deleted, kills its
// tasks (with their kill policies) and exits: no executor outlives its
// cluster for good.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "keel/clock.h"
#include "keel/result.h"
#include "keel/status.h"

namespace keel::local {

using Seconds = std::chrono::duration<double>;

// ---------------------------------------------------------------- requests

struct UriSpec {
  std::string value;        // file:///x, /abs/path, http://host:port/path
  bool extract = true;      // .tar .tar.gz .tgz .zip are unpacked into the sandbox
  bool executable = false;  // chmod +x after fetching
  std::string outputFile;   // name in the sandbox; empty: the URI's basename
};

struct VolumeMount {
  std::string hostPath;       // an existing directory created by the master
  std::string containerPath;  // relative to the task sandbox (as Mesos)
  bool readOnly = false;      // RO volumes are linked too (no enforcement)
};

// One Mesos RLimitInfo.RLimit. Unset soft/hard mean unlimited (RLIM_INFINITY).
struct RLimit {
  std::string type;  // "RLMT_NOFILE", "RLMT_NPROC", "RLMT_CORE", ...
  std::optional<uint64_t> soft;
  std::optional<uint64_t> hard;
};

enum class CheckKind { kCommand, kTcp, kHttp };

struct CheckTarget {
  CheckKind kind = CheckKind::kCommand;
  std::string command;  // kCommand: run with /bin/sh -c in the task sandbox
  std::vector<std::pair<std::string, std::string>> env;  // kCommand: added to the task env
  uint16_t port = 0;                                     // kTcp/kHttp: on 127.0.0.1
  std::string path = "/";                                // kHttp: GET path; 200-399 is success
};

// TaskInfo.health_check, with the Mesos defaults.
struct HealthCheckSpec {
  CheckTarget target;
  Seconds delay{15.0};
  Seconds interval{10.0};
  Seconds timeout{20.0};
  Seconds gracePeriod{10.0};         // failures ignored until the first success or its end
  uint32_t consecutiveFailures = 3;  // then the task is killed
};

// TaskInfo.check (readiness-style, never kills), with the Mesos defaults.
struct CheckSpec {
  CheckTarget target;
  Seconds delay{15.0};
  Seconds interval{10.0};
  Seconds timeout{20.0};
};

struct TaskLaunch {
  std::string taskId;
  std::string name;
  // CommandInfo: shell=true runs `/bin/sh -c command`; shell=false execs
  // command with arguments (arguments[0] is argv[0]).
  bool shell = true;
  std::string command;
  std::vector<std::string> arguments;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<UriSpec> uris;
  double cpus = 0;   // allocated, enforced through cgroups where usable
  double memMb = 0;  // allocated, enforced through cgroups where usable
  std::vector<RLimit> rlimits;
  std::vector<VolumeMount> volumes;
  std::optional<HealthCheckSpec> healthCheck;
  std::optional<CheckSpec> check;
  std::optional<Duration> killGracePeriod;  // KillPolicy; unset: 3 s (Mesos default)
};

// One LAUNCH (a single command task, taskGroup=false) or LAUNCH_GROUP
// (taskGroup=true, default-executor semantics: when one task fails or is
// killed the others of the executor are killed too). A LAUNCH_GROUP for an
// executor id that is already running adds the tasks to that executor.
struct LaunchRequest {
  std::string frameworkId;
  std::string agentId;
  std::string executorId;
  std::string executorName;
  bool taskGroup = true;
  double executorCpus = 0;
  double executorMemMb = 0;
  // The framework has TASK_KILLING_STATE: kills report TASK_KILLING first.
  bool killingState = true;
  std::vector<TaskLaunch> tasks;
};

// ------------------------------------------------------------------ events

// One status update, as TaskStatus would carry it.
struct TaskEvent {
  std::string taskId;
  std::string executorId;
  std::string frameworkId;
  std::string state;                      // "TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED", ...
  std::string message;                    // e.g. "Command exited with status 1"
  std::string reason;                     // "REASON_..." or empty
  std::string source;                     // "SOURCE_EXECUTOR" or "SOURCE_AGENT"
  std::optional<bool> healthy;            // only when a health check is defined
  std::optional<int> checkExitCode;       // check_status.command.exit_code
  std::optional<int> checkHttpStatus;     // check_status.http.status_code
  std::optional<bool> checkTcpSucceeded;  // check_status.tcp.succeeded
  TimePoint timestamp;
  std::string uuid;  // unique per update; the key for acknowledge()
};

// The executor process ended (the master sends FAILURE with executor_id).
struct ExecutorExited {
  std::string executorId;
  std::string frameworkId;
  int waitStatus = 0;  // as from waitpid; -1 when unknown (not our child)
};

using AgentEvent = std::variant<TaskEvent, ExecutorExited>;

struct AdoptedExecutor {
  std::string executorId;
  std::string frameworkId;
  std::vector<std::string> taskIds;  // its tasks not yet known terminal
};

struct RecoveryResult {
  std::vector<AdoptedExecutor> adopted;  // live, reconnected; their
                                         // unacknowledged updates are re-sent
  std::vector<AgentEvent> gone;          // updates for tasks whose executor died
                                         // while no runtime watched, then its
                                         // ExecutorExited
};

// ----------------------------------------------------------------- runtime

struct AgentRuntimeOptions {
  std::string agentId;
  std::string workDir;         // created when missing
  std::string executorBinary;  // path of keel-executor; empty: beside /proc/self/exe
  bool useCgroups = true;      // false: never try (limits are then not enforced)
  double cpus = 0;             // what the agent offers: its cgroup's CPU weight (0: default)
  // Executors are forked by a launcher process (executor_launcher.h)
  // instead of exec'd one by one; false, or a launcher that cannot start,
  // spawns each one.
  bool forkExecutors = true;
  // How long an executor this runtime starts waits, disconnected, for a
  // runtime to re-adopt it before it kills its tasks and exits (see
  // ExecutorConfig::reconnectTimeout). Short only in tests.
  Duration executorReconnectTimeout{std::chrono::minutes(15)};
  // Called on a runtime thread, with no runtime lock held, each time events
  // were queued; it should only wake the master (e.g. post to its loop).
  std::function<void()> onEvents;
  Clock* clock = nullptr;  // nullptr: SystemClock
};

class AgentRuntime {
 public:
  virtual ~AgentRuntime() = default;

  // Starts the executor (if not running) and its tasks. Returns once the
  // executor accepted the tasks; TASK_STARTING/RUNNING follow as events.
  // Fails with kAlreadyExists for a task id already known, kInvalidArgument
  // for a malformed request; a failure to start the executor is a Status
  // too (the master reports TASK_FAILED/REASON_CONTAINER_LAUNCH_FAILED).
  virtual Status launch(const LaunchRequest& request) = 0;

  // Kills one task with its kill policy (SIGTERM to its process group, then
  // SIGKILL after the grace period); `grace` overrides the task's policy.
  // kNotFound for an unknown or already terminal task.
  virtual Status kill(const std::string& taskId, std::optional<Duration> grace) = 0;

  // Kills all tasks of the executor and ends it (tasks: TASK_KILLED).
  virtual Status shutdownExecutor(const std::string& executorId) = 0;

  // SIGKILLs every executor of this agent and its tasks' process groups
  // (agent taken down or removed). Returns once the executors are gone. No
  // events are emitted for them: the master reports those tasks itself.
  virtual Status killAll() = 0;

  // Call once, before anything else, on a runtime built over a workDir that
  // may hold checkpoints. Live executors are reconnected; tasks of dead
  // executors come back as TASK_GONE (partition-aware) or TASK_LOST with
  // REASON_EXECUTOR_TERMINATED, source SOURCE_AGENT, after their
  // unacknowledged updates. (An executor that dies while the runtime watches
  // ends its open tasks as TASK_FAILED, REASON_EXECUTOR_TERMINATED,
  // "Executor terminated", as the Mesos agent does, then ExecutorExited.
  // ExecutorExited is also sent for the executor of a LAUNCH (command) task:
  // the master decides whether a FAILURE event goes out.)
  virtual Result<RecoveryResult> recover(bool partitionAware) = 0;

  // Thread-safe. Returns the queued events in order, waiting up to `wait`
  // for the first one (zero: do not wait).
  virtual std::vector<AgentEvent> pollEvents(Duration wait) = 0;

  // Thread-safe. The master has durably recorded the update: the executor
  // forgets it. Unacknowledged updates are re-sent after a reconnect, so the
  // master may see an update twice (same uuid).
  virtual void acknowledge(const std::string& taskId, const std::string& uuid) = 0;

  // How cgroup limits are applied on this machine ("v2 at ...", "v1 ...",
  // or "disabled: <reason>").
  virtual std::string cgroupMode() const = 0;
};

// The real runtime. Fails when workDir cannot be created or the executor
// binary is missing.
Result<std::unique_ptr<AgentRuntime>> makeAgentRuntime(AgentRuntimeOptions options);

}  // namespace keel::local
