// FakeCluster: a deterministic in-process cluster for scheduler simulation
// tests. It is keel's own pure master model (src/cluster/local/master_state.h:
// exact resource accounting, offers, filters, RESERVE/UNRESERVE/CREATE/
// DESTROY/LAUNCH_GROUP, reconciliation, status update retries) driven
// synchronously on the test's thread, with no agent processes: a test says
// when a task starts, runs, fails, finishes or is lost.
//
// As a SchedulerDriver, every call is validated and answered as the local
// cluster's HTTP endpoint would; a call the master rejects returns an error
// carrying the HTTP code and body. Every call is recorded (`calls`) and can be
// inspected before it is applied (`beforeCall`, e.g. to check that TaskInfos
// were persisted before the ACCEPT that launches them).
//
// Events for the framework (offers, updates, rescinds) are queued; the test
// takes them with takeEvents() and hands them to the scheduler. Time is the
// injected clock's; nothing happens between calls.
//
// Thread-safety: none; one test thread.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cluster/local/master_state.h"
#include "keel/clock.h"
#include "keel/mesos/scheduler.h"
#include "keel/scheduler/driver.h"

namespace keel::testing {

class FakeCluster final : public scheduler::SchedulerDriver {
 public:
  explicit FakeCluster(const Clock& clock);

  // Adds an agent (id assigned "<master>-S<n>" when empty); aborts on a bad
  // config (a test bug).
  std::string addAgent(local::AgentConfig config);
  // `count` agents of `cpus` and `memMb`, 4 GB disk, 100 ports each, hosts
  // host-1, host-2, ...
  std::vector<std::string> addAgents(int count, double cpus = 1.0, double memMb = 1024);

  // SUBSCRIBE (a new stream each time); returns the framework id. The
  // SUBSCRIBED event is not queued: the test calls the scheduler's
  // onSubscribed itself.
  std::string subscribe(mesos::FrameworkInfo info);
  // The scheduler's event stream closed (its process died): the framework
  // is disconnected and its outstanding offers go back to the pool.
  void disconnect();
  // The master's allocation round: queues OFFERS events.
  void allocate();
  // Heartbeats, update retries, filter expiry at the clock's now.
  void tick();

  // An update of the task (as its executor would send it). `checkExitCode`
  // sets check_status.command.exit_code (readiness). False when the master
  // does not know the task. A terminal `state` ends the task; its executor
  // exits when it was the last live one (the default executor's behaviour),
  // which releases the executor's resources.
  bool sendTaskState(const std::string& taskId, mesos::TaskState state,
                     std::optional<int> checkExitCode = std::nullopt,
                     const std::string& message = "");
  // Fault injection: the agent's host goes down / comes back.
  void agentDown(const std::string& agentId);
  void agentUp(const std::string& agentId);
  // The agent is removed for good (its tasks: TASK_GONE_BY_OPERATOR).
  void removeAgent(const std::string& agentId);

  // Fault injection: the master takes an outstanding offer back (a RESCIND
  // event is queued); false when it is not outstanding.
  bool rescindOffer(const std::string& offerId);

  // Queued events for the framework, oldest first; empties the queue.
  std::vector<mesos::Event> takeEvents();
  bool hasEvents() const { return !events_.empty(); }

  // Task ids the master knows in a non-terminal state, sorted.
  std::vector<std::string> activeTaskIds() const;
  // The agent a task runs on; empty when unknown.
  std::string agentOf(const std::string& taskId) const;
  const local::MasterState& master() const { return master_; }
  const std::string& frameworkId() const { return frameworkId_; }

  // Every call received, in order (also those the master rejected).
  std::vector<mesos::Call> calls;
  // One operation of an ACCEPT of a valid offer that the master answered
  // 2xx, with the agent of its offer and the time: what the cluster was
  // told to do, in order.
  struct AcceptedOperation {
    size_t call = 0;  // index in `calls`
    std::string agentId;
    mesos::OfferOperation operation;
    TimePoint at;
  };
  std::vector<AcceptedOperation> acceptedOperations;
  // Called with each call before the master applies it.
  std::function<void(const mesos::Call&)> beforeCall;

  // SchedulerDriver.
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

  // Calls of one type, in order.
  std::vector<mesos::Call> callsOf(mesos::Call::Type type) const;

 private:
  Status send(mesos::Call call);
  void recordAccepted(const mesos::Call& call, const std::string& agentId);
  void deliver(local::Outbox& out);
  void exitIdleExecutor(const std::string& agentId, const std::string& executorId);

  const Clock& clock_;
  local::MasterState master_;
  std::string frameworkId_;
  std::string streamId_;
  int streams_ = 0;
  uint64_t uuids_ = 0;
  std::deque<mesos::Event> events_;
};

}  // namespace keel::testing
