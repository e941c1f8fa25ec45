#include "config/package_template.h"

#include <gtest/gtest.h>

namespace keel::config {
namespace {

using nlohmann::json;

const json kContext = json::parse(R"({
  "s": "plain", "quoted": "[[\"hostname\", \"UNIQUE\"]]", "html": "<a & b>",
  "int": 1729, "float": 1.0, "frac": 0.1, "zero": 0, "yes": true, "no": false,
  "empty": "", "nothing": null,
  "list": ["a", "b"], "nested": [["hostname", "UNIQUE"]], "none": [],
  "pods": [{"name": "hello"}, {"name": "world"}],
  "svc": {"name": "hello-world", "check": {"interval": 60}, "role": ""},
  "resource": {"assets": {"uris": {"jre-tar-gz": "{{scheduler-jre-url}}"}}}
})");

struct Case {
  const char* tmpl;
  const char* want;
};

class RendersLikeCosmos : public ::testing::TestWithParam<Case> {};

TEST_P(RendersLikeCosmos, ForEachTemplate) {
  Result<std::string> out = renderPackageTemplate(GetParam().tmpl, kContext, "t");
  ASSERT_TRUE(out.has_value()) << out.error();
  EXPECT_EQ(*out, GetParam().want) << GetParam().tmpl;
}

INSTANTIATE_TEST_SUITE_P(
    PackageTemplate, RendersLikeCosmos,
    ::testing::Values(
        // Strings are JSON-escaped without quotes; nothing is HTML-escaped.
        Case{"{{s}}", "plain"}, Case{"{{quoted}}", R"([[\"hostname\", \"UNIQUE\"]])"},
        Case{"{{{quoted}}}", R"([[\"hostname\", \"UNIQUE\"]])"},
        Case{"{{& quoted }}", R"([[\"hostname\", \"UNIQUE\"]])"}, Case{"{{html}}", "<a & b>"},
        // Scalars as their JSON text; null and missing render empty.
        Case{"{{int}} {{float}} {{frac}} {{zero}}", "1729 1.0 0.1 0"},
        Case{"{{yes}} {{no}}", "true false"}, Case{"[{{nothing}}{{missing}}{{svc.nope}}]", "[]"},
        // Arrays as Java's List.toString of Cosmos' values.
        Case{"{{list}} {{nested}} {{none}}", R"(["a", "b"] [["hostname", "UNIQUE"]] [])"},
        // Nested names, including keys with dashes.
        Case{"{{svc.name}}/{{svc.check.interval}}", "hello-world/60"},
        Case{"{{resource.assets.uris.jre-tar-gz}}", "{{scheduler-jre-url}}"},
        // Sections: null, false, 0, "" and [] are false.
        Case{"{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#zero}}Z{{/zero}}{{#int}}I{{/int}}", "YI"},
        Case{"{{#empty}}E{{/empty}}{{#s}}S{{/s}}{{#nothing}}0{{/nothing}}{{#none}}L{{/none}}", "S"},
        Case{"{{^no}}n{{/no}}{{^zero}}z{{/zero}}{{^empty}}e{{/empty}}{{^missing}}m{{/missing}}"
             "{{^yes}}y{{/yes}}{{^none}}l{{/none}}",
             "nzeml"},
        Case{"{{#svc.role}}role{{/svc.role}}{{#int}}{{int}}{{/int}}", "1729"},
        // Arrays iterate; elements render as in the list text; objects push context.
        Case{"{{#list}}{{.}};{{/list}}", R"("a";"b";)"},
        Case{"{{#pods}}{{name}}@{{svc.name}} {{/pods}}", "hello@hello-world world@hello-world "},
        Case{"{{#svc}}{{name}}:{{check.interval}}{{/svc}}", "hello-world:60"},
        Case{"{{! a comment }}x", "x"}));

TEST(PackageTemplate, NamesTheLineOfAnUnclosedTag) {
  Result<std::string> out =
      renderPackageTemplate("{\n  \"a\": \"{{s}}\",\n  \"b\": \"{{s\"\n}", kContext, "m.json");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.error().message(), "m.json: line 3: unclosed tag");
}

TEST(PackageTemplate, NamesTheLineOfAnUnclosedSection) {
  Result<std::string> out =
      renderPackageTemplate("{{s}}\n{{int}}\n{{#yes}}\nx\n", kContext, "m.json");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message(), "m.json: line 3: Unclosed section \"yes\"");
}

TEST(PackageTemplate, RejectsPartialsAndDelimiterChanges) {
  for (const char* tmpl : {"x\n{{> part}}", "x\n{{=<% %>=}}"}) {
    Result<std::string> out = renderPackageTemplate(tmpl, kContext, "m.json");
    ASSERT_FALSE(out.has_value()) << tmpl;
    EXPECT_EQ(out.error().code(), StatusCode::kUnsupported);
    EXPECT_NE(out.error().message().find("m.json: line 2: "), std::string::npos);
  }
}

TEST(PackageTemplate, TextOfAValueIsWhatAVariableTagRenders) {
  EXPECT_EQ(templateText(json("a\"b\nc")), R"(a\"b\nc)");
  EXPECT_EQ(templateText(json::parse(R"([1, 2.5, true, null, {"k": "v"}])")),
            R"([1, 2.5, true, null, {"k":"v"}])");
  EXPECT_EQ(templateText(json::parse(R"({"k": [1]})")), R"({"k":[1]})");
}

}  // namespace
}  // namespace keel::config
