#include "keel/mesos/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "cluster/mesos/client_fake_master.h"
#include "keel/mesos/json.h"
#include "keel/mesos/recordio.h"
#include "testing/paths.h"

namespace keel::mesos {
namespace {

using std::chrono::milliseconds;
using testing::FakeMaster;
using testing::RecordedRequest;
using testing::SubscribeScript;

const std::filesystem::path kFixtures =
    std::filesystem::path(keel::testing::sharedDir()) / "fixtures/mesos-v1";
constexpr const char* kRecordedFrameworkId = "79047ba7-2a31-4224-9278-d451e3538a71-0000";

std::string fixture(const std::string& name) {
  std::ifstream in(kFixtures / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Polls `done` every 2 ms until it holds or `timeout` passes.
bool waitFor(const std::function<bool()>& done, milliseconds timeout = milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

// What the listener saw, in order.
class Recorder {
 public:
  MesosClientListener listener() {
    MesosClientListener l;
    l.onSubscribed = [this](const FrameworkID& id, Duration heartbeat) {
      std::lock_guard lock(mu_);
      subscriptions_.emplace_back(id.value, heartbeat);
      log_.push_back("subscribed:" + id.value);
    };
    l.onEvent = [this](const Event& event) {
      std::lock_guard lock(mu_);
      events_.push_back(event);
      log_.push_back("event:" + std::string(enumName(event.type.value_or(Event::Type::kUnknown))));
    };
    l.onDisconnected = [this](const Status& reason) {
      std::lock_guard lock(mu_);
      disconnects_.push_back(reason);
      log_.push_back("disconnected");
    };
    l.onFailed = [this](const Status& error) {
      std::lock_guard lock(mu_);
      failures_.push_back(error);
      log_.push_back("failed");
    };
    return l;
  }

  size_t subscriptionCount() const { return locked(subscriptions_).size(); }
  std::vector<std::pair<std::string, Duration>> subscriptions() const {
    return locked(subscriptions_);
  }
  std::vector<Event> events() const { return locked(events_); }
  std::vector<Status> disconnects() const { return locked(disconnects_); }
  std::vector<Status> failures() const { return locked(failures_); }
  std::vector<std::string> log() const { return locked(log_); }

 private:
  template <typename T>
  T locked(const T& value) const {
    std::lock_guard lock(mu_);
    return value;
  }
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, Duration>> subscriptions_;
  std::vector<Event> events_;
  std::vector<Status> disconnects_;
  std::vector<Status> failures_;
  std::vector<std::string> log_;
};

MesosClientConfig fastConfig(const std::string& url) {
  MesosClientConfig config;
  config.masterUrl = url;
  config.framework =
      defaultFrameworkInfo("hello-world", "root", {"hello-world-role"}, "hello-world-principal");
  config.backoff = {
      .initial = milliseconds(5), .factor = 2.0, .max = milliseconds(40), .jitter = 0.5, .seed = 1};
  config.timeouts.subscribeTimeout = milliseconds(2000);
  config.connectTimeout = milliseconds(1000);
  config.callTimeout = milliseconds(2000);
  config.streamReadTimeout = milliseconds(5000);
  return config;
}

std::unique_ptr<MesosClient> makeClient(MesosClientConfig config, Recorder& recorder) {
  Result<std::unique_ptr<MesosClient>> client =
      MesosClient::create(std::move(config), recorder.listener());
  EXPECT_TRUE(client.has_value()) << client.error();
  return std::move(client).value();
}

SubscribeScript heartbeating(milliseconds every) {
  SubscribeScript script;
  script.heartbeatSeconds = static_cast<double>(every.count()) / 1000.0;
  script.heartbeatEvery = every;
  return script;
}

Call::Reconcile::Task reconcileTask(std::string taskId) {
  Call::Reconcile::Task task;
  task.taskId = TaskID{std::move(taskId)};
  return task;
}

TEST(MesosClient, SubscribesWithJsonHeadersAndTheDefaultFrameworkInfo) {
  FakeMaster master;
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));

  std::vector<RecordedRequest> subscribes = master.requestsOfType("SUBSCRIBE");
  ASSERT_EQ(subscribes.size(), 1u);
  const RecordedRequest& req = subscribes[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/api/v1/scheduler");
  EXPECT_EQ(req.contentType, "application/json");
  EXPECT_EQ(req.accept, "application/json");
  EXPECT_FALSE(req.streamId.has_value());
  EXPECT_FALSE(req.authorization.has_value());
  Result<Call> call = callFromJson(req.body);
  ASSERT_TRUE(call.has_value()) << call.error();
  EXPECT_FALSE(call->frameworkId.has_value());
  ASSERT_TRUE(call->subscribe.has_value());
  const FrameworkInfo& info = call->subscribe->frameworkInfo;
  EXPECT_FALSE(info.id.has_value());
  EXPECT_EQ(info.failoverTimeout, 1209600.0);
  EXPECT_EQ(info.checkpoint, true);
  EXPECT_EQ(info.roles, std::vector<std::string>{"hello-world-role"});
  using Capability = FrameworkInfo::Capability::Type;
  for (Capability c :
       {Capability::kMultiRole, Capability::kReservationRefinement, Capability::kPartitionAware}) {
    EXPECT_TRUE(hasCapability(info, c)) << enumName(c);
  }
  EXPECT_EQ(client->streamId(), master.currentStreamId());
  EXPECT_EQ(client->frameworkId(), FrameworkID{"fw-1"});
}

TEST(MesosClient, DeliversTheRecordedStreamCutIntoOddChunksInOrder) {
  FakeMaster master;
  master.setChunkSizes({1, 2, 5, 3, 17, 250});
  SubscribeScript recorded;
  recorded.rawStream = fixture("subscribe-stream-head.recordio");
  master.script(recorded);
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return recorder.events().size() == 3; }));
  EXPECT_EQ(recorder.log(),
            (std::vector<std::string>{"subscribed:" + std::string(kRecordedFrameworkId),
                                      "event:SUBSCRIBED", "event:HEARTBEAT", "event:OFFERS"}));
  EXPECT_EQ(recorder.subscriptions()[0].second, milliseconds(15000));
  EXPECT_EQ(recorder.events()[0], eventFromJson(fixture("event-subscribed.json")).value());
  EXPECT_EQ(recorder.events()[2], eventFromJson(fixture("event-offers.json")).value());

  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kFixtures)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("event-") && name != "event-subscribed.json" &&
        !name.starts_with("event-error")) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) master.push(fixture(name));
  ASSERT_TRUE(waitFor([&] { return recorder.events().size() == 3 + names.size(); }));
  std::vector<Event> events = recorder.events();
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(events[3 + i], eventFromJson(fixture(names[i])).value()) << names[i];
  }
}

