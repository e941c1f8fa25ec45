// Builders for mesos.v1.scheduler.Call and Offer.Operation, shaped like the
// requests the real master accepted (shared/fixtures/mesos-v1). Every call
// but SUBSCRIBE carries `frameworkId`.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/mesos/scheduler.h"
#include "keel/result.h"

namespace keel::mesos {

// SUBSCRIBE. When `info.id` is set (re-subscription), it goes in both places
// the master wants it: Call.framework_id and framework_info.id.
Call makeSubscribe(FrameworkInfo info, std::vector<std::string> suppressedRoles = {});

Call makeAccept(const FrameworkID& frameworkId, std::vector<OfferID> offerIds,
                std::vector<OfferOperation> operations, std::optional<Filters> filters = {});
Call makeDecline(const FrameworkID& frameworkId, std::vector<OfferID> offerIds,
                 std::optional<Filters> filters = {});
// Empty `roles` = every role of the framework.
Call makeRevive(const FrameworkID& frameworkId, std::vector<std::string> roles = {});
Call makeSuppress(const FrameworkID& frameworkId, std::vector<std::string> roles = {});
Call makeKill(const FrameworkID& frameworkId, TaskID taskId, std::optional<AgentID> agentId = {},
              std::optional<KillPolicy> killPolicy = {});
Call makeShutdown(const FrameworkID& frameworkId, ExecutorID executorId, AgentID agentId);

// ACKNOWLEDGE of a task status. InvalidArgument when the status has no uuid
// (master-generated updates must not be acknowledged) or no agent_id.
Result<Call> makeAcknowledge(const FrameworkID& frameworkId, const TaskStatus& status);
// ACKNOWLEDGE_OPERATION_STATUS. InvalidArgument without uuid or operation_id.
Result<Call> makeAcknowledgeOperationStatus(const FrameworkID& frameworkId,
                                            const OperationStatus& status);

// RECONCILE: explicit for `tasks`, implicit when empty ("tasks":[]).
Call makeReconcile(const FrameworkID& frameworkId, std::vector<Call::Reconcile::Task> tasks = {});
Call makeReconcileOperations(const FrameworkID& frameworkId,
                             std::vector<Call::ReconcileOperations::Operation> operations = {});
Call makeTeardown(const FrameworkID& frameworkId);
Call makeMessage(const FrameworkID& frameworkId, AgentID agentId, ExecutorID executorId,
                 std::string data);
// UPDATE_FRAMEWORK; `info.id` must be set and becomes Call.framework_id.
Call makeUpdateFramework(FrameworkInfo info, std::vector<std::string> suppressedRoles = {});

Filters refuseFor(double seconds);
KillPolicy killPolicyWithGrace(int64_t gracePeriodNanoseconds);

// Offer operations; `id` asks for UPDATE_OPERATION_STATUS feedback (not
// allowed on LAUNCH/LAUNCH_GROUP).
OfferOperation makeReserve(std::vector<Resource> resources, std::optional<OperationID> id = {});
OfferOperation makeUnreserve(std::vector<Resource> resources, std::optional<OperationID> id = {});
OfferOperation makeCreate(std::vector<Resource> volumes, std::optional<OperationID> id = {});
OfferOperation makeDestroy(std::vector<Resource> volumes, std::optional<OperationID> id = {});
OfferOperation makeLaunch(std::vector<TaskInfo> tasks);
OfferOperation makeLaunchGroup(ExecutorInfo executor, TaskGroupInfo group);

}  // namespace keel::mesos
