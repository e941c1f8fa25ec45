// Frameworks, masters, offers and offer operations (mesos.v1): FrameworkInfo,
// MasterInfo, DomainInfo, Offer, OfferOperation (= Offer.Operation), Filters,
// OperationStatus. Conventions: keel/mesos/values.h.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/mesos/resource.h"
#include "keel/mesos/task.h"
#include "keel/mesos/values.h"

namespace keel::mesos {

struct FrameworkInfo {
  struct Capability {
    enum class Type {
      kUnknown = 0,
      kRevocableResources = 1,
      kTaskKillingState = 2,
      kGpuResources = 3,
      kSharedResources = 4,
      kPartitionAware = 5,
      kMultiRole = 6,
      kReservationRefinement = 7,
      kRegionAware = 8,
    };

    std::optional<Type> type;  // an unknown name decodes to unset

    bool operator==(const Capability&) const = default;
  };

  std::string user;  // required
  std::string name;  // required
  std::optional<FrameworkID> id;
  std::optional<double> failoverTimeout;  // seconds; proto default 0
  std::optional<bool> checkpoint;         // proto default false
  std::optional<std::string> role;        // deprecated single-role form
  std::vector<std::string> roles;         // needs MULTI_ROLE
  std::optional<std::string> hostname;
  std::optional<std::string> principal;
  std::optional<std::string> webuiUrl;
  std::vector<Capability> capabilities;
  std::optional<Labels> labels;
  RawJson unknown;  // offer_filters

  bool operator==(const FrameworkInfo&) const = default;
};

// Whether `info` lists capability `type`.
bool hasCapability(const FrameworkInfo& info, FrameworkInfo::Capability::Type type);

struct MasterInfo {
  std::string id;     // required
  uint32_t ip = 0;    // required; prefer address.ip
  uint32_t port = 0;  // required
  std::optional<std::string> pid;
  std::optional<std::string> hostname;
  std::optional<std::string> version;
  std::optional<Address> address;
  RawJson unknown;  // domain, capabilities

  bool operator==(const MasterInfo&) const = default;
};

struct DomainInfo {
  struct FaultDomain {
    struct RegionInfo {
      std::string name;  // required

      bool operator==(const RegionInfo&) const = default;
    };
    struct ZoneInfo {
      std::string name;  // required

      bool operator==(const ZoneInfo&) const = default;
    };

    RegionInfo region;  // required
    ZoneInfo zone;      // required

    bool operator==(const FaultDomain&) const = default;
  };

  std::optional<FaultDomain> faultDomain;

  bool operator==(const DomainInfo&) const = default;
};

// mesos.v1.Offer.Operation. Exactly the member matching `type` is set.
struct OfferOperation {
  enum class Type {
    kUnknown = 0,
    kLaunch = 1,
    kLaunchGroup = 6,
    kReserve = 2,
    kUnreserve = 3,
    kCreate = 4,
    kDestroy = 5,
    kGrowVolume = 11,
    kShrinkVolume = 12,
    kCreateDisk = 13,
    kDestroyDisk = 14,
  };

  struct Launch {
    std::vector<TaskInfo> taskInfos;

    bool operator==(const Launch&) const = default;
  };
  struct LaunchGroup {
    ExecutorInfo executor;    // required
    TaskGroupInfo taskGroup;  // required

    bool operator==(const LaunchGroup&) const = default;
  };
  struct Reserve {
    std::vector<Resource> source;     // resources being re-reserved (optional)
    std::vector<Resource> resources;  // with the new reservation pushed

    bool operator==(const Reserve&) const = default;
  };
  struct Unreserve {
    std::vector<Resource> resources;

    bool operator==(const Unreserve&) const = default;
  };
  struct Create {
    std::vector<Resource> volumes;

    bool operator==(const Create&) const = default;
  };
  struct Destroy {
    std::vector<Resource> volumes;

    bool operator==(const Destroy&) const = default;
  };

  std::optional<Type> type;
  std::optional<OperationID> id;  // requests UPDATE_OPERATION_STATUS feedback
  std::optional<Launch> launch;
  std::optional<LaunchGroup> launchGroup;
  std::optional<Reserve> reserve;
  std::optional<Unreserve> unreserve;
  std::optional<Create> create;
  std::optional<Destroy> destroy;
  RawJson unknown;  // grow_volume, shrink_volume, create_disk, destroy_disk

  bool operator==(const OfferOperation&) const = default;
};

struct Offer {
  using Operation = OfferOperation;

  OfferID id;               // required
  FrameworkID frameworkId;  // required
  AgentID agentId;          // required
  std::string hostname;     // required
  std::optional<URL> url;
  std::optional<DomainInfo> domain;
  std::vector<Resource> resources;
  std::vector<Attribute> attributes;
  std::vector<ExecutorID> executorIds;
  std::optional<Resource::AllocationInfo> allocationInfo;
  RawJson unknown;  // unavailability, operations

  bool operator==(const Offer&) const = default;
};

struct Filters {
  std::optional<double> refuseSeconds;  // proto default 5

  bool operator==(const Filters&) const = default;
};

enum class OperationState {
  kOperationUnsupported = 0,
  kOperationPending = 1,
  kOperationFinished = 2,
  kOperationFailed = 3,
  kOperationError = 4,
  kOperationDropped = 5,
  kOperationUnreachable = 6,
  kOperationGoneByOperator = 7,
  kOperationRecovering = 8,
  kOperationUnknown = 9,
};

struct OperationStatus {
  std::optional<OperationID> operationId;
  OperationState state = OperationState::kOperationPending;  // required
  std::optional<std::string> message;
  std::vector<Resource> convertedResources;
  std::optional<UUID> uuid;  // {"value":"<base64>"}; set = must be acknowledged
  std::optional<AgentID> agentId;
  std::optional<ResourceProviderID> resourceProviderId;
  RawJson unknown;

  bool operator==(const OperationStatus&) const = default;
};

}  // namespace keel::mesos
