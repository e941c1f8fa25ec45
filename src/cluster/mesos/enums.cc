// Wire names of every enum in include/keel/mesos/, and the few predicates
// over them.
#include <algorithm>
#include <optional>
#include <string_view>

#include "keel/mesos/offer.h"
#include "keel/mesos/scheduler.h"
#include "keel/mesos/task_status.h"
#include "keel/mesos/values.h"

namespace keel::mesos {
namespace {

template <typename E>
struct EnumEntry {
  E value;
  std::string_view name;
};

template <typename E>
struct EnumTable;

template <>
struct EnumTable<Value::Type> {
  using E = Value::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kScalar, "SCALAR"},
      {E::kRanges, "RANGES"},
      {E::kSet, "SET"},
      {E::kText, "TEXT"},
  };
};

template <>
struct EnumTable<Volume::Mode> {
  using E = Volume::Mode;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kRw, "RW"},
      {E::kRo, "RO"},
  };
};

template <>
struct EnumTable<Volume::Source::Type> {
  using E = Volume::Source::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},    {E::kDockerVolume, "DOCKER_VOLUME"},
      {E::kHostPath, "HOST_PATH"}, {E::kSandboxPath, "SANDBOX_PATH"},
      {E::kSecret, "SECRET"},      {E::kCsiVolume, "CSI_VOLUME"},
  };
};

template <>
struct EnumTable<Volume::Source::SandboxPath::Type> {
  using E = Volume::Source::SandboxPath::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kSelf, "SELF"},
      {E::kParent, "PARENT"},
  };
};

template <>
struct EnumTable<Resource::ReservationInfo::Type> {
  using E = Resource::ReservationInfo::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kStatic, "STATIC"},
      {E::kDynamic, "DYNAMIC"},
  };
};

template <>
struct EnumTable<Resource::DiskInfo::Source::Type> {
  using E = Resource::DiskInfo::Source::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"}, {E::kPath, "PATH"}, {E::kMount, "MOUNT"},
      {E::kBlock, "BLOCK"},     {E::kRaw, "RAW"},
  };
};

template <>
struct EnumTable<Environment::Variable::Type> {
  using E = Environment::Variable::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kValue, "VALUE"},
      {E::kSecret, "SECRET"},
  };
};

template <>
struct EnumTable<NetworkInfo::Protocol> {
  using E = NetworkInfo::Protocol;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kIPv4, "IPv4"},
      {E::kIPv6, "IPv6"},
  };
};

template <>
struct EnumTable<RLimitInfo::RLimit::Type> {
  using E = RLimitInfo::RLimit::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kRlmtAs, "RLMT_AS"},
      {E::kRlmtCore, "RLMT_CORE"},
      {E::kRlmtCpu, "RLMT_CPU"},
      {E::kRlmtData, "RLMT_DATA"},
      {E::kRlmtFsize, "RLMT_FSIZE"},
      {E::kRlmtLocks, "RLMT_LOCKS"},
      {E::kRlmtMemlock, "RLMT_MEMLOCK"},
      {E::kRlmtMsgqueue, "RLMT_MSGQUEUE"},
      {E::kRlmtNice, "RLMT_NICE"},
      {E::kRlmtNofile, "RLMT_NOFILE"},
      {E::kRlmtNproc, "RLMT_NPROC"},
      {E::kRlmtRss, "RLMT_RSS"},
      {E::kRlmtRtprio, "RLMT_RTPRIO"},
      {E::kRlmtRttime, "RLMT_RTTIME"},
      {E::kRlmtSigpending, "RLMT_SIGPENDING"},
      {E::kRlmtStack, "RLMT_STACK"},
  };
};

template <>
struct EnumTable<ContainerInfo::Type> {
  using E = ContainerInfo::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kDocker, "DOCKER"},
      {E::kMesos, "MESOS"},
  };
};

template <>
struct EnumTable<HealthCheck::Type> {
  using E = HealthCheck::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kCommand, "COMMAND"},
      {E::kHttp, "HTTP"},
      {E::kTcp, "TCP"},
  };
};

