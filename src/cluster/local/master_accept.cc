// MasterState::acceptOffers: ACCEPT as Master::accept/_accept do it: offer
// validation, then RESERVE / UNRESERVE / CREATE / DESTROY / LAUNCH /
// LAUNCH_GROUP applied in order on the offered resources, the rest
// recovered with a filter.
#include <algorithm>
#include <set>

#include "cluster/local/master_launch.h"
#include "cluster/local/master_state.h"
#include "cluster/local/node_text_cache.h"
#include "cluster/local/resource_ops.h"
#include "keel/check.h"

namespace keel::local {
namespace {

using mesos::OfferOperation;
using mesos::TaskState;
using OpType = mesos::OfferOperation::Type;
using Reason = mesos::TaskStatus::Reason;
using Reservation = mesos::Resource::ReservationInfo;

std::vector<mesos::TaskInfo> launchedTasks(const OfferOperation& op) {
  if (op.launch) return op.launch->taskInfos;
  if (op.launchGroup) return op.launchGroup->taskGroup.tasks;
  return {};
}

bool isLaunch(const OfferOperation& op) {
  return op.type == OpType::kLaunch || op.type == OpType::kLaunchGroup;
}

// Resources as the master handles them: refined format, the offer's
// allocation role injected when the scheduler left it out.
Resources normalize(const Resources& rs, const std::string& role) {
  Resources out = refined(rs);
  for (mesos::Resource& r : out) {
    if (!r.allocationInfo) r.allocationInfo = mesos::Resource::AllocationInfo{role};
  }
  return out;
}

mesos::Resource popReservation(mesos::Resource r) {
  if (!r.reservations.empty()) r.reservations.pop_back();
  return r;
}

mesos::Resource stripVolume(mesos::Resource r) {
  if (r.disk) {
    r.disk->persistence.reset();
    r.disk->volume.reset();
    if (!r.disk->source) r.disk.reset();
  }
  return r;
}

}  // namespace

// The per-ACCEPT working state.
class AcceptHandler {
 public:
  AcceptHandler(MasterState& m, FrameworkRecord& fw, TimePoint now, Outbox& out)
      : m_(m), fw_(fw), now_(now), out_(out) {}

  void run(const mesos::Call::Accept& accept);

 private:
  std::optional<std::string> validateOffers(const mesos::Call::Accept& accept);
  void rejectAll(const mesos::Call::Accept& accept, const std::string& error);
  void apply(const OfferOperation& op);
  std::optional<std::string> reserve(const Resources& resources);
  std::optional<std::string> unreserve(const Resources& resources);
  std::optional<std::string> create(const Resources& volumes);
  std::optional<std::string> destroy(const Resources& volumes);
  std::optional<std::string> validateTask(const mesos::TaskInfo& task, std::set<std::string>& seen);
  void launch(const OfferOperation::Launch& launch);
  void launchGroup(const OfferOperation::LaunchGroup& group);
  std::optional<std::string> validateExecutor(const mesos::ExecutorInfo& e);
  void taskError(const std::vector<mesos::TaskInfo>& tasks, Reason reason,
                 const std::string& message);
  void dropOperation(const OfferOperation& op, const std::string& message);
  void convert(const Resources& from, const Resources& to);
  TaskRecord& addTask(const mesos::TaskInfo& task, const std::string& executorId);

