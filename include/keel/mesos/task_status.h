// Task status (mesos.v1.TaskStatus) with TaskState, its Source and Reason,
// CheckStatusInfo and ContainerStatus. Conventions: keel/mesos/values.h.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/mesos/resource.h"
#include "keel/mesos/task.h"
#include "keel/mesos/values.h"

namespace keel::mesos {

enum class TaskState {
  kTaskStaging = 6,
  kTaskStarting = 0,
  kTaskRunning = 1,
  kTaskKilling = 8,
  kTaskFinished = 2,
  kTaskFailed = 3,
  kTaskKilled = 4,
  kTaskError = 7,
  kTaskLost = 5,
  kTaskDropped = 9,
  kTaskUnreachable = 10,
  kTaskGone = 11,
  kTaskGoneByOperator = 12,
  kTaskUnknown = 13,
};

// FINISHED, FAILED, KILLED, ERROR, DROPPED, GONE, GONE_BY_OPERATOR, and LOST
// (which Mesos treats as terminal for a non-partition-aware framework).
bool isTerminal(TaskState state);

struct CheckStatusInfo {
  struct Command {
    std::optional<int32_t> exitCode;  // unset until the first result

    bool operator==(const Command&) const = default;
  };
  struct Http {
    std::optional<uint32_t> statusCode;

    bool operator==(const Http&) const = default;
  };
  struct Tcp {
    std::optional<bool> succeeded;

    bool operator==(const Tcp&) const = default;
  };

  std::optional<CheckInfo::Type> type;
  std::optional<Command> command;
  std::optional<Http> http;
  std::optional<Tcp> tcp;
  RawJson unknown;

  bool operator==(const CheckStatusInfo&) const = default;
};

// mesos.v1.ContainerID. The recursive `parent` chain is flattened: ancestors
// lists the parent's value, then its parent's, ... (nearest first); on the
// wire it is the nested {"value":..,"parent":{"value":..,"parent":..}} form.
struct ContainerID {
  std::string value;  // required
  std::vector<std::string> ancestors;

  bool operator==(const ContainerID&) const = default;
};

struct ContainerStatus {
  std::optional<ContainerID> containerId;
  std::vector<NetworkInfo> networkInfos;
  std::optional<uint32_t> executorPid;
  RawJson unknown;  // cgroup_info

  bool operator==(const ContainerStatus&) const = default;
};

struct TaskStatus {
  enum class Source { kSourceMaster = 0, kSourceAgent = 1, kSourceExecutor = 2 };

  enum class Reason {
    kReasonCommandExecutorFailed = 0,
    kReasonContainerLaunchFailed = 21,
    kReasonContainerLimitation = 19,
    kReasonContainerLimitationDisk = 20,
    kReasonContainerLimitationMemory = 8,
    kReasonContainerPreempted = 17,
    kReasonContainerUpdateFailed = 22,
    kReasonMaxCompletionTimeReached = 33,
    kReasonExecutorRegistrationTimeout = 23,
    kReasonExecutorReregistrationTimeout = 24,
    kReasonExecutorTerminated = 1,
    kReasonExecutorUnregistered = 2,
    kReasonFrameworkRemoved = 3,
    kReasonGcError = 4,
    kReasonInvalidFrameworkid = 5,
    kReasonInvalidOffers = 6,
    kReasonIoSwitchboardExited = 27,
    kReasonMasterDisconnected = 7,
    kReasonReconciliation = 9,
    kReasonResourcesUnknown = 18,
    kReasonAgentDisconnected = 10,
    kReasonAgentDraining = 34,
    kReasonAgentRemoved = 11,
    kReasonAgentRemovedByOperator = 31,
    kReasonAgentReregistered = 32,
    kReasonAgentRestarted = 12,
    kReasonAgentUnknown = 13,
    kReasonTaskKilledDuringLaunch = 30,
    kReasonTaskCheckStatusUpdated = 28,
    kReasonTaskHealthCheckStatusUpdated = 29,
    kReasonTaskGroupInvalid = 25,
    kReasonTaskGroupUnauthorized = 26,
    kReasonTaskInvalid = 14,
    kReasonTaskUnauthorized = 15,
    kReasonTaskUnknown = 16,
  };

  struct Limitation {
    std::vector<Resource> resources;
    RawJson unknown;

    bool operator==(const Limitation&) const = default;
  };

  TaskID taskId;                              // required
  TaskState state = TaskState::kTaskStaging;  // required
  std::optional<std::string> message;
  std::optional<Source> source;
  std::optional<Reason> reason;
  std::optional<Bytes> data;
  std::optional<AgentID> agentId;
  std::optional<ExecutorID> executorId;
  std::optional<double> timestamp;  // seconds since the epoch
  std::optional<Bytes> uuid;        // 16 bytes; set = must be acknowledged
  std::optional<bool> healthy;
  std::optional<CheckStatusInfo> checkStatus;
  std::optional<Labels> labels;
  std::optional<ContainerStatus> containerStatus;
  std::optional<DurationInfo> unreachableTime;  // TimeInfo {nanoseconds}
  std::optional<Limitation> limitation;
  RawJson unknown;

  bool operator==(const TaskStatus&) const = default;
};

}  // namespace keel::mesos
