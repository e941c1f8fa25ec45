#include "config/option_validation.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace keel::config {
namespace {

using nlohmann::json;

const json kSchema = json::parse(R"({"type": "object", "properties": {
  "hello": {"type": "object", "required": ["count"], "properties": {
    "count": {"type": "integer", "minimum": 1},
    "cpus": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 4},
    "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
    "level": {"type": "string", "enum": ["INFO", "DEBUG"]},
    "even": {"type": "integer", "multipleOf": 2},
    "nullable": {"type": ["string", "null"]}}},
  "strict": {"type": "object", "additionalProperties": false,
             "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"}}},
  "constraints": {"type": "array", "items": {"type": "array", "items": [{"type": "string"}]}}}})");

struct Case {
  const char* options;
  const char* where;
  const char* rule;
  const char* what;
};

class DiagnosesEachRule : public ::testing::TestWithParam<Case> {};

TEST_P(DiagnosesEachRule, WithPathRuleAndFoundValue) {
  json document = json::parse(R"({"hello": {"count": 1}})");
  document.merge_patch(json::parse(GetParam().options));
  Result<std::vector<PackageDiagnostic>> got = validateOptions(kSchema, document, "options.json");
  ASSERT_TRUE(got.has_value()) << got.error();
  ASSERT_EQ(got->size(), 1u) << GetParam().options << " gave "
                             << (got->empty() ? "" : got->back().toString());
  const PackageDiagnostic& d = got->front();
  EXPECT_EQ(d.file, "options.json");
  EXPECT_EQ(d.where, GetParam().where);
  EXPECT_EQ(d.rule, GetParam().rule);
  EXPECT_EQ(d.what, GetParam().what);
}

INSTANTIATE_TEST_SUITE_P(
    OptionValidation, DiagnosesEachRule,
    ::testing::Values(
        Case{R"({"hello": {"count": 0}})", "hello.count", "minimum",
             "must be an integer >= 1 (schema: minimum 1), found 0"},
        Case{R"({"hello": {"count": "3"}})", "hello.count", "type",
             R"(must be an integer (schema: type integer), found "3" (a string))"},
        Case{R"({"hello": {"count": 2.5}})", "hello.count", "type",
             "must be an integer (schema: type integer), found 2.5 (a number)"},
        Case{R"({"hello": {"cpus": 0}})", "hello.cpus", "minimum",
             "must be a number > 0 (schema: minimum 0, exclusiveMinimum true), found 0"},
        Case{R"({"hello": {"cpus": 4.5}})", "hello.cpus", "maximum",
             "must be a number <= 4 (schema: maximum 4), found 4.5"},
        Case{R"({"hello": {"name": "a"}})", "hello.name", "minLength",
             R"(must be a string of at least 2 characters (schema: minLength 2), found "a")"},
        Case{R"({"hello": {"name": "abcdef"}})", "hello.name", "maxLength",
             R"(must be a string of at most 5 characters (schema: maxLength 5), found "abcdef")"},
        Case{R"({"hello": {"name": "ab1"}})", "hello.name", "pattern",
             R"(must match ^[a-z]+$ (schema: pattern), found "ab1")"},
        Case{R"({"hello": {"level": "LOUD"}})", "hello.level", "enum",
             R"(must be one of "INFO", "DEBUG" (schema: enum), found "LOUD")"},
        Case{R"({"hello": {"nullable": 3}})", "hello.nullable", "type",
             "must be a string or null (schema: type string, null), found 3 (an integer)"},
        Case{R"({"strict": {"a": true, "c": 1}})", "strict.c", "additionalProperties",
             "unknown option (schema: additionalProperties false); one of the declared options: "
             "a, b"},
        Case{R"({"constraints": [["hostname"], [7]]})", "constraints[1][0]", "type",
             "must be a string (schema: type string), found 7 (an integer)"},
        Case{R"({"hello": {"even": 3}})", "hello.even", "schema",
             "Value should be a multiple of 2"}));

TEST(OptionValidation, NamesAMissingRequiredOptionByItsPath) {
  Result<std::vector<PackageDiagnostic>> got =
      validateOptions(kSchema, json::parse(R"({"hello": {"cpus": 1}})"), "o.json");
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().toString(),
            "o.json: hello.count: is required (schema: required) but missing");
  EXPECT_EQ(got->front().found, "missing");
}

TEST(OptionValidation, ReportsEveryViolationOnce) {
  Result<std::vector<PackageDiagnostic>> got = validateOptions(
      kSchema, json::parse(R"({"hello": {"count": 0, "level": "X", "name": 5}})"), "o.json");
  ASSERT_TRUE(got.has_value());
  std::vector<std::string> where;
  for (const auto& d : *got) where.push_back(d.where + "/" + d.rule);
  std::sort(where.begin(), where.end());
  EXPECT_EQ(where, (std::vector<std::string>{"hello.count/minimum", "hello.level/enum",
                                             "hello.name/type"}));
}

TEST(OptionValidation, AcceptsValidOptions) {
  Result<std::vector<PackageDiagnostic>> got =
      validateOptions(kSchema, json::parse(R"({"hello": {"count": 3, "cpus": 0.5, "name": "abc"},
                               "constraints": [["hostname", "UNIQUE"]]})"),
                      "o.json");
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->empty()) << got->front().toString();
}

TEST(OptionValidation, RejectsASchemaValijsonCannotUse) {
  Result<std::vector<PackageDiagnostic>> got =
      validateOptions(json::parse(R"({"type": 5})"), json::object(), "o.json");
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(got.error().message().rfind("config.json: not a usable JSON Schema: ", 0), 0u);
}

}  // namespace
}  // namespace keel::config