TEST(MesosClient, CallsCarryTheStreamIdAndFrameworkIdOnAConnectionOfTheirOwn) {
  FakeMaster master;
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));

  ASSERT_TRUE(client->decline({OfferID{"o-1"}}, 5.0).isOk());
  ASSERT_TRUE(client->reconcile().isOk());
  ASSERT_TRUE(client->reconcile({reconcileTask("t-1")}).isOk());
  ASSERT_TRUE(client->revive({"hello-world-role"}).isOk());
  ASSERT_TRUE(client->suppress({"hello-world-role"}).isOk());
  ASSERT_TRUE(client->kill(TaskID{"t-1"}, AgentID{"a-1"}).isOk());
  ASSERT_TRUE(client->teardown().isOk());

  int subscribePort = master.requestsOfType("SUBSCRIBE").at(0).remotePort;
  std::vector<std::string> types;
  for (const RecordedRequest& req : master.requests()) {
    if (req.callType == "SUBSCRIBE") continue;
    types.push_back(req.callType);
    EXPECT_EQ(req.contentType, "application/json") << req.callType;
    EXPECT_EQ(req.streamId, master.currentStreamId()) << req.callType;
    EXPECT_NE(req.remotePort, subscribePort) << req.callType;
    Result<Call> call = callFromJson(req.body);
    ASSERT_TRUE(call.has_value()) << call.error();
    EXPECT_EQ(call->frameworkId, FrameworkID{"fw-1"}) << req.callType;
  }
  EXPECT_EQ(types, (std::vector<std::string>{"DECLINE", "RECONCILE", "RECONCILE", "REVIVE",
                                             "SUPPRESS", "KILL", "TEARDOWN"}));
  Call decline = callFromJson(master.requestsOfType("DECLINE")[0].body).value();
  EXPECT_EQ(decline.decline->filters->refuseSeconds, 5.0);
  Call implicit = callFromJson(master.requestsOfType("RECONCILE")[0].body).value();
  EXPECT_TRUE(implicit.reconcile->tasks.empty());
}

