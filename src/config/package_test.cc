#include "keel/package.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel {
namespace {

const std::string kHelloworld = keel::testing::sharedDir() + "/compat/dcos-commons/helloworld";
const std::string kUniverse = kHelloworld + "/universe";

std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// defaults.env: KEY=VALUE a line, "\n" in a value standing for a newline.
std::map<std::string, std::string> defaultsEnv() {
  std::map<std::string, std::string> env;
  std::istringstream lines(readText(kHelloworld + "/defaults.env"));
  for (std::string line; std::getline(lines, line);) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    for (size_t at = value.find("\\n"); at != std::string::npos; at = value.find("\\n", at + 1)) {
      value.replace(at, 2, "\n");
    }
    env[line.substr(0, eq)] = value;
  }
  return env;
}

PackageEnv render(const std::string& options, const PackageRenderOptions& opts = {}) {
  Result<PackageEnv> env = renderPackageEnv(kUniverse, options, opts);
  EXPECT_TRUE(env.has_value()) << env.error();
  return env.has_value() ? *env : PackageEnv{};
}

Status renderError(const std::string& options, const std::string& dir = kUniverse) {
  Result<PackageEnv> env = renderPackageEnv(dir, options);
  EXPECT_FALSE(env.has_value()) << options;
  return env.status();
}

TEST(HelloworldPackage, RendersExactlyDefaultsEnvWithoutOptions) {
  std::map<std::string, std::string> want = defaultsEnv();
  ASSERT_GT(want.size(), 50u);
  for (const char* none : {"", "  \n", "{}"}) {
    PackageEnv got = render(none);
    EXPECT_EQ(got.env, want) << "options: '" << none << "'";
    EXPECT_TRUE(got.warnings.empty());
  }
}

TEST(HelloworldPackage, OptionsOverrideDefaultsAndKeepTheRest) {
  PackageEnv got = render(R"({"hello": {"count": 3, "cpus": 0.5},
                              "service": {"name": "/folder/hw", "log_level": "DEBUG"}})");
  std::map<std::string, std::string> want = defaultsEnv();
  want["HELLO_COUNT"] = "3";
  want["HELLO_CPUS"] = "0.5";
  want["FRAMEWORK_NAME"] = "/folder/hw";
  want["FRAMEWORK_LOG_LEVEL"] = "DEBUG";
  EXPECT_EQ(got.env, want);
}

TEST(HelloworldPackage, OptionalBlocksFollowTheirOptions) {
  PackageEnv got = render(R"({"hello": {"kill_grace_period": 30, "volume_profile": "fast"},
                              "service": {"task_failure_backoff": {"enabled": false}}})");
  EXPECT_EQ(got.env["HELLO_KILL_GRACE_PERIOD"], "30");
  EXPECT_EQ(got.env["HELLO_VOLUME_PROFILE"], "fast");
  EXPECT_EQ(got.env.count("ENABLE_BACKOFF"), 0u);
  EXPECT_EQ(got.env.count("FRAMEWORK_BACKOFF_FACTOR"), 0u);
}

TEST(HelloworldPackage, JsonInAStringOptionSurvivesTheJsonTemplate) {
  PackageEnv got = render(R"({"hello": {"placement": "[[\"zone\", \"GROUP_BY\", \"3\"]]",
                              "labels": "a:\"b\"\nc"}})");
  EXPECT_EQ(got.env["HELLO_PLACEMENT"], R"([["zone", "GROUP_BY", "3"]])");
  EXPECT_EQ(got.env["HELLO_LABELS"], "a:\"b\"\nc");
}

TEST(HelloworldPackage, RejectsAWrongTypeNamingTheOption) {
  Status s = renderError(R"({"hello": {"count": "three"}})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      s.message(),
      R"(options.json: hello.count: must be an integer (schema: type integer), found "three" (a string))");
}

TEST(HelloworldPackage, RejectsAValueBelowTheMinimum) {
  Status s = renderError(R"({"world": {"readiness_check": {"interval": 1}}})");
  EXPECT_EQ(s.message(),
            "options.json: world.readiness_check.interval: must be an integer >= 5 "
            "(schema: minimum 5), found 1");
}

