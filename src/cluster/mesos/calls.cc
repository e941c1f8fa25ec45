#include "keel/mesos/calls.h"

namespace keel::mesos {
namespace {

Call envelope(const FrameworkID& frameworkId, Call::Type type) {
  Call call;
  call.frameworkId = frameworkId;
  call.type = type;
  return call;
}

OfferOperation operation(OfferOperation::Type type, std::optional<OperationID> id) {
  OfferOperation op;
  op.type = type;
  op.id = std::move(id);
  return op;
}

}  // namespace

Call makeSubscribe(FrameworkInfo info, std::vector<std::string> suppressedRoles) {
  Call call;
  call.type = Call::Type::kSubscribe;
  call.frameworkId = info.id;
  call.subscribe = Call::Subscribe{std::move(info), std::move(suppressedRoles), {}};
  return call;
}

Call makeAccept(const FrameworkID& frameworkId, std::vector<OfferID> offerIds,
                std::vector<OfferOperation> operations, std::optional<Filters> filters) {
  Call call = envelope(frameworkId, Call::Type::kAccept);
  call.accept = Call::Accept{std::move(offerIds), std::move(operations), std::move(filters)};
  return call;
}

Call makeDecline(const FrameworkID& frameworkId, std::vector<OfferID> offerIds,
                 std::optional<Filters> filters) {
  Call call = envelope(frameworkId, Call::Type::kDecline);
  call.decline = Call::Decline{std::move(offerIds), std::move(filters)};
  return call;
}

Call makeRevive(const FrameworkID& frameworkId, std::vector<std::string> roles) {
  Call call = envelope(frameworkId, Call::Type::kRevive);
  call.revive = Call::Revive{std::move(roles)};
  return call;
}

Call makeSuppress(const FrameworkID& frameworkId, std::vector<std::string> roles) {
  Call call = envelope(frameworkId, Call::Type::kSuppress);
  call.suppress = Call::Suppress{std::move(roles)};
  return call;
}

Call makeKill(const FrameworkID& frameworkId, TaskID taskId, std::optional<AgentID> agentId,
              std::optional<KillPolicy> killPolicy) {
  Call call = envelope(frameworkId, Call::Type::kKill);
  call.kill = Call::Kill{std::move(taskId), std::move(agentId), std::move(killPolicy)};
  return call;
}

Call makeShutdown(const FrameworkID& frameworkId, ExecutorID executorId, AgentID agentId) {
  Call call = envelope(frameworkId, Call::Type::kShutdown);
  call.shutdown = Call::Shutdown{std::move(executorId), std::move(agentId)};
  return call;
}

Result<Call> makeAcknowledge(const FrameworkID& frameworkId, const TaskStatus& status) {
  if (!status.uuid) {
    return Status::invalidArgument("status of task " + status.taskId.value +
                                   " has no uuid: it must not be acknowledged");
  }
  if (!status.agentId) {
    return Status::invalidArgument("status of task " + status.taskId.value + " has no agent_id");
  }
  Call call = envelope(frameworkId, Call::Type::kAcknowledge);
  call.acknowledge = Call::Acknowledge{*status.agentId, status.taskId, *status.uuid};
  return call;
}

Result<Call> makeAcknowledgeOperationStatus(const FrameworkID& frameworkId,
                                            const OperationStatus& status) {
  if (!status.uuid || !status.operationId) {
    return Status::invalidArgument("operation status without uuid or operation_id");
  }
  Call call = envelope(frameworkId, Call::Type::kAcknowledgeOperationStatus);
  call.acknowledgeOperationStatus = Call::AcknowledgeOperationStatus{
      status.agentId, status.resourceProviderId, status.uuid->value, *status.operationId};
  return call;
}

Call makeReconcile(const FrameworkID& frameworkId, std::vector<Call::Reconcile::Task> tasks) {
  Call call = envelope(frameworkId, Call::Type::kReconcile);
  call.reconcile = Call::Reconcile{std::move(tasks)};
  return call;
}

Call makeReconcileOperations(const FrameworkID& frameworkId,
                             std::vector<Call::ReconcileOperations::Operation> operations) {
  Call call = envelope(frameworkId, Call::Type::kReconcileOperations);
  call.reconcileOperations = Call::ReconcileOperations{std::move(operations)};
  return call;
}

Call makeTeardown(const FrameworkID& frameworkId) {
  return envelope(frameworkId, Call::Type::kTeardown);
}

Call makeMessage(const FrameworkID& frameworkId, AgentID agentId, ExecutorID executorId,
                 std::string data) {
  Call call = envelope(frameworkId, Call::Type::kMessage);
  call.message = Call::Message{std::move(agentId), std::move(executorId), Bytes{std::move(data)}};
  return call;
}

Call makeUpdateFramework(FrameworkInfo info, std::vector<std::string> suppressedRoles) {
  Call call = envelope(info.id.value_or(FrameworkID{}), Call::Type::kUpdateFramework);
  call.updateFramework = Call::UpdateFramework{std::move(info), std::move(suppressedRoles), {}};
  return call;
}

Filters refuseFor(double seconds) { return Filters{seconds}; }

KillPolicy killPolicyWithGrace(int64_t gracePeriodNanoseconds) {
  return KillPolicy{DurationInfo{gracePeriodNanoseconds}};
}

OfferOperation makeReserve(std::vector<Resource> resources, std::optional<OperationID> id) {
  OfferOperation op = operation(OfferOperation::Type::kReserve, std::move(id));
  op.reserve = OfferOperation::Reserve{{}, std::move(resources)};
  return op;
}

OfferOperation makeUnreserve(std::vector<Resource> resources, std::optional<OperationID> id) {
  OfferOperation op = operation(OfferOperation::Type::kUnreserve, std::move(id));
  op.unreserve = OfferOperation::Unreserve{std::move(resources)};
  return op;
}

OfferOperation makeCreate(std::vector<Resource> volumes, std::optional<OperationID> id) {
  OfferOperation op = operation(OfferOperation::Type::kCreate, std::move(id));
  op.create = OfferOperation::Create{std::move(volumes)};
  return op;
}

OfferOperation makeDestroy(std::vector<Resource> volumes, std::optional<OperationID> id) {
  OfferOperation op = operation(OfferOperation::Type::kDestroy, std::move(id));
  op.destroy = OfferOperation::Destroy{std::move(volumes)};
  return op;
}

OfferOperation makeLaunch(std::vector<TaskInfo> tasks) {
  OfferOperation op = operation(OfferOperation::Type::kLaunch, std::nullopt);
  op.launch = OfferOperation::Launch{std::move(tasks)};
  return op;
}

OfferOperation makeLaunchGroup(ExecutorInfo executor, TaskGroupInfo group) {
  OfferOperation op = operation(OfferOperation::Type::kLaunchGroup, std::nullopt);
  op.launchGroup = OfferOperation::LaunchGroup{std::move(executor), std::move(group)};
  return op;
}

}  // namespace keel::mesos
