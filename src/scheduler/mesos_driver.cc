#include "keel/scheduler/mesos_driver.h"

namespace keel::scheduler {

Status MesosDriver::noClient() const {
  return Status::unavailable("no connection to the master yet");
}

Status MesosDriver::accept(const std::vector<mesos::OfferID>& offerIds,
                           const std::vector<mesos::OfferOperation>& operations,
                           std::optional<mesos::Filters> filters) {
  return client_ == nullptr ? noClient()
                            : client_->accept(offerIds, operations, std::move(filters));
}

Status MesosDriver::decline(const std::vector<mesos::OfferID>& offerIds, double refuseSeconds) {
  return client_ == nullptr ? noClient() : client_->decline(offerIds, refuseSeconds);
}

Status MesosDriver::revive() { return client_ == nullptr ? noClient() : client_->revive(); }

Status MesosDriver::suppress() { return client_ == nullptr ? noClient() : client_->suppress(); }

Status MesosDriver::kill(const mesos::TaskID& taskId,
                         const std::optional<mesos::AgentID>& agentId) {
  return client_ == nullptr ? noClient() : client_->kill(taskId, agentId);
}

Status MesosDriver::acknowledge(const mesos::TaskStatus& status) {
  return client_ == nullptr ? noClient() : client_->acknowledge(status);
}

Status MesosDriver::reconcile(const std::vector<mesos::Call::Reconcile::Task>& tasks) {
  return client_ == nullptr ? noClient() : client_->reconcile(tasks);
}

Status MesosDriver::teardown() { return client_ == nullptr ? noClient() : client_->teardown(); }

}  // namespace keel::scheduler
