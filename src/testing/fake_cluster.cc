#include "testing/fake_cluster.h"

#include <algorithm>

#include "cluster/local/call_validation.h"
#include "keel/check.h"
#include "keel/mesos/calls.h"
#include "keel/mesos/values.h"

namespace keel::testing {
namespace {

local::MasterOptions masterOptions(uint64_t* counter) {
  local::MasterOptions o;
  o.masterId = "fake";
  o.stateDir = "/nonexistent/keel-fake-cluster";
  o.uuidBytes = [counter] {
    std::string bytes(16, '\0');
    uint64_t n = ++*counter;
    for (int i = 0; i < 8; ++i) bytes[15 - i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return bytes;
  };
  return o;
}

}  // namespace

FakeCluster::FakeCluster(const Clock& clock) : clock_(clock), master_(masterOptions(&uuids_)) {}

std::string FakeCluster::addAgent(local::AgentConfig config) {
  local::Outbox out;
  Result<std::string> id = master_.addAgent(std::move(config), clock_.now(), out);
  KEEL_CHECK_MSG(id.has_value(), "FakeCluster::addAgent: bad agent config");
  deliver(out);
  return *id;
}

std::vector<std::string> FakeCluster::addAgents(int count, double cpus, double memMb) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    local::AgentConfig c;
    c.hostname = "host-" + std::to_string(i + 1);
    c.cpus = cpus;
    c.memMb = memMb;
    c.diskMb = 4096;
    c.ports = {31000 + 100 * static_cast<uint64_t>(i), 31099 + 100 * static_cast<uint64_t>(i)};
    ids.push_back(addAgent(c));
  }
  return ids;
}

std::string FakeCluster::subscribe(mesos::FrameworkInfo info) {
  streamId_ = "stream-" + std::to_string(++streams_);
  local::Outbox out;
  local::SubscribeOutcome outcome =
      master_.subscribe(mesos::makeSubscribe(std::move(info)), streamId_, clock_.now(), out);
  KEEL_CHECK_MSG(!outcome.frameworkId.empty(), "FakeCluster::subscribe: refused");
  frameworkId_ = outcome.frameworkId;
  deliver(out);
  // SUBSCRIBED and HEARTBEAT are the test's business, not queued.
  events_.erase(std::remove_if(events_.begin(), events_.end(),
                               [](const mesos::Event& e) {
                                 return e.type == mesos::Event::Type::kSubscribed ||
                                        e.type == mesos::Event::Type::kHeartbeat;
                               }),
                events_.end());
  return frameworkId_;
}

void FakeCluster::disconnect() {
  local::Outbox out;
  master_.streamClosed(streamId_, clock_.now(), out);
  deliver(out);
}

void FakeCluster::allocate() {
  local::Outbox out;
  master_.allocate(clock_.now(), out);
  deliver(out);
}

void FakeCluster::tick() {
  local::Outbox out;
  master_.tick(clock_.now(), out);
  deliver(out);
}

bool FakeCluster::sendTaskState(const std::string& taskId, mesos::TaskState state,
                                std::optional<int> checkExitCode, const std::string& message) {
  auto it = master_.tasks().find(frameworkId_ + "/" + taskId);
  if (it == master_.tasks().end()) return false;
  local::TaskEvent e;
  e.taskId = taskId;
  e.executorId = it->second.executorId;
  e.frameworkId = frameworkId_;
  e.state = std::string(mesos::enumName(state));
  e.message = message;
  e.source = "SOURCE_EXECUTOR";
  e.checkExitCode = checkExitCode;
  e.timestamp = clock_.now();
  e.uuid = "agent-update-" + std::to_string(++uuids_);
  std::string agentId = it->second.agentId, executorId = it->second.executorId;
  local::Outbox out;
  master_.taskEvent(agentId, e, clock_.now(), out);
  deliver(out);
  if (mesos::isTerminal(state)) exitIdleExecutor(agentId, executorId);
  return true;
}

// The default executor exits once none of its tasks is alive.
void FakeCluster::exitIdleExecutor(const std::string& agentId, const std::string& executorId) {
  for (const auto& [key, task] : master_.tasks()) {
    if (task.frameworkId == frameworkId_ && task.executorId == executorId &&
        !mesos::isTerminal(task.latest.state)) {
      return;
    }
  }
  local::ExecutorExited exited;
  exited.executorId = executorId;
  exited.frameworkId = frameworkId_;
  local::Outbox out;
  master_.executorExited(agentId, exited, clock_.now(), out);
  deliver(out);
}

void FakeCluster::agentDown(const std::string& agentId) {
  local::Outbox out;
  KEEL_CHECK(master_.agentDown(agentId, clock_.now(), out).isOk());
  deliver(out);
}

