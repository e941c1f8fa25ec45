#include "cluster/mesos/client_fake_master.h"

#include <nlohmann/json.hpp>

#include "keel/mesos/recordio.h"

namespace keel::mesos::testing {
namespace {

using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(20);

std::string subscribedEvent(const std::string& frameworkId, double heartbeatSeconds) {
  Json event = {{"type", "SUBSCRIBED"},
                {"subscribed",
                 {{"framework_id", {{"value", frameworkId}}},
                  {"heartbeat_interval_seconds", heartbeatSeconds}}}};
  return event.dump();
}

std::optional<std::string> header(const httplib::Request& req, const char* name) {
  if (!req.has_header(name)) return std::nullopt;
  return req.get_header_value(name);
}

}  // namespace

struct FakeMaster::Stream {
  std::string id;
  std::string pending;
  std::chrono::milliseconds heartbeatEvery{0};
  SteadyClock::time_point nextHeartbeat;
  size_t chunkIndex = 0;
  bool dropped = false;
};

FakeMaster::FakeMaster() {
  server_.set_keep_alive_max_count(1);
  server_.Post("/api/v1/scheduler",
               [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() before the accept loop runs would be lost; wait for it to start.
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeMaster::~FakeMaster() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  changed_.notify_all();
  server_.stop();
  thread_.join();
}

std::string FakeMaster::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeMaster::script(SubscribeScript next) {
  std::lock_guard lock(mu_);
  scripts_.push_back(std::move(next));
}

void FakeMaster::setFallback(SubscribeScript fallback) {
  std::lock_guard lock(mu_);
  fallback_ = std::move(fallback);
}

void FakeMaster::answerCalls(int status, std::string body) {
  std::lock_guard lock(mu_);
  callStatus_ = status;
  callBody_ = std::move(body);
}

void FakeMaster::requireAuthorization(std::string value) {
  std::lock_guard lock(mu_);
  requiredAuthorization_ = std::move(value);
}

void FakeMaster::setChunkSizes(std::vector<size_t> sizes) {
  std::lock_guard lock(mu_);
  chunkSizes_ = std::move(sizes);
}

void FakeMaster::push(const std::string& json) {
  {
    std::lock_guard lock(mu_);
    for (auto& stream : streams_) stream->pending += encodeRecordIo(json);
  }
  changed_.notify_all();
}

void FakeMaster::dropStreams() {
  {
    std::lock_guard lock(mu_);
    for (auto& stream : streams_) stream->dropped = true;
  }
  changed_.notify_all();
}

void FakeMaster::silenceStreams() {
  std::lock_guard lock(mu_);
  for (auto& stream : streams_) stream->heartbeatEvery = std::chrono::milliseconds(0);
}

std::vector<RecordedRequest> FakeMaster::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::vector<RecordedRequest> FakeMaster::requestsOfType(const std::string& callType) const {
  std::vector<RecordedRequest> out;
  for (RecordedRequest& r : requests()) {
    if (r.callType == callType) out.push_back(std::move(r));
  }
  return out;
}

int FakeMaster::openStreams() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(streams_.size());
}

std::string FakeMaster::currentStreamId() const {
  std::lock_guard lock(mu_);
  return currentStreamId_;
}

void FakeMaster::handle(const httplib::Request& req, httplib::Response& res) {
  RecordedRequest recorded{req.method,
                           req.path,
                           req.get_header_value("Content-Type"),
                           req.get_header_value("Accept"),
                           header(req, "Mesos-Stream-Id"),
                           header(req, "Authorization"),
                           req.body,
                           Json::parse(req.body, nullptr, false).value("type", ""),
                           req.remote_port};
  std::unique_lock lock(mu_);
  requests_.push_back(recorded);
  if (requiredAuthorization_ && recorded.authorization != requiredAuthorization_) {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Basic realm=\"mesos-master-scheduler\"");
    res.set_content("401 Unauthorized.", "text/plain; charset=utf-8");
    return;
  }
  if (recorded.callType == "SUBSCRIBE") {
    if (recorded.streamId) {
      res.status = 400;
      res.set_content("Subscribe calls should not include the 'Mesos-Stream-Id' header",
                      "text/plain; charset=utf-8");
      return;
    }
    lock.unlock();
    answerSubscribe(req, res);
    return;
  }
  if (recorded.streamId != currentStreamId_) {
    res.status = 400;
    res.set_content(recorded.streamId ? "The stream ID included in this request didn't match"
                                      : "All non-subscribe calls should include the "
                                        "'Mesos-Stream-Id' header",
                    "text/plain; charset=utf-8");
    return;
  }
  res.status = callStatus_;
  if (!callBody_.empty()) res.set_content(callBody_, "text/plain; charset=utf-8");
}

void FakeMaster::answerSubscribe(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard lock(mu_);
  SubscribeScript script = scripts_.empty() ? fallback_ : scripts_.front();
  if (!scripts_.empty()) scripts_.pop_front();
  if (script.status != 200) {
    res.status = script.status;
    if (!script.location.empty()) res.set_header("Location", script.location);
    res.set_content(script.body, "text/plain; charset=utf-8");
    return;
  }
  // As the real master does, a new subscription closes the previous one.
  for (auto& old : streams_) old->dropped = true;
  changed_.notify_all();
  auto stream = std::make_shared<Stream>();
  stream->id = "stream-" + std::to_string(++streamCounter_);
  stream->heartbeatEvery = script.heartbeatEvery;
  stream->nextHeartbeat = SteadyClock::now() + script.heartbeatEvery;
  Json body = Json::parse(req.body, nullptr, false);
  std::string frameworkId = script.frameworkId;
  if (body.contains("framework_id")) frameworkId = body["framework_id"].value("value", frameworkId);
  stream->pending = script.rawStream.empty()
                        ? encodeRecordIo(subscribedEvent(frameworkId, script.heartbeatSeconds))
                        : script.rawStream;
  streams_.push_back(stream);
  currentStreamId_ = stream->id;
  res.set_header("Mesos-Stream-Id", stream->id);
  res.set_chunked_content_provider(
      "application/json",
      [this, stream](size_t, httplib::DataSink& sink) { return writeStream(*stream, sink); },
      [this, stream](bool) {
        std::lock_guard lock(mu_);
        std::erase(streams_, stream);
      });
}

bool FakeMaster::writeStream(Stream& stream, httplib::DataSink& sink) {
  std::unique_lock lock(mu_);
  auto wakeAt = SteadyClock::now() + kPoll;
  if (stream.heartbeatEvery.count() > 0) wakeAt = std::min(wakeAt, stream.nextHeartbeat);
  changed_.wait_until(lock, wakeAt,
                      [&] { return closing_ || stream.dropped || !stream.pending.empty(); });
  if (closing_ || stream.dropped) return false;
  auto now = SteadyClock::now();
  if (stream.heartbeatEvery.count() > 0 && now >= stream.nextHeartbeat) {
    stream.pending += encodeRecordIo(R"({"type":"HEARTBEAT"})");
    stream.nextHeartbeat = now + stream.heartbeatEvery;
  }
  std::string out;
  out.swap(stream.pending);
  std::vector<size_t> sizes = chunkSizes_;
  size_t index = stream.chunkIndex;
  lock.unlock();
  for (size_t pos = 0; pos < out.size();) {
    size_t n = std::min(std::max<size_t>(1, sizes[index++ % sizes.size()]), out.size() - pos);
    if (!sink.write(out.data() + pos, n)) return false;
    pos += n;
  }
  lock.lock();
  stream.chunkIndex = index;
  return true;
}

}  // namespace keel::mesos::testing