TEST(MesosClient, CallFailuresCarryTheHttpCodeAndTheMastersReason) {
  FakeMaster master;
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));

  master.answerCalls(400, "Failed to validate scheduler::Call: Expecting 'accept' to be present");
  Status bad = client->revive();
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("HTTP 400"), std::string::npos) << bad;
  EXPECT_NE(bad.message().find("Expecting 'accept' to be present"), std::string::npos) << bad;

  master.answerCalls(503, "Master has not finished recovery");
  EXPECT_EQ(client->revive().code(), StatusCode::kUnavailable);
  master.answerCalls(403, "Framework is not subscribed");
  EXPECT_EQ(client->revive().code(), StatusCode::kFailedPrecondition);
  master.answerCalls(200);
  EXPECT_EQ(client->revive().code(), StatusCode::kFailedPrecondition)
      << "200 is only for UPDATE_FRAMEWORK";
  FrameworkInfo renamed =
      defaultFrameworkInfo("renamed", "root", {"hello-world-role", "other-role"});
  EXPECT_TRUE(client->updateFramework(renamed, {"other-role"}).isOk());
  Call update = callFromJson(master.requestsOfType("UPDATE_FRAMEWORK").at(0).body).value();
  EXPECT_EQ(update.updateFramework->frameworkInfo.id, FrameworkID{"fw-1"});
  EXPECT_EQ(update.updateFramework->suppressedRoles, std::vector<std::string>{"other-role"});
}

TEST(MesosClient, CallsBeforeSubscribingFailWithoutARequest) {
  FakeMaster master;
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  Status status = client->revive();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("not subscribed"), std::string::npos) << status;
  Call subscribe;
  subscribe.type = Call::Type::kSubscribe;
  EXPECT_EQ(client->send(subscribe).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(master.requests().empty());
}

TEST(MesosClient, SendsBasicAuthenticationOnSubscribeAndCalls) {
  FakeMaster master;
  // base64("hello-world-principal:s3cret")
  const std::string expected = "Basic aGVsbG8td29ybGQtcHJpbmNpcGFsOnMzY3JldA==";
  master.requireAuthorization(expected);
  Recorder recorder;
  MesosClientConfig config = fastConfig(master.url());
  config.credential = MesosCredential{"hello-world-principal", "s3cret"};
  auto client = makeClient(config, recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));
  ASSERT_TRUE(client->revive().isOk());
  for (const RecordedRequest& req : master.requests()) {
    EXPECT_EQ(req.authorization, expected) << req.callType;
  }
}

TEST(MesosClient, A401StopsTheClientWithAnAuthenticationError) {
  FakeMaster master;
  master.requireAuthorization("Basic aGVsbG8td29ybGQtcHJpbmNpcGFsOnMzY3JldA==");
  Recorder recorder;
  MesosClientConfig config = fastConfig(master.url());
  config.credential = MesosCredential{"hello-world-principal", "wrong"};
  auto client = makeClient(config, recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return recorder.failures().size() == 1; }));
  EXPECT_EQ(client->state(), ConnectionState::kFailed);
  Status error = recorder.failures()[0];
  EXPECT_NE(error.message().find("authentication failed"), std::string::npos) << error;
  EXPECT_EQ(client->lastError(), error);
  EXPECT_EQ(master.requestsOfType("SUBSCRIBE").size(), 1u);
  EXPECT_EQ(recorder.subscriptionCount(), 0u);
}

