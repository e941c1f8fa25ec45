#include "keel/offer/placement_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "offer/offer_test_util.h"

namespace keel::offer {
namespace {

using namespace testing;  // NOLINT
using ::testing::HasSubstr;

// Placed: data-0 on a1/h1 (zone z1, rack r1), data-1 on a2/h2 (zone z1, rack r2),
// data-2 on a3/h3 (zone z2, rack r1), meta-data-0 on a4/h4 (zone z3).
PlacementContext cluster() {
  PlacementContext ctx;
  ctx.tasks.push_back(placed("data", 0, "a1", "h1", "z1", "us", {{"rack", "r1"}}));
  ctx.tasks.push_back(placed("data", 1, "a2", "h2", "z1", "us", {{"rack", "r2"}}));
  ctx.tasks.push_back(placed("data", 2, "a3", "h3", "z2", "us", {{"rack", "r1"}}));
  ctx.tasks.push_back(placed("meta-data", 0, "a4", "h4", "z3", "us"));
  return ctx;
}

mesos::Offer agent(std::string id, std::string host, std::string zone, std::string rack) {
  OfferSpec s;
  s.agent = std::move(id);
  s.host = std::move(host);
  s.zone = std::move(zone);
  s.region = "us";
  if (!rack.empty()) s.attributes = {{"rack", rack}};
  return makeOffer(s);
}

struct Case {
  std::string name;
  std::string rule;
  mesos::Offer offer;
  bool pass;
  std::string reason;  // a substring of the reason
  std::string instance = "data-3";
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class PlacementOperators : public ::testing::TestWithParam<Case> {};

TEST_P(PlacementOperators, DecidesAndExplainsTheAgent) {
  const Case& c = GetParam();
  PlacementContext ctx = cluster();
  auto expr = spec::parsePlacement(c.rule);
  ASSERT_TRUE(expr.has_value()) << expr.error().message();
  ASSERT_TRUE(expr.value().has_value());
  CompiledPlacement placement(**expr, "data", c.instance, ctx);
  OfferSummary summary = summarizeOffer(c.offer, kRole);
  std::string reason;
  EXPECT_EQ(placement.evaluate(summary, &reason), c.pass) << reason;
  EXPECT_EQ(placement.evaluate(summary, nullptr), c.pass);
  EXPECT_THAT(reason, HasSubstr(c.reason));
}

INSTANTIATE_TEST_SUITE_P(
    Operators, PlacementOperators,
    ::testing::Values(
        Case{"UniqueHostFree", R"([["hostname","UNIQUE"]])", agent("a5", "h5", "z1", ""), true,
             "host h5 has 0 data tasks"},
        Case{"UniqueHostTaken", R"([["hostname","UNIQUE"]])", agent("a1", "h1", "z1", ""), false,
             "hostname UNIQUE: host h1 already runs data-0"},
        Case{"UniqueIgnoresOwnInstance", R"([["hostname","UNIQUE"]])", agent("a1", "h1", "z1", ""),
             true, "host h1 has 0", "data-0"},
        Case{"MaxPerZoneBelow", R"([["@zone","MAX_PER","2"]])", agent("a5", "h5", "z2", ""), true,
             "zone z2 has 1 data tasks (max 2)"},
        Case{"MaxPerZoneReached", R"([["@zone","MAX_PER","2"]])", agent("a5", "h5", "z1", ""),
             false, "@zone MAX_PER 2: zone z1 already has 2 data tasks (data-0, data-1), max 2"},
        Case{"GroupByZoneFillsUnusedValue", R"([["@zone","GROUP_BY","3"]])",
             agent("a5", "h5", "z3", ""), true, "zone z3 has 0"},
        Case{"GroupByZoneWaitsForThirdValue", R"([["@zone","GROUP_BY","3"]])",
             agent("a5", "h5", "z2", ""), false, "only 2 of 3 values are used"},
        Case{"GroupByWithoutCountPrefersFewest", R"([["@zone","GROUP_BY"]])",
             agent("a5", "h5", "z2", ""), true, "the fewest"},
        Case{"GroupByWithoutCountRejectsFullest", R"([["@zone","GROUP_BY"]])",
             agent("a5", "h5", "z1", ""), false, "more than the fewest (1)"},
        Case{"ClusterValueMatches", R"([["rack","CLUSTER","r1"]])", agent("a5", "h5", "z1", "r1"),
             true, "rack r1 is the cluster's"},
        Case{"ClusterValueDiffers", R"([["rack","CLUSTER","r1"]])", agent("a5", "h5", "z1", "r2"),
             false, "rack r2, the tasks are on r1"},
        Case{"LikeMatches", R"([["hostname","LIKE","h[0-9]+"]])", agent("a5", "h5", "z1", ""), true,
             "host h5 matches"},
        Case{"LikeIsAFullMatch", R"([["hostname","LIKE","h"]])", agent("a5", "h5", "z1", ""), false,
             "host h5 does not match"},
        Case{"UnlikeRejectsMatch", R"([["rack","UNLIKE","r1|r2"]])", agent("a5", "h5", "z1", "r2"),
             false, "rack r2 matches"},
        Case{"UnlikePassesWithoutAttribute", R"([["rack","UNLIKE","r1"]])",
             agent("a5", "h5", "z1", ""), true, "has no rack"},
        Case{"IsMatches", R"([["@zone","IS","z2"]])", agent("a5", "h5", "z2", ""), true,
             "zone z2 is z2"},
        Case{"IsRejects", R"([["@zone","IS","z2"]])", agent("a5", "h5", "z1", ""), false,
             "@zone IS z2: zone z1 is not z2"},
        Case{"IsNotRejects", R"([["rack","IS_NOT","r1"]])", agent("a5", "h5", "z1", "r1"), false,
             "rack r1 is r1"},
        Case{"MissingAttributeFailsIs", R"([["rack","IS","r1"]])", agent("a5", "h5", "z1", ""),
             false, "agent a5 has no rack"},
        Case{"AvoidTypeOnBusyAgent", R"([["@type","AVOID","data"]])", agent("a2", "h2", "z1", ""),
             false, "@type AVOID data: agent a2 already runs data-1"},
        Case{"AvoidTypeOnFreeAgent", R"([["@type","AVOID","data"]])", agent("a4", "h4", "z3", ""),
             true, "no data task on agent a4"},
        Case{"ColocateWithType", R"([["@type","COLOCATE","meta-data"]])",
             agent("a4", "h4", "z3", ""), true, "agent a4 runs meta-data-0"},
        Case{"ColocateAwayFromType", R"([["@type","COLOCATE","meta-data"]])",
             agent("a1", "h1", "z1", ""), false, "agent a1 runs no meta-data task"},
        Case{"ColocateWithUnplacedTypeAnywhere", R"([["@type","COLOCATE","broker"]])",
             agent("a1", "h1", "z1", ""), true, "no broker task is placed yet"},
        Case{"RowsAreAnded", R"([["@zone","IS","z1"],["hostname","UNIQUE"]])",
             agent("a2", "h2", "z1", ""), false, "host h2 already runs data-1"},
        Case{"OrTakesEitherAlternative",
             R"({"or":[[["@zone","IS","z9"]],[["hostname","UNIQUE"]]]})",
             agent("a5", "h5", "z1", ""), true, "host h5 has 0"},
        Case{"OrExplainsEveryAlternative",
             R"({"or":[[["@zone","IS","z9"]],[["hostname","UNIQUE"]]]})",
             agent("a1", "h1", "z1", ""), false,
             "none of the alternatives holds: @zone IS z9: zone z1 is not z9; hostname UNIQUE"},
        Case{"NotInverts", R"({"not":[["@zone","IS","z1"]]})", agent("a5", "h5", "z1", ""), false,
             "not(@zone IS z1: zone z1 is z1)"}),
    [](const auto& info) { return info.param.name; });

TEST(CompiledPlacement, WithoutARuleEveryOfferPasses) {
  CompiledPlacement none;
  std::string reason;
  EXPECT_TRUE(none.evaluate(summarizeOffer(agent("a1", "h1", "z1", ""), kRole), &reason));
  EXPECT_EQ(reason, "no placement rule");
}

TEST(CompiledPlacement, TaskTypeAvoidOfItsOwnTypeIgnoresTheInstanceItself) {
  PlacementContext ctx = cluster();
  auto expr = spec::parsePlacement(R"([["@type","AVOID","data"]])");
  ASSERT_TRUE(expr.has_value());
  CompiledPlacement replacing(**expr, "data", "data-1", ctx);
  EXPECT_TRUE(replacing.evaluate(summarizeOffer(agent("a2", "h2", "z1", ""), kRole), nullptr));
}

}  // namespace
}  // namespace keel::offer
