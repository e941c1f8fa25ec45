// MasterState: kills, acknowledgements, reconciliation and the status
// updates that come from agent runtimes.
#include <algorithm>
#include <functional>

#include "cluster/local/master_state.h"
#include "cluster/local/resource_ops.h"
#include "keel/check.h"
#include "keel/ids.h"
#include "keel/log.h"

namespace keel::local {
namespace {

using mesos::Event;
using mesos::TaskState;
using Reason = mesos::TaskStatus::Reason;
using Source = mesos::TaskStatus::Source;

double seconds(TimePoint t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

// A partition-aware state as a framework without PARTITION_AWARE sees it.
TaskState forFramework(TaskState state, bool partitionAware) {
  if (partitionAware) return state;
  switch (state) {
    case TaskState::kTaskUnreachable:
    case TaskState::kTaskGone:
    case TaskState::kTaskGoneByOperator:
    case TaskState::kTaskUnknown:
    case TaskState::kTaskDropped:
      return TaskState::kTaskLost;
    default:
      return state;
  }
}

}  // namespace

mesos::TaskStatus MasterState::masterStatus(const std::string& taskId,
                                            std::optional<std::string> agentId, TaskState state,
                                            Reason reason, const std::string& message,
                                            TimePoint now) const {
  mesos::TaskStatus status;
  status.taskId = mesos::TaskID{taskId};
  status.state = state;
  status.message = message;
  status.source = Source::kSourceMaster;
  status.reason = reason;
  if (agentId) status.agentId = mesos::AgentID{*agentId};
  status.timestamp = seconds(now);
  return status;
}

void MasterState::sendUpdate(const FrameworkRecord& fw, mesos::TaskStatus status, Outbox& out) {
  if (!fw.connected) return;
  status.state = forFramework(status.state, fw.partitionAware());
  Event e;
  e.type = Event::Type::kUpdate;
  e.update = Event::Update{std::move(status)};
  out.send(fw.info.id->value, std::move(e));
}

void MasterState::queueReliableUpdate(TaskRecord& task, mesos::TaskStatus status, TimePoint now,
                                      Outbox& out) {
  status.uuid = mesos::Bytes{newUuidBytes()};
  task.latest = status;
  task.unacknowledged.push_back({status});
  if (task.unacknowledged.size() == 1) {
    if (const FrameworkRecord* fw = framework(task.frameworkId)) sendUpdate(*fw, status, out);
    task.retryBackoff = options_.updateRetryInitial;
    task.nextRetry = now + task.retryBackoff;
  }
  out.dirty = true;
}

void MasterState::releaseTaskResources(TaskRecord& task) {
  if (task.resourcesReleased) return;
  task.resourcesReleased = true;
  allocationPending_ = true;
}

void MasterState::forgetTask(const std::string& key) {
  auto it = tasks_.find(key);
  if (it == tasks_.end()) return;
  auto exec = executors_.find(it->second.frameworkId + "/" + it->second.executorId);
  if (exec != executors_.end()) {
    exec->second.taskIds.erase(it->second.info.taskId.value);
    changes_.executors.emplace(it->second.frameworkId, it->second.executorId);
  }
  tasks_.erase(it);
}

mesos::ContainerStatus MasterState::containerStatus(const TaskRecord& task) const {
  mesos::ContainerStatus cs;
  std::string executorContainer =
      seededUuid(std::hash<std::string>{}(task.frameworkId + "/" + task.executorId));
  if (task.executorId == task.info.taskId.value) {
    cs.containerId = mesos::ContainerID{executorContainer, {}};
  } else {
    cs.containerId = mesos::ContainerID{
        seededUuid(std::hash<std::string>{}(task.frameworkId + "/" + task.info.taskId.value)),
        {executorContainer}};
  }
  mesos::NetworkInfo net;
  net.ipAddresses.push_back({mesos::NetworkInfo::Protocol::kIPv4, options_.ip});
  cs.networkInfos.push_back(net);
  return cs;
}

void MasterState::taskEvent(const std::string& agentId, const TaskEvent& event, TimePoint now,
                            Outbox& out) {
  auto it = tasks_.find(event.frameworkId + "/" + event.taskId);
  const AgentRecord* a = agent(agentId);
  if (it == tasks_.end() || !a || a->health != AgentHealth::kUp) return;
  TaskRecord& task = it->second;
  if (mesos::isTerminal(task.latest.state) && task.resourcesReleased &&
      task.latest.source == Source::kSourceMaster) {
    return;  // already reported lost/gone by the master
  }
  auto state = mesos::enumFromName<TaskState>(event.state);
  if (!state) {
    KEEL_LOG(Warn, "master") << "ignoring update with unknown state " << event.state;
    return;
  }
  mesos::TaskStatus status;
  status.taskId = task.info.taskId;
  status.state = *state;
  if (!event.message.empty()) status.message = event.message;
  status.source = mesos::enumFromName<Source>(event.source).value_or(Source::kSourceExecutor);
  if (!event.reason.empty()) status.reason = mesos::enumFromName<Reason>(event.reason);
  status.agentId = mesos::AgentID{agentId};
  status.executorId = mesos::ExecutorID{task.executorId};
  status.timestamp = seconds(event.timestamp);
  status.healthy = event.healthy;
  if (task.info.check && task.info.check->type) {
    mesos::CheckStatusInfo check;
    check.type = task.info.check->type;
    switch (*task.info.check->type) {
      case mesos::CheckInfo::Type::kHttp:
        check.http = mesos::CheckStatusInfo::Http{
            event.checkHttpStatus ? std::optional<uint32_t>(*event.checkHttpStatus) : std::nullopt};
        break;
      case mesos::CheckInfo::Type::kTcp:
        check.tcp = mesos::CheckStatusInfo::Tcp{event.checkTcpSucceeded};
        break;
      default:
        check.command = mesos::CheckStatusInfo::Command{event.checkExitCode};
    }
    status.checkStatus = check;
  }
  status.containerStatus = containerStatus(task);
  touchTaskOnly(task);
  queueReliableUpdate(task, status, now, out);
  if (mesos::isTerminal(*state)) releaseTaskResources(task);
}

void MasterState::executorExited(const std::string& agentId, const ExecutorExited& exited,
                                 TimePoint, Outbox& out) {
  auto it = executors_.find(exited.frameworkId + "/" + exited.executorId);
  if (it == executors_.end()) return;
  changes_.executors.emplace(exited.frameworkId, exited.executorId);
  if (const FrameworkRecord* fw = framework(exited.frameworkId); fw && fw->connected) {
    Event e;
    e.type = Event::Type::kFailure;
    e.failure = Event::Failure{mesos::AgentID{agentId}, mesos::ExecutorID{exited.executorId},
                               exited.waitStatus};
    out.send(exited.frameworkId, e);
  }
  for (const std::string& taskId : it->second.taskIds) {
    auto task = tasks_.find(exited.frameworkId + "/" + taskId);
    if (task == tasks_.end()) continue;
    releaseTaskResources(task->second);
    touchTask(task->second);
  }
  executors_.erase(it);
  allocationPending_ = true;
  out.dirty = true;
}

void MasterState::recovered(const std::string& agentId, const RecoveryResult& result, TimePoint now,
                            Outbox& out) {
  touchAll();
  for (const AgentEvent& event : result.gone) {
    if (const auto* task = std::get_if<TaskEvent>(&event)) taskEvent(agentId, *task, now, out);
    if (const auto* exited = std::get_if<ExecutorExited>(&event)) {
      executorExited(agentId, *exited, now, out);
    }
  }
  // Tasks the master knows as live on this agent that no runtime has: gone.
  std::set<std::string> live;
  for (const AdoptedExecutor& e : result.adopted) {
    for (const std::string& t : e.taskIds) live.insert(e.frameworkId + "/" + t);
  }
  for (auto& [key, task] : tasks_) {
    if (task.agentId != agentId || mesos::isTerminal(task.latest.state) || live.count(key))
      continue;
    if (task.latest.state == TaskState::kTaskUnreachable) continue;
    mesos::TaskStatus status = masterStatus(task.info.taskId.value, agentId, TaskState::kTaskGone,
                                            Reason::kReasonExecutorTerminated,
                                            "Executor is gone after the cluster restarted", now);
    status.source = Source::kSourceAgent;
    queueReliableUpdate(task, status, now, out);
    releaseTaskResources(task);
  }
  for (auto it = executors_.begin(); it != executors_.end();) {
    bool dead =
        it->second.agentId == agentId &&
        std::none_of(result.adopted.begin(), result.adopted.end(), [&](const AdoptedExecutor& e) {
          return e.executorId == it->second.info.executorId.value &&
                 e.frameworkId == it->second.frameworkId;
        });
    it = dead ? executors_.erase(it) : std::next(it);
  }
  allocationPending_ = true;
}

// ------------------------------------------------------------------ calls

void MasterState::kill(FrameworkRecord& fw, const mesos::Call::Kill& k, TimePoint now,
                       Outbox& out) {
  auto it = tasks_.find(fw.info.id->value + "/" + k.taskId.value);
  if (it == tasks_.end() || (mesos::isTerminal(it->second.latest.state) &&
                             it->second.latest.state != TaskState::kTaskLost)) {
    mesos::Call::Reconcile r;
    r.tasks.push_back({k.taskId, k.agentId});
    reconcile(fw, r, now, out);
    return;
  }
  TaskRecord& task = it->second;
  const AgentRecord* a = agent(task.agentId);
  if (!a || a->health != AgentHealth::kUp) return;
  std::optional<Duration> grace;
  const std::optional<mesos::KillPolicy>& policy =
      k.killPolicy ? k.killPolicy : task.info.killPolicy;
  if (policy && policy->gracePeriod) {
    grace = std::chrono::duration_cast<Duration>(
        std::chrono::nanoseconds(policy->gracePeriod->nanoseconds));
  }
  out.commands.push_back(
      {AgentCommand::Kind::kKill, task.agentId, {}, k.taskId.value, grace, task.executorId, ""});
}

void MasterState::acknowledge(FrameworkRecord& fw, const mesos::Call::Acknowledge& a, TimePoint now,
                              Outbox& out) {
  std::string key = fw.info.id->value + "/" + a.taskId.value;
  auto it = tasks_.find(key);
  if (it == tasks_.end() || it->second.unacknowledged.empty()) return;
  TaskRecord& task = it->second;
  if (task.unacknowledged.front().status.uuid->value != a.uuid.value) return;
  task.unacknowledged.pop_front();
  touchTaskOnly(task);
  out.dirty = true;
  if (!task.unacknowledged.empty()) {
    sendUpdate(fw, task.unacknowledged.front().status, out);
    task.retryBackoff = options_.updateRetryInitial;
    task.nextRetry = now + task.retryBackoff;
    return;
  }
  if (mesos::isTerminal(task.latest.state) && task.latest.state != TaskState::kTaskLost) {
    forgetTask(key);
  }
}

void MasterState::acknowledgeOperation(FrameworkRecord& fw,
                                       const mesos::Call::AcknowledgeOperationStatus& a,
                                       Outbox& out) {
  std::string id = fw.info.id->value;
  auto it =
      std::find_if(opUpdates_.begin(), opUpdates_.end(), [&](const PendingOperationUpdate& u) {
        return u.frameworkId == id && u.status.uuid && u.status.uuid->value.value == a.uuid.value &&
               u.status.operationId && u.status.operationId->value == a.operationId.value;
      });
  if (it == opUpdates_.end()) return;
  opUpdates_.erase(it);
  out.dirty = true;
}

void MasterState::reconcile(FrameworkRecord& fw, const mesos::Call::Reconcile& r, TimePoint now,
                            Outbox& out) {
  std::string id = fw.info.id->value;
  auto answer = [&](const TaskRecord& task) {
    mesos::TaskStatus status = task.latest;
    status.uuid.reset();
    status.source = Source::kSourceMaster;
    status.reason = Reason::kReasonReconciliation;
    status.message = "Reconciliation: Latest task state";
    status.executorId.reset();
    status.timestamp = seconds(now);
    status.agentId = mesos::AgentID{task.agentId};
    if (task.latest.state == TaskState::kTaskStaging) status.containerStatus.reset();
    const AgentRecord* a = agent(task.agentId);
    if (a && a->health == AgentHealth::kRemoved) {
      // Mesos forgets the tasks of a removed agent, ended ones too, and
      // answers for any of them so.
      status.state = TaskState::kTaskGoneByOperator;
      status.message = "Reconciliation: the task's agent was removed by the operator";
      status.containerStatus.reset();
    }
    sendUpdate(fw, status, out);
  };
  if (r.tasks.empty()) {
    for (const auto& [key, task] : tasks_) {
      if (task.frameworkId == id) answer(task);
    }
    return;
  }
  for (const mesos::Call::Reconcile::Task& t : r.tasks) {
    auto it = tasks_.find(id + "/" + t.taskId.value);
    if (it != tasks_.end()) {
      answer(it->second);
      continue;
    }
    TaskState state = TaskState::kTaskUnknown;
    std::optional<std::string> agentId;
    if (t.agentId) {
      agentId = t.agentId->value;
      const AgentRecord* a = agent(t.agentId->value);
      if (a && a->health == AgentHealth::kDown) state = TaskState::kTaskUnreachable;
      if (a && a->health == AgentHealth::kRemoved) state = TaskState::kTaskGoneByOperator;
    }
    mesos::TaskStatus status =
        masterStatus(t.taskId.value, agentId, state, Reason::kReasonReconciliation,
                     "Reconciliation: Task is unknown", now);
    if (state == TaskState::kTaskUnknown) status.agentId.reset();
    sendUpdate(fw, status, out);
  }
}

void MasterState::reconcileOperations(FrameworkRecord& fw,
                                      const mesos::Call::ReconcileOperations& r, Outbox& out) {
  std::string id = fw.info.id->value;
  for (const PendingOperationUpdate& op : opUpdates_) {
    if (op.frameworkId != id) continue;
    bool asked = r.operations.empty() ||
                 std::any_of(r.operations.begin(), r.operations.end(), [&](const auto& o) {
                   return op.status.operationId && o.operationId == *op.status.operationId;
                 });
    if (!asked) continue;
    Event e;
    e.type = Event::Type::kUpdateOperationStatus;
    mesos::OperationStatus status = op.status;
    status.uuid.reset();
    e.updateOperationStatus = Event::UpdateOperationStatus{status};
    out.send(id, e);
  }
  for (const auto& o : r.operations) {
    bool known = std::any_of(opUpdates_.begin(), opUpdates_.end(), [&](const auto& op) {
      return op.frameworkId == id && op.status.operationId &&
             *op.status.operationId == o.operationId;
    });
    if (known) continue;
    Event e;
    e.type = Event::Type::kUpdateOperationStatus;
    mesos::OperationStatus status;
    status.operationId = o.operationId;
    status.state = mesos::OperationState::kOperationUnknown;
    status.agentId = o.agentId;
    e.updateOperationStatus = Event::UpdateOperationStatus{status};
    out.send(id, e);
  }
}

void MasterState::queueOperationUpdate(const FrameworkRecord& fw, const mesos::OperationID& id,
                                       mesos::OperationState state, const std::string& message,
                                       const std::string& agentId, TimePoint now, Outbox& out) {
  PendingOperationUpdate update;
  update.frameworkId = fw.info.id->value;
  update.status.operationId = id;
  update.status.state = state;
  if (!message.empty()) update.status.message = message;
  update.status.uuid = mesos::UUID{mesos::Bytes{newUuidBytes()}};
  if (!agentId.empty()) update.status.agentId = mesos::AgentID{agentId};
  update.retryBackoff = options_.updateRetryInitial;
  update.nextRetry = now + update.retryBackoff;
  if (fw.connected) {
    Event e;
    e.type = Event::Type::kUpdateOperationStatus;
    e.updateOperationStatus = Event::UpdateOperationStatus{update.status};
    out.send(update.frameworkId, e);
  }
  opUpdates_.push_back(std::move(update));
  out.dirty = true;
}

void MasterState::restore(Counters counters, std::vector<AgentRecord> agents,
                          std::vector<FrameworkRecord> frameworks, std::set<std::string> removed,
                          std::vector<TaskRecord> tasks, std::vector<ExecutorRecord> executors,
                          std::vector<PendingOperationUpdate> opUpdates, TimePoint now) {
  touchAll();
  counters_ = counters;
  for (AgentRecord& a : agents) agents_[a.config.id] = std::move(a);
  for (FrameworkRecord& f : frameworks) {
    f.connected = false;
    f.streamId.clear();
    f.disconnectedAt = now;
    frameworks_[f.info.id->value] = std::move(f);
  }
  removedFrameworks_ = std::move(removed);
  for (TaskRecord& t : tasks) tasks_[t.frameworkId + "/" + t.info.taskId.value] = std::move(t);
  for (ExecutorRecord& e : executors) {
    executors_[e.frameworkId + "/" + e.info.executorId.value] = std::move(e);
  }
  opUpdates_ = std::move(opUpdates);
  allocationPending_ = true;
}

}  // namespace keel::local
