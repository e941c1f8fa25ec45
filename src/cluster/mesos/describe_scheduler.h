// Field listings of mesos.v1.scheduler.Call and Event (see describe.h).
#pragma once

#include "cluster/mesos/describe.h"
#include "keel/mesos/scheduler.h"

namespace keel::mesos::detail {

// ---- Call ----

template <typename V>
void describe(V& v, Call::Subscribe& m) {
  v("framework_info", m.frameworkInfo);
  v("suppressed_roles", m.suppressedRoles);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Call::Accept& m) {
  v("offer_ids", m.offerIds, Empty::kWrite);
  v("operations", m.operations);
  v("filters", m.filters);
}
template <typename V>
void describe(V& v, Call::Decline& m) {
  v("offer_ids", m.offerIds, Empty::kWrite);
  v("filters", m.filters);
}
template <typename V>
void describe(V& v, Call::AcceptInverseOffers& m) {
  v("inverse_offer_ids", m.inverseOfferIds, Empty::kWrite);
  v("filters", m.filters);
}
template <typename V>
void describe(V& v, Call::DeclineInverseOffers& m) {
  v("inverse_offer_ids", m.inverseOfferIds, Empty::kWrite);
  v("filters", m.filters);
}
template <typename V>
void describe(V& v, Call::Revive& m) {
  v("roles", m.roles);
}
template <typename V>
void describe(V& v, Call::Suppress& m) {
  v("roles", m.roles);
}
template <typename V>
void describe(V& v, Call::Kill& m) {
  v("task_id", m.taskId);
  v("agent_id", m.agentId);
  v("kill_policy", m.killPolicy);
}
template <typename V>
void describe(V& v, Call::Shutdown& m) {
  v("executor_id", m.executorId);
  v("agent_id", m.agentId);
}
template <typename V>
void describe(V& v, Call::Acknowledge& m) {
  v("agent_id", m.agentId);
  v("task_id", m.taskId);
  v("uuid", m.uuid);
}
template <typename V>
void describe(V& v, Call::AcknowledgeOperationStatus& m) {
  v("agent_id", m.agentId);
  v("resource_provider_id", m.resourceProviderId);
  v("uuid", m.uuid);
  v("operation_id", m.operationId);
}
template <typename V>
void describe(V& v, Call::Reconcile::Task& m) {
  v("task_id", m.taskId);
  v("agent_id", m.agentId);
}
template <typename V>
void describe(V& v, Call::Reconcile& m) {
  v("tasks", m.tasks, Empty::kWrite);
}
template <typename V>
void describe(V& v, Call::ReconcileOperations::Operation& m) {
  v("operation_id", m.operationId);
  v("agent_id", m.agentId);
  v("resource_provider_id", m.resourceProviderId);
}
template <typename V>
void describe(V& v, Call::ReconcileOperations& m) {
  v("operations", m.operations, Empty::kWrite);
}
template <typename V>
void describe(V& v, Call::Message& m) {
  v("agent_id", m.agentId);
  v("executor_id", m.executorId);
  v("data", m.data);
}
template <typename V>
void describe(V& v, Call::Request& m) {
  v("requests", m.requests);
}
template <typename V>
void describe(V& v, Call::UpdateFramework& m) {
  v("framework_info", m.frameworkInfo);
  v("suppressed_roles", m.suppressedRoles);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Call& m) {
  v("framework_id", m.frameworkId);
  v("type", m.type);
  v("subscribe", m.subscribe);
  v("accept", m.accept);
  v("decline", m.decline);
  v("accept_inverse_offers", m.acceptInverseOffers);
  v("decline_inverse_offers", m.declineInverseOffers);
  v("revive", m.revive);
  v("kill", m.kill);
  v("shutdown", m.shutdown);
  v("acknowledge", m.acknowledge);
  v("acknowledge_operation_status", m.acknowledgeOperationStatus);
  v("reconcile", m.reconcile);
  v("reconcile_operations", m.reconcileOperations);
  v("message", m.message);
  v("request", m.request);
  v("suppress", m.suppress);
  v("update_framework", m.updateFramework);
  v.extra(m.unknown);
}

// ---- Event ----

template <typename V>
void describe(V& v, Event::Subscribed& m) {
  v("framework_id", m.frameworkId);
  v("heartbeat_interval_seconds", m.heartbeatIntervalSeconds);
  v("master_info", m.masterInfo);
  v.extra(m.unknown);
}
template <typename V>
void describe(V& v, Event::Offers& m) {
  v("offers", m.offers);
}
template <typename V>
void describe(V& v, Event::InverseOffers& m) {
  v("inverse_offers", m.inverseOffers);
}
template <typename V>
void describe(V& v, Event::Rescind& m) {
  v("offer_id", m.offerId);
}
template <typename V>
void describe(V& v, Event::RescindInverseOffer& m) {
  v("inverse_offer_id", m.inverseOfferId);
}
template <typename V>
void describe(V& v, Event::Update& m) {
  v("status", m.status);
}
template <typename V>
void describe(V& v, Event::UpdateOperationStatus& m) {
  v("status", m.status);
}
template <typename V>
void describe(V& v, Event::Message& m) {
  v("agent_id", m.agentId);
  v("executor_id", m.executorId);
  v("data", m.data);
}
template <typename V>
void describe(V& v, Event::Failure& m) {
  v("agent_id", m.agentId);
  v("executor_id", m.executorId);
  v("status", m.status);
}
template <typename V>
void describe(V& v, Event::Error& m) {
  v("message", m.message);
}
template <typename V>
void describe(V& v, Event& m) {
  v("type", m.type);
  v("subscribed", m.subscribed);
  v("offers", m.offers);
  v("inverse_offers", m.inverseOffers);
  v("rescind", m.rescind);
  v("rescind_inverse_offer", m.rescindInverseOffer);
  v("update", m.update);
  v("update_operation_status", m.updateOperationStatus);
  v("message", m.message);
  v("failure", m.failure);
  v("error", m.error);
  v.extra(m.unknown);
}

}  // namespace keel::mesos::detail