template <>
struct EnumTable<CheckInfo::Type> {
  using E = CheckInfo::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kCommand, "COMMAND"},
      {E::kHttp, "HTTP"},
      {E::kTcp, "TCP"},
  };
};

template <>
struct EnumTable<ExecutorInfo::Type> {
  using E = ExecutorInfo::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kDefault, "DEFAULT"},
      {E::kCustom, "CUSTOM"},
  };
};

template <>
struct EnumTable<TaskState> {
  using E = TaskState;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kTaskStaging, "TASK_STAGING"},
      {E::kTaskStarting, "TASK_STARTING"},
      {E::kTaskRunning, "TASK_RUNNING"},
      {E::kTaskKilling, "TASK_KILLING"},
      {E::kTaskFinished, "TASK_FINISHED"},
      {E::kTaskFailed, "TASK_FAILED"},
      {E::kTaskKilled, "TASK_KILLED"},
      {E::kTaskError, "TASK_ERROR"},
      {E::kTaskLost, "TASK_LOST"},
      {E::kTaskDropped, "TASK_DROPPED"},
      {E::kTaskUnreachable, "TASK_UNREACHABLE"},
      {E::kTaskGone, "TASK_GONE"},
      {E::kTaskGoneByOperator, "TASK_GONE_BY_OPERATOR"},
      {E::kTaskUnknown, "TASK_UNKNOWN"},
  };
};

template <>
struct EnumTable<TaskStatus::Source> {
  using E = TaskStatus::Source;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kSourceMaster, "SOURCE_MASTER"},
      {E::kSourceAgent, "SOURCE_AGENT"},
      {E::kSourceExecutor, "SOURCE_EXECUTOR"},
  };
};

template <>
struct EnumTable<TaskStatus::Reason> {
  using E = TaskStatus::Reason;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kReasonCommandExecutorFailed, "REASON_COMMAND_EXECUTOR_FAILED"},
      {E::kReasonContainerLaunchFailed, "REASON_CONTAINER_LAUNCH_FAILED"},
      {E::kReasonContainerLimitation, "REASON_CONTAINER_LIMITATION"},
      {E::kReasonContainerLimitationDisk, "REASON_CONTAINER_LIMITATION_DISK"},
      {E::kReasonContainerLimitationMemory, "REASON_CONTAINER_LIMITATION_MEMORY"},
      {E::kReasonContainerPreempted, "REASON_CONTAINER_PREEMPTED"},
      {E::kReasonContainerUpdateFailed, "REASON_CONTAINER_UPDATE_FAILED"},
      {E::kReasonMaxCompletionTimeReached, "REASON_MAX_COMPLETION_TIME_REACHED"},
      {E::kReasonExecutorRegistrationTimeout, "REASON_EXECUTOR_REGISTRATION_TIMEOUT"},
      {E::kReasonExecutorReregistrationTimeout, "REASON_EXECUTOR_REREGISTRATION_TIMEOUT"},
      {E::kReasonExecutorTerminated, "REASON_EXECUTOR_TERMINATED"},
      {E::kReasonExecutorUnregistered, "REASON_EXECUTOR_UNREGISTERED"},
      {E::kReasonFrameworkRemoved, "REASON_FRAMEWORK_REMOVED"},
      {E::kReasonGcError, "REASON_GC_ERROR"},
      {E::kReasonInvalidFrameworkid, "REASON_INVALID_FRAMEWORKID"},
      {E::kReasonInvalidOffers, "REASON_INVALID_OFFERS"},
      {E::kReasonIoSwitchboardExited, "REASON_IO_SWITCHBOARD_EXITED"},
      {E::kReasonMasterDisconnected, "REASON_MASTER_DISCONNECTED"},
      {E::kReasonReconciliation, "REASON_RECONCILIATION"},
      {E::kReasonResourcesUnknown, "REASON_RESOURCES_UNKNOWN"},
      {E::kReasonAgentDisconnected, "REASON_AGENT_DISCONNECTED"},
      {E::kReasonAgentDraining, "REASON_AGENT_DRAINING"},
      {E::kReasonAgentRemoved, "REASON_AGENT_REMOVED"},
      {E::kReasonAgentRemovedByOperator, "REASON_AGENT_REMOVED_BY_OPERATOR"},
      {E::kReasonAgentReregistered, "REASON_AGENT_REREGISTERED"},
      {E::kReasonAgentRestarted, "REASON_AGENT_RESTARTED"},
      {E::kReasonAgentUnknown, "REASON_AGENT_UNKNOWN"},
      {E::kReasonTaskKilledDuringLaunch, "REASON_TASK_KILLED_DURING_LAUNCH"},
      {E::kReasonTaskCheckStatusUpdated, "REASON_TASK_CHECK_STATUS_UPDATED"},
      {E::kReasonTaskHealthCheckStatusUpdated, "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"},
      {E::kReasonTaskGroupInvalid, "REASON_TASK_GROUP_INVALID"},
      {E::kReasonTaskGroupUnauthorized, "REASON_TASK_GROUP_UNAUTHORIZED"},
      {E::kReasonTaskInvalid, "REASON_TASK_INVALID"},
      {E::kReasonTaskUnauthorized, "REASON_TASK_UNAUTHORIZED"},
      {E::kReasonTaskUnknown, "REASON_TASK_UNKNOWN"},
  };
};

