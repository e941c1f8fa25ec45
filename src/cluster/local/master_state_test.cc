// MasterState: accounting, offers, filters, operations, updates and
// reconciliation, driven step by step with explicit times; the accounting
// invariant is checked after every step.
#include "cluster/local/master_state.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cluster/local/resource_ops.h"
#include "keel/mesos/calls.h"
#include "keel/mesos/json.h"
#include "testing/paths.h"

namespace keel::local {
namespace {

using mesos::Event;
using mesos::TaskState;
using namespace std::chrono_literals;

std::string fixture(const std::string& name) {
  std::ifstream in(keel::testing::sharedDir() + "/fixtures/mesos-v1/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

class MasterStateTest : public ::testing::Test {
 protected:
  MasterStateTest() : master_(options()) {}

  static MasterOptions options() {
    MasterOptions o;
    o.masterId = "m";
    o.stateDir = "/tmp/keel-master-state-test";
    o.uuidBytes = [] {
      static int n = 0;
      std::string bytes(16, '\0');
      bytes[15] = static_cast<char>(++n);
      return bytes;
    };
    return o;
  }

  // Runs one step and checks the accounting invariant after it.
  template <typename F>
  Outbox step(F&& f) {
    Outbox out;
    f(out);
    master_.checkInvariants();
    return out;
  }

  std::string addAgent(double cpus = 2, double mem = 2048) {
    AgentConfig c;
    c.cpus = cpus;
    c.memMb = mem;
    c.diskMb = 4096;
    c.attributes = {{"rack", "r1"}};
    std::string id;
    step([&](Outbox& out) { id = *master_.addAgent(c, now_, out); });
    return id;
  }

  std::string subscribe(const std::string& request = "subscribe-request.json") {
    mesos::Call call = *mesos::callFromJson(fixture(request));
    SubscribeOutcome outcome;
    step([&](Outbox& out) { outcome = master_.subscribe(call, "stream-1", now_, out); });
    EXPECT_FALSE(outcome.frameworkId.empty());
    fw_ = outcome.frameworkId;
    return outcome.frameworkId;
  }

  std::vector<mesos::Offer> allocate() {
    Outbox out = step([&](Outbox& o) { master_.allocate(now_, o); });
    std::vector<mesos::Offer> offers;
    for (const OutgoingEvent& e : out.events) {
      if (e.event.type == Event::Type::kOffers) {
        offers.insert(offers.end(), e.event.offers->offers.begin(), e.event.offers->offers.end());
      }
    }
    return offers;
  }

  Outbox call(const std::string& json, int expectedStatus = 202) {
    mesos::Call c = *mesos::callFromJson(json);
    return step([&](Outbox& out) {
      HttpReply reply = master_.handleCall(c, std::string("stream-1"), now_, out);
      EXPECT_EQ(reply.status, expectedStatus) << reply.body;
    });
  }

  // A recorded call with the recording's ids replaced by ours.
  std::string recorded(const std::string& name, const std::string& offerId,
                       const std::string& agentId, const std::string& recordedOffer = "O0") {
    std::string text = fixture(name);
    replaceAll(text, "79047ba7-2a31-4224-9278-d451e3538a71-" + recordedOffer, offerId);
    replaceAll(text, "79047ba7-2a31-4224-9278-d451e3538a71-S0", agentId);
    replaceAll(text, "79047ba7-2a31-4224-9278-d451e3538a71-0000", fw_);
    return text;
  }

  static std::vector<mesos::TaskStatus> updates(const Outbox& out) {
    std::vector<mesos::TaskStatus> statuses;
    for (const OutgoingEvent& e : out.events) {
      if (e.event.type == Event::Type::kUpdate) statuses.push_back(e.event.update->status);
    }
    return statuses;
  }

  static std::vector<mesos::OperationStatus> operationUpdates(const Outbox& out) {
    std::vector<mesos::OperationStatus> statuses;
    for (const OutgoingEvent& e : out.events) {
      if (e.event.type == Event::Type::kUpdateOperationStatus) {
        statuses.push_back(e.event.updateOperationStatus->status);
      }
    }
    return statuses;
  }

  TaskEvent taskEvent(const std::string& taskId, const std::string& state) {
    TaskEvent e;
    e.taskId = taskId;
    e.executorId = taskId;
    e.frameworkId = fw_;
    e.state = state;
    e.source = "SOURCE_EXECUTOR";
    e.timestamp = now_;
    return e;
  }

  TimePoint now_ = fromEpochMillis(1767225600000);
  MasterState master_;
  std::string fw_;
};

TEST_F(MasterStateTest, OffersEachAgentsWholeResourcesOncePerRole) {
  std::string a1 = addAgent();
  std::string a2 = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  ASSERT_EQ(offers.size(), 2u);
  for (const mesos::Offer& offer : offers) {
    EXPECT_EQ(scalarSum(offer.resources, "cpus"), 2.0);
    EXPECT_EQ(scalarSum(offer.resources, "mem"), 2048.0);
    EXPECT_EQ(offer.allocationInfo->role, "hello-world-role");
    for (const mesos::Resource& r : offer.resources) {
      EXPECT_EQ(r.allocationInfo->role, "hello-world-role");
      EXPECT_FALSE(r.role.has_value());
    }
  }
  EXPECT_TRUE(allocate().empty()) << "everything is offered already";
  EXPECT_TRUE(isEmpty(master_.availableOn(a1)));
  EXPECT_TRUE(isEmpty(master_.availableOn(a2)));
}

TEST_F(MasterStateTest, LegacyFrameworkGetsRoleStarAndNoAllocationInfo) {
  addAgent();
  subscribe("subscribe-legacy.json");
  std::vector<mesos::Offer> offers = allocate();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_FALSE(offers[0].allocationInfo.has_value());
  for (const mesos::Resource& r : offers[0].resources) {
    EXPECT_EQ(r.role, "*");
    EXPECT_FALSE(r.allocationInfo.has_value());
  }
}

TEST_F(MasterStateTest, DeclineFiltersTheAgentForRefuseSecondsThenReoffers) {
  addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  ASSERT_EQ(offers.size(), 1u);
  std::string decline = recorded("decline.json", offers[0].id.value, offers[0].agentId.value, "O6");
  call(decline);
  EXPECT_TRUE(allocate().empty());
  now_ += 4900ms;
  step([&](Outbox& out) { master_.tick(now_, out); });
  EXPECT_TRUE(allocate().empty());
  now_ += 200ms;
  step([&](Outbox& out) { master_.tick(now_, out); });
  EXPECT_EQ(allocate().size(), 1u);
}

TEST_F(MasterStateTest, ReviveClearsFiltersAndSuppressStopsOffers) {
  addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  call(recorded("decline.json", offers[0].id.value, offers[0].agentId.value, "O6"));
  call(recorded("revive.json", "", ""));
  offers = allocate();
  ASSERT_EQ(offers.size(), 1u);
  call(recorded("suppress.json", "", ""));
  call(recorded("decline.json", offers[0].id.value, offers[0].agentId.value, "O6"));
  now_ += 10s;
  step([&](Outbox& out) { master_.tick(now_, out); });
  EXPECT_TRUE(allocate().empty());
  call(recorded("revive.json", "", ""));
  EXPECT_EQ(allocate().size(), 1u);
}

TEST_F(MasterStateTest, ReserveCreateLaunchConsumesTheOfferAndReportsOperations) {
  std::string agent = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  Outbox out = call(recorded("accept-reserve-create-launch.json", offers[0].id.value, agent));
  std::vector<mesos::OperationStatus> ops = operationUpdates(out);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].operationId->value, "reserve-383df91b");
  EXPECT_EQ(ops[0].state, mesos::OperationState::kOperationFinished);
  EXPECT_TRUE(ops[0].uuid.has_value());
  EXPECT_EQ(ops[1].operationId->value, "create-383df91b");
  ASSERT_EQ(out.commands.size(), 2u);
  EXPECT_EQ(out.commands[0].kind, AgentCommand::Kind::kCreateVolume);
  EXPECT_EQ(out.commands[0].path, "/tmp/keel-master-state-test/agents/" + agent +
                                      "/volumes/roles/hello-world-role/"
                                      "383df91b-e1fa-4a11-965c-fbfce2a9f6e3");
  ASSERT_EQ(out.commands[1].kind, AgentCommand::Kind::kLaunch);
  const LaunchRequest& launch = out.commands[1].launch;
  EXPECT_FALSE(launch.taskGroup);
  ASSERT_EQ(launch.tasks.size(), 1u);
  EXPECT_EQ(launch.tasks[0].cpus, 0.5);
  ASSERT_EQ(launch.tasks[0].volumes.size(), 1u);
  EXPECT_EQ(launch.tasks[0].volumes[0].containerPath, "data");
  EXPECT_EQ(launch.tasks[0].volumes[0].hostPath, out.commands[0].path);
  EXPECT_EQ(launch.tasks[0].killGracePeriod, Duration(3000));
  ASSERT_TRUE(launch.tasks[0].healthCheck.has_value());
  EXPECT_EQ(launch.tasks[0].healthCheck->interval, Seconds(2.0));

  // The unused rest is filtered for refuse_seconds (2 s) and then offered.
  EXPECT_TRUE(allocate().empty());
  now_ += 2s;
  step([&](Outbox& o) { master_.tick(now_, o); });
  offers = allocate();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_NEAR(scalarSum(offers[0].resources, "cpus"), 1.5, 1e-9);
  EXPECT_NEAR(scalarSum(offers[0].resources, "mem"), 1920.0, 1e-9);
  bool hasReservedDisk = false;
  for (const mesos::Resource& r : offers[0].resources) {
    if (r.name == "disk" && isReserved(r)) hasReservedDisk = true;
    EXPECT_FALSE(isPersistentVolume(r)) << "the volume is in use by the task";
  }
  EXPECT_TRUE(hasReservedDisk) << "the reserved 32 MB disk is offered back to the role";
}

TEST_F(MasterStateTest, StatusUpdatesAreSentOneAtATimeAndRetriedUntilAcknowledged) {
  std::string agent = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  call(recorded("accept-reserve-create-launch.json", offers[0].id.value, agent));
  std::string task = "hello-0-server__adf640a3-ba86-42b5-afbd-75ec3e44cfa9";
  Outbox out =
      step([&](Outbox& o) { master_.taskEvent(agent, taskEvent(task, "TASK_STARTING"), now_, o); });
  std::vector<mesos::TaskStatus> sent = updates(out);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].state, TaskState::kTaskStarting);
  ASSERT_TRUE(sent[0].uuid.has_value());
  EXPECT_EQ(sent[0].uuid->value.size(), 16u);
  EXPECT_EQ(sent[0].executorId->value, task);

