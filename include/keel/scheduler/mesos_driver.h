// MesosDriver: SchedulerDriver over a MesosClient (keel/mesos/client.h), for
// a real Mesos master or keel's local cluster alike.
//
// The client may be attached after construction (the scheduler needs its
// driver before the client, whose FrameworkInfo comes from the scheduler):
// calls before setClient() fail with Unavailable.
//
// Thread-safety: as MesosClient's calls (thread-safe, blocking); setClient()
// before any call is made from another thread. The client must outlive the
// driver's use.
#pragma once

#include "keel/mesos/client.h"
#include "keel/scheduler/driver.h"

namespace keel::scheduler {

class MesosDriver final : public SchedulerDriver {
 public:
  explicit MesosDriver(mesos::MesosClient* client = nullptr) : client_(client) {}
  void setClient(mesos::MesosClient* client) { client_ = client; }

  Status accept(const std::vector<mesos::OfferID>& offerIds,
                const std::vector<mesos::OfferOperation>& operations,
                std::optional<mesos::Filters> filters) override;
  Status decline(const std::vector<mesos::OfferID>& offerIds, double refuseSeconds) override;
  Status revive() override;
  Status suppress() override;
  Status kill(const mesos::TaskID& taskId, const std::optional<mesos::AgentID>& agentId) override;
  Status acknowledge(const mesos::TaskStatus& status) override;
  Status reconcile(const std::vector<mesos::Call::Reconcile::Task>& tasks) override;
  Status teardown() override;

 private:
  Status noClient() const;
  mesos::MesosClient* client_;
};

}  // namespace keel::scheduler
