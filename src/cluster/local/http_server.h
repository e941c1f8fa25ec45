// HttpServer: the local cluster's HTTP endpoint on loopback, in front of a
// Master. Serves
//   POST /api/v1/scheduler   the Mesos v1 scheduler API (JSON only), with
//                            the real master's request rules and 400 texts;
//                            SUBSCRIBE answers a chunked RecordIO stream
//   GET  /state              agents, frameworks, tasks, reservations and
//                            volumes as JSON
//   POST /agents             add an agent ({"id","hostname","cpus","mem",
//                            "disk","ports":[b,e],"attributes":{k:v}}, all
//                            optional) -> {"id": ...}
//   POST /agents/<id>/down, POST /agents/<id>/up, DELETE /agents/<id>
//                            fault injection (404 for an unknown agent)
//
// Thread-safety: start/stop from one thread; requests are served by the
// server's own thread pool. The Master must outlive the server.
#pragma once

#include <memory>
#include <string>

#include "cluster/local/master.h"
#include "keel/result.h"

namespace keel::local {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;      // 0: any free port
  int threads = 32;  // each open SUBSCRIBE stream holds one
  // Longest wait of a stream for its next event before it checks whether
  // the server is stopping.
  Duration streamPoll = std::chrono::milliseconds(200);
};

class HttpServer {
 public:
  // Binds and starts serving. IoError when the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> start(Master& master, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  // Stops accepting, ends every stream and joins the threads. Idempotent.
  void stop();

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The /state document of `state` (called on the master thread).
std::string stateJson(const MasterState& state);

}  // namespace keel::local