TEST(HelloworldPackage, RejectsAValueOutsideTheEnumListingTheAllowedValues) {
  Result<std::vector<PackageDiagnostic>> got =
      checkPackageOptions(kUniverse, R"({"service": {"log_level": "LOUD"}})");
  ASSERT_TRUE(got.has_value()) << got.error();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().where, "service.log_level");
  EXPECT_EQ(got->front().rule, "enum");
  EXPECT_EQ(got->front().allowed,
            R"(one of "OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL")");
  EXPECT_EQ(got->front().found, R"("LOUD")");
}

TEST(HelloworldPackage, ReportsEveryInvalidOptionTogether) {
  Status s = renderError(R"({"hello": {"count": -1, "mem": "lots"},
                             "service": {"verbose_mesos_logging": 2}})");
  EXPECT_NE(s.message().find("hello.mem: must be an integer"), std::string::npos) << s;
  EXPECT_NE(s.message().find("service.verbose_mesos_logging: must be one of 0, 1"),
            std::string::npos)
      << s;
  // hello.count has no minimum in config.json: -1 is accepted.
  EXPECT_EQ(s.message().find("hello.count"), std::string::npos) << s;
}

TEST(HelloworldPackage, WarnsAboutAnUnknownOptionAndRendersAnyway) {
  PackageEnv got = render(R"({"hello": {"colour": "red"}, "extra": 1})");
  EXPECT_EQ(got.env, defaultsEnv());
  ASSERT_EQ(got.warnings.size(), 2u);
  EXPECT_NE(got.warnings[0].find("options.json: extra: unknown option"), std::string::npos);
  EXPECT_NE(got.warnings[1].find("options.json: hello.colour: unknown option"), std::string::npos);
}

TEST(HelloworldPackage, NamesMalformedOptionsByLineAndColumn) {
  Status s = renderError("{\n  \"hello\": {\n    \"count\": 3,\n  }\n}");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("options.json: line 4, column 3: not valid JSON: ", 0), 0u) << s;
}

TEST(HelloworldPackage, RequiresTheOptionsToBeAnObject) {
  Status s = renderError("[1, 2]");
  EXPECT_EQ(s.message(), "options.json: must be a JSON object of options, found array");
}

TEST(HelloworldPackage, UsesTheGivenNameForTheOptionsInMessages) {
  PackageRenderOptions opts;
  opts.optionsName = "/tmp/my-options.json";
  Result<PackageEnv> env = renderPackageEnv(kUniverse, R"({"hello": {"gpus": "x"}})", opts);
  ASSERT_FALSE(env.has_value());
  EXPECT_EQ(env.error().message().rfind("/tmp/my-options.json: hello.gpus: must be a number", 0),
            0u)
      << env.error();
}

// helloworld's template has a quote missing in its external-volume block, so
// setting that option produces text that is not JSON.
TEST(HelloworldPackage, NamesTheRenderedLineThatIsNotJson) {
  Status s = renderError(R"({"hello": {"external_volume_name": "vol"}})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("marathon.json.mustache (rendered): line "), std::string::npos) << s;
  EXPECT_NE(s.message().find(R"(the line reads: "HELLO_EXTERNAL_VOLUME_NAME: "vol",)"),
            std::string::npos)
      << s;
}

TEST(HelloworldPackage, SubstitutesBuildParametersLikeThePackageBuilder) {
  PackageRenderOptions opts;
  opts.buildParams = {{"package-version", "1.2.3"},
                      {"scheduler-jre-url", "https://x/jre.tgz"},
                      {"artifact-dir", "https://x/artifacts"}};
  PackageEnv got = render("", opts);
  EXPECT_EQ(got.env["PACKAGE_VERSION"], "1.2.3");
  EXPECT_EQ(got.env["TASKCFG_ALL_PACKAGE_VERSION_TO_FORCE_UPDATE"], "1.2.3");
  EXPECT_EQ(got.env["JAVA_URI"], "https://x/jre.tgz");
  EXPECT_EQ(got.env["BOOTSTRAP_URI"], "https://x/artifacts/bootstrap.zip");
  EXPECT_EQ(got.env["LIBMESOS_URI"], "{{libmesos-bundle-url}}");
  EXPECT_EQ(got.env["PACKAGE_BUILD_TIME_EPOCH_MS"], "");
}

TEST(HelloworldPackage, TakesTheNameButNotAPlaceholderVersionFromPackageJson) {
  PackageRenderOptions opts;
  opts.paramsFromPackageJson = true;
  PackageEnv got = render("", opts);
  EXPECT_EQ(got.env["PACKAGE_NAME"], "hello-world");
  EXPECT_EQ(got.env["PACKAGE_VERSION"], "");
}

void writeFile(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.file(name)) << text;
}

