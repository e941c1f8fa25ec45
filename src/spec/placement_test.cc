#include "keel/placement.h"

#include <gtest/gtest.h>

namespace keel::spec {
namespace {

struct ParseCase {
  const char* name;
  const char* text;
  const char* canonical;  // placementToString of the result; "" for no constraint
};

class PlacementParses : public ::testing::TestWithParam<ParseCase> {};

TEST_P(PlacementParses, IntoTheExpectedTree) {
  auto parsed = parsePlacement(GetParam().text);
  ASSERT_TRUE(parsed.isOk()) << parsed.status();
  std::string got = parsed->has_value() ? placementToString(**parsed) : "";
  EXPECT_EQ(got, GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, PlacementParses,
    ::testing::Values(
        ParseCase{"empty", "  ", ""}, ParseCase{"emptyList", "[]", ""},
        ParseCase{"nestedOneRow", R"([["hostname", "UNIQUE"]])", R"(["hostname","UNIQUE"])"},
        ParseCase{"flatRow", R"(["hostname", "UNIQUE"])", R"(["hostname","UNIQUE"])"},
        ParseCase{"rows", R"([["hostname","UNIQUE"],["@zone","GROUP_BY","3"]])",
                  R"({"and":[["hostname","UNIQUE"],["@zone","GROUP_BY","3"]]})"},
        ParseCase{"numberParameter", R"([["rack","MAX_PER",2]])", R"(["rack","MAX_PER","2"])"},
        ParseCase{"colon", "hostname:UNIQUE,rack:LIKE:a.*",
                  R"({"and":[["hostname","UNIQUE"],["rack","LIKE","a.*"]]})"},
        ParseCase{"colonEscapes", R"(rack:LIKE:a\,b\:c)", R"(["rack","LIKE","a,b:c"])"},
        ParseCase{"groupByWithoutCount", "@region:GROUP_BY", R"(["@region","GROUP_BY"])"},
        ParseCase{"isAndIsNot", R"([["@zone","IS","z1"],["hostname","IS_NOT","h"]])",
                  R"({"and":[["@zone","IS","z1"],["hostname","IS_NOT","h"]]})"},
        ParseCase{"avoidType", R"([["@type","AVOID","data"]])", R"(["@type","AVOID","data"])"},
        ParseCase{
            "composition",
            R"({"or":[[["@zone","IS","a"]],{"not":["hostname","LIKE","bad.*"]},{"and":[["@type","COLOCATE","x"],["hostname","UNIQUE"]]}]})",
            R"({"or":[["@zone","IS","a"],{"not":["hostname","LIKE","bad.*"]},{"and":[["@type","COLOCATE","x"],["hostname","UNIQUE"]]}]})"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(PlacementParses, RowsKeepFieldOperatorAndParameter) {
  auto parsed = parsePlacement(R"([["@zone","GROUP_BY","3"]])");
  ASSERT_TRUE(parsed.isOk());
  ASSERT_TRUE(parsed->has_value());
  const PlacementExpr& e = **parsed;
  EXPECT_EQ(e.kind, PlacementExpr::Kind::kRow);
  EXPECT_EQ(e.row.field, "@zone");
  EXPECT_EQ(e.row.op, PlacementOperator::kGroupBy);
  EXPECT_EQ(e.row.parameter, "3");
}

struct RejectCase {
  const char* name;
  const char* text;
  const char* fragment;
};

class PlacementRejects : public ::testing::TestWithParam<RejectCase> {};

TEST_P(PlacementRejects, WithWhatIsWrong) {
  auto parsed = parsePlacement(GetParam().text);
  ASSERT_FALSE(parsed.isOk());
  EXPECT_EQ(parsed.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.error().message().find(GetParam().fragment), std::string::npos)
      << parsed.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, PlacementRejects,
    ::testing::Values(
        RejectCase{"unknownOperator", R"([["hostname","SOMETIMES"]])", "allowed operators: UNIQUE"},
        RejectCase{"oneEntry", R"([["hostname"]])", "found 1 entries"},
        RejectCase{"fourEntries", "a:LIKE:b:c", "found 4 entries"},
        RejectCase{"missingParameter", R"([["hostname","CLUSTER"]])", "needs a parameter"},
        RejectCase{"maxPerNotANumber", "rack:MAX_PER:many", "takes a whole number"},
        RejectCase{"badRegex", "rack:LIKE:a[", "not a valid regular expression"},
        RejectCase{"typeWithMarathonOperator", R"([["@type","UNIQUE"]])", "@type"},
        RejectCase{"avoidWithoutType", R"([["hostname","AVOID","x"]])", "@type"},
        RejectCase{"badJson", R"([["hostname", "UNIQUE"])", "not valid JSON"},
        RejectCase{"badComposition", R"({"xor":[]})", "unknown composition key 'xor'"},
        RejectCase{"emptyAnd", R"({"and":[]})", "empty list"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace keel::spec