template <>
struct EnumTable<FrameworkInfo::Capability::Type> {
  using E = FrameworkInfo::Capability::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kRevocableResources, "REVOCABLE_RESOURCES"},
      {E::kTaskKillingState, "TASK_KILLING_STATE"},
      {E::kGpuResources, "GPU_RESOURCES"},
      {E::kSharedResources, "SHARED_RESOURCES"},
      {E::kPartitionAware, "PARTITION_AWARE"},
      {E::kMultiRole, "MULTI_ROLE"},
      {E::kReservationRefinement, "RESERVATION_REFINEMENT"},
      {E::kRegionAware, "REGION_AWARE"},
  };
};

template <>
struct EnumTable<OfferOperation::Type> {
  using E = OfferOperation::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kLaunch, "LAUNCH"},
      {E::kLaunchGroup, "LAUNCH_GROUP"},
      {E::kReserve, "RESERVE"},
      {E::kUnreserve, "UNRESERVE"},
      {E::kCreate, "CREATE"},
      {E::kDestroy, "DESTROY"},
      {E::kGrowVolume, "GROW_VOLUME"},
      {E::kShrinkVolume, "SHRINK_VOLUME"},
      {E::kCreateDisk, "CREATE_DISK"},
      {E::kDestroyDisk, "DESTROY_DISK"},
  };
};

template <>
struct EnumTable<OperationState> {
  using E = OperationState;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kOperationUnsupported, "OPERATION_UNSUPPORTED"},
      {E::kOperationPending, "OPERATION_PENDING"},
      {E::kOperationFinished, "OPERATION_FINISHED"},
      {E::kOperationFailed, "OPERATION_FAILED"},
      {E::kOperationError, "OPERATION_ERROR"},
      {E::kOperationDropped, "OPERATION_DROPPED"},
      {E::kOperationUnreachable, "OPERATION_UNREACHABLE"},
      {E::kOperationGoneByOperator, "OPERATION_GONE_BY_OPERATOR"},
      {E::kOperationRecovering, "OPERATION_RECOVERING"},
      {E::kOperationUnknown, "OPERATION_UNKNOWN"},
  };
};

template <>
struct EnumTable<Call::Type> {
  using E = Call::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"},
      {E::kSubscribe, "SUBSCRIBE"},
      {E::kTeardown, "TEARDOWN"},
      {E::kAccept, "ACCEPT"},
      {E::kDecline, "DECLINE"},
      {E::kAcceptInverseOffers, "ACCEPT_INVERSE_OFFERS"},
      {E::kDeclineInverseOffers, "DECLINE_INVERSE_OFFERS"},
      {E::kRevive, "REVIVE"},
      {E::kKill, "KILL"},
      {E::kShutdown, "SHUTDOWN"},
      {E::kAcknowledge, "ACKNOWLEDGE"},
      {E::kAcknowledgeOperationStatus, "ACKNOWLEDGE_OPERATION_STATUS"},
      {E::kReconcile, "RECONCILE"},
      {E::kReconcileOperations, "RECONCILE_OPERATIONS"},
      {E::kMessage, "MESSAGE"},
      {E::kRequest, "REQUEST"},
      {E::kSuppress, "SUPPRESS"},
      {E::kUpdateFramework, "UPDATE_FRAMEWORK"},
  };
};