void FakeCluster::agentUp(const std::string& agentId) {
  local::Outbox out;
  KEEL_CHECK(master_.agentUp(agentId, clock_.now(), out).isOk());
  deliver(out);
}

void FakeCluster::removeAgent(const std::string& agentId) {
  local::Outbox out;
  KEEL_CHECK(master_.removeAgent(agentId, clock_.now(), out).isOk());
  deliver(out);
}

std::vector<mesos::Event> FakeCluster::takeEvents() {
  std::vector<mesos::Event> out(events_.begin(), events_.end());
  events_.clear();
  return out;
}

std::vector<std::string> FakeCluster::activeTaskIds() const {
  std::vector<std::string> ids;
  for (const auto& [key, task] : master_.tasks()) {
    if (task.frameworkId == frameworkId_ && !mesos::isTerminal(task.latest.state)) {
      ids.push_back(task.info.taskId.value);
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string FakeCluster::agentOf(const std::string& taskId) const {
  auto it = master_.tasks().find(frameworkId_ + "/" + taskId);
  return it == master_.tasks().end() ? std::string() : it->second.agentId;
}

std::vector<mesos::Call> FakeCluster::callsOf(mesos::Call::Type type) const {
  std::vector<mesos::Call> out;
  for (const mesos::Call& c : calls) {
    if (c.type == type) out.push_back(c);
  }
  return out;
}

Status FakeCluster::send(mesos::Call call) {
  calls.push_back(call);
  if (beforeCall) beforeCall(call);
  if (std::optional<local::HttpReply> bad = local::validateCall(call)) {
    return Status::invalidArgument("HTTP " + std::to_string(bad->status) + ": " + bad->body);
  }
  std::string agentId;
  if (call.accept && !call.accept->offerIds.empty()) {
    auto offer = master_.offers().find(call.accept->offerIds.front().value);
    if (offer != master_.offers().end()) agentId = offer->second.agentId;
  }
  local::Outbox out;
  local::HttpReply reply = master_.handleCall(call, streamId_, clock_.now(), out);
  master_.checkInvariants();
  deliver(out);
  if (reply.status / 100 != 2) {
    return Status::failedPrecondition("HTTP " + std::to_string(reply.status) + ": " + reply.body);
  }
  // An ACCEPT of offers no longer valid applies nothing (its launches are
  // TASK_DROPPED).
  if (call.accept && !agentId.empty()) recordAccepted(call, agentId);
  return Status::ok();
}

void FakeCluster::recordAccepted(const mesos::Call& call, const std::string& agentId) {
  for (const mesos::OfferOperation& op : call.accept->operations) {
    acceptedOperations.push_back({calls.size() - 1, agentId, op, clock_.now()});
  }
}

bool FakeCluster::rescindOffer(const std::string& offerId) {
  local::Outbox out;
  bool rescinded = master_.rescindOffer(offerId, out);
  deliver(out);
  return rescinded;
}

void FakeCluster::deliver(local::Outbox& out) {
  for (local::OutgoingEvent& e : out.events) {
    if (e.frameworkId == frameworkId_) events_.push_back(std::move(e.event));
  }
}

Status FakeCluster::accept(const std::vector<mesos::OfferID>& offerIds,
                           const std::vector<mesos::OfferOperation>& operations,
                           std::optional<mesos::Filters> filters) {
  return send(mesos::makeAccept(mesos::FrameworkID{frameworkId_}, offerIds, operations, filters));
}

Status FakeCluster::decline(const std::vector<mesos::OfferID>& offerIds, double refuseSeconds) {
  return send(mesos::makeDecline(mesos::FrameworkID{frameworkId_}, offerIds,
                                 mesos::refuseFor(refuseSeconds)));
}

Status FakeCluster::revive() { return send(mesos::makeRevive(mesos::FrameworkID{frameworkId_})); }

Status FakeCluster::suppress() {
  return send(mesos::makeSuppress(mesos::FrameworkID{frameworkId_}));
}

Status FakeCluster::kill(const mesos::TaskID& taskId,
                         const std::optional<mesos::AgentID>& agentId) {
  return send(mesos::makeKill(mesos::FrameworkID{frameworkId_}, taskId, agentId));
}

Status FakeCluster::acknowledge(const mesos::TaskStatus& status) {
  if (!status.uuid) return Status::ok();
  Result<mesos::Call> call = mesos::makeAcknowledge(mesos::FrameworkID{frameworkId_}, status);
  if (!call) return call.error();
  return send(std::move(*call));
}

Status FakeCluster::reconcile(const std::vector<mesos::Call::Reconcile::Task>& tasks) {
  return send(mesos::makeReconcile(mesos::FrameworkID{frameworkId_}, tasks));
}

Status FakeCluster::teardown() {
  return send(mesos::makeTeardown(mesos::FrameworkID{frameworkId_}));
}

}  // namespace keel::testing
