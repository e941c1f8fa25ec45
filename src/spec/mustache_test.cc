#include "keel/mustache.h"

#include <gtest/gtest.h>

namespace keel {
namespace {

using Env = std::map<std::string, std::string>;

struct RenderCase {
  const char* name;
  const char* tmpl;
  Env env;
  const char* want;
};

class MustacheRender : public ::testing::TestWithParam<RenderCase> {};

TEST_P(MustacheRender, RendersAsMustacheJavaDoesForDcosCommons) {
  const auto& c = GetParam();
  auto out = renderMustache(c.tmpl, c.env);
  ASSERT_TRUE(out.isOk()) << out.status();
  EXPECT_EQ(*out, c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MustacheRender,
    ::testing::Values(
        RenderCase{"plain", "size: {{X}}", {{"X", "5"}}, "size: 5"},
        RenderCase{"missingIsEmpty", "a {{NOPE}}.", {}, "a ."},
        RenderCase{"escapesHtml",
                   "{{X}}",
                   {{"X", R"([["a", "b"]] & <x> 'y' =`)"}},
                   "[[&quot;a&quot;, &quot;b&quot;]] &amp; &lt;x&gt; &#39;y&#39; &#61;&#96;"},
        RenderCase{"escapesControlCharacters", "{{X}}", {{"X", "a\nb\tc"}}, "a&#10;b&#9;c"},
        RenderCase{"tripleIsRaw", "{{{X}}}", {{"X", R"([["a", "b"]])"}}, R"([["a", "b"]])"},
        RenderCase{"ampersandIsRaw", "{{& X }}", {{"X", "<&>"}}, "<&>"},
        RenderCase{"sectionTrue", "{{#X}}on {{X}}{{/X}}", {{"X", "TRUE"}}, "on true"},
        RenderCase{"sectionString", "{{#X}}on {{X}}{{/X}}", {{"X", "abc"}}, "on abc"},
        RenderCase{"sectionFalseSkips", "{{#X}}on{{/X}}", {{"X", "false"}}, ""},
        RenderCase{"sectionEmptySkips", "{{#X}}on{{/X}}", {{"X", ""}}, ""},
        RenderCase{"sectionMissingSkips", "{{#X}}on{{/X}}", {}, ""},
        RenderCase{"zeroIsTruthy", "{{#X}}on{{/X}}", {{"X", "0"}}, "on"},
        RenderCase{"invertedFalse", "{{^X}}off {{X}}{{/X}}", {{"X", "False"}}, "off false"},
        RenderCase{"invertedEmpty", "{{^X}}off{{/X}}", {{"X", ""}}, "off"},
        RenderCase{"invertedTruthySkips", "{{^X}}off{{/X}}", {{"X", "y"}}, ""},
        RenderCase{"standaloneSectionLinesVanish",
                   "a\n  {{#X}}\n  b\n  {{/X}}\nc\n",
                   {{"X", "1"}},
                   "a\n  b\nc\n"},
        RenderCase{"comment", "a{{! note }}b", {}, "ab"},
        RenderCase{"delimiterChange", "{{=<% %>=}}<% X %> {{X}}", {{"X", "v"}}, "v {{X}}"},
        RenderCase{"dot", "{{#X}}{{.}}{{/X}}", {{"X", "v"}}, "v"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(MustacheMissing, ReportsValueTagsWithTheirLinesButNotSections) {
  std::vector<MissingVariable> missing;
  auto out = renderMustacheWithLines("a {{A}}\n{{#B}}x{{/B}}{{^C}}y{{/C}}\n{{{D}}} {{E}}",
                                     {{"E", "e"}}, &missing);
  ASSERT_TRUE(out.isOk());
  EXPECT_EQ(*out, "a \ny\n e");
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0], (MissingVariable{"A", 1}));
  EXPECT_EQ(missing[1], (MissingVariable{"D", 3}));
}

TEST(MustacheMissing, DoesNotReportVariablesInsideSkippedSections) {
  std::vector<std::string> missing;
  auto out = renderMustache("{{#OFF}}{{INNER}}{{/OFF}}", {}, &missing);
  ASSERT_TRUE(out.isOk());
  EXPECT_TRUE(missing.empty());
}

TEST(MustacheErrors, AnUnclosedSectionFailsWithItsLine) {
  auto out = renderMustache("a\nb {{#X}} c", {{"X", "1"}});
  ASSERT_FALSE(out.isOk());
  EXPECT_EQ(out.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out.error().message().find("line 2"), std::string::npos) << out.error().message();
}

TEST(MustacheErrors, AnUnclosedTagFails) {
  auto out = renderMustache("{{#A}}x{{/A}} {{B", {});
  EXPECT_FALSE(out.isOk());
}

}  // namespace
}  // namespace keel
