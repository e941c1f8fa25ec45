#include "cluster/local/call_validation.h"

#include <string>

namespace keel::local {
namespace {

using Type = mesos::Call::Type;

// The name of the per-type message a call of `type` must carry and whether
// it is present; nullopt for types without one.
std::optional<std::pair<const char*, bool>> requiredMessage(const mesos::Call& c) {
  switch (*c.type) {
    case Type::kSubscribe:
      return std::pair{"subscribe", c.subscribe.has_value()};
    case Type::kAccept:
      return std::pair{"accept", c.accept.has_value()};
    case Type::kDecline:
      return std::pair{"decline", c.decline.has_value()};
    case Type::kAcceptInverseOffers:
      return std::pair{"accept_inverse_offers", c.acceptInverseOffers.has_value()};
    case Type::kDeclineInverseOffers:
      return std::pair{"decline_inverse_offers", c.declineInverseOffers.has_value()};
    case Type::kKill:
      return std::pair{"kill", c.kill.has_value()};
    case Type::kShutdown:
      return std::pair{"shutdown", c.shutdown.has_value()};
    case Type::kAcknowledge:
      return std::pair{"acknowledge", c.acknowledge.has_value()};
    case Type::kAcknowledgeOperationStatus:
      return std::pair{"acknowledge_operation_status", c.acknowledgeOperationStatus.has_value()};
    case Type::kReconcile:
      return std::pair{"reconcile", c.reconcile.has_value()};
    case Type::kReconcileOperations:
      return std::pair{"reconcile_operations", c.reconcileOperations.has_value()};
    case Type::kMessage:
      return std::pair{"message", c.message.has_value()};
    case Type::kRequest:
      return std::pair{"requests", c.request.has_value()};
    case Type::kUpdateFramework:
      return std::pair{"update_framework", c.updateFramework.has_value()};
    default:
      return std::nullopt;
  }
}

std::optional<std::string> check(const mesos::Call& c) {
  if (!c.type) return "Expecting 'type' to be present";
  if (*c.type == Type::kUnknown) return std::nullopt;
  if (auto msg = requiredMessage(c); msg && !msg->second) {
    return std::string("Expecting '") + msg->first + "' to be present";
  }
  if (*c.type == Type::kSubscribe) {
    const auto& id = c.subscribe->frameworkInfo.id;
    if (c.frameworkId && (!id || id->value != c.frameworkId->value)) {
      return "'framework_id' differs from 'subscribe.framework_info.id'";
    }
    return std::nullopt;
  }
  if (!c.frameworkId) return "Expecting 'framework_id' to be present";
  if (*c.type == Type::kAcknowledge && c.acknowledge->uuid.value.size() != 16) {
    return "'acknowledge.uuid' is not a valid UUID";
  }
  return std::nullopt;
}

}  // namespace

std::optional<HttpReply> validateCall(const mesos::Call& call) {
  if (auto error = check(call)) {
    return HttpReply::badRequest("Failed to validate scheduler::Call: " + *error);
  }
  return std::nullopt;
}

}  // namespace keel::local
