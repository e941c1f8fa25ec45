#include "keel/offer/launch_builder.h"

#include "keel/mesos/resources.h"
#include "keel/offer/task_labels.h"
#include "offer/resource_util.h"

namespace keel::offer {

LaunchBuilder::LaunchBuilder(const PodInstanceRequirement& requirement,
                             const ServiceContext& service, const OfferSummary& offer,
                             const UuidSource& uuids)
    : requirement_(requirement), service_(service), offer_(offer), uuids_(uuids) {}

mesos::Labels LaunchBuilder::newReservationLabels() const {
  mesos::Labels labels;
  labels.labels.push_back({std::string(kLabelResourceId), newUuid()});
  labels.labels.push_back({std::string(kLabelNamespace), service_.serviceName});
  if (!service_.frameworkId.empty()) {
    labels.labels.push_back({std::string(kLabelFrameworkId), service_.frameworkId});
  }
  return labels;
}

mesos::Resource LaunchBuilder::reserveUnreserved(const mesos::Resource& unreserved) {
  mesos::Resource plain = unreserved;
  plain.role.reset();  // legacy "*": the refined format carries no role
  mesos::Resource r =
      mesos::withDynamicReservation(mesos::allocatedTo(plain, service_.role), service_.role,
                                    service_.principal, newReservationLabels());
  reserve_.push_back(r);
  return r;
}

mesos::Resource LaunchBuilder::reserveScalar(std::string_view name, int64_t millis) {
  return reserveUnreserved(detail::scalarResource(name, millis, service_.role));
}

mesos::Resource LaunchBuilder::reservePort(uint64_t port) {
  return reserveUnreserved(detail::portResource(port, service_.role));
}

LaunchBuilder::SetResources& LaunchBuilder::set(std::string_view id) {
  for (auto& s : sets_) {
    if (s.id == id) return s;
  }
  sets_.push_back(SetResources{std::string(id), {}, {}});
  return sets_.back();
}

std::vector<mesos::Resource>& LaunchBuilder::taskResources(std::string_view resourceSet) {
  return set(resourceSet).resources;
}

void LaunchBuilder::setPort(std::string_view resourceSet, std::string name, uint64_t port) {
  set(resourceSet).ports.emplace_back(std::move(name), port);
}

const std::vector<std::pair<std::string, uint64_t>>& LaunchBuilder::ports(
    std::string_view resourceSet) {
  return set(resourceSet).ports;
}

void LaunchBuilder::launch(mesos::ExecutorInfo executor, std::vector<mesos::TaskInfo> tasks) {
  executor_ = std::move(executor);
  tasks_ = std::move(tasks);
}

LaunchPlan LaunchBuilder::finish() && {
  using Op = mesos::OfferOperation;
  LaunchPlan plan;
  plan.offerId = offer_.offer->id;
  plan.agentId = offer_.offer->agentId;
  plan.hostname = offer_.offer->hostname;
  if (!unreserve_.empty()) {
    Op op;
    op.type = Op::Type::kUnreserve;
    op.unreserve = Op::Unreserve{std::move(unreserve_)};
    plan.operations.push_back(std::move(op));
  }
  if (!reserve_.empty()) {
    Op op;
    op.type = Op::Type::kReserve;
    op.reserve = Op::Reserve{{}, std::move(reserve_)};
    plan.operations.push_back(std::move(op));
  }
  if (!create_.empty()) {
    Op op;
    op.type = Op::Type::kCreate;
    op.create = Op::Create{std::move(create_)};
    plan.operations.push_back(std::move(op));
  }
  if (executor_) {
    Op op;
    op.type = Op::Type::kLaunchGroup;
    op.launchGroup = Op::LaunchGroup{*executor_, {}};
    for (const auto& task : tasks_) {
      mesos::TaskInfo copy = task;
      copy.executor.reset();
      op.launchGroup->taskGroup.tasks.push_back(std::move(copy));
    }
    plan.operations.push_back(std::move(op));
  }
  plan.taskInfos = std::move(tasks_);
  return plan;
}

}  // namespace keel::offer