  out =
      step([&](Outbox& o) { master_.taskEvent(agent, taskEvent(task, "TASK_RUNNING"), now_, o); });
  EXPECT_TRUE(updates(out).empty()) << "RUNNING waits for STARTING's acknowledgement";

  now_ += 10s;
  out = step([&](Outbox& o) { master_.tick(now_, o); });
  ASSERT_EQ(updates(out).size(), 1u);
  EXPECT_EQ(updates(out)[0].uuid, sent[0].uuid) << "the same update is retried";

  mesos::Call ack = *mesos::callFromJson(recorded("acknowledge-starting.json", "", agent));
  ack.acknowledge->taskId.value = task;
  ack.acknowledge->uuid = *sent[0].uuid;
  out = step([&](Outbox& o) { master_.handleCall(ack, std::string("stream-1"), now_, o); });
  ASSERT_EQ(updates(out).size(), 1u);
  EXPECT_EQ(updates(out)[0].state, TaskState::kTaskRunning);
}

// A status update and an acknowledgement change the task's record only: the
// checkpoint re-encodes the task, not its executor (forgetting a task names
// its executor, whose task ids change, when it has an executor record).
TEST_F(MasterStateTest, StatusUpdatesAndAcknowledgementsTrackOnlyTheirTask) {
  std::string agent = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  call(recorded("accept-reserve-create-launch.json", offers[0].id.value, agent));
  std::string task = "hello-0-server__adf640a3-ba86-42b5-afbd-75ec3e44cfa9";
  MasterState::Changes launched = master_.takeChanges();
  EXPECT_EQ(launched.executors.size(), 1u) << "the launch names the executor";
  using Keys = std::set<std::pair<std::string, std::string>>;
  Keys taskKey{{fw_, task}};

  Outbox out =
      step([&](Outbox& o) { master_.taskEvent(agent, taskEvent(task, "TASK_FINISHED"), now_, o); });
  MasterState::Changes update = master_.takeChanges();
  EXPECT_FALSE(update.all);
  EXPECT_EQ(update.tasks, taskKey);
  EXPECT_TRUE(update.executors.empty());

  std::vector<mesos::TaskStatus> sent = updates(out);
  ASSERT_EQ(sent.size(), 1u);
  mesos::Call ack = *mesos::callFromJson(recorded("acknowledge-starting.json", "", agent));
  ack.acknowledge->taskId.value = task;
  ack.acknowledge->uuid = *sent[0].uuid;
  step([&](Outbox& o) { master_.handleCall(ack, std::string("stream-1"), now_, o); });
  MasterState::Changes forgotten = master_.takeChanges();
  EXPECT_EQ(forgotten.tasks, taskKey) << "acknowledged and forgotten";
  EXPECT_TRUE(forgotten.executors.empty()) << "a command task has no executor record";
}

