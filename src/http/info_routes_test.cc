// /v1/endpoints, /v1/configurations, /v1/state, /v1/health and
// /v2/debug/offers over real HTTP.
#include <string>
#include <vector>

#include "http/http_test_fixture.h"

namespace keel::http::testing {
namespace {

using nlohmann::ordered_json;

constexpr const char* kConfigA = "11111111-1111-4111-8111-111111111111";
constexpr const char* kConfigB = "22222222-2222-4222-8222-222222222222";

class InfoRoutes : public HttpRoutesTest {
 protected:
  void advertise() {
    onOwnerDo([&] {
      api_.ports = {
          {"data-port", "data-0-node", "10.0.0.1", 4388, "", 0},
          {"data-port", "data-1-node", "10.0.0.2", 4388, "", 0},
          {"db", "meta-data-0-node", "10.0.0.3", 5000, "db", 5432},
      };
      api_.custom = {{"zookeeper", "zk-1:2181,zk-2:2181"}};
    });
  }
};

TEST_F(InfoRoutes, ListsEndpointNamesFromPortsAndCustomEndpoints) {
  EXPECT_EQ(get("/v1/endpoints").json, ordered_json::array());
  advertise();
  Reply r = get("/v1/endpoints");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json, ordered_json::parse(R"(["data-port","db","zookeeper"])"));
}

TEST_F(InfoRoutes, ShowsAnEndpointsAddressesAndDiscoveryNames) {
  advertise();
  Reply r = get("/v1/endpoints/data-port");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json, ordered_json::parse(R"({
      "address": ["10.0.0.1:4388", "10.0.0.2:4388"],
      "dns": ["data-0-node.data-store.keel.local:4388", "data-1-node.data-store.keel.local:4388"]
  })"));
  Reply vip = get("/v1/endpoints/db");
  EXPECT_EQ(vip.json["vip"], "db.data-store.l4lb.keel.local:5432");
  EXPECT_EQ(vip.json["dns"][0], "meta-data-0-node.data-store.keel.local:5000");

  Reply custom = get("/v1/endpoints/zookeeper");
  EXPECT_EQ(custom.status, 200);
  EXPECT_EQ(custom.body, "zk-1:2181,zk-2:2181");
  EXPECT_EQ(custom.contentType.rfind("text/plain", 0), 0u) << custom.contentType;

