// SchedulerDriver: the calls the scheduler makes to its cluster, and nothing
// else. MesosDriver (keel/scheduler/mesos_driver.h) sends them to a Mesos
// master (or keel's local cluster) through MesosClient; tests use an
// in-process fake cluster (src/testing/fake_cluster.h).
//
// Thread-safety: called from the scheduler's owner thread only. Calls may
// block (one HTTP exchange for MesosDriver). Failure behaviour: an error
// means the call did not reach the cluster (not subscribed, master
// unreachable, call rejected); the scheduler logs it and retries through its
// own mechanisms (offers come back, reconciliation re-sends, kills repeat).
#pragma once

#include <optional>
#include <vector>

#include "keel/mesos/offer.h"
#include "keel/mesos/scheduler.h"
#include "keel/mesos/task_status.h"
#include "keel/status.h"

namespace keel::scheduler {

class SchedulerDriver {
 public:
  virtual ~SchedulerDriver() = default;

  // ACCEPT `offerIds` (all from one agent) applying `operations` in order.
  virtual Status accept(const std::vector<mesos::OfferID>& offerIds,
                        const std::vector<mesos::OfferOperation>& operations,
                        std::optional<mesos::Filters> filters) = 0;
  // DECLINE, refusing the offers' resources for `refuseSeconds`.
  virtual Status decline(const std::vector<mesos::OfferID>& offerIds, double refuseSeconds) = 0;
  // REVIVE / SUPPRESS offers for every role of the framework.
  virtual Status revive() = 0;
  virtual Status suppress() = 0;
  virtual Status kill(const mesos::TaskID& taskId,
                      const std::optional<mesos::AgentID>& agentId) = 0;
  // ACKNOWLEDGE a status update; OK without a call when it carries no uuid.
  virtual Status acknowledge(const mesos::TaskStatus& status) = 0;
  // RECONCILE: explicit for `tasks`, implicit (every task) when empty.
  virtual Status reconcile(const std::vector<mesos::Call::Reconcile::Task>& tasks) = 0;
  // TEARDOWN: the framework is removed, its remaining tasks killed. Its
  // reservations and volumes stay (they belong to the role): release them
  // first. Sent only by an uninstall.
  virtual Status teardown() = 0;
};

}  // namespace keel::scheduler
