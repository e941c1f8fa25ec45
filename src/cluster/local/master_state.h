// MasterState: the pure, single-threaded core of the local cluster's master.
// It keeps agents (with exact resource accounting), frameworks, offers and
// their filters, reservations and persistent volumes (as agent resources),
// tasks, executors and unacknowledged status/operation updates, and answers
// scheduler calls as the Mesos master does (reference: mesos-v1-api.md).
//
// Every mutating method takes `now` and appends its effects to an Outbox
// (events for subscription streams, commands for agent runtimes); it does no
// I/O and reads no clock. Accounting invariant (checkInvariants): for every
// agent, allocated (tasks + executors) + offered + available == total, and
// nothing is offered or allocated that the agent does not have.
//
// Thread-safety: none; one thread owns an instance (see master.h).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cluster/local/http_reply.h"
#include "cluster/local/master_types.h"
#include "keel/result.h"

namespace keel::local {

struct MasterOptions {
  std::string masterId;  // a UUID; ids are <masterId>-S<n>, -<nnnn>, -O<n>
  std::string hostname = "localhost";
  std::string ip = "127.0.0.1";
  int port = 5050;
  Duration heartbeatInterval = std::chrono::seconds(15);
  Duration updateRetryInitial = std::chrono::seconds(10);
  Duration updateRetryMax = std::chrono::minutes(10);
  std::string stateDir;  // agents' default work dirs live under it
  // 16 random bytes per call (status update uuids); nullptr: random.
  std::function<std::string()> uuidBytes;
};

// The first records of a new SUBSCRIBE stream.
struct SubscribeOutcome {
  std::string frameworkId;            // empty when the subscription failed
  std::vector<mesos::Event> initial;  // SUBSCRIBED + HEARTBEAT, or one ERROR
  bool closeAfterInitial = false;     // ERROR: the stream ends
};

class MasterState {
 public:
  explicit MasterState(MasterOptions options);

  // ---------------------------------------------------------------- agents
  // Registers an agent with its configured resources (id assigned when
  // empty; hostname, when empty, the first loopback address 127.0.0.N that
  // no agent has, as the default agents have). InvalidArgument for a duplicate id or non-positive
  // resources.
  Result<std::string> addAgent(AgentConfig config, TimePoint now, Outbox& out);
  // Fault injection: the agent's host fails. Its offers are rescinded, its
  // processes killed, its tasks reported TASK_UNREACHABLE (partition-aware
  // frameworks) or TASK_LOST. Reservations and volumes stay.
  Status agentDown(const std::string& agentId, TimePoint now, Outbox& out);
  // The agent is back with its reservations and volumes; tasks that were
  // unreachable are reported TASK_GONE (or TASK_LOST).
  Status agentUp(const std::string& agentId, TimePoint now, Outbox& out);
  // Removed for good: tasks TASK_GONE_BY_OPERATOR (or TASK_LOST).
  Status removeAgent(const std::string& agentId, TimePoint now, Outbox& out);

  // ------------------------------------------------------------ frameworks
  // SUBSCRIBE on a new stream `streamId` (validated by validateCall first).
  SubscribeOutcome subscribe(const mesos::Call& call, const std::string& streamId, TimePoint now,
                             Outbox& out);
  // The connection of `streamId` ended; the framework (if it is still its
  // stream) is disconnected and its failover timeout starts.
  void streamClosed(const std::string& streamId, TimePoint now, Outbox& out);
  // Any call but SUBSCRIBE, already checked by validateCall: the framework,
  // stream id and subscription checks of the real master, then the call.
  HttpReply handleCall(const mesos::Call& call, const std::optional<std::string>& streamId,
                       TimePoint now, Outbox& out);

  // ------------------------------------------------------- agent runtimes
  void taskEvent(const std::string& agentId, const TaskEvent& event, TimePoint now, Outbox& out);
  void executorExited(const std::string& agentId, const ExecutorExited& exited, TimePoint now,
                      Outbox& out);
  // After a restart: what the runtime of `agentId` re-adopted and lost.
  void recovered(const std::string& agentId, const RecoveryResult& result, TimePoint now,
                 Outbox& out);

