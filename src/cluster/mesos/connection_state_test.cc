#include "keel/mesos/connection_state.h"

#include <gtest/gtest.h>

#include <sstream>

#include "testing/manual_clock.h"

namespace keel::mesos {
namespace {

using std::chrono::milliseconds;

ConnectionConfig testConfig() {
  ConnectionConfig config;
  config.master = parseMasterUrl("http://m1:5050").value();
  config.backoff = {.initial = milliseconds(100),
                    .factor = 2.0,
                    .max = milliseconds(1000),
                    .jitter = 0.0,
                    .seed = 1};
  config.timeouts = {.missedHeartbeats = 5,
                     .defaultHeartbeatInterval = milliseconds(300),
                     .subscribeTimeout = milliseconds(2000),
                     .maxRedirects = 2};
  return config;
}

// One compact word per action: "open#2@http://m2:5051/api/v1/scheduler[fw-1]",
// "close#1", "subscribed#1[fw-1,100ms]", "disconnected#1", "failed#1".
std::string describe(const ConnectionAction& a) {
  std::ostringstream out;
  switch (a.kind) {
    case ConnectionAction::Kind::kOpenStream:
      out << "open#" << a.attempt << "@" << a.endpoint.url();
      if (a.frameworkId) out << "[" << *a.frameworkId << "]";
      break;
    case ConnectionAction::Kind::kCloseStream:
      out << "close#" << a.attempt;
      break;
    case ConnectionAction::Kind::kSubscribed:
      out << "subscribed#" << a.attempt << "[" << a.frameworkId.value_or("?") << ","
          << a.heartbeatInterval.count() << "ms]";
      break;
    case ConnectionAction::Kind::kDisconnected:
      out << "disconnected#" << a.attempt;
      break;
    case ConnectionAction::Kind::kFailed:
      out << "failed#" << a.attempt;
      break;
  }
  return out.str();
}

struct Step {
  milliseconds advance{0};
  ConnectionInput input;
};

Step at(int ms, ConnectionInput input) { return {milliseconds(ms), std::move(input)}; }
Step now(ConnectionInput input) { return {milliseconds(0), std::move(input)}; }
ResponseInput code(uint64_t attempt, int status, std::string body = "") {
  ResponseInput in;
  in.attempt = attempt;
  in.status = status;
  in.body = std::move(body);
  return in;
}
ResponseInput ok200(uint64_t attempt, std::string streamId = "s") {
  ResponseInput in = code(attempt, 200);
  in.streamId = std::move(streamId);
  return in;
}
ResponseInput redirectTo(uint64_t attempt, std::string location) {
  ResponseInput in = code(attempt, 307);
  in.location = std::move(location);
  return in;
}
SubscribedInput subscribed(uint64_t attempt, std::optional<int> heartbeatMs = 100) {
  SubscribedInput in;
  in.attempt = attempt;
  in.frameworkId = "fw-1";
  if (heartbeatMs) in.heartbeatInterval = milliseconds(*heartbeatMs);
  return in;
}

struct Case {
  std::string name;
  std::vector<Step> steps;
  ConnectionState state;
  std::string actions;  // every action of every step, space separated
  std::string endpoint = "http://m1:5050/api/v1/scheduler";
  std::string errorContains;
  std::optional<std::string> configFrameworkId;

