// HTTP to a master's /api/v1/scheduler, on cpp-httplib (kept out of this
// header): one short request per call (on reused connections), and the
// long-lived SUBSCRIBE stream.
// Every request carries Content-Type and Accept "application/json" exactly,
// and HTTP basic authentication when a credential is given.
//
// Private to keel_mesos_client.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "keel/clock.h"
#include "keel/mesos/connection_endpoint.h"
#include "keel/result.h"

namespace keel::mesos {

struct HttpCredential {
  std::string principal;
  std::string secret;
};

struct HttpOptions {
  std::optional<HttpCredential> credential;
  Duration connectTimeout = std::chrono::seconds(10);
  // Calls: the whole exchange. Stream: the longest silence tolerated by a read
  // (a backstop; liveness is judged from heartbeats by the state machine).
  Duration timeout = std::chrono::seconds(75);
};

// A response head, and the body when it is not a stream.
struct HttpReply {
  int status = 0;
  std::string body;
  std::string streamId;  // Mesos-Stream-Id
  std::string location;  // Location
};

// The connections calls go on: never the subscription's, kept alive and
// reused, as the scheduler API allows. A connection serves one call at a
// time; a call finding none idle to the master's origin opens another. One
// that broke, or whose response said `Connection: close`, is not reused; at
// most kMaxIdle idle ones are kept per origin, each for at most kIdleFor
// (less than servers keep an idle connection open, so that a call is not
// sent on one the server is closing: keel's local master keeps them 2 s).
//
// Thread-safety: post() from any number of threads.
class CallConnections {
 public:
  static constexpr size_t kMaxIdle = 4;
  static constexpr std::chrono::milliseconds kIdleFor{1000};

  // `idleFor`: kIdleFor but in tests.
  explicit CallConnections(HttpOptions options, std::chrono::milliseconds idleFor = kIdleFor);
  ~CallConnections();
  CallConnections(const CallConnections&) = delete;
  CallConnections& operator=(const CallConnections&) = delete;

  // POSTs `body` to the endpoint. `streamId`, when set, goes in the
  // Mesos-Stream-Id header. Fails with kUnavailable when the master cannot
  // be reached or the exchange breaks (a call is never re-sent: the master
  // may have acted on it), kDeadlineExceeded when it took longer than
  // options.timeout.
  Result<HttpReply> post(const MasterEndpoint& endpoint, const std::string& body,
                         const std::optional<std::string>& streamId);

  // Idle connections kept, all origins together (for tests).
  size_t idle() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One SUBSCRIBE request and its response stream.
//
// Thread-safety: run() on one thread; abort() from any thread, any time.
class SubscribeStream {
 public:
  struct Handlers {
    // The response head (status, Mesos-Stream-Id, Location). For a 200 the
    // body streams to onData; otherwise `body` holds it. Called once, unless
    // the request failed before any response.
    std::function<void(const HttpReply&)> onResponse;
    // A piece of the de-chunked 200 body (cut anywhere). false stops the stream.
    std::function<bool(std::string_view)> onData;
  };

  SubscribeStream(MasterEndpoint endpoint, std::string body, HttpOptions options);
  ~SubscribeStream();
  SubscribeStream(const SubscribeStream&) = delete;
  SubscribeStream& operator=(const SubscribeStream&) = delete;

  // Sends the request and blocks until the stream ends. Returns why it ended:
  // OK after abort() or onData's false, kUnavailable when the peer closed it or
  // the connection failed (the message says which), kDeadlineExceeded on a
  // read timeout.
  Status run(const Handlers& handlers);

  // Makes run() return soon; idempotent. A run() not yet started returns at once.
  void abort();
  bool aborted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::mesos