TEST_F(MasterStateTest, ForgettingATaskOfAnExecutorNamesTheExecutor) {
  std::string agent = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  mesos::Resource cpus = *mesos::decodeJson<mesos::Resource>(
      R"({"name":"cpus","type":"SCALAR","scalar":{"value":0.1},)"
      R"("allocation_info":{"role":"hello-world-role"}})");
  mesos::ExecutorInfo executor;
  executor.type = mesos::ExecutorInfo::Type::kDefault;
  executor.executorId = mesos::ExecutorID{"e1"};
  executor.frameworkId = mesos::FrameworkID{fw_};
  mesos::Resource mem = cpus;
  mem.name = "mem";
  mem.scalar->value = 32;
  mesos::Resource disk = mem;
  disk.name = "disk";
  executor.resources = {cpus, mem, disk};
  mesos::TaskGroupInfo group;
  group.tasks.emplace_back();
  mesos::TaskInfo& task = group.tasks.back();
  task.name = "t1";
  task.taskId = mesos::TaskID{"t1"};
  task.agentId = mesos::AgentID{agent};
  task.resources = {cpus};
  task.command = mesos::CommandInfo{};
  task.command->value = "sleep 1";
  mesos::OfferOperation launch = mesos::makeLaunchGroup(executor, group);
  mesos::Call accept = mesos::makeAccept(mesos::FrameworkID{fw_}, {offers[0].id}, {launch});
  Outbox launched = step([&](Outbox& o) {
    HttpReply reply = master_.handleCall(accept, std::string("stream-1"), now_, o);
    EXPECT_EQ(reply.status, 202) << reply.body;
  });
  ASSERT_EQ(master_.executors().count(fw_ + "/e1"), 1u)
      << (updates(launched).empty() ? "" : updates(launched)[0].message.value_or(""));
  (void)master_.takeChanges();

  TaskEvent finished = taskEvent("t1", "TASK_FINISHED");
  finished.executorId = "e1";
  Outbox out = step([&](Outbox& o) { master_.taskEvent(agent, finished, now_, o); });
  EXPECT_TRUE(master_.takeChanges().executors.empty()) << "a status update";
  std::vector<mesos::TaskStatus> sent = updates(out);
  ASSERT_EQ(sent.size(), 1u);
  mesos::Call ack = *mesos::callFromJson(recorded("acknowledge-starting.json", "", agent));
  ack.acknowledge->taskId.value = "t1";
  ack.acknowledge->uuid = *sent[0].uuid;
  step([&](Outbox& o) { master_.handleCall(ack, std::string("stream-1"), now_, o); });
  MasterState::Changes forgotten = master_.takeChanges();
  EXPECT_EQ(forgotten.executors, (std::set<std::pair<std::string, std::string>>{{fw_, "e1"}}));
  EXPECT_TRUE(master_.executors().at(fw_ + "/e1").taskIds.empty());
}

