#include "cluster/local/master_state.h"

#include <utility>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <random>
#include <sstream>

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
using Capability = mesos::FrameworkInfo::Capability::Type;

std::string randomBytes16() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out(16, '\0');
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t v = rng();
    for (size_t j = 0; j < 8; ++j) out[i + j] = static_cast<char>((v >> (8 * j)) & 0xff);
  }
  out[6] = static_cast<char>((out[6] & 0x0f) | 0x40);
  out[8] = static_cast<char>((out[8] & 0x3f) | 0x80);
  return out;
}

std::string padded(uint64_t n) {
  std::ostringstream s;
  s << std::setw(4) << std::setfill('0') << n;
  return s.str();
}

mesos::Resource scalar(const std::string& name, double value) {
  mesos::Resource r;
  r.name = name;
  r.type = mesos::Value::Type::kScalar;
  r.scalar = mesos::Value::Scalar{value};
  return r;
}

Resources configuredResources(const AgentConfig& c) {
  Resources rs{scalar("cpus", c.cpus), scalar("mem", c.memMb), scalar("disk", c.diskMb)};
  if (c.ports.end >= c.ports.begin && c.ports.begin > 0) {
    mesos::Resource ports;
    ports.name = "ports";
    ports.type = mesos::Value::Type::kRanges;
    ports.ranges = mesos::Value::Ranges{{{c.ports.begin, c.ports.end}}};
    rs.insert(rs.begin(), ports);
  }
  return rs;
}

Event heartbeat() {
  Event e;
  e.type = Event::Type::kHeartbeat;
  return e;
}

Event errorEvent(const std::string& message) {
  Event e;
  e.type = Event::Type::kError;
  e.error = Event::Error{message};
  return e;
}

