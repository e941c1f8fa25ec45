#include "keel/http/api_server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <utility>

#include "http/access_log.h"
#include "http/response.h"
#include "http/routes.h"
#include "keel/log.h"

namespace keel::http {

struct ApiServer::Impl {
  Impl(const ServerOptions& o, Executor& e, SchedulerApi& api)
      : options(o),
        owner(e),
        clock(o.clock != nullptr ? *o.clock : SystemClock::instance()),
        routes(std::make_shared<Routes>(api, o.domain, o.vipDomain)) {}

  // On an HTTP thread: route, hand the handler to the owner, wait.
  Response dispatch(const httplib::Request& req) const {
    Request r{req.method, req.path, {}, req.body, {}};
    for (const auto& [key, value] : req.params) r.query.emplace(key, value);
    Router::Match m = routes->router().match(r.method, r.path);
    if (m.handler == nullptr) {
      if (m.status == 405) return messageResponse(405, r.method + " is not allowed on " + r.path);
      return messageResponse(404, "No route for " + r.method + " " + r.path);
    }
    r.params = std::move(m.params);
    if (m.peek != nullptr) {
      if (std::optional<Response> published = (*m.peek)(r)) return std::move(*published);
    }
    std::function<Response()> work = [keep = routes, h = m.handler, r = std::move(r)] {
      return (*h)(r);
    };
    Result<Response> answer = callOn<Response>(owner, std::move(work), options.ownerTimeout);
    if (!answer) return messageResponse(503, answer.error().message());
    return std::move(*answer);
  }

  void serve(const httplib::Request& req, httplib::Response& res) const {
    TimePoint start = clock.now();
    Response out = dispatch(req);
    res.status = out.status;
    if (out.body) {
      // Streams the (possibly cached, shared) body without copying it.
      std::shared_ptr<const std::string> body = out.body;
      res.set_content_provider(body->size(), out.contentType,
                               [body](size_t offset, size_t length, httplib::DataSink& sink) {
                                 return sink.write(body->data() + offset, length);
                               });
    }
    if (logEnabled(LogLevel::kInfo)) {
      accessLog.record(accessLine(req, out.status, clock.now() - start));
    }
  }

  // "GET /v1/plans/deploy status=202 ms=0.31", built without streams: every
  // request pays for it at the default level.
  static std::string accessLine(const httplib::Request& req, int status,
                                TimePoint::duration elapsed) {
    double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    char tail[64];
    int n = std::snprintf(tail, sizeof tail, " status=%d ms=%.2f", status, ms);
    const std::string& target = req.target.empty() ? req.path : req.target;
    std::string line;
    line.reserve(req.method.size() + 1 + target.size() + static_cast<size_t>(n));
    line.append(req.method).append(1, ' ').append(target).append(tail, static_cast<size_t>(n));
    return line;
  }

  ServerOptions options;
  Executor& owner;
  const Clock& clock;
  std::shared_ptr<Routes> routes;
  mutable AccessLog accessLog;
  httplib::Server server;
  std::thread listener;
  std::atomic<bool> listenReturned{false};
  uint16_t port = 0;
  bool stopped = false;
};

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ApiServer::~ApiServer() { stop(); }

uint16_t ApiServer::port() const { return impl_->port; }

Result<std::unique_ptr<ApiServer>> ApiServer::start(const ServerOptions& options, Executor& owner,
                                                    SchedulerApi& api) {
  auto impl = std::make_unique<Impl>(options, owner, api);
  Impl* raw = impl.get();
  httplib::Server& srv = impl->server;
  size_t threads = std::max<size_t>(1, options.threads);
  srv.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  srv.set_keep_alive_max_count(std::max<size_t>(1, options.keepAliveMaxRequests));
  srv.set_payload_max_length(1 << 20);
  srv.set_tcp_nodelay(true);
  // httplib's default adds SO_REUSEPORT, which would let a second scheduler
  // share the port silently; keep only SO_REUSEADDR (fast restarts).
  srv.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  auto handler = [raw](const httplib::Request& req, httplib::Response& res) {
    raw->serve(req, res);
  };
  // A POST without Content-Length (`curl -X POST url`, as the tutorial writes
  // its commands) has an empty body, as Jetty took it; httplib would instead
  // read to the end of the connection and answer 400. Served before httplib
  // reads a body.
  srv.set_pre_routing_handler([raw](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" || req.has_header("Content-Length") ||
        req.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    raw->serve(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  srv.Get(".*", handler);
  srv.Post(".*", handler);
  srv.Put(".*", handler);
  srv.Delete(".*", handler);
  srv.Patch(".*", handler);

  int port = options.port;
  if (options.port == 0) {
    port = srv.bind_to_any_port(options.host);
  } else if (!srv.bind_to_port(options.host, options.port)) {
    port = -1;
  }
  if (port <= 0) {
    return Status::ioError("cannot listen on " + options.host + ":" + std::to_string(options.port));
  }
  impl->port = static_cast<uint16_t>(port);
  impl->listener = std::thread([raw] {
    raw->server.listen_after_bind();
    raw->listenReturned = true;
  });
  // stop() only takes effect once the listen loop runs.
  while (!srv.is_running() && !impl->listenReturned) std::this_thread::yield();
  if (logEnabled(LogLevel::kInfo)) {
    (LogMessage(LogLevel::kInfo, "http") << "API server listening")
        .field("host", options.host)
        .field("port", port)
        .field("threads", threads);
  }
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

void ApiServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->server.stop();
  if (impl_->listener.joinable()) impl_->listener.join();
  impl_->accessLog.stop();
}

}  // namespace keel::http