  Case endsAt(std::string url) && {
    endpoint = std::move(url);
    return std::move(*this);
  }
  Case withError(std::string text) && {
    errorContains = std::move(text);
    return std::move(*this);
  }
  Case withConfigFrameworkId(std::string id) && {
    configFrameworkId = std::move(id);
    return std::move(*this);
  }
};

Case row(std::string name, std::vector<Step> steps, ConnectionState state, std::string actions) {
  Case c;
  c.name = std::move(name);
  c.steps = std::move(steps);
  c.state = state;
  c.actions = std::move(actions);
  return c;
}

const std::string kM1 = "@http://m1:5050/api/v1/scheduler";
const std::string kM2 = "@http://m2:5051/api/v1/scheduler";

std::vector<Case> cases() {
  const std::string m1 = "http://m1:5050/api/v1/scheduler";
  const std::string m2 = "http://m2:5051/api/v1/scheduler";
  using S = ConnectionState;
  return {
      row("StartOpensASubscribeStreamToTheConfiguredMaster", {now(StartInput{})}, S::kConnecting,
          "open#1" + kM1),
      row("FirstSubscribeCarriesTheFrameworkIdOfAnEarlierRun", {now(StartInput{})}, S::kConnecting,
          "open#1" + kM1 + "[fw-0]")
          .withConfigFrameworkId("fw-0"),
      row("A200WithAStreamIdWaitsForTheSubscribedEvent", {now(StartInput{}), now(ok200(1))},
          S::kSubscribing, "open#1" + kM1),
      row("TheSubscribedEventMakesTheConnectionSubscribed",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1))}, S::kSubscribed,
          "open#1" + kM1 + " subscribed#1[fw-1,100ms]"),
      row("SubscribedWithoutAHeartbeatIntervalUsesTheDefault",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1, std::nullopt))}, S::kSubscribed,
          "open#1" + kM1 + " subscribed#1[fw-1,300ms]"),
      row("A200WithoutAStreamIdBacksOff", {now(StartInput{}), now(ok200(1, ""))}, S::kBackingOff,
          "open#1" + kM1 + " close#1")
          .withError("without a Mesos-Stream-Id"),
      row("A307IsFollowedAtOnceToTheProtocolRelativeLocation",
          {now(StartInput{}), now(redirectTo(1, "//m2:5051/api/v1/scheduler"))}, S::kConnecting,
          "open#1" + kM1 + " close#1 open#2" + kM2)
          .endsAt(m2),
      row("TheLeaderFoundByRedirectIsKeptForResubscription",
          {now(StartInput{}), now(redirectTo(1, "//m2:5051/api/v1/scheduler")), now(ok200(2)),
           now(subscribed(2)), now(StreamEndedInput{2, "peer closed"}), at(100, TickInput{})},
          S::kConnecting,
          "open#1" + kM1 + " close#1 open#2" + kM2 + " subscribed#2[fw-1,100ms] disconnected#2 " +
              "open#3" + kM2 + "[fw-1]")
          .endsAt(m2),
      row("TooManyRedirectsInARowBackOffToTheConfiguredMaster",
          {now(StartInput{}), now(redirectTo(1, "//m2:5051")), now(redirectTo(2, "//m1:5050")),
           now(redirectTo(3, "//m2:5051"))},
          S::kBackingOff,
          "open#1" + kM1 + " close#1 open#2" + kM2 + " close#2 open#3" + kM1 + " close#3")
          .withError("redirects in a row"),
      row("A307WithoutALocationBacksOff", {now(StartInput{}), now(redirectTo(1, ""))},
          S::kBackingOff, "open#1" + kM1 + " close#1")
          .withError("without a Location"),
      row("A503IsRetriedOnlyWhenTheBackoffDelayHasPassed",
          {now(StartInput{}), now(code(1, 503, "Master has not finished recovery")),
           at(99, TickInput{})},
          S::kBackingOff, "open#1" + kM1 + " close#1")
          .withError("Master has not finished recovery"),
      row("A503IsRetriedAfterTheInitialBackoff",
          {now(StartInput{}), now(code(1, 503)), at(100, TickInput{})}, S::kConnecting,
          "open#1" + kM1 + " close#1 open#2" + kM1),
      row("TheBackoffDoublesAfterEachFailedAttempt",
          {now(StartInput{}), now(code(1, 503)), at(100, TickInput{}), now(code(2, 503)),
           at(199, TickInput{}), at(1, TickInput{})},
          S::kConnecting, "open#1" + kM1 + " close#1 open#2" + kM1 + " close#2 open#3" + kM1),
      row("A401FailsWithAnAuthenticationErrorAndIsNotRetried",
          {now(StartInput{}), now(code(1, 401)), at(60000, TickInput{})}, S::kFailed,
          "open#1" + kM1 + " close#1 failed#1")
          .withError("authentication failed"),
      row("A400FailsWithTheMastersReason",
          {now(StartInput{}), now(code(1, 400, "'framework_id' differs"))}, S::kFailed,
          "open#1" + kM1 + " close#1 failed#1")
          .withError("'framework_id' differs"),
      row("AStreamThatEndsBeforeSubscribedBacksOffToTheConfiguredMaster",
          {now(StartInput{}), now(redirectTo(1, "//m2:5051")),
           now(StreamEndedInput{2, "connection refused"})},
          S::kBackingOff, "open#1" + kM1 + " close#1 open#2" + kM2)
          .withError("connection refused"),
      row("ALostSubscriptionIsReportedAndResubscribesWithTheFrameworkId",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1)),
           now(StreamEndedInput{1, "peer closed"}), at(100, TickInput{})},
          S::kConnecting,
          "open#1" + kM1 + " subscribed#1[fw-1,100ms] disconnected#1 open#2" + kM1 + "[fw-1]"),
      row("NoEventForFiveHeartbeatIntervalsMeansADeadConnection",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1)), at(499, TickInput{}),
           at(1, TickInput{})},
          S::kBackingOff, "open#1" + kM1 + " subscribed#1[fw-1,100ms] close#1 disconnected#1")
          .withError("connection considered dead"),
      row("HeartbeatsKeepTheConnectionAlive",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1)), at(400, EventInput{1}),
           at(400, EventInput{1}), at(400, TickInput{})},
          S::kSubscribed, "open#1" + kM1 + " subscribed#1[fw-1,100ms]"),
      row("EventsOfAnAbandonedAttemptDoNotKeepTheConnectionAlive",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1)), at(400, EventInput{7}),
           at(100, TickInput{})},
          S::kBackingOff, "open#1" + kM1 + " subscribed#1[fw-1,100ms] close#1 disconnected#1")
          .withError("connection considered dead"),
      row("AReportFromAnAbandonedAttemptIsIgnored",
          {now(StartInput{}), now(redirectTo(1, "//m2:5051")), now(StreamEndedInput{1, "done"}),
           now(code(1, 503))},
          S::kConnecting, "open#1" + kM1 + " close#1 open#2" + kM2)
          .endsAt(m2),
      row("NoSubscribedEventWithinTheSubscribeTimeoutBacksOff",
          {now(StartInput{}), now(ok200(1)), at(2000, TickInput{})}, S::kBackingOff,
          "open#1" + kM1 + " close#1")
          .withError("no SUBSCRIBED event"),
      row("AnErrorEventFailsTheConnection",
          {now(StartInput{}), now(ok200(1)), now(ErrorEventInput{1, "Framework has been removed"})},
          S::kFailed, "open#1" + kM1 + " close#1 failed#1")
          .withError("Framework has been removed"),
      row("AnErrorEventWhileSubscribedAlsoReportsTheDisconnection",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1)), now(ErrorEventInput{1, "gone"})},
          S::kFailed, "open#1" + kM1 + " subscribed#1[fw-1,100ms] close#1 disconnected#1 failed#1")
          .withError("gone"),
      row("StartAfterAFailureTriesAgain", {now(StartInput{}), now(code(1, 401)), now(StartInput{})},
          S::kConnecting, "open#1" + kM1 + " close#1 failed#1 open#2" + kM1),
      row("StartWhileConnectedDoesNothing", {now(StartInput{}), now(ok200(1)), now(StartInput{})},
          S::kSubscribing, "open#1" + kM1),
      row("StopClosesTheStreamAndNothingIsRetried",
          {now(StartInput{}), now(ok200(1)), now(subscribed(1)), now(StopInput{}),
           at(60000, TickInput{})},
          S::kStopped, "open#1" + kM1 + " subscribed#1[fw-1,100ms] close#1"),
      row("ASubscriptionResetsTheBackoff",
          {now(StartInput{}), now(code(1, 503)), at(100, TickInput{}), now(code(2, 503)),
           at(200, TickInput{}), now(ok200(3)), now(subscribed(3)),
           now(StreamEndedInput{3, "closed"}), at(100, TickInput{})},
          S::kConnecting,
          "open#1" + kM1 + " close#1 open#2" + kM1 + " close#2 open#3" + kM1 +
              " subscribed#3[fw-1,100ms] disconnected#3 open#4" + kM1 + "[fw-1]"),
  };
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ConnectionStateTable : public ::testing::TestWithParam<Case> {};

