// mesos.v1.scheduler.Call (framework -> master) and Event (master ->
// framework). Conventions: keel/mesos/values.h. Builders for calls:
// keel/mesos/calls.h; JSON: keel/mesos/json.h.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/mesos/offer.h"
#include "keel/mesos/resource.h"
#include "keel/mesos/task.h"
#include "keel/mesos/task_status.h"
#include "keel/mesos/values.h"

namespace keel::mesos {

struct Call {
  enum class Type {
    kUnknown = 0,
    kSubscribe = 1,
    kTeardown = 2,
    kAccept = 3,
    kDecline = 4,
    kAcceptInverseOffers = 13,
    kDeclineInverseOffers = 14,
    kRevive = 5,
    kKill = 6,
    kShutdown = 7,
    kAcknowledge = 8,
    kAcknowledgeOperationStatus = 15,
    kReconcile = 9,
    kReconcileOperations = 16,
    kMessage = 10,
    kRequest = 11,
    kSuppress = 12,
    kUpdateFramework = 17,
  };

  struct Subscribe {
    FrameworkInfo frameworkInfo;  // required
    std::vector<std::string> suppressedRoles;
    RawJson unknown;  // offer_constraints

    bool operator==(const Subscribe&) const = default;
  };
  struct Accept {
    std::vector<OfferID> offerIds;  // always written
    std::vector<OfferOperation> operations;
    std::optional<Filters> filters;

    bool operator==(const Accept&) const = default;
  };
  struct Decline {
    std::vector<OfferID> offerIds;  // always written
    std::optional<Filters> filters;

    bool operator==(const Decline&) const = default;
  };
  struct AcceptInverseOffers {
    std::vector<OfferID> inverseOfferIds;
    std::optional<Filters> filters;

    bool operator==(const AcceptInverseOffers&) const = default;
  };
  struct DeclineInverseOffers {
    std::vector<OfferID> inverseOfferIds;
    std::optional<Filters> filters;

    bool operator==(const DeclineInverseOffers&) const = default;
  };
  struct Revive {
    std::vector<std::string> roles;  // empty = all roles

    bool operator==(const Revive&) const = default;
  };
  struct Suppress {
    std::vector<std::string> roles;  // empty = all roles

    bool operator==(const Suppress&) const = default;
  };
  struct Kill {
    TaskID taskId;  // required
    std::optional<AgentID> agentId;
    std::optional<KillPolicy> killPolicy;

    bool operator==(const Kill&) const = default;
  };
  struct Shutdown {
    ExecutorID executorId;  // required
    AgentID agentId;        // required

    bool operator==(const Shutdown&) const = default;
  };
  struct Acknowledge {
    AgentID agentId;  // required
    TaskID taskId;    // required
    Bytes uuid;       // required: TaskStatus.uuid verbatim

    bool operator==(const Acknowledge&) const = default;
  };
  struct AcknowledgeOperationStatus {
    std::optional<AgentID> agentId;
    std::optional<ResourceProviderID> resourceProviderId;
    Bytes uuid;               // required: OperationStatus.uuid.value
    OperationID operationId;  // required

    bool operator==(const AcknowledgeOperationStatus&) const = default;
  };
  struct Reconcile {
    struct Task {
      TaskID taskId;  // required
      std::optional<AgentID> agentId;

      bool operator==(const Task&) const = default;
    };
    std::vector<Task> tasks;  // always written; empty = implicit reconciliation

    bool operator==(const Reconcile&) const = default;
  };
  struct ReconcileOperations {
    struct Operation {
      OperationID operationId;  // required
      std::optional<AgentID> agentId;
      std::optional<ResourceProviderID> resourceProviderId;

      bool operator==(const Operation&) const = default;
    };
    std::vector<Operation> operations;  // always written

    bool operator==(const ReconcileOperations&) const = default;
  };
  struct Message {
    AgentID agentId;        // required
    ExecutorID executorId;  // required
    Bytes data;             // required

