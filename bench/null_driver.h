// A SchedulerDriver that sends nothing and answers every call OK, for
// benchmarks that drive a Scheduler without a cluster; a benchmark derives
// from it to record the calls it measures.
#pragma once

#include "keel/scheduler/driver.h"

namespace keel::bench {

class NullDriver : public scheduler::SchedulerDriver {
 public:
  Status accept(const std::vector<mesos::OfferID>&, const std::vector<mesos::OfferOperation>&,
                std::optional<mesos::Filters>) override {
    return Status::ok();
  }
  Status decline(const std::vector<mesos::OfferID>&, double) override { return Status::ok(); }
  Status revive() override { return Status::ok(); }
  Status suppress() override { return Status::ok(); }
  Status kill(const mesos::TaskID&, const std::optional<mesos::AgentID>&) override {
    return Status::ok();
  }
  Status acknowledge(const mesos::TaskStatus&) override { return Status::ok(); }
  Status reconcile(const std::vector<mesos::Call::Reconcile::Task>&) override {
    return Status::ok();
  }
  Status teardown() override { return Status::ok(); }
};

}  // namespace keel::bench
