// The scheduler's connection to a Mesos master as a pure state machine: it
// decides when to (re)subscribe, where (307 redirects), when to give up on a
// silent stream (missed heartbeats) and how long to back off. It does no I/O
// and reads no clock: inputs carry `now`, and the driver (MesosClient) turns
// the returned actions into HTTP requests and callbacks.
//
//   disconnected --start--> connecting --200+stream id--> subscribing
//   subscribing --SUBSCRIBED--> subscribed
//   connecting --307--> connecting (leader from Location, at once)
//   connecting --503/5xx/I/O error/timeout--> backing-off --deadline--> connecting
//   subscribing|subscribed --stream ended/no event for N heartbeats--> backing-off
//   connecting --401/other 4xx--> failed;  any --ERROR event--> failed
//   any --stop--> stopped;  failed|stopped --start--> connecting
//
// Every subscribe attempt has a number; inputs name the attempt they belong to
// and inputs of older attempts are ignored, so a late report from a stream
// that was already abandoned cannot disturb the current one.
//
// Thread-safety: none; one owner thread (the client's) drives it.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "keel/clock.h"
#include "keel/mesos/connection_endpoint.h"
#include "keel/status.h"

namespace keel::mesos {

enum class ConnectionState {
  kDisconnected,  // never started
  kConnecting,    // SUBSCRIBE sent, waiting for the response head
  kSubscribing,   // 200 and a Mesos-Stream-Id received, waiting for SUBSCRIBED
  kSubscribed,    // SUBSCRIBED received: calls may be sent
  kBackingOff,    // waiting before the next attempt
  kFailed,        // a failure retrying cannot fix (401, 4xx, ERROR event)
  kStopped,       // stop() was called
};
std::string_view connectionStateName(ConnectionState state);

// Exponential back-off between subscribe attempts. The n-th delay (n from 0)
// is min(max, initial * factor^n), shortened by a random fraction in
// [0, jitter) drawn from a generator seeded with `seed`, so two schedulers
// restarted together do not reconnect in lock step and tests are repeatable.
struct BackoffPolicy {
  Duration initial = std::chrono::milliseconds(500);
  double factor = 2.0;
  Duration max = std::chrono::seconds(15);  // Mesos' guidance: back off up to ~15 s
  double jitter = 0.5;                      // in [0, 1]
  uint64_t seed = 0;
};

class Backoff {
 public:
  explicit Backoff(const BackoffPolicy& policy);
  // The delay before the next attempt; each call grows the next one.
  Duration next();
  // After a success: the next delay is `initial` again (jittered).
  void reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
  int attempts_ = 0;
};

struct ConnectionTimeouts {
  // The connection is dead when no event (of any type) arrived for this many
  // heartbeat intervals. Mesos' scheduler API guide suggests "a bunch (e.g. 5)".
  int missedHeartbeats = 5;
  // Used when SUBSCRIBED carries no heartbeat_interval_seconds (master default).
  Duration defaultHeartbeatInterval = std::chrono::seconds(15);
  // From sending SUBSCRIBE to receiving SUBSCRIBED (the guide's 75 s).
  Duration subscribeTimeout = std::chrono::seconds(75);
  // Consecutive 307s followed without a subscription before backing off.
  int maxRedirects = 5;
};

struct ConnectionConfig {
  MasterEndpoint master;                   // where to start (and fall back to)
  std::optional<std::string> frameworkId;  // from an earlier run: resubscribe with it
  BackoffPolicy backoff;
  ConnectionTimeouts timeouts;
};

// What the driver must do, in the order given.
struct ConnectionAction {
  enum class Kind {
    kOpenStream,    // POST SUBSCRIBE to `endpoint` (with `frameworkId` when set) as `attempt`
    kCloseStream,   // abandon the stream of `attempt`
    kSubscribed,    // tell the user: subscribed as `frameworkId`, `heartbeatInterval`
    kDisconnected,  // tell the user: the subscription is lost (`reason`); offers are void
    kFailed,        // tell the user: giving up (`error`) until start() again
  };
  Kind kind;
  uint64_t attempt = 0;
  MasterEndpoint endpoint;
  std::optional<std::string> frameworkId;
  Duration heartbeatInterval{0};
  std::string reason;
  Status error;
};
std::string_view connectionActionName(ConnectionAction::Kind kind);

// Inputs. `attempt` is the number from the kOpenStream action.
struct StartInput {};
struct StopInput {};
struct TickInput {};
struct ResponseInput {  // the SUBSCRIBE response head (status, headers; body when not 200)
  uint64_t attempt = 0;
  int status = 0;
  std::string streamId;  // Mesos-Stream-Id
  std::string location;  // Location
  std::string body;
};
struct SubscribedInput {
  uint64_t attempt = 0;
  std::string frameworkId;
  std::optional<Duration> heartbeatInterval;
};
struct EventInput {  // any other event, HEARTBEAT included: the stream is alive
  uint64_t attempt = 0;
};
struct ErrorEventInput {  // the master's ERROR event
  uint64_t attempt = 0;
  std::string message;
};
struct StreamEndedInput {  // closed by the peer, I/O error, undecodable record
  uint64_t attempt = 0;
  std::string reason;
};
using ConnectionInput =
    std::variant<StartInput, StopInput, TickInput, ResponseInput, SubscribedInput, EventInput,
                 ErrorEventInput, StreamEndedInput>;

class ConnectionStateMachine {
 public:
  explicit ConnectionStateMachine(ConnectionConfig config);