    bool operator==(const Message&) const = default;
  };
  struct Request {
    std::vector<RawJson> requests;  // mesos.v1.Request, not modelled

    bool operator==(const Request&) const = default;
  };
  struct UpdateFramework {
    FrameworkInfo frameworkInfo;  // required, with id
    std::vector<std::string> suppressedRoles;
    RawJson unknown;  // offer_constraints

    bool operator==(const UpdateFramework&) const = default;
  };

  std::optional<FrameworkID> frameworkId;  // required on all but SUBSCRIBE
  std::optional<Type> type;
  std::optional<Subscribe> subscribe;
  std::optional<Accept> accept;
  std::optional<Decline> decline;
  std::optional<AcceptInverseOffers> acceptInverseOffers;
  std::optional<DeclineInverseOffers> declineInverseOffers;
  std::optional<Revive> revive;
  std::optional<Kill> kill;
  std::optional<Shutdown> shutdown;
  std::optional<Acknowledge> acknowledge;
  std::optional<AcknowledgeOperationStatus> acknowledgeOperationStatus;
  std::optional<Reconcile> reconcile;
  std::optional<ReconcileOperations> reconcileOperations;
  std::optional<Message> message;
  std::optional<Request> request;
  std::optional<Suppress> suppress;
  std::optional<UpdateFramework> updateFramework;
  RawJson unknown;

  bool operator==(const Call&) const = default;
};

struct Event {
  enum class Type {
    kUnknown = 0,
    kSubscribed = 1,
    kOffers = 2,
    kInverseOffers = 9,
    kRescind = 3,
    kRescindInverseOffer = 10,
    kUpdate = 4,
    kUpdateOperationStatus = 11,
    kMessage = 5,
    kFailure = 6,
    kError = 7,
    kHeartbeat = 8,
  };

  struct Subscribed {
    FrameworkID frameworkId;  // required
    std::optional<double> heartbeatIntervalSeconds;
    std::optional<MasterInfo> masterInfo;
    RawJson unknown;

    bool operator==(const Subscribed&) const = default;
  };
  struct Offers {
    std::vector<Offer> offers;

    bool operator==(const Offers&) const = default;
  };
  struct InverseOffers {
    std::vector<RawJson> inverseOffers;  // mesos.v1.InverseOffer, not modelled

    bool operator==(const InverseOffers&) const = default;
  };
  struct Rescind {
    OfferID offerId;  // required

    bool operator==(const Rescind&) const = default;
  };
  struct RescindInverseOffer {
    OfferID inverseOfferId;  // required

    bool operator==(const RescindInverseOffer&) const = default;
  };
  struct Update {
    TaskStatus status;  // required

    bool operator==(const Update&) const = default;
  };
  struct UpdateOperationStatus {
    OperationStatus status;  // required

    bool operator==(const UpdateOperationStatus&) const = default;
  };
  struct Message {
    AgentID agentId;        // required
    ExecutorID executorId;  // required
    Bytes data;             // required

    bool operator==(const Message&) const = default;
  };
  struct Failure {
    std::optional<AgentID> agentId;
    std::optional<ExecutorID> executorId;
    std::optional<int32_t> status;  // the executor's wait status

    bool operator==(const Failure&) const = default;
  };
  struct Error {
    std::string message;  // required

    bool operator==(const Error&) const = default;
  };

  std::optional<Type> type;
  std::optional<Subscribed> subscribed;
  std::optional<Offers> offers;
  std::optional<InverseOffers> inverseOffers;
  std::optional<Rescind> rescind;
  std::optional<RescindInverseOffer> rescindInverseOffer;
  std::optional<Update> update;
  std::optional<UpdateOperationStatus> updateOperationStatus;
  std::optional<Message> message;
  std::optional<Failure> failure;
  std::optional<Error> error;
  RawJson unknown;

  bool operator==(const Event&) const = default;
};

}  // namespace keel::mesos
