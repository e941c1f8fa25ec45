#include "keel/config/task_env.h"

#include <gtest/gtest.h>

#include "config_test_util.h"

namespace keel::config {
namespace {

using Env = std::map<std::string, std::string>;

TEST(ToEnvName, UppercasesAndReplacesEverythingElseWithUnderscores) {
  struct Case {
    std::string type, want;
  } cases[] = {{"data", "DATA"},
               {"index.mgr", "INDEX_MGR"},
               {"data-node", "DATA_NODE"},
               {"a b/c", "A_B_C"},
               {"x_9", "X_9"},
               {"", ""},
               {"caf\xc3\xa9", "CAF__"}};
  for (const auto& c : cases) EXPECT_EQ(toEnvName(c.type), c.want) << c.type;
}

TEST(RouteTaskEnv, RoutesTypeAndAllVariablesWithoutTheirPrefix) {
  struct Case {
    std::string name;
    Env env;
    std::string podType;
    Env want;
  } cases[] = {
      {"type-specific", {{"TASKCFG_DATA_NODE_FOO", "1"}}, "data-node", {{"FOO", "1"}}},
      {"all", {{"TASKCFG_ALL_BAR", "2"}}, "index.mgr", {{"BAR", "2"}}},
      {"other type ignored", {{"TASKCFG_META_DATA_FOO", "1"}}, "data", {}},
      {"not TASKCFG", {{"DATA_COUNT", "3"}, {"TASKCFG", "x"}, {"TASKCFGALL_X", "y"}}, "data", {}},
      {"bare prefix ignored", {{"TASKCFG_ALL_", "x"}, {"TASKCFG_DATA_", "y"}}, "data", {}},
      {"type wins over ALL (type sorts after ALL)",
       {{"TASKCFG_ALL_LOG", "info"}, {"TASKCFG_DATA_LOG", "debug"}},
       "data",
       {{"LOG", "debug"}}},
      {"type wins over ALL (type sorts before ALL)",
       {{"TASKCFG_ALL_LOG", "info"}, {"TASKCFG_AGENT_LOG", "debug"}},
       "agent",
       {{"LOG", "debug"}}},
      {"lower-case type", {{"TASKCFG_HELLO_SLEEP", "1000"}}, "hello", {{"SLEEP", "1000"}}},
      {"values kept as written", {{"TASKCFG_ALL_X", " a=b "}}, "data", {{"X", " a=b "}}},
  };
  for (const auto& c : cases) EXPECT_EQ(routeTaskEnv(c.env, c.podType), c.want) << c.name;
}

TEST(WithRoutedTaskEnv, OverlaysEachPodsTasksAndRoutedValuesWinOverTheSpec) {
  spec::ServiceSpec s = testutil::dataStore();
  testutil::podOf(s, "data").tasks[0].env = {{"LOG", "warn"}, {"KEEP", "me"}};
  Env env = {{"TASKCFG_ALL_VERSION", "1.2"},
             {"TASKCFG_DATA_LOG", "debug"},
             {"TASKCFG_META_DATA_ROLE", "meta"}};
  spec::ServiceSpec routed = withRoutedTaskEnv(s, env);
  EXPECT_EQ(testutil::podOf(routed, "data").tasks[0].env,
            (Env{{"KEEP", "me"}, {"LOG", "debug"}, {"VERSION", "1.2"}}));
  EXPECT_EQ(testutil::podOf(routed, "meta-data").tasks[0].env,
            (Env{{"ROLE", "meta"}, {"VERSION", "1.2"}}));
}

TEST(WithRoutedTaskEnv, WithoutTaskcfgVariablesTheSpecIsUnchanged) {
  spec::ServiceSpec s = testutil::dataStore();
  EXPECT_EQ(withRoutedTaskEnv(s, {{"DATA_COUNT", "5"}, {"PATH", "/bin"}}), s);
}

}  // namespace
}  // namespace keel::config