TEST_F(MasterStateTest, ReconciliationAnswersKnownAndUnknownTasksWithoutUuid) {
  std::string agent = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  call(recorded("accept-reserve-create-launch.json", offers[0].id.value, agent));
  std::string task = "hello-0-server__adf640a3-ba86-42b5-afbd-75ec3e44cfa9";
  step([&](Outbox& o) { master_.taskEvent(agent, taskEvent(task, "TASK_RUNNING"), now_, o); });
  Outbox out = call(recorded("reconcile-explicit.json", "", agent));
  std::vector<mesos::TaskStatus> answers = updates(out);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].state, TaskState::kTaskRunning);
  EXPECT_EQ(answers[0].reason, mesos::TaskStatus::Reason::kReasonReconciliation);
  EXPECT_EQ(answers[0].source, mesos::TaskStatus::Source::kSourceMaster);
  EXPECT_FALSE(answers[0].uuid.has_value());
  EXPECT_EQ(answers[1].state, TaskState::kTaskUnknown);
  EXPECT_EQ(answers[1].message, "Reconciliation: Task is unknown");
  EXPECT_FALSE(answers[1].uuid.has_value());
  out = call(recorded("reconcile-implicit.json", "", agent));
  EXPECT_EQ(updates(out).size(), 1u);
}

