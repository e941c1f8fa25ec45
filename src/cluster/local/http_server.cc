#include "cluster/local/http_server.h"

#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster/local/call_validation.h"
#include "keel/mesos/json.h"

namespace keel::local {
namespace {

using nlohmann::json;

constexpr size_t kKeepAliveMaxCount = 1000;
constexpr time_t kKeepAliveSeconds = 2;

std::optional<std::string> header(const httplib::Request& req, const char* name) {
  if (!req.has_header(name)) return std::nullopt;
  return req.get_header_value(name);
}

void reply(httplib::Response& res, const HttpReply& r) {
  res.status = r.status;
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  if (r.body.empty() && r.contentType.empty()) {
    res.set_header("Content-Length", "0");
  } else {
    res.set_content(r.body, r.contentType.c_str());
  }
}

void replyStatus(httplib::Response& res, const Status& status, const std::string& okBody) {
  if (status.isOk()) return reply(res, HttpReply::json(200, okBody));
  int code = status.code() == StatusCode::kNotFound ? 404 : 400;
  reply(res, HttpReply::error(code, status.message()));
}

json resourcesJson(const Resources& resources) {
  json out = json::array();
  for (const mesos::Resource& r : resources) out.push_back(json::parse(mesos::encodeJson(r)));
  return out;
}

json agentJson(const MasterState& state, const AgentRecord& a) {
  const std::string& id = a.config.id;
  json agent = {{"id", id},
                {"hostname", a.config.hostname},
                {"health", std::string(agentHealthName(a.health))},
                {"work_dir", a.config.workDir},
                {"attributes", json::object()},
                {"total", resourcesJson(a.total)},
                {"allocated", resourcesJson(state.allocatedOn(id))},
                {"offered", resourcesJson(state.offeredOn(id))}};
  for (const auto& [k, v] : a.config.attributes) agent["attributes"][k] = v;
  return agent;
}

AgentConfig agentFromJson(const json& j) {
  AgentConfig c;
  c.id = j.value("id", "");
  c.hostname = j.value("hostname", "");
  c.cpus = j.value("cpus", c.cpus);
  c.memMb = j.value("mem", c.memMb);
  c.diskMb = j.value("disk", c.diskMb);
  if (j.contains("ports"))
    c.ports = {j["ports"].at(0).get<uint64_t>(), j["ports"].at(1).get<uint64_t>()};
  if (j.contains("attributes")) {
    for (const auto& [k, v] : j["attributes"].items())
      c.attributes.emplace_back(k, v.get<std::string>());
  }
  c.zone = j.value("zone", "");
  return c;
}

}  // namespace

std::string stateJson(const MasterState& state) {
  json doc = {{"agents", json::array()},
              {"frameworks", json::array()},
              {"tasks", json::array()},
              {"reservations", json::array()},
              {"volumes", json::array()}};
  for (const auto& [id, a] : state.agents()) {
    doc["agents"].push_back(agentJson(state, a));
    for (const mesos::Resource& r : a.total) {
      bool volume = r.disk && r.disk->persistence;
      if (volume) {
        json v = {{"agent_id", id}, {"path", state.volumePath(id, r)}};
        v["resource"] = json::parse(mesos::encodeJson(r));
        doc["volumes"].push_back(v);
      } else if (!r.reservations.empty() || r.reservation) {
        doc["reservations"].push_back(
            {{"agent_id", id}, {"resource", json::parse(mesos::encodeJson(r))}});
      }
    }
  }
  for (const auto& [id, fw] : state.frameworks()) {
    doc["frameworks"].push_back(
        {{"id", id}, {"name", fw.info.name}, {"roles", fw.roles()}, {"connected", fw.connected}});
  }
  for (const auto& [key, t] : state.tasks()) {
    doc["tasks"].push_back({{"id", t.info.taskId.value},
                            {"name", t.info.name},
                            {"framework_id", t.frameworkId},
                            {"agent_id", t.agentId},
                            {"executor_id", t.executorId},
                            {"state", std::string(mesos::enumName(t.latest.state))}});
  }
  return doc.dump();
}

class HttpServer::Impl {
 public:
  Impl(Master& master, HttpServerOptions options) : master_(master), options_(std::move(options)) {}

