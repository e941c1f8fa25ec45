// The server itself: binding, the owner hand-off and its timeout, routing
// misses, request logging, concurrent clients.
#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "http/fake_scheduler_api.h"
#include "keel/http/api_server.h"
#include "keel/http/executor.h"
#include "keel/log.h"

namespace keel::http {
namespace {

using namespace std::chrono_literals;

class ParkingExecutor final : public Executor {
 public:
  bool post(std::function<void()> work) override {
    std::lock_guard<std::mutex> lock(mu);
    parked.push_back(std::move(work));
    return true;
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu);
    return parked.size();
  }
  std::mutex mu;
  std::vector<std::function<void()>> parked;
};

void addPlans(FakeSchedulerApi& api) { api.addPlan(emptyRecoveryPlan(plan::seededIds(1))); }

TEST(ApiServer, AnswersOnTheBoundPortFromTheOwnerThread) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  EventLoop loop;
  std::thread owner([&] { loop.run(); });
  auto server = ApiServer::start(ServerOptions{}, loop, api);
  ASSERT_TRUE(server.has_value()) << server.status();
  EXPECT_NE((*server)->port(), 0);
  httplib::Client client("127.0.0.1", (*server)->port());
  auto r = client.Get("/v1/plans");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"(["recovery"])");
  (*server)->stop();
  loop.stop();
  owner.join();
}

// Sends `request` as is on a new connection and returns everything the server
// answers until it closes the connection.
std::string rawExchange(uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
  ::send(fd, request.data(), request.size(), 0);
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, size_t(n));
  ::close(fd);
  return answer;
}

TEST(ApiServer, TakesAPostWithoutContentLengthAsAnEmptyBody) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  EventLoop loop;
  std::thread owner([&] { loop.run(); });
  auto server = ApiServer::start(ServerOptions{}, loop, api);
  ASSERT_TRUE(server.has_value()) << server.status();
  std::string answer = rawExchange((*server)->port(),
                                   "POST /v1/plans/recovery/interrupt HTTP/1.1\r\n"
                                   "Host: localhost\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 2", 0), 0u) << answer;  // 200 or 208
  answer = rawExchange((*server)->port(),
                       "POST /v1/plans/nope/interrupt HTTP/1.1\r\n"
                       "Host: localhost\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 404", 0), 0u) << answer;
  (*server)->stop();
  loop.stop();
  owner.join();
}

TEST(ApiServer, RefusesAPortThatIsTaken) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  EventLoop loop;
  auto first = ApiServer::start(ServerOptions{}, loop, api);
  ASSERT_TRUE(first.has_value()) << first.status();
  ServerOptions same;
  same.port = (*first)->port();
  auto second = ApiServer::start(same, loop, api);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), StatusCode::kIoError);
  EXPECT_EQ(second.error().message(), "cannot listen on 127.0.0.1:" + std::to_string(same.port));
}

TEST(ApiServer, Answers503WhenTheOwnerDoesNotAnswerInTime) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  ParkingExecutor owner;
  ServerOptions options;
  options.ownerTimeout = 20ms;
  auto server = ApiServer::start(options, owner, api);
  ASSERT_TRUE(server.has_value()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto r = client.Get("/v1/plans/recovery");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->body, R"({"message":"the scheduler did not answer within 20 ms"})");
  (*server)->stop();
  server->reset();
  ASSERT_EQ(owner.count(), 1u);
  owner.parked[0]();  // the late answer, after the server is gone: harmless
}

TEST(ApiServer, ServesACurrentPlanRenderingWithoutTheOwner) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  EventLoop loop;
  std::thread owner([&] { loop.run(); });
  auto server = ApiServer::start(ServerOptions{}, loop, api);
  ASSERT_TRUE(server.has_value()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto rendered = client.Get("/v1/plans/recovery");
  ASSERT_TRUE(rendered);
  EXPECT_EQ(rendered->status, 200);
  loop.stop();
  owner.join();

  auto published = client.Get("/v1/plans/recovery");
  ASSERT_TRUE(published);
  EXPECT_EQ(published->status, 200);
  EXPECT_EQ(published->body, rendered->body);
  api.bumpVersion();  // the scheduler moved on: the rendering is stale
  auto stale = client.Get("/v1/plans/recovery");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 503);
  EXPECT_EQ(stale->body, R"j({"message":"the scheduler is not accepting work (stopped)"})j");
}

TEST(ApiServer, AnswersUnknownRoutesWithoutTheOwner) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  ParkingExecutor owner;
  auto server = ApiServer::start(ServerOptions{}, owner, api);
  ASSERT_TRUE(server.has_value()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  auto missing = client.Get("/v1/nothing/here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"message":"No route for GET /v1/nothing/here"})");
  auto method = client.Delete("/v1/plans");
  ASSERT_TRUE(method);
  EXPECT_EQ(method->status, 405);
  EXPECT_EQ(owner.count(), 0u);
}

TEST(ApiServer, LogsOneLinePerRequest) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  EventLoop loop;
  std::thread owner([&] { loop.run(); });
  auto server = ApiServer::start(ServerOptions{}, loop, api);
  ASSERT_TRUE(server.has_value()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  setLogLevel(LogLevel::kInfo);
  ::testing::internal::CaptureStderr();
  auto r = client.Get("/v1/plans/recovery?x=1");
  (*server)->stop();  // the access log is written by the time stop() returns
  std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(r);
  EXPECT_NE(log.find("INFO  [http] GET /v1/plans/recovery?x=1 status=200 ms="), std::string::npos)
      << log;
  loop.stop();
  owner.join();
}

TEST(ApiServer, ServesConcurrentClients) {
  FakeSchedulerApi api("data-store");
  addPlans(api);
  EventLoop loop;
  std::thread owner([&] { loop.run(); });
  ServerOptions options;
  options.threads = 4;
  auto server = ApiServer::start(options, loop, api);
  ASSERT_TRUE(server.has_value()) << server.status();
  setLogLevel(LogLevel::kWarn);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", (*server)->port());
      client.set_keep_alive(true);
      for (int i = 0; i < 50; ++i) {
        auto r = client.Get("/v1/plans/recovery");
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  setLogLevel(LogLevel::kInfo);
  EXPECT_EQ(ok.load(), 200);
  (*server)->stop();
  loop.stop();
  owner.join();
}

}  // namespace
}  // namespace keel::http