TEST(MesosClient, ADroppedStreamIsResubscribedWithTheFrameworkId) {
  FakeMaster master;
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));
  std::string firstStream = client->streamId();

  master.dropStreams();
  ASSERT_TRUE(waitFor([&] { return recorder.subscriptionCount() == 2; }));
  EXPECT_EQ(recorder.disconnects().size(), 1u);
  std::vector<RecordedRequest> subscribes = master.requestsOfType("SUBSCRIBE");
  ASSERT_EQ(subscribes.size(), 2u);
  Call again = callFromJson(subscribes[1].body).value();
  EXPECT_EQ(again.frameworkId, FrameworkID{"fw-1"});
  EXPECT_EQ(again.subscribe->frameworkInfo.id, FrameworkID{"fw-1"});
  EXPECT_FALSE(subscribes[1].streamId.has_value());

  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));
  EXPECT_NE(client->streamId(), firstStream);
  ASSERT_TRUE(client->revive().isOk());
  EXPECT_EQ(master.requestsOfType("REVIVE").at(0).streamId, master.currentStreamId());
}

TEST(MesosClient, AConfiguredFrameworkIdIsUsedOnTheFirstSubscribe) {
  FakeMaster master;
  Recorder recorder;
  MesosClientConfig config = fastConfig(master.url());
  config.framework.id = FrameworkID{"fw-earlier"};
  auto client = makeClient(config, recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return recorder.subscriptionCount() == 1; }));
  EXPECT_EQ(recorder.subscriptions()[0].first, "fw-earlier");
  Call first = callFromJson(master.requestsOfType("SUBSCRIBE").at(0).body).value();
  EXPECT_EQ(first.frameworkId, FrameworkID{"fw-earlier"});
  EXPECT_EQ(first.subscribe->frameworkInfo.id, FrameworkID{"fw-earlier"});
}

TEST(MesosClient, FollowsA307ToTheLeadingMaster) {
  FakeMaster leader;
  FakeMaster standby;
  SubscribeScript redirect;
  redirect.status = 307;
  redirect.location = "//127.0.0.1:" + std::to_string(leader.port()) + "/api/v1/scheduler";
  standby.setFallback(redirect);
  Recorder recorder;
  auto client = makeClient(fastConfig(standby.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));
  EXPECT_EQ(client->master().url(), leader.url() + "/api/v1/scheduler");
  ASSERT_TRUE(client->revive().isOk());
  EXPECT_EQ(standby.requestsOfType("SUBSCRIBE").size(), 1u);
  EXPECT_EQ(leader.requestsOfType("SUBSCRIBE").size(), 1u);
  EXPECT_EQ(leader.requestsOfType("REVIVE").size(), 1u);
  EXPECT_TRUE(standby.requestsOfType("REVIVE").empty());
}

TEST(MesosClient, RetriesA503UntilTheMasterAccepts) {
  FakeMaster master;
  SubscribeScript recovering;
  recovering.status = 503;
  recovering.body = "Master has not finished recovery";
  master.script(recovering);
  master.script(recovering);
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));
  EXPECT_EQ(master.requestsOfType("SUBSCRIBE").size(), 3u);
  EXPECT_TRUE(recorder.failures().empty());
  EXPECT_TRUE(recorder.disconnects().empty());
}

TEST(MesosClient, MissingHeartbeatsMeanADeadConnectionAndAResubscription) {
  FakeMaster master;
  master.setFallback(heartbeating(milliseconds(10)));
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] {
    std::vector<Event> events = recorder.events();
    return std::count_if(events.begin(), events.end(),
                         [](const Event& e) { return e.type == Event::Type::kHeartbeat; }) >= 3;
  }));
  EXPECT_TRUE(recorder.disconnects().empty());

  master.silenceStreams();
  ASSERT_TRUE(waitFor([&] { return recorder.subscriptionCount() == 2; }));
  ASSERT_EQ(recorder.disconnects().size(), 1u);
  EXPECT_NE(recorder.disconnects()[0].message().find("heartbeat"), std::string::npos)
      << recorder.disconnects()[0];
  Call again = callFromJson(master.requestsOfType("SUBSCRIBE").at(1).body).value();
  EXPECT_EQ(again.frameworkId, FrameworkID{"fw-1"});
}