TEST_P(ConnectionStateTable, Holds) {
  const Case& c = GetParam();
  ConnectionConfig config = testConfig();
  config.frameworkId = c.configFrameworkId;
  ConnectionStateMachine machine(config);
  testing::ManualClock clock;
  std::string all;
  for (const Step& step : c.steps) {
    clock.advance(step.advance);
    for (const ConnectionAction& a : machine.handle(step.input, clock.now())) {
      all += (all.empty() ? "" : " ") + describe(a);
    }
  }
  EXPECT_EQ(connectionStateName(machine.state()), connectionStateName(c.state));
  EXPECT_EQ(all, c.actions);
  EXPECT_EQ(machine.endpoint().url(), c.endpoint);
  if (c.errorContains.empty()) {
    if (machine.state() == ConnectionState::kSubscribed) {
      EXPECT_TRUE(machine.lastError().isOk()) << machine.lastError();
    }
  } else {
    EXPECT_NE(machine.lastError().message().find(c.errorContains), std::string::npos)
        << machine.lastError();
  }
}

INSTANTIATE_TEST_SUITE_P(Transitions, ConnectionStateTable, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

TEST(ConnectionStateMachine, KeepsTheFrameworkIdAndStreamIdOfTheSubscription) {
  ConnectionStateMachine machine(testConfig());
  testing::ManualClock clock;
  (void)machine.handle(StartInput{}, clock.now());
  (void)machine.handle(ok200(1, "stream-1"), clock.now());
  EXPECT_EQ(machine.streamId(), "stream-1");
  (void)machine.handle(subscribed(1), clock.now());
  EXPECT_EQ(machine.frameworkId(), "fw-1");
  (void)machine.handle(StreamEndedInput{1, "closed"}, clock.now());
  EXPECT_EQ(machine.streamId(), "");
  EXPECT_EQ(machine.frameworkId(), "fw-1");
}

TEST(ConnectionStateMachine, NamesTheNextDeadlineForEachTimedState) {
  ConnectionStateMachine machine(testConfig());
  testing::ManualClock clock;
  EXPECT_EQ(machine.nextDeadline(), std::nullopt);
  (void)machine.handle(StartInput{}, clock.now());
  EXPECT_EQ(machine.nextDeadline(), clock.now() + milliseconds(2000));
  (void)machine.handle(ok200(1), clock.now());
  (void)machine.handle(subscribed(1), clock.now());
  clock.advance(milliseconds(30));
  (void)machine.handle(EventInput{1}, clock.now());
  EXPECT_EQ(machine.nextDeadline(), clock.now() + milliseconds(500));
  (void)machine.handle(StreamEndedInput{1, "closed"}, clock.now());
  EXPECT_EQ(machine.nextDeadline(), clock.now() + milliseconds(100));
}

TEST(Backoff, GrowsByTheFactorUpToTheMaximumWithoutJitter) {
  Backoff backoff({.initial = milliseconds(100),
                   .factor = 2.0,
                   .max = milliseconds(1000),
                   .jitter = 0.0,
                   .seed = 7});
  std::vector<int64_t> delays;
  for (int i = 0; i < 7; ++i) delays.push_back(backoff.next().count());
  EXPECT_EQ(delays, (std::vector<int64_t>{100, 200, 400, 800, 1000, 1000, 1000}));
  backoff.reset();
  EXPECT_EQ(backoff.next().count(), 100);
}

TEST(Backoff, JitterShortensEachDelayByAtMostTheFractionAndRepeatsForTheSameSeed) {
  BackoffPolicy policy{.initial = milliseconds(1000),
                       .factor = 1.0,
                       .max = milliseconds(1000),
                       .jitter = 0.5,
                       .seed = 42};
  Backoff a(policy), b(policy);
  policy.seed = 43;
  Backoff other(policy);
  bool differs = false;
  for (int i = 0; i < 20; ++i) {
    Duration d = a.next();
    EXPECT_GE(d.count(), 500);
    EXPECT_LE(d.count(), 1000);
    EXPECT_EQ(d, b.next());
    differs = differs || d != other.next();
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace keel::mesos
