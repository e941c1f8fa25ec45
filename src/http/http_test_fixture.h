// The route tests' world: the data-store deploy plan (generated from
// examples/data-store/svc.yml) and an empty recovery plan in a
// FakeSchedulerApi, owned by an EventLoop thread, served by a real ApiServer
// on 127.0.0.1 (port 0), spoken to with httplib::Client.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "http/fake_scheduler_api.h"
#include "keel/http/api_server.h"
#include "keel/http/executor.h"
#include "keel/plan_generator.h"
#include "testing/paths.h"

namespace keel::http::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::string contentType;
  nlohmann::ordered_json json;  // discarded when the body is not JSON
};

class HttpRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto spec = loadDataStoreSpec(keel::testing::sourceDir(), {});
    ASSERT_TRUE(spec.has_value()) << spec.status();
    auto ids = plan::seededIds(1000);
    auto deploy = plan::generateDeployPlan(*spec, ids);
    ASSERT_TRUE(deploy.has_value()) << deploy.status();
    api_.addTasksFromPlan(*deploy, {{4388, 4388}});
    api_.addPlan(std::move(*deploy));
    api_.addPlan(emptyRecoveryPlan(ids));
    api_.framework = "framework-1";
    startServer(ServerOptions{});
  }

  void startServer(ServerOptions options) {
    owner_ = std::thread([this] { loop_.run(); });
    auto server = ApiServer::start(options, loop_, api_);
    ASSERT_TRUE(server.has_value()) << server.status();
    server_ = std::move(*server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  void TearDown() override {
    if (server_) server_->stop();
    loop_.stop();
    if (owner_.joinable()) owner_.join();
  }

  Reply send(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Result r = method == "GET"    ? client_->Get(path)
                        : method == "POST" ? client_->Post(path, body, "application/json")
                        : method == "PUT"  ? client_->Put(path, body, "application/json")
                                           : client_->Delete(path);
    Reply out;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": no response (" << httplib::to_string(r.error())
                    << ")";
      return out;
    }
    out.status = r->status;
    out.body = r->body;
    out.contentType = r->get_header_value("Content-Type");
    out.json = nlohmann::ordered_json::parse(r->body, nullptr, false);
    return out;
  }
  Reply get(const std::string& path) { return send("GET", path); }
  Reply post(const std::string& path, const std::string& body = "") {
    return send("POST", path, body);
  }

  // Runs `fn` on the owner thread (the fake is the owner's) and returns.
  template <typename T>
  T onOwner(std::function<T()> fn) {
    auto r = callOn<T>(loop_, std::move(fn), std::chrono::seconds(10));
    EXPECT_TRUE(r.has_value()) << r.status();
    return std::move(*r);
  }
  void onOwnerDo(std::function<void()> fn) {
    onOwner<bool>([&] {
      fn();
      return true;
    });
  }

  EventLoop loop_;
  std::thread owner_;
  FakeSchedulerApi api_{"data-store"};
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace keel::http::testing
