// ApiServer: the scheduler's HTTP API (dcos-commons' paths, JSON shapes and
// status codes; src/http/routes.h lists the routes, docs in
// docs/http-api.md when written).
//
// Requests are parsed on a pool of HTTP threads; each route then runs on the
// scheduler's owner thread (posted to `owner`, see keel/http/executor.h) and
// the HTTP thread waits for its answer at most `ownerTimeout`, else answers
// 503 {"message": ...}. Unknown paths get 404 and known paths with another
// method 405, without bothering the owner. Every request is logged once
// through keel/log.h (component "http", level info):
//   GET /v1/plans/deploy status=202 ms=0.31
//
// Thread-safety: start() and stop() from one thread; port() from any.
// `owner` and `api` must outlive the server *and* every piece of work it
// posted: stop the server, then stop the owner's loop, then destroy the api.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "keel/clock.h"
#include "keel/http/discovery.h"
#include "keel/http/executor.h"
#include "keel/http/scheduler_api.h"
#include "keel/result.h"

namespace keel::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;   // 0: any free port; see ApiServer::port()
  size_t threads = 8;  // HTTP threads; each keep-alive connection holds one
  Duration ownerTimeout = std::chrono::seconds(5);
  size_t keepAliveMaxRequests = 10000;               // per connection
  std::string domain = std::string(kDefaultDomain);  // DiscoveryNames::domain
  std::string vipDomain;                             // empty: "l4lb.<domain>"
  // Times requests for the log line; nullptr: SystemClock.
  const Clock* clock = nullptr;
};

class ApiServer {
 public:
  // Binds and starts serving on background threads. IoError when the
  // address cannot be bound (port in use, bad host).
  static Result<std::unique_ptr<ApiServer>> start(const ServerOptions& options, Executor& owner,
                                                  SchedulerApi& api);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // The bound port (the chosen one when options.port was 0).
  uint16_t port() const;
  // Stops accepting, closes connections and joins the HTTP threads (each
  // waits at most ownerTimeout for an answer in flight). Idempotent.
  void stop();

  struct Impl;

 private:
  explicit ApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::http