  // ------------------------------------------------------------------ time
  // Heartbeats, update retries, failover timeouts, filter expiry.
  void tick(TimePoint now, Outbox& out);
  // Offers every agent's available resources to subscribed frameworks' roles.
  void allocate(TimePoint now, Outbox& out);
  bool allocationPending() const { return allocationPending_; }
  // A REVIVE asks for offers now, not at the next allocation interval (as
  // Mesos' allocator does): true once after each REVIVE.
  bool takeReviveRequest() { return std::exchange(reviveRequested_, false); }
  // Fault injection: the master takes the offer back (RESCIND to its
  // framework); its resources are offered again on the next allocation.
  // False when no such offer is outstanding.
  bool rescindOffer(const std::string& offerId, Outbox& out);

  // -------------------------------------------------------------- queries
  const MasterOptions& options() const { return options_; }
  // The port SUBSCRIBED's master_info carries (known once the server bound).
  void setPort(int port) { options_.port = port; }
  const std::map<std::string, AgentRecord>& agents() const { return agents_; }
  const std::map<std::string, FrameworkRecord>& frameworks() const { return frameworks_; }
  const std::map<std::string, TaskRecord>& tasks() const { return tasks_; }  // key fw/task
  const std::map<std::string, ExecutorRecord>& executors() const { return executors_; }
  const std::map<std::string, OfferRecord>& offers() const { return offers_; }
  const std::vector<OfferFilter>& filters() const { return filters_; }
  const std::set<std::string>& removedFrameworks() const { return removedFrameworks_; }
  const std::vector<PendingOperationUpdate>& operationUpdates() const { return opUpdates_; }

  // Resources of the agent used by tasks and executors / held in offers.
  Resources allocatedOn(const std::string& agentId) const;
  Resources offeredOn(const std::string& agentId) const;
  // total - allocated - offered (without allocation info).
  Resources availableOn(const std::string& agentId) const;
  // Host directory of a persistent volume (as Mesos lays it out).
  std::string volumePath(const std::string& agentId, const mesos::Resource& volume) const;

  // Aborts (KEEL_CHECK) when the accounting invariant is broken.
  void checkInvariants() const;

  // ----------------------------------------------------- checkpoint / restore
  struct Counters {
    uint64_t nextAgent = 0, nextFramework = 0, nextOffer = 0;
  };
  const Counters& counters() const { return counters_; }
  void restore(Counters counters, std::vector<AgentRecord> agents,
               std::vector<FrameworkRecord> frameworks, std::set<std::string> removed,
               std::vector<TaskRecord> tasks, std::vector<ExecutorRecord> executors,
               std::vector<PendingOperationUpdate> opUpdates, TimePoint now);

  // Which checkpointed records may have changed since the last
  // takeChanges(), so that the checkpoint re-encodes only those. The
  // frequent changes (a status update, an acknowledgement, an ACCEPT, an
  // executor's exit) name their agent, tasks and executors (as {framework
  // id, id}); every other
  // change sets `all`. The /master node, frameworks and operation updates
  // are small and always compared whole, so they are not tracked. A new
  // MasterState starts with `all`.
  struct Changes {
    bool all = false;
    std::set<std::string> agents;
    std::set<std::pair<std::string, std::string>> tasks, executors;
    void merge(const Changes& other);
  };
  Changes takeChanges();

 private:
  friend class AcceptHandler;

  std::string newUuidBytes();
  void touchAll() { changes_.all = true; }
  void touchAgent(const std::string& agentId) { changes_.agents.insert(agentId); }
  // The task and its executor (whose task ids list it).
  void touchTask(const std::string& frameworkId, const std::string& taskId,
                 const std::string& executorId);
  void touchTask(const TaskRecord& task) {
    touchTask(task.frameworkId, task.info.taskId.value, task.executorId);
  }
  // The task alone, for a change its executor's record does not show (a
  // status update, an acknowledgement): the checkpoint then does not encode
  // the executor again.
  void touchTaskOnly(const TaskRecord& task) {
    changes_.tasks.emplace(task.frameworkId, task.info.taskId.value);
  }
  std::string taskKey(const std::string& fw, const std::string& task) const {
    return fw + "/" + task;
  }
  FrameworkRecord* framework(const std::string& id);
  AgentRecord* agent(const std::string& id);
  std::string freeLoopbackHostname() const;

