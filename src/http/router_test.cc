#include "http/router.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keel::http {
namespace {

Handler named(std::string name) {
  return [name](const Request&) {
    return Response{200, std::make_shared<const std::string>(name)};
  };
}

Router table() {
  Router r;
  r.add("GET", "/v1/plans", named("plans"));
  r.add("GET", "/v1/plans/{plan}", named("plan"));
  r.add("POST", "/v1/plans/{plan}/start", named("start"));
  r.add("GET", "/v1/configurations/target", named("target"));
  r.add("GET", "/v1/configurations/{id}", named("config"));
  r.add("GET", "/v1/pod/status", named("pods"));
  r.add("GET", "/v1/pod/{pod}/status", named("pod"));
  return r;
}

TEST(Router, MatchesLiteralAndParameterSegmentsFirstRouteWins) {
  struct Row {
    const char* method;
    const char* path;
    int status;
    const char* handler;  // "" when no handler
    std::vector<std::string> params;
  };
  Row rows[] = {
      {"GET", "/v1/plans", 200, "plans", {}},
      {"GET", "/v1/plans/", 200, "plans", {}},
      {"GET", "/v1/plans/deploy", 200, "plan", {"deploy"}},
      {"POST", "/v1/plans/deploy/start", 200, "start", {"deploy"}},
      {"GET", "/v1/plans/deploy/start", 405, "", {}},
      {"GET", "/v1/configurations/target", 200, "target", {}},
      {"GET", "/v1/configurations/abc", 200, "config", {"abc"}},
      {"GET", "/v1/pod/status", 200, "pods", {}},
      {"GET", "/v1/pod/data-0/status", 200, "pod", {"data-0"}},
      {"GET", "/v1/pod/data-0/info", 404, "", {}},
      {"DELETE", "/v1/plans", 405, "", {}},
      {"GET", "/", 404, "", {}},
  };
  Router router = table();
  for (const Row& row : rows) {
    Router::Match m = router.match(row.method, row.path);
    EXPECT_EQ(m.status, row.status) << row.method << " " << row.path;
    if (row.handler[0] == '\0') {
      EXPECT_EQ(m.handler, nullptr) << row.path;
      continue;
    }
    ASSERT_NE(m.handler, nullptr) << row.path;
    EXPECT_EQ(*(*m.handler)(Request{}).body, row.handler) << row.path;
    EXPECT_EQ(m.params, row.params) << row.path;
  }
}

TEST(Router, SplitsPathsIgnoringRepeatedAndTrailingSlashes) {
  EXPECT_EQ(splitPath("/v1//plans/"), (std::vector<std::string_view>{"v1", "plans"}));
  EXPECT_TRUE(splitPath("/").empty());
}

TEST(Router, RequestArgumentsDefaultToEmpty) {
  Request req;
  req.query = {{"phase", "data"}};
  EXPECT_EQ(req.arg("phase"), "data");
  EXPECT_EQ(req.arg("step"), "");
  EXPECT_TRUE(req.hasArg("phase"));
  EXPECT_FALSE(req.hasArg("step"));
}

}  // namespace
}  // namespace keel::http
