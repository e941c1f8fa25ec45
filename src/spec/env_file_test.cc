#include "keel/env_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace keel {
namespace {

TEST(EnvFile, ParsesKeyValueLinesCommentsBlanksAndEscapedNewlines) {
  auto env =
      parseEnvText("# comment\n\nA=1\n  B = two words \nC=x=y\nD=\nE=line1\\nline2\r\n", "t.env");
  ASSERT_TRUE(env.isOk()) << env.status();
  EXPECT_EQ(env->at("A"), "1");
  EXPECT_EQ(env->at("B"), " two words ");
  EXPECT_EQ(env->at("C"), "x=y");
  EXPECT_EQ(env->at("D"), "");
  EXPECT_EQ(env->at("E"), "line1\nline2");
  EXPECT_EQ(env->size(), 5u);
}

TEST(EnvFile, ALineWithoutEqualsIsAnErrorNamingFileAndLine) {
  auto env = parseEnvText("A=1\nnot a pair\n", "t.env");
  ASSERT_FALSE(env.isOk());
  EXPECT_NE(env.error().message().find("t.env:2"), std::string::npos) << env.error().message();
}

TEST(EnvFile, ReadsTheHelloworldDefaults) {
  auto env =
      readEnvFile(keel::testing::sharedDir() + "/compat/dcos-commons/helloworld/defaults.env");
  ASSERT_TRUE(env.isOk()) << env.status();
  EXPECT_EQ(env->at("FRAMEWORK_NAME"), "hello-world");
  EXPECT_EQ(env->at("HELLO_PLACEMENT"), R"([["hostname", "UNIQUE"]])");
  EXPECT_EQ(env->at("PACKAGE_NAME"), "");
}

TEST(EnvFile, AMissingFileIsNotFound) {
  testing::TempDir dir;
  auto env = readEnvFile(dir.file("absent.env"));
  ASSERT_FALSE(env.isOk());
  EXPECT_EQ(env.error().code(), StatusCode::kNotFound);
}

TEST(EnvFile, ReadsAFileFromDisk) {
  testing::TempDir dir;
  std::ofstream(dir.file("a.env")) << "K=v\n";
  auto env = readEnvFile(dir.file("a.env"));
  ASSERT_TRUE(env.isOk());
  EXPECT_EQ(env->at("K"), "v");
}

TEST(ProcessEnvironment, ContainsVariablesSetInThisProcess) {
  ::setenv("KEEL_SPEC_TEST_VAR", "a=b", 1);
  auto env = processEnvironment();
  EXPECT_EQ(env.at("KEEL_SPEC_TEST_VAR"), "a=b");
}

}  // namespace
}  // namespace keel
