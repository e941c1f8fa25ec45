#include "cluster/mesos/http_transport.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace keel::mesos {
namespace {

// A scheduler endpoint that answers 202 and records the client port of
// each request (one port per connection). `keepAlive` false closes every
// connection after its response (`Connection: close`). With `holdFor` > 0
// a request is answered only once that many are in flight.
class PortRecorder {
 public:
  explicit PortRecorder(bool keepAlive, int holdFor = 0) : holdFor_(holdFor) {
    if (!keepAlive) server_.set_keep_alive_max_count(1);
    server_.Post("/api/v1/scheduler", [this](const httplib::Request& req, httplib::Response& res) {
      std::unique_lock lock(mu_);
      ports_.push_back(req.remote_port);
      ++arrived_;
      cv_.notify_all();
      cv_.wait(lock, [&] { return arrived_ >= holdFor_; });
      res.status = 202;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();  // stop() before listen would be lost
  }
  ~PortRecorder() {
    server_.stop();
    thread_.join();
  }
  MasterEndpoint endpoint() const {
    return parseMasterUrl("127.0.0.1:" + std::to_string(port_)).value();
  }
  std::vector<int> ports() {
    std::lock_guard lock(mu_);
    return ports_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<int> ports_;
  int arrived_ = 0;
  int holdFor_;
};

size_t distinct(const std::vector<int>& ports) {
  return std::set<int>(ports.begin(), ports.end()).size();
}

TEST(CallConnections, CallsOneAfterTheOtherReuseOneConnection) {
  PortRecorder master(true);
  CallConnections calls(HttpOptions{});
  for (int i = 0; i < 3; ++i) {
    auto reply = calls.post(master.endpoint(), "{}", std::string("stream-1"));
    ASSERT_TRUE(reply) << reply.error();
    EXPECT_EQ(reply->status, 202);
  }
  ASSERT_EQ(master.ports().size(), 3u);
  EXPECT_EQ(distinct(master.ports()), 1u);
  EXPECT_EQ(calls.idle(), 1u);
}

TEST(CallConnections, AConnectionTheServerClosesIsNotReused) {
  PortRecorder master(false);
  CallConnections calls(HttpOptions{});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(calls.post(master.endpoint(), "{}", std::nullopt));
  EXPECT_EQ(distinct(master.ports()), 3u);
  EXPECT_EQ(calls.idle(), 0u);
}

TEST(CallConnections, AConnectionIdleLongerThanAllowedIsNotReused) {
  PortRecorder master(true);
  CallConnections calls(HttpOptions{}, std::chrono::milliseconds(0));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(calls.post(master.endpoint(), "{}", std::nullopt));
  EXPECT_EQ(distinct(master.ports()), 3u);
}

// Calls in flight together never share a connection; afterwards at most
// kMaxIdle are kept.
TEST(CallConnections, CallsAtTheSameTimeGoOnConnectionsOfTheirOwn) {
  constexpr int kCalls = 6;
  PortRecorder master(true, kCalls);  // nothing is answered before all arrived
  CallConnections calls(HttpOptions{});
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&] { EXPECT_TRUE(calls.post(master.endpoint(), "{}", std::nullopt)); });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(distinct(master.ports()), static_cast<size_t>(kCalls));
  EXPECT_EQ(calls.idle(), CallConnections::kMaxIdle);
}

TEST(CallConnections, AMasterThatIsNotThereIsUnavailable) {
  CallConnections calls(HttpOptions{});
  auto reply = calls.post(parseMasterUrl("127.0.0.1:1").value(), "{}", std::nullopt);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(calls.idle(), 0u);
}

}  // namespace
}  // namespace keel::mesos
