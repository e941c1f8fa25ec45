// The operator page: served over real HTTP, and every API path its script
// calls is one the server routes (so a renamed route breaks this test, not
// the page in an operator's browser).
#include <regex>
#include <set>
#include <string>

#include "http/http_test_fixture.h"
#include "http/page.h"

namespace keel::http::testing {
namespace {

class OperatorPage : public HttpRoutesTest {};

TEST_F(OperatorPage, IsServedAsHtmlAtTheRootAndUi) {
  for (const char* path : {"/", "/ui"}) {
    Reply r = get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.contentType.rfind("text/html", 0), 0u) << r.contentType;
    EXPECT_NE(r.body.find("<title>keel</title>"), std::string::npos);
    EXPECT_EQ(r.body, std::string(operatorPageHtml()));
  }
}

// The API path prefixes the script builds its requests from ("/v1/plans/"
// + name + "/interrupt" appears as "/v1/plans/" and "/interrupt").
std::set<std::string> apiLiterals() {
  std::string html(operatorPageHtml());
  std::set<std::string> out;
  std::regex literal(R"re("(/v[12]/[A-Za-z/]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), literal);
       it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

TEST_F(OperatorPage, CallsOnlyRoutesTheServerHas) {
  // Every literal the script has, each checked below through a concrete
  // request: a new literal must be added here (and so checked).
  const std::set<std::string> known = {"/v1/health",     "/v1/plans",       "/v1/plans/",
                                       "/v1/pod/status", "/v1/pod/",        "/v1/endpoints",
                                       "/v1/endpoints/", "/v2/debug/offers"};
  EXPECT_EQ(apiLiterals(), known);
  for (std::string path : {"/v1/health", "/v1/plans", "/v1/plans/deploy", "/v1/pod/status",
                           "/v1/endpoints", "/v1/endpoints/data-port", "/v2/debug/offers"}) {
    Reply r = get(path);
    EXPECT_NE(r.status, 405) << path;
    if (path != "/v1/endpoints/data-port") {
      EXPECT_NE(r.status, 404) << path;
    }
  }
  for (std::string action :
       {"/v1/plans/deploy/interrupt", "/v1/plans/deploy/continue", "/v1/plans/deploy/restart",
        "/v1/pod/data-0/restart", "/v1/pod/data-0/replace"}) {
    Reply r = post(action);
    EXPECT_NE(r.status, 404) << action;
    EXPECT_NE(r.status, 405) << action;
  }
}

TEST_F(OperatorPage, NeverInsertsApiValuesAsMarkup) {
  std::string html(operatorPageHtml());
  EXPECT_EQ(html.find("innerHTML"), std::string::npos);
  EXPECT_EQ(html.find("outerHTML"), std::string::npos);
  EXPECT_EQ(html.find("insertAdjacentHTML"), std::string::npos);
  EXPECT_EQ(html.find("document.write"), std::string::npos);
}

}  // namespace
}  // namespace keel::http::testing