template <>
struct EnumTable<Event::Type> {
  using E = Event::Type;
  static constexpr EnumEntry<E> kEntries[] = {
      {E::kUnknown, "UNKNOWN"}, {E::kSubscribed, "SUBSCRIBED"},
      {E::kOffers, "OFFERS"},   {E::kInverseOffers, "INVERSE_OFFERS"},
      {E::kRescind, "RESCIND"}, {E::kRescindInverseOffer, "RESCIND_INVERSE_OFFER"},
      {E::kUpdate, "UPDATE"},   {E::kUpdateOperationStatus, "UPDATE_OPERATION_STATUS"},
      {E::kMessage, "MESSAGE"}, {E::kFailure, "FAILURE"},
      {E::kError, "ERROR"},     {E::kHeartbeat, "HEARTBEAT"},
  };
};

}  // namespace

template <typename E>
std::string_view enumName(E value) {
  for (const auto& entry : EnumTable<E>::kEntries) {
    if (entry.value == value) return entry.name;
  }
  return "UNKNOWN";
}

template <typename E>
std::optional<E> enumFromName(std::string_view name) {
  for (const auto& entry : EnumTable<E>::kEntries) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

#define KEEL_MESOS_ENUM(E)                        \
  template std::string_view enumName<E>(E value); \
  template std::optional<E> enumFromName<E>(std::string_view name)

KEEL_MESOS_ENUM(Value::Type);
KEEL_MESOS_ENUM(Volume::Mode);
KEEL_MESOS_ENUM(Volume::Source::Type);
KEEL_MESOS_ENUM(Volume::Source::SandboxPath::Type);
KEEL_MESOS_ENUM(Resource::ReservationInfo::Type);
KEEL_MESOS_ENUM(Resource::DiskInfo::Source::Type);
KEEL_MESOS_ENUM(Environment::Variable::Type);
KEEL_MESOS_ENUM(NetworkInfo::Protocol);
KEEL_MESOS_ENUM(RLimitInfo::RLimit::Type);
KEEL_MESOS_ENUM(ContainerInfo::Type);
KEEL_MESOS_ENUM(HealthCheck::Type);
KEEL_MESOS_ENUM(CheckInfo::Type);
KEEL_MESOS_ENUM(ExecutorInfo::Type);
KEEL_MESOS_ENUM(TaskState);
KEEL_MESOS_ENUM(TaskStatus::Source);
KEEL_MESOS_ENUM(TaskStatus::Reason);
KEEL_MESOS_ENUM(FrameworkInfo::Capability::Type);
KEEL_MESOS_ENUM(OfferOperation::Type);
KEEL_MESOS_ENUM(OperationState);
KEEL_MESOS_ENUM(Call::Type);
KEEL_MESOS_ENUM(Event::Type);

#undef KEEL_MESOS_ENUM

bool isTerminal(TaskState state) {
  switch (state) {
    case TaskState::kTaskFinished:
    case TaskState::kTaskFailed:
    case TaskState::kTaskKilled:
    case TaskState::kTaskError:
    case TaskState::kTaskLost:
    case TaskState::kTaskDropped:
    case TaskState::kTaskGone:
    case TaskState::kTaskGoneByOperator:
      return true;
    default:
      return false;
  }
}

bool hasCapability(const FrameworkInfo& info, FrameworkInfo::Capability::Type type) {
  return std::any_of(info.capabilities.begin(), info.capabilities.end(),
                     [type](const FrameworkInfo::Capability& c) { return c.type == type; });
}

}  // namespace keel::mesos