TEST_F(MasterStateTest, InvalidOffersDropTheLaunchAndErrorTheOperations) {
  std::string agent = addAgent();
  subscribe();
  allocate();
  Outbox out = call(recorded("accept-reserve-create-launch.json", "m-O99", agent));
  std::vector<mesos::TaskStatus> statuses = updates(out);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].state, TaskState::kTaskDropped);
  EXPECT_EQ(statuses[0].reason, mesos::TaskStatus::Reason::kReasonInvalidOffers);
  EXPECT_EQ(statuses[0].message,
            "Task launched with invalid offers: Offer m-O99 is no longer valid");
  std::vector<mesos::OperationStatus> ops = operationUpdates(out);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].state, mesos::OperationState::kOperationError);
}

TEST_F(MasterStateTest, TaskAskingForMoreThanTheOfferIsTaskError) {
  std::string agent = addAgent(0.25, 2048);
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  ASSERT_EQ(offers.size(), 1u);
  std::string accept = recorded("accept-reserve-create-launch.json", offers[0].id.value, agent);
  Outbox out = call(accept);
  std::vector<mesos::OperationStatus> ops = operationUpdates(out);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].state, mesos::OperationState::kOperationError) << "0.5 cpus > 0.25";
  std::vector<mesos::TaskStatus> statuses = updates(out);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].state, TaskState::kTaskError);
  EXPECT_EQ(statuses[0].reason, mesos::TaskStatus::Reason::kReasonTaskInvalid);
  EXPECT_NE(statuses[0].message->find("is more than available"), std::string::npos);
}

TEST_F(MasterStateTest, DestroyAndUnreserveGiveTheDiskBackUnreserved) {
  std::string agent = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  std::string accept = recorded("accept-reserve-create-launch.json", offers[0].id.value, agent);
  mesos::Call c = *mesos::callFromJson(accept);
  c.accept->operations.pop_back();  // no launch: the volume stays free
  call(mesos::toJson(c));
  now_ += 3s;
  step([&](Outbox& o) { master_.tick(now_, o); });
  offers = allocate();
  ASSERT_EQ(offers.size(), 1u);
  Outbox out = call(recorded("accept-destroy-unreserve.json", offers[0].id.value, agent, "O5"));
  std::vector<mesos::OperationStatus> ops = operationUpdates(out);
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].state, mesos::OperationState::kOperationFinished) << ops[0].message.value_or("");
  EXPECT_EQ(ops[1].state, mesos::OperationState::kOperationFinished) << ops[1].message.value_or("");
  ASSERT_EQ(out.commands.size(), 1u);
  EXPECT_EQ(out.commands[0].kind, AgentCommand::Kind::kDestroyVolume);
  for (const mesos::Resource& r : master_.agents().at(agent).total) EXPECT_FALSE(isReserved(r));
  EXPECT_EQ(scalarSum(master_.agents().at(agent).total, "disk"), 4096.0);
}

TEST_F(MasterStateTest, AgentDownRescindsOffersAndReportsTasksUnreachable) {
  std::string agent = addAgent();
  subscribe();
  std::vector<mesos::Offer> offers = allocate();
  call(recorded("accept-reserve-create-launch.json", offers[0].id.value, agent));
  now_ += 3s;
  step([&](Outbox& o) { master_.tick(now_, o); });
  ASSERT_EQ(allocate().size(), 1u);
  Outbox out = step([&](Outbox& o) { ASSERT_TRUE(master_.agentDown(agent, now_, o).isOk()); });
  bool rescinded = false;
  for (const OutgoingEvent& e : out.events) rescinded |= e.event.type == Event::Type::kRescind;
  EXPECT_TRUE(rescinded);
  ASSERT_EQ(updates(out).size(), 1u);
  EXPECT_EQ(updates(out)[0].state, TaskState::kTaskUnreachable);
  EXPECT_TRUE(allocate().empty());
  out = step([&](Outbox& o) { ASSERT_TRUE(master_.agentUp(agent, now_, o).isOk()); });
  ASSERT_EQ(updates(out).size(), 1u);
  EXPECT_EQ(updates(out)[0].state, TaskState::kTaskGone);
  offers = allocate();
  ASSERT_EQ(offers.size(), 1u);
  bool volume = false;
  for (const mesos::Resource& r : offers[0].resources) volume |= isPersistentVolume(r);
  EXPECT_TRUE(volume) << "the agent comes back with its volume";
}