  std::vector<ConnectionAction> handle(const ConnectionInput& input, TimePoint now);

  ConnectionState state() const { return state_; }
  // The number of the current (latest) subscribe attempt; 0 before start.
  uint64_t attempt() const { return attempt_; }
  // Set once SUBSCRIBED arrived (or from the config); kept across disconnects.
  const std::optional<std::string>& frameworkId() const { return frameworkId_; }
  // The stream id of the current subscription; empty unless subscribing/subscribed.
  const std::string& streamId() const { return streamId_; }
  // Where the current or next attempt goes (the leader after a redirect).
  const MasterEndpoint& endpoint() const { return endpoint_; }
  Duration heartbeatInterval() const { return heartbeatInterval_; }
  // Why the last attempt or subscription ended; the failure when kFailed.
  const Status& lastError() const { return lastError_; }
  // When handle(TickInput) next has something to do; nullopt: nothing timed.
  std::optional<TimePoint> nextDeadline() const;

 private:
  using Actions = std::vector<ConnectionAction>;
  Actions onStart(TimePoint now);
  Actions onStop();
  Actions onTick(TimePoint now);
  Actions onResponse(const ResponseInput& in, TimePoint now);
  Actions onSubscribed(const SubscribedInput& in, TimePoint now);
  Actions onEvent(TimePoint now);
  Actions onErrorEvent(const ErrorEventInput& in);
  Actions onStreamEnded(const StreamEndedInput& in, TimePoint now);

  bool current(uint64_t attempt) const { return attempt == attempt_; }
  Actions openStream(TimePoint now);
  Actions backOff(Status why, TimePoint now, bool closeStream);
  Actions fail(Status why, bool closeStream);
  Actions redirect(const ResponseInput& in, TimePoint now);
  void noteDisconnect(Actions& actions, const std::string& reason);

  ConnectionConfig config_;
  Backoff backoff_;
  ConnectionState state_ = ConnectionState::kDisconnected;
  uint64_t attempt_ = 0;
  MasterEndpoint endpoint_;
  std::optional<std::string> frameworkId_;
  std::string streamId_;
  Duration heartbeatInterval_{0};
  TimePoint attemptStarted_{};
  TimePoint lastEvent_{};
  TimePoint retryAt_{};
  int redirects_ = 0;
  Status lastError_;
};

}  // namespace keel::mesos