TEST(MesosClient, ASlowCallbackDoesNotMakeALiveConnectionLookDead) {
  FakeMaster master;
  master.setFallback(heartbeating(milliseconds(10)));
  std::atomic<int> heartbeats{0};
  std::atomic<int> disconnects{0};
  MesosClientListener listener;
  listener.onEvent = [&](const Event& event) {
    if (event.type != Event::Type::kHeartbeat) return;
    // The scheduler being busy, not synchronisation: ten heartbeat intervals
    // pass and their heartbeats queue up meanwhile.
    if (++heartbeats == 1) std::this_thread::sleep_for(milliseconds(100));
  };
  listener.onDisconnected = [&](const Status&) { ++disconnects; };
  Result<std::unique_ptr<MesosClient>> client =
      MesosClient::create(fastConfig(master.url()), std::move(listener));
  ASSERT_TRUE(client.has_value()) << client.error();
  (*client)->start();
  ASSERT_TRUE(waitFor([&] { return heartbeats >= 15; }));
  EXPECT_EQ(disconnects, 0);
  EXPECT_EQ(master.requestsOfType("SUBSCRIBE").size(), 1u);
}

TEST(MesosClient, AnErrorEventIsDeliveredAndStopsTheClient) {
  FakeMaster master;
  SubscribeScript removed;
  removed.rawStream = encodeRecordIo(fixture("event-error-framework-removed.json"));
  master.script(removed);
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return recorder.failures().size() == 1; }));
  EXPECT_EQ(recorder.log(), (std::vector<std::string>{"event:ERROR", "failed"}));
  EXPECT_NE(recorder.failures()[0].message().find("Framework has been removed"), std::string::npos)
      << recorder.failures()[0];
  EXPECT_EQ(client->state(), ConnectionState::kFailed);
}

TEST(MesosClient, AnUndecodableRecordEndsTheStreamAndTheClientResubscribes) {
  FakeMaster master;
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));
  master.push("{not json");
  ASSERT_TRUE(waitFor([&] { return recorder.subscriptionCount() == 2; }));
  ASSERT_EQ(recorder.disconnects().size(), 1u);
  EXPECT_NE(recorder.disconnects()[0].message().find("undecodable event"), std::string::npos)
      << recorder.disconnects()[0];
}

TEST(MesosClient, StopClosesTheStreamAndStartSubscribesAgain) {
  FakeMaster master;
  master.setFallback(heartbeating(milliseconds(10)));  // writes reveal the closed connection
  Recorder recorder;
  auto client = makeClient(fastConfig(master.url()), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kSubscribed; }));
  client->stop();
  EXPECT_EQ(client->state(), ConnectionState::kStopped);
  EXPECT_TRUE(waitFor([&] { return master.openStreams() == 0; }));
  size_t seen = recorder.log().size();
  EXPECT_TRUE(recorder.disconnects().empty());

  client->start();
  ASSERT_TRUE(waitFor([&] { return recorder.subscriptionCount() == 2; }));
  EXPECT_GT(recorder.log().size(), seen);
  EXPECT_EQ(callFromJson(master.requestsOfType("SUBSCRIBE").at(1).body)->frameworkId,
            FrameworkID{"fw-1"});
}

TEST(MesosClient, AnUnreachableMasterIsRetriedWithBackoff) {
  int port;
  {
    FakeMaster gone;
    port = gone.port();
  }
  Recorder recorder;
  auto client = makeClient(fastConfig("http://127.0.0.1:" + std::to_string(port)), recorder);
  client->start();
  ASSERT_TRUE(waitFor([&] { return client->state() == ConnectionState::kBackingOff; }));
  EXPECT_EQ(client->lastError().code(), StatusCode::kUnavailable) << client->lastError();
  EXPECT_TRUE(recorder.failures().empty());
}

TEST(MesosClient, RefusesAMasterUrlThatDoesNotParse) {
  Recorder recorder;
  MesosClientConfig config = fastConfig("zk://zk1:2181/mesos");
  Result<std::unique_ptr<MesosClient>> client = MesosClient::create(config, recorder.listener());
  ASSERT_FALSE(client.has_value());
  EXPECT_EQ(client.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace keel::mesos
