// httpGet against a real HTTP server on loopback (cpp-httplib, port 0).
#include "cluster/local/http_get.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "testing/poll.h"

namespace keel::local {
namespace {

class HttpGetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/plain", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100000, 'p'), "text/plain");
    });
    server_.Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
        if (offset < 30000) {
          std::string piece(10000, 'c');
          sink.write(piece.data(), piece.size());
        } else {
          sink.done();
        }
        return true;
      });
    });
    server_.Get("/moved", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/plain");
    });
    server_.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("no", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    ASSERT_TRUE(
        keel::testing::pollUntil([&] { return server_.is_running(); }, std::chrono::seconds(10)));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The status and the body received.
  std::pair<Result<int>, std::string> get(const std::string& path, int redirects = 0) {
    std::string body;
    HttpGetOptions options;
    options.maxRedirects = redirects;
    Result<int> status = httpGet(url(path), options, [&](std::string_view piece) {
      body.append(piece);
      return true;
    });
    return {status, body};
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(HttpGetTest, ReadsABodyWithContentLength) {
  auto [status, body] = get("/plain");
  ASSERT_TRUE(status) << status.error();
  EXPECT_EQ(*status, 200);
  EXPECT_EQ(body, std::string(100000, 'p'));
}

TEST_F(HttpGetTest, ReadsAChunkedBody) {
  auto [status, body] = get("/chunked");
  ASSERT_TRUE(status) << status.error();
  EXPECT_EQ(*status, 200);
  EXPECT_EQ(body, std::string(30000, 'c'));
}

TEST_F(HttpGetTest, FollowsRedirectsOnlyWhenAllowed) {
  auto [followed, body] = get("/moved", 1);
  ASSERT_TRUE(followed) << followed.error();
  EXPECT_EQ(*followed, 200);
  EXPECT_EQ(body.size(), 100000u);
  auto [notFollowed, none] = get("/moved");
  ASSERT_TRUE(notFollowed) << notFollowed.error();
  EXPECT_EQ(*notFollowed, 302);
  EXPECT_TRUE(none.empty());
}

TEST_F(HttpGetTest, AnErrorStatusIsReturnedWithoutItsBody) {
  auto [status, body] = get("/missing");
  ASSERT_TRUE(status) << status.error();
  EXPECT_EQ(*status, 404);
  EXPECT_TRUE(body.empty());
}

TEST_F(HttpGetTest, UnreachableServersAndOtherSchemesAreErrors) {
  server_.stop();
  thread_.join();
  thread_ = std::thread([] {});
  auto refused = httpGet(url("/plain"), HttpGetOptions{});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), StatusCode::kUnavailable);
  auto https = httpGet("https://127.0.0.1/", HttpGetOptions{});
  ASSERT_FALSE(https);
  EXPECT_EQ(https.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace keel::local
