#include "cluster/mesos/client_impl.h"
#include "keel/mesos/calls.h"
#include "keel/mesos/json.h"

namespace keel::mesos {
namespace {

std::string callName(const Call& call) {
  return std::string(enumName(call.type.value_or(Call::Type::kUnknown)));
}

// The master's answer to a call, as a Status.
Status callOutcome(const Call& call, const HttpReply& reply) {
  bool updateFramework = call.type == Call::Type::kUpdateFramework;
  if (reply.status == 202 || (reply.status == 200 && updateFramework)) return Status::ok();
  std::string text = callName(call) + " answered HTTP " + std::to_string(reply.status) +
                     (reply.body.empty() ? "" : ": " + reply.body);
  switch (reply.status) {
    case 400:
      return Status::invalidArgument(text);
    case 307:
      return Status::unavailable(text + " (not the leading master; reconnecting)");
    case 503:
      return Status::unavailable(text);
    case 401:
      return Status::failedPrecondition(text + " (authentication failed)");
    default:
      return Status::failedPrecondition(text);
  }
}

}  // namespace

FrameworkInfo defaultFrameworkInfo(std::string name, std::string user,
                                   std::vector<std::string> roles,
                                   std::optional<std::string> principal) {
  using Capability = FrameworkInfo::Capability;
  FrameworkInfo info;
  info.name = std::move(name);
  info.user = std::move(user);
  info.roles = std::move(roles);
  info.principal = std::move(principal);
  info.failoverTimeout = kTwoWeeksSeconds;
  info.checkpoint = true;
  for (Capability::Type type :
       {Capability::Type::kMultiRole, Capability::Type::kReservationRefinement,
        Capability::Type::kPartitionAware}) {
    Capability capability;
    capability.type = type;
    info.capabilities.push_back(capability);
  }
  return info;
}

Status MesosClient::send(Call call) {
  if (!call.type) return Status::invalidArgument("call without a type");
  if (call.type == Call::Type::kSubscribe) {
    return Status::invalidArgument("SUBSCRIBE is sent by the client itself: use start()");
  }
  ClientSnapshot now = impl_->snapshot();
  if (now.state != ConnectionState::kSubscribed || !now.frameworkId) {
    return Status::unavailable(callName(call) + " not sent: not subscribed to a Mesos master (" +
                               std::string(connectionStateName(now.state)) + ")");
  }
  if (!call.frameworkId) call.frameworkId = FrameworkID{*now.frameworkId};
  Result<HttpReply> reply = impl_->calls->post(now.endpoint, toJson(call), now.streamId);
  if (!reply.has_value()) return reply.error().withContext(callName(call));
  return callOutcome(call, *reply);
}

FrameworkID MesosClient::Impl::knownFrameworkId() const {
  // Empty before the first SUBSCRIBED: send() then refuses the call anyway.
  return FrameworkID{snapshot().frameworkId.value_or("")};
}

Status MesosClient::accept(std::vector<OfferID> offerIds, std::vector<OfferOperation> operations,
                           std::optional<Filters> filters) {
  return send(makeAccept(impl_->knownFrameworkId(), std::move(offerIds), std::move(operations),
                         std::move(filters)));
}

Status MesosClient::decline(std::vector<OfferID> offerIds, std::optional<double> refuseSeconds) {
  std::optional<Filters> filters;
  if (refuseSeconds) filters = refuseFor(*refuseSeconds);
  return send(makeDecline(impl_->knownFrameworkId(), std::move(offerIds), std::move(filters)));
}

Status MesosClient::revive(std::vector<std::string> roles) {
  return send(makeRevive(impl_->knownFrameworkId(), std::move(roles)));
}

Status MesosClient::suppress(std::vector<std::string> roles) {
  return send(makeSuppress(impl_->knownFrameworkId(), std::move(roles)));
}

Status MesosClient::kill(TaskID taskId, std::optional<AgentID> agentId,
                         std::optional<KillPolicy> killPolicy) {
  return send(makeKill(impl_->knownFrameworkId(), std::move(taskId), std::move(agentId),
                       std::move(killPolicy)));
}

Status MesosClient::acknowledge(const TaskStatus& status) {
  if (!status.uuid) return Status::ok();
  KEEL_ASSIGN_OR_RETURN(Call call, makeAcknowledge(impl_->knownFrameworkId(), status));
  return send(std::move(call));
}

Status MesosClient::acknowledgeOperationStatus(const OperationStatus& status) {
  if (!status.uuid) return Status::ok();
  KEEL_ASSIGN_OR_RETURN(Call call,
                        makeAcknowledgeOperationStatus(impl_->knownFrameworkId(), status));
  return send(std::move(call));
}

Status MesosClient::reconcile(std::vector<Call::Reconcile::Task> tasks) {
  return send(makeReconcile(impl_->knownFrameworkId(), std::move(tasks)));
}

Status MesosClient::teardown() { return send(makeTeardown(impl_->knownFrameworkId())); }

Status MesosClient::updateFramework(FrameworkInfo framework,
                                    std::vector<std::string> suppressedRoles) {
  if (!framework.id) {
    std::optional<FrameworkID> id = frameworkId();
    if (!id) return Status::unavailable("UPDATE_FRAMEWORK not sent: no framework ID yet");
    framework.id = *id;
  }
  return send(makeUpdateFramework(std::move(framework), std::move(suppressedRoles)));
}

}  // namespace keel::mesos
