// ApiServer: the scheduler's HTTP API, with dcos-commons' paths, JSON shapes
// and status codes. keel answers JSON everywhere, errors included
// ({"message": "..."}), where dcos-commons sometimes answered plain text or
// an empty body; the status codes are kept.
//
//   GET  /v1/plans                      ["deploy","recovery",...]
//   GET  /v1/plans/<plan>               200 complete, 202 in progress, 417 errors
//   POST /v1/plans/<plan>/start         body {"ENV":"value"} (or empty)
//   POST /v1/plans/<plan>/stop
//   POST /v1/plans/<plan>/interrupt     ?phase= (and keel's ?step=)
//   POST /v1/plans/<plan>/continue      ?phase= (and keel's ?step=)
//   POST /v1/plans/<plan>/forceComplete ?phase=&step=  (names or ids)
//   POST /v1/plans/<plan>/restart       ?phase=&step=
//   GET  /v1/plan                       tutorial era: "blocks", 200 complete else 503
//   GET  /v1/plan/status                tutorial era: active phase and block
//   POST /v1/plan/{interrupt,continue,forceComplete,restart}  on deploy;
//                                       ?phase=&block= (or step=)
//   GET  /v1/pod, /v1/pod/status, /v1/pod/<pod>/status, /v1/pod/<pod>/info
//   POST /v1/pod/<pod>/restart, /v1/pod/<pod>/replace
//   POST /v1/tasks/restart/<task>       ?replace=true|false  (202)
//   GET  /v1/tasks/connection/<task>    {"dns": "<task>.<service>.<domain>",
//                                        "ports": "8080,2000-3000"}
//   GET  /v1/endpoints, /v1/endpoints/<name>
//   GET  /v1/configurations, /v1/configurations/<id>, .../target, .../targetId
//   GET  /v1/state/frameworkId, /v1/state/properties, /v1/state/properties/<key>
//   GET  /v1/health                     ?verbose=true; HTTP status = the code
//   GET  /v2/debug/offers               ?plan=&phase=&step=; the scheduler's JSON
// Errors: 404 "Plan|Phase|Step|Pod|Task|... <x> not found", 400 "Missing
// phase" and malformed parameters or bodies, 208 "Command has already been
// reported or completed" for an operation that changes nothing, 500 with the
// reason when the state store fails, 503 when the scheduler does not answer.
//
// Requests are parsed on a pool of HTTP threads; each route then runs on the
// scheduler's owner thread (posted to `owner`, see keel/http/executor.h) and
// the HTTP thread waits for its answer at most `ownerTimeout`, else answers
// 503. The one exception: a plan rendering that is still current at the
// scheduler's stateVersion() is served from the HTTP thread. Unknown paths
// get 404 and known paths with another method 405, without the owner. Every
// request is logged once through keel/log.h (component "http", level info):
//   GET /v1/plans/deploy status=202 ms=0.31
// by a writer thread of its own (src/http/access_log.h), so a slow stderr
// never delays an answer; stop() returns after the lines of every request
// answered before it are written.
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
