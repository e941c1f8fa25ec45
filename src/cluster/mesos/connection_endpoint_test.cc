#include "keel/mesos/connection_endpoint.h"

#include <gtest/gtest.h>

namespace keel::mesos {
namespace {

struct ParseCase {
  std::string name;
  std::string input;
  std::string url;  // empty: expect kInvalidArgument
};

void PrintTo(const ParseCase& c, std::ostream* os) { *os << c.input; }

class ParseMasterUrlTable : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseMasterUrlTable, Holds) {
  const ParseCase& c = GetParam();
  Result<MasterEndpoint> parsed = parseMasterUrl(c.input);
  if (c.url.empty()) {
    ASSERT_FALSE(parsed.has_value()) << parsed->url();
    EXPECT_EQ(parsed.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.error().message().find(c.input), std::string::npos) << parsed.error();
  } else {
    ASSERT_TRUE(parsed.has_value()) << parsed.error();
    EXPECT_EQ(parsed->url(), c.url);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ParseMasterUrlTable,
    ::testing::Values(
        ParseCase{"SchemeHostAndPortGetTheSchedulerPath", "http://127.0.0.1:5050",
                  "http://127.0.0.1:5050/api/v1/scheduler"},
        ParseCase{"AnExplicitPathIsKept", "http://master:8080/prefix/api/v1/scheduler",
                  "http://master:8080/prefix/api/v1/scheduler"},
        ParseCase{"ATrailingSlashMeansTheSchedulerPath", "http://master:5050/",
                  "http://master:5050/api/v1/scheduler"},
        ParseCase{"HostAloneGetsPort5050", "master.example",
                  "http://master.example:5050/api/v1/scheduler"},
        ParseCase{"HostAndPortWithoutSchemeMeanHttp", "master:6060",
                  "http://master:6060/api/v1/scheduler"},
        ParseCase{"HttpsIsKept", "https://master:443", "https://master:443/api/v1/scheduler"},
        ParseCase{"BracketedIpv6HostsAreUnderstood", "http://[::1]:5050",
                  "http://[::1]:5050/api/v1/scheduler"},
        ParseCase{"AnotherSchemeIsRefused", "zk://zk1:2181/mesos", ""},
        ParseCase{"AnEmptyHostIsRefused", "http://:5050", ""},
        ParseCase{"ANonNumericPortIsRefused", "http://master:fifty", ""},
        ParseCase{"AnOutOfRangePortIsRefused", "http://master:70000", ""},
        ParseCase{"AnEmptyPortIsRefused", "http://master:", ""}),
    [](const auto& info) { return info.param.name; });

TEST(ResolveRedirect, AProtocolRelativeLocationKeepsTheScheme) {
  MasterEndpoint current = parseMasterUrl("https://m1:5050").value();
  Result<MasterEndpoint> leader =
      resolveRedirect(current, "//leader.example:5051/api/v1/scheduler");
  ASSERT_TRUE(leader.has_value()) << leader.error();
  EXPECT_EQ(leader->url(), "https://leader.example:5051/api/v1/scheduler");
}

TEST(ResolveRedirect, AnAbsoluteOrBareLocationIsAccepted) {
  MasterEndpoint current = parseMasterUrl("http://m1:5050").value();
  EXPECT_EQ(resolveRedirect(current, "http://m2:5050/api/v1/scheduler")->url(),
            "http://m2:5050/api/v1/scheduler");
  EXPECT_EQ(resolveRedirect(current, "m3:5052")->url(), "http://m3:5052/api/v1/scheduler");
}

TEST(ResolveRedirect, AnEmptyOrHostlessLocationIsAnError) {
  MasterEndpoint current = parseMasterUrl("http://m1:5050").value();
  EXPECT_EQ(resolveRedirect(current, "").error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(resolveRedirect(current, "/api/v1/scheduler").error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(resolveRedirect(current, "//:5050").error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace keel::mesos