// FrameworkInfo validation of the master (validation::framework), the
// messages the real master puts in the ERROR event.
std::optional<std::string> validateFrameworkInfo(const mesos::FrameworkInfo& info) {
  bool multiRole = mesos::hasCapability(info, Capability::kMultiRole);
  if (!info.roles.empty() && !multiRole) {
    return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable";
  }
  if (info.role && multiRole) {
    return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
  }
  std::set<std::string> seen;
  for (const std::string& role : info.roles) {
    if (!seen.insert(role).second)
      return "'FrameworkInfo.roles' contains duplicate role '" + role + "'";
    if (role.empty() || role == "." || role == ".." || role.find(' ') != std::string::npos) {
      return "'FrameworkInfo.roles' contains invalid role: Role '" + role + "' is invalid";
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view agentHealthName(AgentHealth health) {
  switch (health) {
    case AgentHealth::kUp:
      return "UP";
    case AgentHealth::kDown:
      return "DOWN";
    case AgentHealth::kRemoved:
      return "REMOVED";
  }
  return "UNKNOWN";
}

std::vector<std::string> FrameworkRecord::roles() const {
  if (multiRole()) return info.roles;
  return {info.role.value_or("*")};
}
bool FrameworkRecord::partitionAware() const {
  return mesos::hasCapability(info, Capability::kPartitionAware);
}
bool FrameworkRecord::multiRole() const {
  return mesos::hasCapability(info, Capability::kMultiRole);
}
bool FrameworkRecord::refinement() const {
  return mesos::hasCapability(info, Capability::kReservationRefinement);
}

void Outbox::append(Outbox&& other) {
  for (auto& e : other.events) events.push_back(std::move(e));
  for (auto& c : other.commands) commands.push_back(std::move(c));
  for (auto& s : other.closeStreams) closeStreams.push_back(std::move(s));
  dirty = dirty || other.dirty;
}

MasterState::MasterState(MasterOptions options) : options_(std::move(options)) {
  if (options_.masterId.empty()) options_.masterId = randomUuid();
  if (!options_.uuidBytes) options_.uuidBytes = randomBytes16;
}

std::string MasterState::newUuidBytes() { return options_.uuidBytes(); }

FrameworkRecord* MasterState::framework(const std::string& id) {
  auto it = frameworks_.find(id);
  return it == frameworks_.end() ? nullptr : &it->second;
}

void MasterState::Changes::merge(const Changes& other) {
  all = all || other.all;
  agents.insert(other.agents.begin(), other.agents.end());
  tasks.insert(other.tasks.begin(), other.tasks.end());
  executors.insert(other.executors.begin(), other.executors.end());
}

MasterState::Changes MasterState::takeChanges() { return std::exchange(changes_, Changes{}); }

void MasterState::touchTask(const std::string& frameworkId, const std::string& taskId,
                            const std::string& executorId) {
  changes_.tasks.emplace(frameworkId, taskId);
  if (!executorId.empty()) changes_.executors.emplace(frameworkId, executorId);
}

AgentRecord* MasterState::agent(const std::string& id) {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second;
}

// ------------------------------------------------------------------ agents

// Default agents are 127.0.0.1, 127.0.0.2, ...: an added agent without a
// hostname gets the first such address no agent (even a removed one) has,
// so that placement rules on hostname (UNIQUE, avoid) tell it apart.
std::string MasterState::freeLoopbackHostname() const {
  std::set<std::string> used;
  for (const auto& [id, a] : agents_) used.insert(a.config.hostname);
  for (int n = 0;; ++n) {
    std::string candidate = "127.0." + std::to_string(n / 254) + "." + std::to_string(n % 254 + 1);
    if (!used.count(candidate)) return candidate;
  }
}

Result<std::string> MasterState::addAgent(AgentConfig config, TimePoint, Outbox& out) {
  touchAll();
  if (config.cpus < 0 || config.memMb < 0 || config.diskMb < 0) {
    return Status::invalidArgument("agent resources must not be negative");
  }
  if (config.id.empty())
    config.id = options_.masterId + "-S" + std::to_string(counters_.nextAgent++);
  if (agents_.count(config.id)) return Status::alreadyExists("agent " + config.id + " exists");
  if (config.hostname.empty()) config.hostname = freeLoopbackHostname();
  config.workDir = agentWorkDir(options_.stateDir, config);
  AgentRecord record;
  record.total = configuredResources(config);
  record.config = std::move(config);
  std::string id = record.config.id;
  agents_.emplace(id, std::move(record));
  allocationPending_ = true;
  out.dirty = true;
  return id;
}

void MasterState::agentLost(AgentRecord& agent, TaskState paState, Reason reason,
                            const std::string& message, TimePoint now, Outbox& out) {
  rescindOffersOn(agent.config.id, out);
  filters_.erase(std::remove_if(filters_.begin(), filters_.end(),
                                [&](const OfferFilter& f) { return f.agentId == agent.config.id; }),
                 filters_.end());
  out.commands.push_back({AgentCommand::Kind::kKillAll, agent.config.id, {}, "", {}, "", ""});
  std::vector<std::string> gone;
  for (auto& [key, task] : tasks_) {
    if (task.agentId != agent.config.id || mesos::isTerminal(task.latest.state)) continue;
    const FrameworkRecord* fw = framework(task.frameworkId);
    TaskState state = fw && fw->partitionAware() ? paState : TaskState::kTaskLost;
    mesos::TaskStatus status =
        masterStatus(task.info.taskId.value, agent.config.id, state, reason, message, now);
    if (state == TaskState::kTaskUnreachable) {
      status.unreachableTime = mesos::DurationInfo{
          std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count()};
    }
    task.latest = status;
    task.unacknowledged.clear();
    releaseTaskResources(task);
    if (fw) sendUpdate(*fw, status, out);
  }
  for (auto it = executors_.begin(); it != executors_.end();) {
    it = it->second.agentId == agent.config.id ? executors_.erase(it) : std::next(it);
  }
  out.dirty = true;
}

Status MasterState::agentDown(const std::string& agentId, TimePoint now, Outbox& out) {
  touchAll();
  AgentRecord* a = agent(agentId);
  if (!a || a->health == AgentHealth::kRemoved) return Status::notFound("no agent " + agentId);
  if (a->health == AgentHealth::kDown) return Status::ok();
  a->health = AgentHealth::kDown;
  agentLost(*a, TaskState::kTaskUnreachable, Reason::kReasonAgentRemoved,
            "Agent " + a->config.hostname + " is unreachable: taken down by the operator", now,
            out);
  return Status::ok();
}

Status MasterState::agentUp(const std::string& agentId, TimePoint now, Outbox& out) {
  touchAll();
  AgentRecord* a = agent(agentId);
  if (!a || a->health == AgentHealth::kRemoved) return Status::notFound("no agent " + agentId);
  if (a->health == AgentHealth::kUp) return Status::ok();
  a->health = AgentHealth::kUp;
  for (auto& [key, task] : tasks_) {
    if (task.agentId != agentId || task.latest.state != TaskState::kTaskUnreachable) continue;
    const FrameworkRecord* fw = framework(task.frameworkId);
    mesos::TaskStatus status =
        masterStatus(task.info.taskId.value, agentId, TaskState::kTaskGone,
                     Reason::kReasonAgentRestarted, "Task is unknown to the agent", now);
    status.source = Source::kSourceAgent;
    if (fw) queueReliableUpdate(task, status, now, out);
  }
  allocationPending_ = true;
  out.dirty = true;
  return Status::ok();
}

Status MasterState::removeAgent(const std::string& agentId, TimePoint now, Outbox& out) {
  touchAll();
  AgentRecord* a = agent(agentId);
  if (!a || a->health == AgentHealth::kRemoved) return Status::notFound("no agent " + agentId);
  bool wasUp = a->health == AgentHealth::kUp;
  a->health = AgentHealth::kRemoved;
  if (wasUp) {
    agentLost(*a, TaskState::kTaskGoneByOperator, Reason::kReasonAgentRemovedByOperator,
              "Agent " + a->config.hostname + " was removed by the operator", now, out);
  }
  for (auto& [key, task] : tasks_) {
    if (task.agentId != agentId || task.latest.state != TaskState::kTaskUnreachable) continue;
    const FrameworkRecord* fw = framework(task.frameworkId);
    mesos::TaskStatus status = masterStatus(
        task.info.taskId.value, agentId, TaskState::kTaskGoneByOperator,
        Reason::kReasonAgentRemovedByOperator, "Agent was removed by the operator", now);
    task.latest = status;
    if (fw) sendUpdate(*fw, status, out);
  }
  out.dirty = true;
  return Status::ok();
}

// -------------------------------------------------------------- frameworks

SubscribeOutcome MasterState::subscribe(const mesos::Call& call, const std::string& streamId,
                                        TimePoint now, Outbox& out) {
  touchAll();
  SubscribeOutcome outcome;
  const mesos::Call::Subscribe& sub = *call.subscribe;
  mesos::FrameworkInfo info = sub.frameworkInfo;
  auto fail = [&](const std::string& message) {
    outcome.initial.push_back(errorEvent(message));
    outcome.closeAfterInitial = true;
    return outcome;
  };
  if (auto error = validateFrameworkInfo(info)) return fail(*error);
  std::string id = info.id ? info.id->value : "";
  if (!id.empty() && removedFrameworks_.count(id)) return fail("Framework has been removed");
  FrameworkRecord* fw = id.empty() ? nullptr : framework(id);
  if (fw) {
    if (fw->info.principal != info.principal) {
      return fail("Changing framework's principal is not allowed.");
    }
    if (fw->connected && fw->streamId != streamId) out.closeStreams.push_back(fw->streamId);
    info.checkpoint = fw->info.checkpoint;
    info.user = fw->info.user;
    recoverOffersOf(id);
  } else {
    if (id.empty()) {
      id = options_.masterId + "-" + padded(counters_.nextFramework++);
      info.id = mesos::FrameworkID{id};
    }
    FrameworkRecord record;
    record.registeredAt = now;
    fw = &frameworks_.emplace(id, std::move(record)).first->second;
  }
  fw->info = info;
  fw->connected = true;
  fw->streamId = streamId;
  fw->suppressedRoles = {sub.suppressedRoles.begin(), sub.suppressedRoles.end()};
  lastHeartbeat_[id] = now;

  Event subscribed;
  subscribed.type = Event::Type::kSubscribed;
  Event::Subscribed body;
  body.frameworkId = mesos::FrameworkID{id};
  body.heartbeatIntervalSeconds = std::chrono::duration<double>(options_.heartbeatInterval).count();
  mesos::MasterInfo master;
  master.id = options_.masterId;
  master.ip = 16777343;  // 127.0.0.1 as the master writes it
  master.port = static_cast<uint32_t>(options_.port);
  master.pid = "master@" + options_.ip + ":" + std::to_string(options_.port);
  master.hostname = options_.hostname;
  master.version = "1.12.0";
  master.address = mesos::Address{options_.hostname, options_.ip, options_.port, {}};
  master.unknown = mesos::RawJson{
      R"({"capabilities":[{"type":"AGENT_UPDATE"},{"type":"AGENT_DRAINING"},{"type":"QUOTA_V2"}]})"};
  body.masterInfo = master;
  subscribed.subscribed = body;
  outcome.frameworkId = id;
  outcome.initial = {subscribed, heartbeat()};

  // Unacknowledged updates are sent again on the new stream.
  for (auto& [key, task] : tasks_) {
    if (task.frameworkId != id || task.unacknowledged.empty()) continue;
    sendUpdate(*fw, task.unacknowledged.front().status, out);
    task.retryBackoff = options_.updateRetryInitial;
    task.nextRetry = now + task.retryBackoff;
  }
  for (PendingOperationUpdate& op : opUpdates_) {
    if (op.frameworkId != id) continue;
    Event e;
    e.type = Event::Type::kUpdateOperationStatus;
    e.updateOperationStatus = Event::UpdateOperationStatus{op.status};
    out.send(id, e);
    op.retryBackoff = options_.updateRetryInitial;
    op.nextRetry = now + op.retryBackoff;
  }
  allocationPending_ = true;
  out.dirty = true;
  return outcome;
}

void MasterState::streamClosed(const std::string& streamId, TimePoint now, Outbox& out) {
  touchAll();
  for (auto& [id, fw] : frameworks_) {
    if (!fw.connected || fw.streamId != streamId) continue;
    fw.connected = false;
    fw.disconnectedAt = now;
    recoverOffersOf(id);
    allocationPending_ = true;
    out.dirty = true;
    KEEL_LOG(Info, "master") << "framework disconnected"
                             << " " << id;
  }
}

HttpReply MasterState::handleCall(const mesos::Call& call,
                                  const std::optional<std::string>& streamId, TimePoint now,
                                  Outbox& out) {
  using Type = mesos::Call::Type;
  FrameworkRecord* fw = framework(call.frameworkId->value);
  if (!fw) return HttpReply::badRequest("Framework cannot be found");
  if (!fw->connected) return HttpReply::forbidden("Framework is not subscribed");
  if (!streamId) {
    return HttpReply::badRequest(
        "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
  }
  if (*streamId != fw->streamId) {
    return HttpReply::badRequest("The stream ID '" + *streamId +
                                 "' included in this request didn't match the stream ID "
                                 "currently associated with framework ID " +
                                 fw->info.id->value);
  }
  switch (*call.type) {
    case Type::kAccept:
    case Type::kDecline:
    case Type::kRevive:
    case Type::kSuppress:
    case Type::kAcknowledge:
    case Type::kAcknowledgeOperationStatus:
    case Type::kReconcile:
    case Type::kReconcileOperations:
      break;  // they name what they change (or change nothing tracked)
    default:
      touchAll();
  }
  switch (*call.type) {
    case Type::kTeardown:
      return teardown(*fw, now, out);
    case Type::kAccept:
      acceptOffers(*fw, *call.accept, now, out);
      break;
    case Type::kDecline:
      decline(*fw, *call.decline, now, out);
      break;
    case Type::kRevive:
      revive(*fw, call.revive ? call.revive->roles : std::vector<std::string>{}, out);
      break;
    case Type::kSuppress:
      suppress(*fw, call.suppress ? call.suppress->roles : std::vector<std::string>{});
      break;
    case Type::kKill:
      kill(*fw, *call.kill, now, out);
      break;
    case Type::kShutdown:
      out.commands.push_back({AgentCommand::Kind::kShutdownExecutor,
                              call.shutdown->agentId.value,
                              {},
                              "",
                              {},
                              call.shutdown->executorId.value,
                              ""});
      break;
    case Type::kAcknowledge:
      acknowledge(*fw, *call.acknowledge, now, out);
      break;
    case Type::kAcknowledgeOperationStatus:
      acknowledgeOperation(*fw, *call.acknowledgeOperationStatus, out);
      break;
    case Type::kReconcile:
      reconcile(*fw, *call.reconcile, now, out);
      break;
    case Type::kReconcileOperations:
      reconcileOperations(*fw, *call.reconcileOperations, out);
      break;
    case Type::kUpdateFramework:
      return updateFramework(*fw, *call.updateFramework, out);
    case Type::kUnknown:
      return HttpReply{501, "", "", {}};
    default:  // MESSAGE, REQUEST, inverse offers: accepted and ignored
      break;
  }
  return HttpReply::accepted();
}

HttpReply MasterState::teardown(FrameworkRecord& fw, TimePoint, Outbox& out) {
  touchAll();
  std::string id = fw.info.id->value;
  for (auto it = offers_.begin(); it != offers_.end();) {
    it = it->second.frameworkId == id ? offers_.erase(it) : std::next(it);
  }
  filters_.erase(std::remove_if(filters_.begin(), filters_.end(),
                                [&](const OfferFilter& f) { return f.frameworkId == id; }),
                 filters_.end());
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    TaskRecord& task = it->second;
    if (task.frameworkId != id) {
      ++it;
      continue;
    }
    if (!mesos::isTerminal(task.latest.state)) {
      out.commands.push_back({AgentCommand::Kind::kKill,
                              task.agentId,
                              {},
                              task.info.taskId.value,
                              std::nullopt,
                              task.executorId,
                              ""});
    }
    releaseTaskResources(task);
    it = tasks_.erase(it);
  }
  for (auto it = executors_.begin(); it != executors_.end();) {
    if (it->second.frameworkId != id) {
      ++it;
      continue;
    }
    out.commands.push_back({AgentCommand::Kind::kShutdownExecutor,
                            it->second.agentId,
                            {},
                            "",
                            {},
                            it->second.info.executorId.value,
                            ""});
    it = executors_.erase(it);
  }
  opUpdates_.erase(
      std::remove_if(opUpdates_.begin(), opUpdates_.end(),
                     [&](const PendingOperationUpdate& u) { return u.frameworkId == id; }),
      opUpdates_.end());
  if (fw.connected) out.closeStreams.push_back(fw.streamId);
  removedFrameworks_.insert(id);
  lastHeartbeat_.erase(id);
  frameworks_.erase(id);
  allocationPending_ = true;
  out.dirty = true;
  return HttpReply::accepted();
}

HttpReply MasterState::updateFramework(FrameworkRecord& fw, const mesos::Call::UpdateFramework& u,
                                       Outbox& out) {
  if (auto error = validateFrameworkInfo(u.frameworkInfo)) {
    return HttpReply::badRequest("Failed to validate scheduler::Call: " + *error);
  }
  if (u.frameworkInfo.principal != fw.info.principal) {
    return HttpReply::badRequest("Changing framework's principal is not allowed.");
  }
  mesos::FrameworkInfo info = u.frameworkInfo;
  info.checkpoint = fw.info.checkpoint;
  info.user = fw.info.user;
  fw.info = info;
  fw.suppressedRoles = {u.suppressedRoles.begin(), u.suppressedRoles.end()};
  std::vector<std::string> roles = fw.roles();
  for (auto it = offers_.begin(); it != offers_.end();) {
    bool keep = it->second.frameworkId != info.id->value ||
                std::find(roles.begin(), roles.end(), it->second.role) != roles.end();
    if (!keep) {
      Event e;
      e.type = Event::Type::kRescind;
      e.rescind = Event::Rescind{mesos::OfferID{it->first}};
      out.send(info.id->value, e);
    }
    it = keep ? std::next(it) : offers_.erase(it);
  }
  allocationPending_ = true;
  out.dirty = true;
  return HttpReply::ok();
}

void MasterState::revive(FrameworkRecord& fw, const std::vector<std::string>& roles, Outbox&) {
  std::string id = fw.info.id->value;
  auto inScope = [&](const std::string& role) {
    return roles.empty() || std::find(roles.begin(), roles.end(), role) != roles.end();
  };
  for (auto it = fw.suppressedRoles.begin(); it != fw.suppressedRoles.end();) {
    it = inScope(*it) ? fw.suppressedRoles.erase(it) : std::next(it);
  }
  filters_.erase(
      std::remove_if(filters_.begin(), filters_.end(),
                     [&](const OfferFilter& f) { return f.frameworkId == id && inScope(f.role); }),
      filters_.end());
  allocationPending_ = true;
  reviveRequested_ = true;
}

void MasterState::suppress(FrameworkRecord& fw, const std::vector<std::string>& roles) {
  for (const std::string& role : roles.empty() ? fw.roles() : roles)
    fw.suppressedRoles.insert(role);
}

// -------------------------------------------------------------------- time

void MasterState::tick(TimePoint now, Outbox& out) {
  std::vector<std::string> expired;
  for (auto& [id, fw] : frameworks_) {
    if (fw.connected) {
      if (now - lastHeartbeat_[id] >= options_.heartbeatInterval) {
        out.send(id, heartbeat());
        lastHeartbeat_[id] = now;
      }
      continue;
    }
    auto timeout = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(fw.info.failoverTimeout.value_or(0.0)));
    if (now - fw.disconnectedAt >= timeout) expired.push_back(id);
  }
  for (const std::string& id : expired) {
    KEEL_LOG(Info, "master") << "framework failover timeout: tearing it down"
                             << " " << id;
    teardown(frameworks_.at(id), now, out);
  }
  for (auto& [key, task] : tasks_) {
    if (task.unacknowledged.empty() || now < task.nextRetry) continue;
    const FrameworkRecord* fw = framework(task.frameworkId);
    if (!fw || !fw->connected) continue;
    sendUpdate(*fw, task.unacknowledged.front().status, out);
    task.retryBackoff = std::min(task.retryBackoff * 2, options_.updateRetryMax);
    task.nextRetry = now + task.retryBackoff;
  }
  for (PendingOperationUpdate& op : opUpdates_) {
    const FrameworkRecord* fw = framework(op.frameworkId);
    if (!fw || !fw->connected || now < op.nextRetry) continue;
    Event e;
    e.type = Event::Type::kUpdateOperationStatus;
    e.updateOperationStatus = Event::UpdateOperationStatus{op.status};
    out.send(op.frameworkId, e);
    op.retryBackoff = std::min(op.retryBackoff * 2, options_.updateRetryMax);
    op.nextRetry = now + op.retryBackoff;
  }
  size_t before = filters_.size();
  filters_.erase(std::remove_if(filters_.begin(), filters_.end(),
                                [&](const OfferFilter& f) { return f.expires <= now; }),
                 filters_.end());
  if (filters_.size() != before) allocationPending_ = true;
}

// ---------------------------------------------------------------- queries

Resources MasterState::allocatedOn(const std::string& agentId) const {
  Resources out;
  for (const auto& [key, task] : tasks_) {
    if (task.agentId == agentId && !task.resourcesReleased) addTo(out, task.resources);
  }
  for (const auto& [key, executor] : executors_) {
    if (executor.agentId == agentId) addTo(out, executor.resources);
  }
  return out;
}

Resources MasterState::offeredOn(const std::string& agentId) const {
  Resources out;
  for (const auto& [id, offer] : offers_) {
    if (offer.agentId == agentId) addTo(out, offer.resources);
  }
  return out;
}

Resources MasterState::availableOn(const std::string& agentId) const {
  auto it = agents_.find(agentId);
  if (it == agents_.end()) return {};
  Resources available = it->second.total;
  bool ok = subtractFrom(available, withoutAllocation(allocatedOn(agentId)));
  ok = ok && subtractFrom(available, withoutAllocation(offeredOn(agentId)));
  KEEL_CHECK_MSG(ok, "agent resources over-committed");
  return available;
}

std::string MasterState::volumePath(const std::string& agentId,
                                    const mesos::Resource& volume) const {
  auto it = agents_.find(agentId);
  KEEL_CHECK(it != agents_.end() && isPersistentVolume(volume));
  return (std::filesystem::path(it->second.config.workDir) / "volumes" / "roles" /
          reservationRole(volume) / volume.disk->persistence->id)
      .string();
}

void MasterState::checkInvariants() const {
  for (const auto& [id, agent] : agents_) {
    Resources used = sum(withoutAllocation(allocatedOn(id)), withoutAllocation(offeredOn(id)));
    KEEL_CHECK_MSG(
        containsAll(agent.total, used),
        ("agent " + id + " total " + describe(agent.total) + " does not contain " + describe(used))
            .c_str());
    Resources available = agent.total;
    KEEL_CHECK(subtractFrom(available, used));
    KEEL_CHECK(containsAll(sum(available, used), agent.total));
    KEEL_CHECK(containsAll(agent.total, sum(available, used)));
    if (agent.health != AgentHealth::kUp) {
      for (const auto& [offerId, offer] : offers_) KEEL_CHECK(offer.agentId != id);
    }
  }
  for (const auto& [offerId, offer] : offers_) {
    KEEL_CHECK(frameworks_.count(offer.frameworkId) == 1);
    KEEL_CHECK(agents_.count(offer.agentId) == 1);
    for (const mesos::Resource& r : offer.resources) KEEL_CHECK(allocatableTo(r, offer.role));
  }
}

}  // namespace keel::local
