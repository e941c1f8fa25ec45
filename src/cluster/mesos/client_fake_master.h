// FakeMaster: a scripted Mesos master for MesosClient's tests, on
// httplib::Server at 127.0.0.1 (port chosen by the kernel). It records every
// request, answers SUBSCRIBE as scripted (an HTTP error, a redirect, or a
// RecordIO event stream cut into odd chunk sizes, with optional heartbeats),
// answers other calls 202 (or as told), and checks Mesos-Stream-Id the way
// the real master does. Test-only.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace keel::mesos::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string contentType;
  std::string accept;
  std::optional<std::string> streamId;       // Mesos-Stream-Id, when sent
  std::optional<std::string> authorization;  // Authorization, when sent
  std::string body;
  std::string callType;  // "SUBSCRIBE", "DECLINE", ... from the body
  int remotePort = 0;    // tells connections apart
};

// How to answer one SUBSCRIBE.
struct SubscribeScript {
  int status = 200;
  std::string location;  // for 307
  std::string body;      // for non-200
  // For 200: sent first, as is (already RecordIO-framed), e.g. a recorded
  // stream. When empty, a SUBSCRIBED event is generated: framework id from
  // the request (or `frameworkId`), heartbeat_interval_seconds below.
  std::string rawStream;
  std::string frameworkId = "fw-1";
  double heartbeatSeconds = 15.0;
  // Send HEARTBEAT every `heartbeatEvery` (0 = never).
  std::chrono::milliseconds heartbeatEvery{0};
};

class FakeMaster {
 public:
  FakeMaster();
  ~FakeMaster();
  FakeMaster(const FakeMaster&) = delete;
  FakeMaster& operator=(const FakeMaster&) = delete;

  int port() const { return port_; }
  std::string url() const;  // http://127.0.0.1:<port>

  // Scripts for the next SUBSCRIBEs, in order; when none is left,
  // `fallback` (default: a 200 stream as SubscribeScript's defaults).
  void script(SubscribeScript next);
  void setFallback(SubscribeScript fallback);
  // The HTTP status and body for non-SUBSCRIBE calls (default 202, "").
  void answerCalls(int status, std::string body = "");
  // Require `Authorization: <value>`; others get 401 + WWW-Authenticate.
  void requireAuthorization(std::string value);
  // Chunk sizes the stream bytes are cut into, cycled (default {1, 7, 3, 64, 13}).
  void setChunkSizes(std::vector<size_t> sizes);

  // Frames `json` as one RecordIO record and sends it on every open stream.
  void push(const std::string& json);
  // Closes every open stream abruptly (no final chunk).
  void dropStreams();
  // Stops all heartbeats on the open streams (they stay open and silent).
  void silenceStreams();

  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> requestsOfType(const std::string& callType) const;
  int openStreams() const;
  std::string currentStreamId() const;

 private:
  struct Stream;
  void handle(const httplib::Request& req, httplib::Response& res);
  void answerSubscribe(const httplib::Request& req, httplib::Response& res);
  bool writeStream(Stream& stream, httplib::DataSink& sink);

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<SubscribeScript> scripts_;
  SubscribeScript fallback_;
  int callStatus_ = 202;
  std::string callBody_;
  std::optional<std::string> requiredAuthorization_;
  std::vector<size_t> chunkSizes_{1, 7, 3, 64, 13};
  std::vector<RecordedRequest> requests_;
  std::vector<std::shared_ptr<Stream>> streams_;
  std::string currentStreamId_;
  int streamCounter_ = 0;
  bool closing_ = false;
};

}  // namespace keel::mesos::testing
