// HttpServer through real HTTP on 127.0.0.1 (port 0) with httplib::Client:
// the recorded requests replayed against the recorded answers, SUBSCRIBE's
// stream compared in shape with the recorded events, fault injection.
#include "cluster/local/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cluster/local/fake_agent_runtime.h"
#include "keel/mesos/recordio.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel::local {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kRecordedMaster = "79047ba7-2a31-4224-9278-d451e3538a71";

std::string fixture(const std::string& name) {
  std::ifstream in(keel::testing::sharedDir() + "/fixtures/mesos-v1/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct RecordedAnswer {
  int status = 0;
  std::string body;
};

RecordedAnswer recordedAnswer(const std::string& name) {
  std::string text = fixture(name);
  RecordedAnswer a;
  a.status = std::stoi(text.substr(9, 3));
  a.body = text.substr(text.find("\r\n\r\n") + 4);
  return a;
}

// Every key of `want` is in `have` with the same JSON type, recursively
// (arrays: their first elements).
void expectSameShape(const json& want, const json& have, const std::string& path) {
  bool number = want.is_number() && have.is_number();
  ASSERT_TRUE(number || want.type() == have.type()) << path << ": " << have.dump();
  if (want.is_object()) {
    for (const auto& [k, v] : want.items()) {
      ASSERT_TRUE(have.contains(k)) << path << "." << k << " missing in " << have.dump();
      expectSameShape(v, have[k], path + "." + k);
    }
  } else if (want.is_array() && !want.empty()) {
    ASSERT_FALSE(have.empty()) << path;
    expectSameShape(want[0], have[0], path + "[0]");
  }
}

// Sends `request` as is (httplib's client always adds a Content-Type) and
// reads the whole answer.
std::string rawRequest(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) answer.append(buf, n);
  }
  ::close(fd);
  return answer;
}