TEST(Package, FailsNamingAMissingConfigJson) {
  testing::TempDir dir;
  writeFile(dir, "marathon.json.mustache", "{}");
  Status s = renderError("", dir.path().string());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            dir.file("config.json") + ": not found (a package needs its options schema)");
}

TEST(Package, FailsNamingAMissingTemplate) {
  testing::TempDir dir;
  writeFile(dir, "config.json", R"({"type": "object"})");
  Status s = renderError("", dir.path().string());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find(dir.file("marathon.json.mustache") + ": not found"),
            std::string::npos);
}

TEST(Package, RejectsUnknownOptionsWhereTheSchemaIsClosed) {
  testing::TempDir dir;
  writeFile(dir, "config.json", R"({"type": "object", "additionalProperties": false,
    "properties": {"node": {"type": "object", "additionalProperties": false,
      "properties": {"count": {"type": "integer", "default": 1, "minimum": 1}}}}})");
  writeFile(dir, "marathon.json.mustache", R"({"env": {"COUNT": "{{node.count}}"}})");
  Status s = renderError(R"({"node": {"count": 2, "size": 3}})", dir.path().string());
  EXPECT_EQ(s.message(),
            "options.json: node.size: unknown option (schema: additionalProperties false); one of "
            "the declared options: count");
  s = renderError(R"({"node": {"count": 0}})", dir.path().string());
  EXPECT_EQ(s.message(),
            "options.json: node.count: must be an integer >= 1 (schema: minimum 1), found 0");
  Result<PackageEnv> env = renderPackageEnv(dir.path().string(), R"({"node": {"count": 4}})");
  ASSERT_TRUE(env.has_value()) << env.error();
  EXPECT_EQ(env->env, (std::map<std::string, std::string>{{"COUNT", "4"}}));
}

TEST(Package, TurnsNonStringEnvValuesIntoTextAndSkipsObjects) {
  testing::TempDir dir;
  writeFile(dir, "config.json", R"({"type": "object", "properties": {
    "n": {"type": "integer", "default": 7}, "b": {"type": "boolean", "default": true}}})");
  writeFile(dir, "marathon.json.mustache",
            R"({"env": {"N": {{n}}, "B": {{b}}, "S": {"secret": "s1"}, "F": 1.5}})");
  Result<PackageEnv> env = renderPackageEnv(dir.path().string(), "");
  ASSERT_TRUE(env.has_value()) << env.error();
  EXPECT_EQ(env->env,
            (std::map<std::string, std::string>{{"N", "7"}, {"B", "true"}, {"F", "1.5"}}));
  ASSERT_EQ(env->warnings.size(), 1u);
  EXPECT_NE(env->warnings[0].find("env S is object"), std::string::npos);
}

TEST(Package, RequiresTheRenderedTemplateToBeAnObject) {
  testing::TempDir dir;
  writeFile(dir, "config.json", R"({"type": "object"})");
  writeFile(dir, "marathon.json.mustache", "[]");
  Status s = renderError("", dir.path().string());
  EXPECT_NE(s.message().find("(rendered): must be a JSON object, found array"), std::string::npos)
      << s;
}

}  // namespace
}  // namespace keel
