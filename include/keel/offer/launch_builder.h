// LaunchBuilder collects what the stages of a passing pipeline decided into
// the Mesos operations of one ACCEPT and the TaskInfos to persist first.
//
// Operation order in the plan: UNRESERVE (surplus of resized reservations),
// RESERVE (everything newly reserved), CREATE (new persistent volumes),
// LAUNCH_GROUP (DEFAULT executor + task group). Mesos applies them in order.
//
// Thread-safety: none; one builder per launch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/mesos/offer.h"
#include "keel/offer/offer_summary.h"
#include "keel/offer/requirement.h"

namespace keel::offer {

// The outcome of a passing evaluation: send `operations` in one ACCEPT of
// `offerId` after persisting `taskInfos` (they carry the executor).
struct LaunchPlan {
  mesos::OfferID offerId;
  mesos::AgentID agentId;
  std::string hostname;
  std::vector<mesos::OfferOperation> operations;
  std::vector<mesos::TaskInfo> taskInfos;
};

class LaunchBuilder {
 public:
  LaunchBuilder(const PodInstanceRequirement& requirement, const ServiceContext& service,
                const OfferSummary& offer, const UuidSource& uuids);

  const PodInstanceRequirement& requirement() const { return requirement_; }
  const ServiceContext& service() const { return service_; }
  const OfferSummary& offer() const { return offer_; }
  std::string newUuid() const { return uuids_(); }

  // The labels of a new reservation: resource_id (a new UUID), namespace,
  // framework_id.
  mesos::Labels newReservationLabels() const;
  // `unreserved` (as offered, e.g. a MOUNT disk) with a new DYNAMIC
  // reservation to the service's role pushed; added to the RESERVE operation
  // and returned (for the task's resources).
  mesos::Resource reserveUnreserved(const mesos::Resource& unreserved);
  // The same for `millis` thousandths of scalar `name`, and for one port.
  mesos::Resource reserveScalar(std::string_view name, int64_t millis);
  mesos::Resource reservePort(uint64_t port);
  void reserve(mesos::Resource resource) { reserve_.push_back(std::move(resource)); }
  void unreserve(mesos::Resource resource) { unreserve_.push_back(std::move(resource)); }
  void create(mesos::Resource volume) { create_.push_back(std::move(volume)); }

  // Resources of the tasks using `resourceSet` (shared by them).
  std::vector<mesos::Resource>& taskResources(std::string_view resourceSet);
  std::vector<mesos::Resource>& executorResources() { return executorResources_; }
  void setPort(std::string_view resourceSet, std::string name, uint64_t port);
  const std::vector<std::pair<std::string, uint64_t>>& ports(std::string_view resourceSet);

  // The task group to launch (the LaunchStage sets it last). The TaskInfos
  // carry `executor`; the LAUNCH_GROUP copies leave it to launch_group.executor.
  void launch(mesos::ExecutorInfo executor, std::vector<mesos::TaskInfo> tasks);
  // The plan's operations in order, and the TaskInfos.
  LaunchPlan finish() &&;

 private:
  struct SetResources {
    std::string id;
    std::vector<mesos::Resource> resources;
    std::vector<std::pair<std::string, uint64_t>> ports;
  };
  SetResources& set(std::string_view id);

  const PodInstanceRequirement& requirement_;
  const ServiceContext& service_;
  const OfferSummary& offer_;
  const UuidSource& uuids_;
  std::vector<mesos::Resource> reserve_;
  std::vector<mesos::Resource> unreserve_;
  std::vector<mesos::Resource> create_;
  std::vector<mesos::Resource> executorResources_;
  std::vector<SetResources> sets_;
  std::optional<mesos::ExecutorInfo> executor_;
  std::vector<mesos::TaskInfo> tasks_;
};

}  // namespace keel::offer