  MasterState& m_;
  FrameworkRecord& fw_;
  TimePoint now_;
  Outbox& out_;
  std::string agentId_;
  std::string role_;
  Resources pool_;
};

void MasterState::acceptOffers(FrameworkRecord& fw, const mesos::Call::Accept& accept,
                               TimePoint now, Outbox& out) {
  AcceptHandler(*this, fw, now, out).run(accept);
  out.dirty = true;
  allocationPending_ = true;
}

std::optional<std::string> AcceptHandler::validateOffers(const mesos::Call::Accept& accept) {
  if (accept.offerIds.empty()) return "No offers specified";
  std::set<std::string> seen;
  for (const mesos::OfferID& id : accept.offerIds) {
    if (!seen.insert(id.value).second) return "Duplicate offer " + id.value + " in offer list";
    auto it = m_.offers_.find(id.value);
    if (it == m_.offers_.end() || it->second.frameworkId != fw_.info.id->value) {
      return "Offer " + id.value + " is no longer valid";
    }
    if (agentId_.empty()) {
      agentId_ = it->second.agentId;
      role_ = it->second.role;
    } else if (agentId_ != it->second.agentId) {
      return "Aggregated offers must belong to one single agent";
    } else if (role_ != it->second.role) {
      return "Aggregated offers must be allocated to the same role";
    }
  }
  return std::nullopt;
}

void AcceptHandler::rejectAll(const mesos::Call::Accept& accept, const std::string& error) {
  for (const mesos::OfferID& id : accept.offerIds) {
    auto it = m_.offers_.find(id.value);
    if (it != m_.offers_.end() && it->second.frameworkId == fw_.info.id->value) {
      m_.offers_.erase(it);
    }
  }
  TaskState state = fw_.partitionAware() ? TaskState::kTaskDropped : TaskState::kTaskLost;
  for (const OfferOperation& op : accept.operations) {
    if (!isLaunch(op)) {
      dropOperation(op, "Operation attempted with invalid offers: " + error);
      continue;
    }
    for (const mesos::TaskInfo& task : launchedTasks(op)) {
      m_.sendUpdate(fw_,
                    m_.masterStatus(task.taskId.value, task.agentId.value, state,
                                    Reason::kReasonInvalidOffers,
                                    "Task launched with invalid offers: " + error, now_),
                    out_);
    }
  }
}

void AcceptHandler::run(const mesos::Call::Accept& accept) {
  if (auto error = validateOffers(accept)) {
    rejectAll(accept, *error);
    return;
  }
  for (const mesos::OfferID& id : accept.offerIds) {
    addTo(pool_, m_.offers_.at(id.value).resources);
    m_.offers_.erase(id.value);
  }
  for (const OfferOperation& op : accept.operations) apply(op);
  m_.addFilter(fw_.info.id->value, role_, agentId_, pool_,
               accept.filters ? accept.filters->refuseSeconds : std::nullopt, now_);
}

void AcceptHandler::dropOperation(const OfferOperation& op, const std::string& message) {
  if (!op.id) return;  // no feedback requested: dropped silently, as Mesos does
  m_.queueOperationUpdate(fw_, *op.id, mesos::OperationState::kOperationError, message, agentId_,
                          now_, out_);
}

void AcceptHandler::taskError(const std::vector<mesos::TaskInfo>& tasks, Reason reason,
                              const std::string& message) {
  for (const mesos::TaskInfo& task : tasks) {
    m_.sendUpdate(fw_,
                  m_.masterStatus(task.taskId.value, task.agentId.value, TaskState::kTaskError,
                                  reason, message, now_),
                  out_);
  }
}

void AcceptHandler::apply(const OfferOperation& op) {
  if (!op.type) return;
  if (op.id && isLaunch(op)) {
    bool group = *op.type == OpType::kLaunchGroup;
    taskError(launchedTasks(op),
              group ? Reason::kReasonTaskGroupInvalid : Reason::kReasonTaskInvalid,
              std::string("The `id` field cannot be set on ") +
                  (group ? "LAUNCH_GROUP" : "LAUNCH") + " operations");
    return;
  }
  std::optional<std::string> error;
  switch (*op.type) {
    case OpType::kReserve:
      error = op.reserve ? reserve(normalize(op.reserve->resources, role_))
                         : std::optional<std::string>("Expecting 'reserve' to be present");
      if (!error && op.reserve && !op.reserve->source.empty()) {
        error = "Reservation updates are not yet implemented for the scheduler API.";
      }
      break;
    case OpType::kUnreserve:
      error = op.unreserve ? unreserve(normalize(op.unreserve->resources, role_))
                           : std::optional<std::string>("Expecting 'unreserve' to be present");
      break;
    case OpType::kCreate:
      error = op.create ? create(normalize(op.create->volumes, role_))
                        : std::optional<std::string>("Expecting 'create' to be present");
      break;
    case OpType::kDestroy:
      error = op.destroy ? destroy(normalize(op.destroy->volumes, role_))
                         : std::optional<std::string>("Expecting 'destroy' to be present");
      break;
    case OpType::kLaunch:
      if (op.launch) launch(*op.launch);
      return;
    case OpType::kLaunchGroup:
      if (op.launchGroup) launchGroup(*op.launchGroup);
      return;
    default:
      error = "Operation is not supported by keel's local cluster";
  }
  if (error) {
    dropOperation(op, *error);
  } else if (op.id) {
    m_.queueOperationUpdate(fw_, *op.id, mesos::OperationState::kOperationFinished, "", agentId_,
                            now_, out_);
  }
}

void AcceptHandler::convert(const Resources& from, const Resources& to) {
  AgentRecord& agent = m_.agents_.at(agentId_);
  m_.touchAgent(agentId_);
  bool ok = subtractFrom(pool_, from);
  ok = ok && subtractFrom(agent.total, withoutAllocation(from));
  KEEL_CHECK(ok);
  addTo(pool_, to);
  addTo(agent.total, withoutAllocation(to));
}

std::optional<std::string> AcceptHandler::reserve(const Resources& resources) {
  Resources source;
  for (const mesos::Resource& r : resources) {
    if (r.reservations.empty() || r.reservations.back().type != Reservation::Type::kDynamic) {
      return "Invalid reservation resources: Resource " + describe({r}) +
             " is not dynamically reserved";
    }
    const Reservation& last = r.reservations.back();
    if (last.role.value_or("") != r.allocationInfo->role.value_or("")) {
      return "A reserve operation was attempted for a resource allocated to role '" +
             r.allocationInfo->role.value_or("") + "', but the reservation is for role '" +
             last.role.value_or("") + "'";
    }
    if (fw_.info.principal && last.principal != fw_.info.principal) {
      return "A reserve operation was attempted by authenticated principal '" +
             *fw_.info.principal +
             "', which does not match a reserved resource in the request "
             "with principal '" +
             last.principal.value_or("") + "'";
    }
    if (isPersistentVolume(r))
      return "Invalid reservation resources: persistent volumes cannot be reserved";
    source.push_back(popReservation(r));
  }
  if (!containsAll(pool_, source)) {
    return "Invalid RESERVE Operation: " + describe(pool_) + " does not contain " +
           describe(source);
  }
  convert(source, resources);
  return std::nullopt;
}

std::optional<std::string> AcceptHandler::unreserve(const Resources& resources) {
  Resources target;
  for (const mesos::Resource& r : resources) {
    if (!isDynamicallyReserved(r)) {
      return "Invalid resources: Resource " + describe({r}) + " is not dynamically reserved";
    }
    if (isPersistentVolume(r)) {
      return "A dynamically reserved persistent volume " + describe({r}) + " cannot be unreserved";
    }
    target.push_back(popReservation(r));
  }
  if (!containsAll(pool_, resources)) {
    return "Invalid UNRESERVE Operation: " + describe(pool_) + " does not contain " +
           describe(resources);
  }
  convert(resources, target);
  return std::nullopt;
}

std::optional<std::string> AcceptHandler::create(const Resources& volumes) {
  Resources source;
  std::set<std::string> ids;
  const AgentRecord& agent = m_.agents_.at(agentId_);
  for (const mesos::Resource& v : volumes) {
    if (!v.disk) return "Resource " + describe({v}) + " does not have DiskInfo";
    if (!v.disk->persistence) return "'persistence' is not set in DiskInfo";
    if (!v.disk->volume) return "Expecting 'volume' to be set for persistent volume";
    if (v.disk->volume->mode == mesos::Volume::Mode::kRo) {
      return "Read-only persistent volume not supported";
    }
    if (v.disk->volume->hostPath) return "Expecting 'host_path' to be unset for persistent volume";
    if (!isReserved(v)) return "Persistent volumes cannot be created from unreserved resources.";
    const std::string& id = v.disk->persistence->id;
    if (auto bad = invalidIdReason(id)) {
      return "Invalid persistence ID for persistent volume: " + *bad;
    }
    bool exists =
        std::any_of(agent.total.begin(), agent.total.end(), [&](const mesos::Resource& r) {
          return isPersistentVolume(r) && r.disk->persistence->id == id &&
                 reservationRole(r) == reservationRole(v);
        });
    if (exists || !ids.insert(id).second) return "Persistence ID '" + id + "' is not unique";
    source.push_back(stripVolume(v));
  }
  if (!containsAll(pool_, source)) {
    return "Invalid CREATE Operation: " + describe(pool_) + " does not contain " + describe(source);
  }
  convert(source, volumes);
  for (const mesos::Resource& v : volumes) {
    out_.commands.push_back(
        {AgentCommand::Kind::kCreateVolume, agentId_, {}, "", {}, "", m_.volumePath(agentId_, v)});
  }
  return std::nullopt;
}

std::optional<std::string> AcceptHandler::destroy(const Resources& volumes) {
  Resources target;
  for (const mesos::Resource& v : volumes) {
    if (!isPersistentVolume(v)) return "Not a persistent volume: " + describe({v});
    target.push_back(stripVolume(v));
  }
  if (!containsAll(pool_, volumes)) {
    Resources used = withoutAllocation(m_.allocatedOn(agentId_));
    if (containsAll(used, withoutAllocation(volumes))) return "Persistent volumes in use";
    return "Invalid DESTROY Operation: " + describe(pool_) + " does not contain " +
           describe(volumes);
  }
  convert(volumes, target);
  for (const mesos::Resource& v : volumes) {
    out_.commands.push_back(
        {AgentCommand::Kind::kDestroyVolume, agentId_, {}, "", {}, "", m_.volumePath(agentId_, v)});
  }
  return std::nullopt;
}

std::optional<std::string> AcceptHandler::validateTask(const mesos::TaskInfo& task,
                                                       std::set<std::string>& seen) {
  if (auto bad = invalidIdReason(task.taskId.value)) return "Task has an invalid TaskID: " + *bad;
  auto existing = m_.tasks_.find(fw_.info.id->value + "/" + task.taskId.value);
  if ((existing != m_.tasks_.end() && !mesos::isTerminal(existing->second.latest.state)) ||
      !seen.insert(task.taskId.value).second) {
    return "Task has duplicate ID: " + task.taskId.value;
  }
  if (task.agentId.value != agentId_) {
    return "Task uses invalid agent: " + task.agentId.value;
  }
  if (task.resources.empty()) return "Task uses no resources";
  if (task.killPolicy && task.killPolicy->gracePeriod &&
      task.killPolicy->gracePeriod->nanoseconds < 0) {
    return "Task's 'kill_policy.grace_period' must be non-negative";
  }
  return std::nullopt;
}

TaskRecord& AcceptHandler::addTask(const mesos::TaskInfo& task, const std::string& executorId) {
  TaskRecord record;
  record.info = task;
  record.frameworkId = fw_.info.id->value;
  record.agentId = agentId_;
  record.executorId = executorId;
  record.role = role_;
  record.resources = normalize(task.resources, role_);
  stampFixedFields(record);
  record.latest.taskId = task.taskId;
  record.latest.state = TaskState::kTaskStaging;
  record.latest.agentId = mesos::AgentID{agentId_};
  record.latest.timestamp = std::chrono::duration<double>(now_.time_since_epoch()).count();
  std::string key = record.frameworkId + "/" + task.taskId.value;
  m_.touchTask(record);
  m_.tasks_[key] = std::move(record);
  return m_.tasks_[key];
}

void AcceptHandler::launch(const OfferOperation::Launch& launch) {
  std::set<std::string> seen;
  for (const mesos::TaskInfo& task : launch.taskInfos) {
    std::optional<std::string> error = validateTask(task, seen);
    if (!error && task.command.has_value() == task.executor.has_value()) {
      error = "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
    }
    if (!error && task.executor) {
      error = "Custom executors are not supported by keel's local cluster";
    }
    Resources resources = normalize(task.resources, role_);
    if (!error && !containsAll(pool_, resources)) {
      error = "Total resources " + describe(resources) +
              " required by task and its executor is more than available " + describe(pool_);
    }
    if (error) {
      taskError({task}, Reason::kReasonTaskInvalid, *error);
      continue;
    }
    KEEL_CHECK(subtractFrom(pool_, resources));
    addTask(task, task.taskId.value);
    LaunchRequest request;
    request.frameworkId = fw_.info.id->value;
    request.agentId = agentId_;
    request.executorId = task.taskId.value;
    request.executorName = "Command Executor (Task: " + task.taskId.value + ")";
    request.taskGroup = false;
    request.killingState =
        mesos::hasCapability(fw_.info, mesos::FrameworkInfo::Capability::Type::kTaskKillingState);
    request.tasks.push_back(
        toTaskLaunch(task, [&](const mesos::Resource& v) { return m_.volumePath(agentId_, v); }));
    out_.commands.push_back(
        {AgentCommand::Kind::kLaunch, agentId_, std::move(request), "", {}, "", ""});
  }
}

std::optional<std::string> AcceptHandler::validateExecutor(const mesos::ExecutorInfo& e) {
  if (!e.type) return "'ExecutorInfo.type' must be set";
  if (*e.type == mesos::ExecutorInfo::Type::kUnknown) return "Unknown executor type";
  if (*e.type == mesos::ExecutorInfo::Type::kCustom) {
    return "Custom executors are not supported by keel's local cluster";
  }
  if (e.command) return "'ExecutorInfo.command' must not be set for 'DEFAULT' executor";
  if (!e.frameworkId) return "'ExecutorInfo.framework_id' must be set";
  if (e.frameworkId->value != fw_.info.id->value) {
    return "ExecutorInfo has an invalid FrameworkID (Actual: " + e.frameworkId->value +
           " vs Expected: " + fw_.info.id->value + ")";
  }
  if (auto bad = invalidIdReason(e.executorId.value)) return "Executor has an invalid ID: " + *bad;
  double cpus = scalarSum(e.resources, "cpus");
  double mem = scalarSum(e.resources, "mem");
  bool hasDisk = std::any_of(e.resources.begin(), e.resources.end(),
                             [](const mesos::Resource& r) { return r.name == "disk"; });
  std::string quoted = "Executor '" + e.executorId.value + "'";
  if (cpus < 0.01)
    return quoted + " uses less CPUs (" + std::to_string(cpus) +
           ") than the minimum required (0.01)";
  if (mem < 32)
    return quoted + " uses less memory (" + std::to_string(mem) +
           "MB) than the minimum required (32MB)";
  if (!hasDisk) return quoted + " uses no disk";
  return std::nullopt;
}

void AcceptHandler::launchGroup(const OfferOperation::LaunchGroup& group) {
  const mesos::ExecutorInfo& executor = group.executor;
  const std::vector<mesos::TaskInfo>& tasks = group.taskGroup.tasks;
  std::string execKey = fw_.info.id->value + "/" + executor.executorId.value;
  bool running = m_.executors_.count(execKey) > 0;
  std::optional<std::string> error = validateExecutor(executor);
  std::set<std::string> seen;
  for (const mesos::TaskInfo& task : tasks) {
    if (error) break;
    error = validateTask(task, seen);
    if (!error && task.executor && task.executor->executorId != executor.executorId) {
      error = "The `ExecutorInfo` of task '" + task.taskId.value +
              "' is different from executor '" + executor.executorId.value + "'";
    }
  }
  if (!error && tasks.empty()) error = "Task group is empty";
  if (!error && running && m_.executors_.at(execKey).agentId != agentId_) {
    error = "Executor '" + executor.executorId.value + "' is running on another agent";
  }
  Resources total;
  for (const mesos::TaskInfo& task : tasks) addTo(total, normalize(task.resources, role_));
  Resources executorResources = normalize(executor.resources, role_);
  if (!running) addTo(total, executorResources);
  if (!error && !containsAll(pool_, total)) {
    error = "Total resources " + describe(total) +
            " required by task group and its executor are more than available " + describe(pool_);
  }
  if (error) {
    taskError(tasks, Reason::kReasonTaskGroupInvalid, *error);
    return;
  }
  KEEL_CHECK(subtractFrom(pool_, total));
  if (!running) {
    ExecutorRecord record{executor, fw_.info.id->value, agentId_, role_, executorResources, {}};
    m_.executors_[execKey] = std::move(record);
  }
  LaunchRequest request;
  request.frameworkId = fw_.info.id->value;
  request.agentId = agentId_;
  request.executorId = executor.executorId.value;
  request.executorName = executor.name.value_or(executor.executorId.value);
  request.taskGroup = true;
  request.executorCpus = scalarSum(executor.resources, "cpus");
  request.executorMemMb = scalarSum(executor.resources, "mem");
  request.killingState =
      mesos::hasCapability(fw_.info, mesos::FrameworkInfo::Capability::Type::kTaskKillingState);
  for (const mesos::TaskInfo& task : tasks) {
    mesos::TaskInfo stored = task;
    if (!stored.executor) stored.executor = executor;
    addTask(stored, executor.executorId.value);
    m_.executors_[execKey].taskIds.insert(task.taskId.value);
    request.tasks.push_back(
        toTaskLaunch(task, [&](const mesos::Resource& v) { return m_.volumePath(agentId_, v); }));
  }
  out_.commands.push_back(
      {AgentCommand::Kind::kLaunch, agentId_, std::move(request), "", {}, "", ""});
}

}  // namespace keel::local