// A SUBSCRIBE connection read on its own thread.
class StreamReader {
 public:
  StreamReader(int port, const std::string& body) {
    thread_ = std::thread([this, port, body] {
      httplib::Client client("127.0.0.1", port);
      httplib::Request req;
      req.method = "POST";
      req.path = "/api/v1/scheduler";
      req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
      req.body = body;
      req.response_handler = [this](const httplib::Response& r) {
        std::lock_guard lock(mu_);
        status_ = r.status;
        streamId_ = r.get_header_value("Mesos-Stream-Id");
        cv_.notify_all();
        return true;
      };
      req.content_receiver = [this](const char* data, size_t n, uint64_t, uint64_t) {
        std::lock_guard lock(mu_);
        auto records = decoder_.feed(std::string_view(data, n));
        for (std::string& r : *records) records_.push_back(json::parse(r));
        cv_.notify_all();
        return !stop_;
      };
      httplib::Response res;
      httplib::Error error;
      client.send(req, res, error);
    });
  }
  ~StreamReader() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    thread_.join();
  }
  // The first event of `type` (5 s deadline).
  std::optional<json> waitFor(const std::string& type) {
    std::unique_lock lock(mu_);
    std::optional<json> found;
    cv_.wait_for(lock, 5s, [&] {
      for (const json& r : records_) {
        if (r.value("type", "") == type) found = r;
      }
      return found.has_value();
    });
    return found;
  }
  int status() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 5s, [&] { return status_ != 0; });
    return status_;
  }
  std::string streamId() {
    status();
    std::lock_guard lock(mu_);
    return streamId_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int status_ = 0;
  std::string streamId_;
  mesos::RecordIoDecoder decoder_;
  std::vector<json> records_;
  bool stop_ = false;
  std::thread thread_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MasterLoopOptions o;
    o.master.masterId = kRecordedMaster;
    o.master.stateDir = dir_.path().string();
    o.master.heartbeatInterval = 100ms;
    o.tickInterval = 20ms;
    o.allocationInterval = 20ms;
    o.idleWait = 20ms;
    AgentConfig agent;
    agent.diskMb = 4096;
    agent.attributes = {{"rack", "r1"}};
    o.agents = {agent};
    o.makeRuntime = [this](
                        const AgentConfig&,
                        std::function<void()> onEvents) -> Result<std::unique_ptr<AgentRuntime>> {
      return std::unique_ptr<AgentRuntime>(
          std::make_unique<FakeRuntime>(shared_, std::move(onEvents)));
    };
    master_ = *Master::start(std::move(o));
    server_ = *HttpServer::start(*master_, HttpServerOptions{});
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  void TearDown() override {
    server_->stop();
    master_->stop();
  }

  httplib::Result post(const std::string& body, httplib::Headers headers,
                       const char* contentType = "application/json") {
    return client_->Post("/api/v1/scheduler", headers, body, contentType);
  }

  testing::TempDir dir_;
  std::shared_ptr<FakeRuntime::Shared> shared_ = std::make_shared<FakeRuntime::Shared>();
  std::unique_ptr<Master> master_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpServerTest, SubscribeStreamsSubscribedAndOffersShapedLikeTheRealMasters) {
  StreamReader stream(server_->port(), fixture("subscribe-request.json"));
  EXPECT_EQ(stream.status(), 200);
  EXPECT_FALSE(stream.streamId().empty());
  std::optional<json> subscribed = stream.waitFor("SUBSCRIBED");
  ASSERT_TRUE(subscribed.has_value());
  expectSameShape(json::parse(fixture("event-subscribed.json")), *subscribed, "subscribed");
  std::optional<json> offers = stream.waitFor("OFFERS");
  ASSERT_TRUE(offers.has_value());
  expectSameShape(json::parse(fixture("event-offers.json")), *offers, "offers");
  std::optional<json> heartbeat = stream.waitFor("HEARTBEAT");
  EXPECT_TRUE(heartbeat.has_value());

  json decline = json::parse(fixture("decline.json"));
  decline["decline"]["offer_ids"][0]["value"] = (*offers)["offers"]["offers"][0]["id"]["value"];
  auto res = post(decline.dump(), {{"Mesos-Stream-Id", stream.streamId()}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 202);
  EXPECT_EQ(res->get_header_value("Content-Length"), "0");
  EXPECT_TRUE(res->body.empty());
  server_->stop();
}

TEST_F(HttpServerTest, RecordedBadRequestsGetTheRealMastersCodesAndTexts) {
  StreamReader stream(server_->port(), fixture("subscribe-request.json"));
  ASSERT_TRUE(stream.waitFor("SUBSCRIBED").has_value());
  httplib::Headers withId = {{"Mesos-Stream-Id", stream.streamId()}};
  struct Case {
    std::string request, response;
    httplib::Headers headers;
    const char* contentType;
  };
  std::vector<Case> cases = {
      {"err-bad-json.json", "err-bad-json.response.txt", withId, "application/json"},
      {"err-charset-content-type.json", "err-charset-content-type.response.txt", withId,
       "application/json; charset=utf-8"},
      {"err-enum-as-number.json", "err-enum-as-number.response.txt", withId, "application/json"},
      {"err-limits-bare-number.json", "err-limits-bare-number.response.txt", withId,
       "application/json"},
      {"err-missing-required.json", "err-missing-required.response.txt", withId,
       "application/json"},
      {"err-unknown-framework.json", "err-unknown-framework.response.txt", withId,
       "application/json"},
      {"err-no-stream-id.json", "err-no-stream-id.response.txt", {}, "application/json"},
      {"unknown-field-ignored.json", "unknown-field-ignored.response.txt", withId,
       "application/json"},
      {"revive.json", "response-202-accepted.txt", withId, "application/json"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.request);
    auto res = post(fixture(c.request), c.headers, c.contentType);
    ASSERT_TRUE(res);
    RecordedAnswer want = recordedAnswer(c.response);
    EXPECT_EQ(res->status, want.status);
    EXPECT_EQ(res->body, want.body);
  }
  auto get = client_->Get("/api/v1/scheduler");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->body, recordedAnswer("err-get-method.response.txt").body);
  EXPECT_EQ(get->get_header_value("Allow"), "POST");

  std::string body = fixture("revive.json");
  std::string raw = rawRequest(server_->port(),
                               "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\n"
                               "Connection: close\r\nContent-Length: " +
                                   std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(raw.substr(0, 12), "HTTP/1.1 400");
  EXPECT_EQ(raw.substr(raw.find("\r\n\r\n") + 4),
            recordedAnswer("err-no-content-type.response.txt").body);

  auto html = post(fixture("subscribe-request.json"), {{"Accept", "text/html"}});
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 406);
  EXPECT_EQ(html->body, recordedAnswer("err-subscribe-accept-html.response.txt").body);
  server_->stop();
}

TEST_F(HttpServerTest, AgentsAreAddedTakenDownAndRemovedOverHttp) {
  auto added = client_->Post("/agents", R"({"cpus":4,"mem":1024,"attributes":{"zone":"b"}})",
                             "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200) << added->body;
  std::string id = json::parse(added->body)["id"];
  EXPECT_EQ(client_->Post("/agents/" + id + "/down")->status, 200);
  auto state = client_->Get("/state");
  ASSERT_TRUE(state);
  json doc = json::parse(state->body);
  ASSERT_EQ(doc["agents"].size(), 2u);
  EXPECT_EQ(doc["agents"][1]["health"], "DOWN");
  EXPECT_EQ(doc["agents"][1]["attributes"]["zone"], "b");
  EXPECT_EQ(client_->Post("/agents/" + id + "/up")->status, 200);
  EXPECT_EQ(client_->Delete("/agents/" + id)->status, 200);
  EXPECT_EQ(client_->Delete("/agents/" + id)->status, 404);
  EXPECT_EQ(client_->Post("/agents/nope/down")->status, 404);
}

}  // namespace
}  // namespace keel::local
