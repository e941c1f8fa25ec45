// MesosClient: keel's scheduler-side client of the Mesos v1 scheduler HTTP API
// (JSON), for a real Mesos master or keel's local cluster alike.
//
// It subscribes (POST /api/v1/scheduler, SUBSCRIBE, RecordIO event stream),
// keeps the subscription alive (heartbeat watchdog, reconnection with
// exponential back-off, 307 redirects to the leading master, 503 retries,
// re-subscription with the framework ID after any disconnect) and sends calls
// on connections of their own with the current Mesos-Stream-Id.
//
// Threading:
// - The client runs one thread of its own. Every listener callback runs on it,
//   one at a time, in stream order; no callback runs after stop() returns.
//   A callback should be quick (post to the scheduler's own queue): while it
//   runs, no other event is delivered (the heartbeat watchdog keeps time by
//   when events arrived, so a slow callback does not cause a false reconnect).
// - send() and the convenience calls are thread-safe and blocking (one HTTP
//   exchange, bounded by callTimeout); they may be called from a callback.
// - start()/stop() from any thread; stop() also from a callback.
//
// Failure behaviour: transient problems (master unreachable, 503, stream cut,
// missed heartbeats, a non-leader's 307) never surface as errors: the client
// reconnects by itself and reports a lost subscription with onDisconnected.
// Problems retrying cannot fix (401 authentication failed, another 4xx on
// SUBSCRIBE, an ERROR event from the master) stop it: onFailed is called and
// the client stays in kFailed until start() is called again.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keel/clock.h"
#include "keel/mesos/connection_state.h"
#include "keel/mesos/scheduler.h"
#include "keel/result.h"
#include "keel/status.h"

namespace keel::mesos {

inline constexpr double kTwoWeeksSeconds = 14 * 24 * 3600.0;

struct MesosCredential {
  std::string principal;
  std::string secret;
};

// A FrameworkInfo with keel's defaults: failover_timeout two weeks,
// checkpoint true, capabilities MULTI_ROLE, RESERVATION_REFINEMENT and
// PARTITION_AWARE, the given roles; principal set when given.
FrameworkInfo defaultFrameworkInfo(std::string name, std::string user,
                                   std::vector<std::string> roles,
                                   std::optional<std::string> principal = std::nullopt);

struct MesosClientConfig {
  // "http://host:port" of any master (a non-leader redirects); "host:port" and
  // an explicit path are accepted too (see parseMasterUrl).
  std::string masterUrl = "http://127.0.0.1:5050";
  // What SUBSCRIBE sends. With `id` set the first SUBSCRIBE already
  // re-subscribes as that framework (scheduler restart).
  FrameworkInfo framework;
  std::vector<std::string> suppressedRoles;
  // HTTP basic authentication (Authorization: Basic ...) on every request.
  std::optional<MesosCredential> credential;
  // Back-off between subscribe attempts. The jitter generator is seeded with
  // backoff.seed, or from std::random_device when the seed is 0.
  BackoffPolicy backoff;
  ConnectionTimeouts timeouts;
  Duration connectTimeout = std::chrono::seconds(10);
  Duration callTimeout = std::chrono::seconds(75);  // per call (send())
  // Longest silence a read on the event stream tolerates: a backstop behind
  // the heartbeat watchdog, so keep it longer than missedHeartbeats intervals.
  Duration streamReadTimeout = std::chrono::minutes(5);
};

// Callbacks; any may be empty. All run on the client's thread (see above).
struct MesosClientListener {
  // Subscribed (first time or again) as `frameworkId`. Persist the id. Offers
  // received before a re-subscription are void.
  std::function<void(const FrameworkID& frameworkId, Duration heartbeatInterval)> onSubscribed;
  // Every event of the current subscription, in order, HEARTBEAT and
  // SUBSCRIBED (after onSubscribed) included, ERROR too (before onFailed).
  std::function<void(const Event&)> onEvent;
  // The subscription was lost (stream closed, dead connection, ...); the
  // client is already reconnecting. Calls fail until onSubscribed.
  std::function<void(const Status& reason)> onDisconnected;
  // The client gave up (401, 4xx on SUBSCRIBE, ERROR event): `error` says why.
  std::function<void(const Status& error)> onFailed;
};

class MesosClient {
 public:
  // Fails with kInvalidArgument when masterUrl does not parse.
  static Result<std::unique_ptr<MesosClient>> create(MesosClientConfig config,
                                                     MesosClientListener listener,
                                                     const Clock& clock = SystemClock::instance());
  ~MesosClient();  // stop()
  MesosClient(const MesosClient&) = delete;
  MesosClient& operator=(const MesosClient&) = delete;

  // Starts subscribing in the background and returns; no-op while running.
  // After a failure or stop(), starts over (from the configured master, with
  // the framework ID known so far).
  void start();
  // Closes the stream and ends the client's thread; no callback runs after it
  // returns (when called from a callback: after that callback returns).
  void stop();

  // Sends a call other than SUBSCRIBE. framework_id is filled in when unset,
  // and the Mesos-Stream-Id header added. OK when the master accepted it
  // (202; 200 for UPDATE_FRAMEWORK). Errors: kUnavailable when not subscribed,
  // the master is unreachable or answered 307/503; kDeadlineExceeded after
  // callTimeout; kInvalidArgument for a 400 (bad call) or a SUBSCRIBE;
  // kFailedPrecondition for 401/403 and other codes. The message carries the
  // HTTP code and the master's reason text.
  Status send(Call call);

  // ACCEPT the offers with the operations (RESERVE, UNRESERVE, CREATE,
  // DESTROY, LAUNCH, LAUNCH_GROUP, ...).
  Status accept(std::vector<OfferID> offerIds, std::vector<OfferOperation> operations,
                std::optional<Filters> filters = std::nullopt);
  // DECLINE; refuseSeconds unset = the master's default (5 s).
  Status decline(std::vector<OfferID> offerIds, std::optional<double> refuseSeconds = std::nullopt);
  Status revive(std::vector<std::string> roles = {});    // empty = all roles
  Status suppress(std::vector<std::string> roles = {});  // empty = all roles
  Status kill(TaskID taskId, std::optional<AgentID> agentId = std::nullopt,
              std::optional<KillPolicy> killPolicy = std::nullopt);
  // ACKNOWLEDGE an UPDATE. A status without uuid (e.g. a reconciliation
  // answer) needs no acknowledgement: OK without sending anything.
  Status acknowledge(const TaskStatus& status);
  // ACKNOWLEDGE_OPERATION_STATUS; likewise OK without a call when no uuid.
  Status acknowledgeOperationStatus(const OperationStatus& status);
  // RECONCILE: explicit for the given tasks; empty = implicit (all tasks).
  Status reconcile(std::vector<Call::Reconcile::Task> tasks = {});
  Status teardown();
  // UPDATE_FRAMEWORK (framework.id filled in when unset); answered 200.
  Status updateFramework(FrameworkInfo framework, std::vector<std::string> suppressedRoles = {});

  ConnectionState state() const;
  // Known after the first SUBSCRIBED (or given in config.framework.id).
  std::optional<FrameworkID> frameworkId() const;
  // The Mesos-Stream-Id of the current subscription; empty when none.
  std::string streamId() const;
  // The master the client talks to (the leader once redirected).
  MasterEndpoint master() const;
  // Why the last attempt ended, or why the client failed; OK when subscribed.
  Status lastError() const;

 private:
  struct Impl;
  explicit MesosClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::mesos