  // calls
  HttpReply teardown(FrameworkRecord& fw, TimePoint now, Outbox& out);
  void decline(FrameworkRecord& fw, const mesos::Call::Decline& d, TimePoint now, Outbox& out);
  void revive(FrameworkRecord& fw, const std::vector<std::string>& roles, Outbox& out);
  void suppress(FrameworkRecord& fw, const std::vector<std::string>& roles);
  void kill(FrameworkRecord& fw, const mesos::Call::Kill& k, TimePoint now, Outbox& out);
  void acknowledge(FrameworkRecord& fw, const mesos::Call::Acknowledge& a, TimePoint now,
                   Outbox& out);
  void acknowledgeOperation(FrameworkRecord& fw, const mesos::Call::AcknowledgeOperationStatus& a,
                            Outbox& out);
  void reconcile(FrameworkRecord& fw, const mesos::Call::Reconcile& r, TimePoint now, Outbox& out);
  void reconcileOperations(FrameworkRecord& fw, const mesos::Call::ReconcileOperations& r,
                           Outbox& out);
  HttpReply updateFramework(FrameworkRecord& fw, const mesos::Call::UpdateFramework& u,
                            Outbox& out);

  void acceptOffers(FrameworkRecord& fw, const mesos::Call::Accept& accept, TimePoint now,
                    Outbox& out);

  // offers
  void removeOffer(const std::string& offerId);
  void rescindOffersOn(const std::string& agentId, Outbox& out);
  void recoverOffersOf(const std::string& frameworkId);
  void addFilter(const std::string& fw, const std::string& role, const std::string& agentId,
                 const Resources& unused, std::optional<double> refuseSeconds, TimePoint now);
  bool filtered(const std::string& fw, const std::string& role, const std::string& agentId,
                const Resources& candidate, TimePoint now) const;
  mesos::Offer toWire(const OfferRecord& offer) const;

  // tasks and updates
  mesos::TaskStatus masterStatus(const std::string& taskId, std::optional<std::string> agentId,
                                 mesos::TaskState state, mesos::TaskStatus::Reason reason,
                                 const std::string& message, TimePoint now) const;
  void sendUpdate(const FrameworkRecord& fw, mesos::TaskStatus status, Outbox& out);
  void queueReliableUpdate(TaskRecord& task, mesos::TaskStatus status, TimePoint now, Outbox& out);
  void releaseTaskResources(TaskRecord& task);
  void forgetTask(const std::string& key);
  void agentLost(AgentRecord& agent, mesos::TaskState paState, mesos::TaskStatus::Reason reason,
                 const std::string& message, TimePoint now, Outbox& out);
  mesos::ContainerStatus containerStatus(const TaskRecord& task) const;
  void queueOperationUpdate(const FrameworkRecord& fw, const mesos::OperationID& id,
                            mesos::OperationState state, const std::string& message,
                            const std::string& agentId, TimePoint now, Outbox& out);

  MasterOptions options_;
  Counters counters_;
  std::map<std::string, AgentRecord> agents_;
  std::map<std::string, FrameworkRecord> frameworks_;
  std::set<std::string> removedFrameworks_;
  std::map<std::string, TaskRecord> tasks_;
  std::map<std::string, ExecutorRecord> executors_;  // key fw/executor
  std::map<std::string, OfferRecord> offers_;
  std::vector<OfferFilter> filters_;
  std::vector<PendingOperationUpdate> opUpdates_;
  std::map<std::string, TimePoint> lastHeartbeat_;  // framework id
  bool allocationPending_ = false;
  bool reviveRequested_ = false;
  Changes changes_{true, {}, {}, {}};
};

}  // namespace keel::local
