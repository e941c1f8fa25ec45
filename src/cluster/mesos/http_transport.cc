#include "cluster/mesos/http_transport.h"

#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <vector>

namespace keel::mesos {
namespace {

constexpr size_t kMaxErrorBody = 64 * 1024;

void configure(httplib::Client& client, const HttpOptions& options, bool keepAlive = false) {
  client.set_connection_timeout(options.connectTimeout);
  client.set_read_timeout(options.timeout);
  client.set_write_timeout(options.timeout);
  client.set_keep_alive(keepAlive);
  // A call is small and answered at once: Nagle's algorithm would hold a
  // request's second segment for the ack of its first (40 ms on Linux).
  client.set_tcp_nodelay(true);
  client.set_follow_location(false);  // the state machine follows 307s itself
  // An advertised Accept-Encoding would let a server gzip the event stream,
  // which holds small records back in the compressor.
  client.set_decompress(false);
  if (options.credential) {
    client.set_basic_auth(options.credential->principal, options.credential->secret);
  }
}

httplib::Headers jsonHeaders() {
  return {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
}

HttpReply headOf(const httplib::Response& res) {
  HttpReply reply;
  reply.status = res.status;
  reply.streamId = res.get_header_value("Mesos-Stream-Id");
  reply.location = res.get_header_value("Location");
  return reply;
}

Status transportError(httplib::Error error, const MasterEndpoint& endpoint, Duration elapsed,
                      Duration timeout) {
  std::string what = "request to " + endpoint.url() + " failed: " + httplib::to_string(error);
  if (error == httplib::Error::ConnectionTimeout ||
      (error == httplib::Error::Read && elapsed >= timeout)) {
    return Status::deadlineExceeded(what + " (timeout " + std::to_string(timeout.count()) + " ms)");
  }
  return Status::unavailable(what);
}

Duration since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
}

}  // namespace

struct CallConnections::Impl {
  using Steady = std::chrono::steady_clock;
  struct Idle {
    std::unique_ptr<httplib::Client> client;
    Steady::time_point since;
  };

  Impl(HttpOptions o, std::chrono::milliseconds i) : options(std::move(o)), idleFor(i) {}

  // The most recently used idle connection that has not been idle too long
  // (older ones are closed), or a new one.
  std::unique_ptr<httplib::Client> take(const std::string& origin) {
    std::unique_ptr<httplib::Client> client;
    {
      std::lock_guard lock(mu);
      std::vector<Idle>& pool = idle[origin];
      auto stale = Steady::now() - idleFor;
      std::erase_if(pool, [&](const Idle& i) { return i.since <= stale; });
      if (!pool.empty()) {
        client = std::move(pool.back().client);
        pool.pop_back();
      }
    }
    if (!client) {
      client = std::make_unique<httplib::Client>(origin);
      configure(*client, options, true);
    }
    return client;
  }

  void giveBack(const std::string& origin, std::unique_ptr<httplib::Client> client) {
    std::lock_guard lock(mu);
    std::vector<Idle>& pool = idle[origin];
    if (pool.size() < kMaxIdle) pool.push_back({std::move(client), Steady::now()});
  }

  const HttpOptions options;
  const std::chrono::milliseconds idleFor;
  mutable std::mutex mu;
  std::map<std::string, std::vector<Idle>> idle;
};

CallConnections::CallConnections(HttpOptions options, std::chrono::milliseconds idleFor)
    : impl_(std::make_unique<Impl>(std::move(options), idleFor)) {}

CallConnections::~CallConnections() = default;

Result<HttpReply> CallConnections::post(const MasterEndpoint& endpoint, const std::string& body,
                                        const std::optional<std::string>& streamId) {
  std::string origin = endpoint.origin();
  std::unique_ptr<httplib::Client> client = impl_->take(origin);
  httplib::Request req;
  req.method = "POST";
  req.path = endpoint.path;
  req.headers = jsonHeaders();
  if (streamId) req.headers.emplace("Mesos-Stream-Id", *streamId);
  req.body = body;
  auto start = std::chrono::steady_clock::now();
  httplib::Result res = client->send(req);
  if (!res) return transportError(res.error(), endpoint, since(start), impl_->options.timeout);
  HttpReply reply = headOf(*res);
  reply.body = std::move(res->body);
  if (res->get_header_value("Connection") != "close") impl_->giveBack(origin, std::move(client));
  return reply;
}

size_t CallConnections::idle() const {
  std::lock_guard lock(impl_->mu);
  size_t n = 0;
  for (const auto& [origin, pool] : impl_->idle) n += pool.size();
  return n;
}

struct SubscribeStream::Impl {
  Impl(MasterEndpoint e, std::string b, HttpOptions o)
      : endpoint(std::move(e)),
        body(std::move(b)),
        options(std::move(o)),
        client(endpoint.origin()) {
    configure(client, options);
  }

  MasterEndpoint endpoint;
  std::string body;
  HttpOptions options;
  httplib::Client client;
  std::atomic<bool> aborted{false};
};

SubscribeStream::SubscribeStream(MasterEndpoint endpoint, std::string body, HttpOptions options)
    : impl_(std::make_unique<Impl>(std::move(endpoint), std::move(body), std::move(options))) {}

SubscribeStream::~SubscribeStream() = default;

void SubscribeStream::abort() {
  impl_->aborted = true;
  impl_->client.stop();
}

bool SubscribeStream::aborted() const { return impl_->aborted; }

Status SubscribeStream::run(const Handlers& handlers) {
  if (impl_->aborted) return Status::ok();
  std::optional<HttpReply> head;
  httplib::Request req;
  req.method = "POST";
  req.path = impl_->endpoint.path;
  req.headers = jsonHeaders();
  req.body = impl_->body;
  req.response_handler = [&](const httplib::Response& res) {
    head = headOf(res);
    if (head->status == 200 && !impl_->aborted) handlers.onResponse(*head);
    return !impl_->aborted.load();
  };
  req.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
    if (impl_->aborted) return false;
    if (head->status == 200) return handlers.onData(std::string_view(data, size));
    head->body.append(data,
                      std::min(size, kMaxErrorBody - std::min(kMaxErrorBody, head->body.size())));
    return true;
  };
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  auto start = std::chrono::steady_clock::now();
  bool ok = impl_->client.send(req, res, error);
  if (impl_->aborted) return Status::ok();
  if (head && head->status != 200) {
    handlers.onResponse(*head);
    return Status::ok();
  }
  if (error == httplib::Error::Canceled) return Status::ok();
  if (!ok) {
    Status why = transportError(error, impl_->endpoint, since(start), impl_->options.timeout);
    return head ? why.withContext("event stream broke") : why;
  }
  return Status::unavailable("the master at " + impl_->endpoint.url() + " ended the event stream");
}

}  // namespace keel::mesos