  Status bind() {
    int threads = options_.threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // A framework's calls reuse their connections (see CallConnections);
    // an idle one holds a thread only briefly.
    server_.set_keep_alive_max_count(kKeepAliveMaxCount);
    server_.set_keep_alive_timeout(kKeepAliveSeconds);
    server_.set_tcp_nodelay(true);
    routes();
    if (options_.port == 0) {
      port_ = server_.bind_to_any_port(options_.host);
    } else if (server_.bind_to_port(options_.host, options_.port)) {
      port_ = options_.port;
    }
    if (port_ <= 0) {
      return Status::ioError("cannot bind " + options_.host + ":" + std::to_string(options_.port));
    }
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      listenReturned_ = true;
    });
    // httplib's stop() is a no-op until the listen loop runs: a stop() right
    // after bind() would otherwise leave the loop running and join() hung.
    while (!server_.is_running() && !listenReturned_) std::this_thread::yield();
    return Status::ok();
  }

  void stop() {
    stopping_ = true;
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  int port_ = -1;

 private:
  std::atomic<bool> listenReturned_{false};
  void routes() {
    const char* api = "/api/v1/scheduler";
    server_.Post(api, [this](const httplib::Request& q, httplib::Response& s) { scheduler(q, s); });
    auto notPost = [](const httplib::Request& q, httplib::Response& s) {
      reply(s, methodNotAllowed(q.method));
    };
    server_.Get(api, notPost);
    server_.Put(api, notPost);
    server_.Delete(api, notPost);
    server_.Patch(api, notPost);
    server_.Get("/state", [this](const httplib::Request&, httplib::Response& s) {
      std::string body;
      master_.inspect([&](const MasterState& state) { body = stateJson(state); });
      reply(s, HttpReply::json(200, body));
    });
    server_.Post("/agents",
                 [this](const httplib::Request& q, httplib::Response& s) { addAgent(q, s); });
    server_.Post(R"(/agents/([^/]+)/down)",
                 [this](const httplib::Request& q, httplib::Response& s) {
                   replyStatus(s, master_.agentDown(q.matches[1]), "{}");
                 });
    server_.Post(R"(/agents/([^/]+)/up)", [this](const httplib::Request& q, httplib::Response& s) {
      replyStatus(s, master_.agentUp(q.matches[1]), "{}");
    });
    server_.Delete(R"(/agents/([^/]+))", [this](const httplib::Request& q, httplib::Response& s) {
      replyStatus(s, master_.removeAgent(q.matches[1]), "{}");
    });
  }

  void addAgent(const httplib::Request& q, httplib::Response& s) {
    json body = json::parse(q.body.empty() ? "{}" : q.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return reply(s, HttpReply::badRequest("expecting a JSON object"));
    }
    AgentConfig config;
    try {
      config = agentFromJson(body);
    } catch (const json::exception& e) {
      return reply(s, HttpReply::badRequest(e.what()));
    }
    Result<std::string> id = master_.addAgent(std::move(config));
    if (!id) return replyStatus(s, id.error(), "");
    reply(s, HttpReply::json(200, json({{"id", *id}}).dump()));
  }

  void scheduler(const httplib::Request& q, httplib::Response& s) {
    if (auto r = checkContentType(header(q, "Content-Type"))) return reply(s, *r);
    Result<mesos::Call> call = mesos::callFromJson(q.body, mesos::ErrorStyle::kMesos);
    if (!call) return reply(s, HttpReply::badRequest(call.error().message()));
    if (auto r = validateCall(*call)) return reply(s, *r);
    std::optional<std::string> streamId = header(q, std::string(kStreamIdHeader).c_str());
    if (*call->type != mesos::Call::Type::kSubscribe) {
      return reply(s, master_.call(*call, streamId));
    }
    if (streamId) {
      return reply(s, HttpReply::badRequest(
                          "Subscribe calls should not include the 'Mesos-Stream-Id' header"));
    }
    if (auto r = checkSubscribeAccept(header(q, "Accept"))) return reply(s, *r);
    subscribe(*call, s);
  }

  void subscribe(const mesos::Call& call, httplib::Response& s) {
    std::shared_ptr<EventStream> stream = master_.subscribe(call);
    s.status = 200;
    s.set_header(std::string(kStreamIdHeader), stream->id());
    Duration poll = options_.streamPoll;
    s.set_chunked_content_provider(
        std::string(kApplicationJson),
        [this, stream, poll](size_t, httplib::DataSink& sink) {
          bool ended = false;
          for (const std::string& record : stream->take(poll, ended)) {
            if (!sink.write(record.data(), record.size())) return false;
          }
          if (ended || stopping_) sink.done();
          return true;
        },
        [this, id = stream->id()](bool) { master_.streamClosed(id); });
  }

  Master& master_;
  HttpServerOptions options_;
  httplib::Server server_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::start(Master& master, HttpServerOptions options) {
  auto impl = std::make_unique<Impl>(master, std::move(options));
  KEEL_RETURN_IF_ERROR(impl->bind());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

int HttpServer::port() const { return impl_->port_; }

void HttpServer::stop() {
  if (impl_) impl_->stop();
}

}  // namespace keel::local