  Reply unknown = get("/v1/endpoints/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json["message"], "Endpoint nope not found");
}

TEST_F(InfoRoutes, ServesConfigurationsByIdAndTheTarget) {
  onOwnerDo([&] {
    api_.configurations = {{kConfigA, R"({"name":"data-store","v":1})"},
                           {kConfigB, R"({"name":"data-store","v":2})"}};
    api_.target = kConfigB;
  });
  struct Row {
    std::string path;
    int status;
    std::string json;  // expected body, or the message when an error
  };
  std::vector<Row> rows = {
      {"/v1/configurations", 200, std::string(R"([")") + kConfigA + R"(",")" + kConfigB + R"("])"},
      {"/v1/configurations/targetId", 200, std::string(R"([")") + kConfigB + R"("])"},
      {"/v1/configurations/target", 200, R"({"name":"data-store","v":2})"},
      {std::string("/v1/configurations/") + kConfigA, 200, R"({"name":"data-store","v":1})"},
      {"/v1/configurations/33333333-3333-4333-8333-333333333333", 404,
       R"({"message":"Configuration 33333333-3333-4333-8333-333333333333 not found"})"},
      {"/v1/configurations/latest", 400, R"({"message":"Configuration id latest is not a UUID"})"},
  };
  for (const Row& row : rows) {
    Reply r = get(row.path);
    EXPECT_EQ(r.status, row.status) << row.path;
    EXPECT_EQ(r.json, ordered_json::parse(row.json)) << row.path << ": " << r.body;
  }
  onOwnerDo([&] { api_.target.reset(); });
  EXPECT_EQ(get("/v1/configurations/target").status, 404);
  EXPECT_EQ(get("/v1/configurations/targetId").status, 404);
}

TEST_F(InfoRoutes, ServesTheFrameworkIdAndProperties) {
  onOwnerDo([&] { api_.properties = {{"last-completed-update-type", R"("DEPLOY")"}}; });
  EXPECT_EQ(get("/v1/state/frameworkId").json, ordered_json::parse(R"(["framework-1"])"));
  EXPECT_EQ(get("/v1/state/properties").json,
            ordered_json::parse(R"(["last-completed-update-type"])"));
  Reply value = get("/v1/state/properties/last-completed-update-type");
  EXPECT_EQ(value.status, 200);
  EXPECT_EQ(value.json, "DEPLOY");
  Reply unknown = get("/v1/state/properties/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json["message"], "Property nope not found");

  onOwnerDo([&] { api_.framework.reset(); });
  Reply none = get("/v1/state/frameworkId");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.json["message"], "Framework ID not found");
}

TEST_F(InfoRoutes, AnswersHealthWithTheCodeAsHttpStatus) {
  struct Row {
    const char* state;
    std::function<void(FakeSchedulerApi&)> make;
    int code;
  };
  std::vector<Row> rows = {
      {"deploying", [](FakeSchedulerApi&) {}, 204},
      {"not registered", [](FakeSchedulerApi& api) { api.framework.reset(); }, 318},
      {"deployed", [](FakeSchedulerApi& api) { api.findPlan("deploy")->forceComplete(); }, 200},
      {"plan error",
       [](FakeSchedulerApi& api) {
         ASSERT_TRUE(api.findPlan("deploy")->phases()[0].steps()[0].markError("boom").isOk());
       },
       500},
  };
  for (const Row& row : rows) {
    onOwnerDo([&] {
      api_.framework = "framework-1";
      api_.findPlan("deploy")->restart();
      row.make(api_);
      api_.bumpVersion();
    });
    Reply r = get("/v1/health");
    EXPECT_EQ(r.status, row.code) << row.state;
    if (row.code == 204) {
      EXPECT_EQ(r.body, "") << "HTTP 204 carries no body";
    } else {
      EXPECT_EQ(r.json, ordered_json({{"value", row.code}})) << row.state << ": " << r.body;
    }
  }
  Reply verbose = get("/v1/health?verbose=true");
  EXPECT_EQ(verbose.json["reasons"].size(), 10u) << verbose.body;
  EXPECT_EQ(verbose.json["reasons"][0],
            "Priority 1. Status Code 500 is TRUE. Errors found in plans.");
}

TEST_F(InfoRoutes, PassesOfferOutcomesThroughWithTheFilter) {
  onOwnerDo([&] {
    api_.offers = R"({"acceptedCount":1,"rejectedCount":2,"failureReasons":{"volume":2},)"
                  R"("rejectedAgents":{"agent-1":2},"offers":[]})";
  });
  Reply r = get("/v2/debug/offers?plan=deploy&phase=data&step=data-0:%5Bnode%5D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["failureReasons"]["volume"], 2);
  auto filter = onOwner<std::optional<OfferFilter>>([&] { return api_.lastOfferFilter; });
  ASSERT_TRUE(filter.has_value());
  EXPECT_EQ(filter->plan, "deploy");
  EXPECT_EQ(filter->phase, "data");
  EXPECT_EQ(filter->step, "data-0:[node]");
}

}  // namespace
}  // namespace keel::http::testing

namespace keel::http::testing {
namespace {

TEST_F(InfoRoutes, ServesALaunchsRenderedConfigFilesAsText) {
  onOwnerDo([&] { api_.rendered[{"svc__data-0-node__u1", 0}] = "port=4388\n"; });
  Reply r = get("/v1/artifacts/rendered/svc__data-0-node__u1/0");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "port=4388\n");
  EXPECT_EQ(r.contentType.rfind("text/plain", 0), 0u) << r.contentType;
  Reply unknown = get("/v1/artifacts/rendered/svc__data-0-node__u1/1");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json["message"], "Config 1 of task svc__data-0-node__u1 not found");
  Reply bad = get("/v1/artifacts/rendered/svc__data-0-node__u1/x");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["message"], "config index must be a number, not 'x'");
}

}  // namespace
}  // namespace keel::http::testing