TEST_F(MasterStateTest, DisconnectedFrameworkIsTornDownAfterFailoverTimeout) {
  addAgent();
  subscribe();
  allocate();
  step([&](Outbox& o) { master_.streamClosed("stream-1", now_, o); });
  EXPECT_TRUE(master_.offers().empty());
  now_ += std::chrono::seconds(1209599);
  step([&](Outbox& o) { master_.tick(now_, o); });
  EXPECT_EQ(master_.frameworks().count(fw_), 1u);
  now_ += 1s;
  step([&](Outbox& o) { master_.tick(now_, o); });
  EXPECT_EQ(master_.frameworks().count(fw_), 0u);
  EXPECT_EQ(master_.removedFrameworks().count(fw_), 1u);
  mesos::Call again = *mesos::callFromJson(fixture("subscribe-removed-framework.json"));
  again.frameworkId = mesos::FrameworkID{fw_};
  again.subscribe->frameworkInfo.id = mesos::FrameworkID{fw_};
  SubscribeOutcome outcome;
  step([&](Outbox& o) { outcome = master_.subscribe(again, "stream-2", now_, o); });
  ASSERT_EQ(outcome.initial.size(), 1u);
  EXPECT_EQ(outcome.initial[0].error->message, "Framework has been removed");
}

TEST_F(MasterStateTest, HeartbeatsFollowTheInterval) {
  subscribe();
  now_ += 14s;
  EXPECT_TRUE(step([&](Outbox& o) { master_.tick(now_, o); }).events.empty());
  now_ += 1s;
  Outbox out = step([&](Outbox& o) { master_.tick(now_, o); });
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].event.type, Event::Type::kHeartbeat);
}

TEST_F(MasterStateTest, CallsOfUnknownOrUnsubscribedFrameworksAreRefused) {
  subscribe();
  mesos::Call revive = *mesos::callFromJson(fixture("err-unknown-framework.json"));
  Outbox out;
  EXPECT_EQ(master_.handleCall(revive, std::string("stream-1"), now_, out).body,
            "Framework cannot be found");
  revive.frameworkId = mesos::FrameworkID{fw_};
  EXPECT_EQ(master_.handleCall(revive, std::nullopt, now_, out).body,
            "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
  EXPECT_EQ(master_.handleCall(revive, std::string("other"), now_, out).status, 400);
  master_.streamClosed("stream-1", now_, out);
  HttpReply reply = master_.handleCall(revive, std::string("stream-1"), now_, out);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.body, "Framework is not subscribed");
}

TEST_F(MasterStateTest, AgentsAddedWithoutAHostnameGetDistinctLoopbackAddresses) {
  AgentConfig named;
  named.hostname = "127.0.0.1";
  step([&](Outbox& out) { ASSERT_TRUE(master_.addAgent(named, now_, out)); });
  std::string second = addAgent();
  std::string third = addAgent();
  EXPECT_EQ(master_.agents().at(second).config.hostname, "127.0.0.2");
  EXPECT_EQ(master_.agents().at(third).config.hostname, "127.0.0.3");
}

TEST_F(MasterStateTest, ChangesNameTheTaskOfAStatusUpdateAndOtherwiseEverything) {
  std::string agent = addAgent();
  subscribe();
  EXPECT_TRUE(master_.takeChanges().all);
  std::vector<mesos::Offer> offers = allocate();
  call(recorded("accept-reserve-create-launch.json", offers[0].id.value, agent));
  MasterState::Changes accepted = master_.takeChanges();
  std::string task = "hello-0-server__adf640a3-ba86-42b5-afbd-75ec3e44cfa9";
  std::string fw = fw_;
  EXPECT_FALSE(accepted.all);
  EXPECT_EQ(accepted.agents, std::set<std::string>{agent}) << "its reservation and volume";
  EXPECT_EQ(accepted.tasks.count({fw, task}), 1u);
  EXPECT_EQ(accepted.executors.count({fw, task}), 1u);

  step([&](Outbox& o) { master_.taskEvent(agent, taskEvent(task, "TASK_RUNNING"), now_, o); });
  MasterState::Changes updated = master_.takeChanges();
  EXPECT_FALSE(updated.all);
  EXPECT_TRUE(updated.agents.empty());
  EXPECT_EQ(updated.tasks, (std::set<std::pair<std::string, std::string>>{{fw, task}}));

  step([&](Outbox& o) { ASSERT_TRUE(master_.agentDown(agent, now_, o)); });
  EXPECT_TRUE(master_.takeChanges().all);
}

}  // namespace
}  // namespace keel::local
