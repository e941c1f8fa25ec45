#include "keel/config/config_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace keel::config {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

spec::ConfigFileSpec config(std::string content, std::string dest = "conf/server.yml") {
  return {"server", "server.yml.mustache", std::move(dest), std::move(content)};
}

TEST(CheckConfigDest, AcceptsRelativePathsInsideTheSandbox) {
  for (std::string dest :
       {"server.yml", "conf/server.yml", "./conf//a.yml", "a/./b", "..a/b..", "conf/.hidden"}) {
    EXPECT_TRUE(checkConfigDest("server", dest).isOk()) << dest;
  }
}

TEST(CheckConfigDest, RejectsWhatLeavesOrIsNotAFileOfTheSandbox) {
  struct Case {
    std::string dest, says;
  } cases[] = {{"", "is empty"},
               {"/etc/server.yml", "is absolute"},
               {"//etc/x", "is absolute"},
               {"../server.yml", "leaves the task's sandbox"},
               {"conf/../../x", "leaves the task's sandbox"},
               {"conf/..", "leaves the task's sandbox"},
               {".", "names the sandbox itself"},
               {"./", "names the sandbox itself"}};
  for (const auto& c : cases) {
    Status s = checkConfigDest("server", c.dest);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.dest;
    EXPECT_THAT(s.message(), AllOf(HasSubstr("config 'server'"), HasSubstr("'" + c.dest + "'"),
                                   HasSubstr(c.says)))
        << c.dest;
  }
  EXPECT_THAT(checkConfigDest("server", "/etc/server.yml").message(),
              HasSubstr("such as 'etc/server.yml'"));
}

TEST(NormalizedConfigDest, DropsDotComponentsAndRepeatedSlashes) {
  EXPECT_EQ(normalizedConfigDest("./conf//a.yml"), "conf/a.yml");
  EXPECT_EQ(normalizedConfigDest("a/./b/"), "a/b");
  EXPECT_EQ(normalizedConfigDest("server.yml"), "server.yml");
}

TEST(RenderConfigTemplate, RendersWithTheTaskEnvironment) {
  auto r = renderConfigTemplate(
      config("port: {{PORT_HTTP}}\nname: {{TASK_NAME}}\n{{#TLS}}tls: on\n{{/TLS}}"),
      {{"PORT_HTTP", "8080"}, {"TASK_NAME", "data-0-node"}});
  ASSERT_TRUE(r.isOk()) << r.status();
  EXPECT_EQ(*r, "port: 8080\nname: data-0-node\n");
}

TEST(RenderConfigTemplate, AMissingVariableNamesConfigTemplateVariableAndLine) {
  auto r = renderConfigTemplate(config("a: {{A}}\nb: {{B}}\nc: {{{C}}}\n"), {{"A", "1"}});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.error().message(),
              AllOf(HasSubstr("config 'server'"), HasSubstr("template server.yml.mustache"),
                    HasSubstr("conf/server.yml"), HasSubstr("B (line 2), C (line 3)")));
}

TEST(RenderConfigTemplate, AMalformedTemplateIsAnErrorWithItsPosition) {
  auto r = renderConfigTemplate(config("a: {{#A}}x\n"), {{"A", "1"}});
  ASSERT_FALSE(r.isOk());
  EXPECT_THAT(r.error().message(), AllOf(HasSubstr("config 'server'"),
                                         HasSubstr("template is malformed"), HasSubstr("line 1")));
}

TEST(RenderConfigTemplate, ABadDestIsRefusedBeforeRendering) {
  auto r = renderConfigTemplate(config("x", "../escape"), {});
  ASSERT_FALSE(r.isOk());
  EXPECT_THAT(r.error().message(), HasSubstr("leaves the task's sandbox"));
}

TEST(RenderTaskConfigs, RendersEveryConfigInOrderAndNamesTheTaskOnError) {
  spec::TaskSpec task;
  task.name = "node";
  task.configs = {config("one {{X}}", "./a.conf"), {"two", "t.mustache", "b/b.conf", "two {{X}}"}};
  auto ok = renderTaskConfigs(task, {{"X", "x"}});
  ASSERT_TRUE(ok.isOk()) << ok.status();
  EXPECT_EQ(*ok, (std::vector<RenderedConfig>{{"server", "a.conf", "one x"},
                                              {"two", "b/b.conf", "two x"}}));
  auto bad = renderTaskConfigs(task, {});
  ASSERT_FALSE(bad.isOk());
  EXPECT_THAT(bad.error().message(), AllOf(HasSubstr("task 'node'"), HasSubstr("X (line 1)")));
}

}  // namespace
}  // namespace keel::config
