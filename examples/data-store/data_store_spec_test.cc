// The C++ program and the svc.yml of the data-store example describe the same
// service: for any configuration they must produce equal specs.
#include "data_store_spec.h"

#include <gtest/gtest.h>

#include "keel/env_file.h"
#include "keel/spec_loader.h"
#include "testing/paths.h"

namespace {

const std::string kDir = keel::testing::sourceDir() + "/examples/data-store";

std::map<std::string, std::string> defaultEnv() {
  auto env = keel::readEnvFile(kDir + "/data-store.env");
  EXPECT_TRUE(env.has_value()) << env.status();
  std::map<std::string, std::string> out = env.value_or(std::map<std::string, std::string>{});
  out["METADATA_URI"] = "file://" + kDir + "/meta-data";
  out["DATA_URI"] = "file://" + kDir + "/data";
  return out;
}

keel::spec::ServiceSpec fromYaml(const std::map<std::string, std::string>& env) {
  keel::spec::LoadOptions options;
  options.env = env;
  options.strictRendering = true;
  keel::spec::LoadResult loaded = keel::spec::loadServiceSpecFile(kDir + "/svc.yml", options);
  for (const auto& e : loaded.errors) ADD_FAILURE() << e.toString();
  for (const auto& w : loaded.warnings) ADD_FAILURE() << w.toString();
  return loaded.spec.value_or(keel::spec::ServiceSpec{});
}

TEST(DataStoreExample, TheProgramAndTheSvcYmlProduceEqualSpecs) {
  auto env = defaultEnv();
  auto built = datastore::serviceSpec(env);
  ASSERT_TRUE(built.has_value()) << built.status();
  keel::spec::ServiceSpec loaded = fromYaml(env);
  EXPECT_EQ(*built, loaded);
  ASSERT_EQ(built->pods.size(), 2u);
  EXPECT_EQ(built->pods[0].type, "meta-data");
  EXPECT_EQ(built->pods[0].count, 2);
  EXPECT_EQ(built->pods[1].type, "data");
  EXPECT_EQ(built->pods[1].count, 3);
}

TEST(DataStoreExample, ScalingTheDataTierChangesBothTheSameWay) {
  auto env = defaultEnv();
  env["DATA_COUNT"] = "5";
  env["DATA_MEM"] = "128";
  auto built = datastore::serviceSpec(env);
  ASSERT_TRUE(built.has_value()) << built.status();
  EXPECT_EQ(*built, fromYaml(env));
  EXPECT_EQ(built->pods[1].count, 5);
  EXPECT_EQ(built->pods[1].resourceSets[0].memoryMb, 128);
}

TEST(DataStoreExample, AllowDecommissionIsFalseUnlessSetAndTheSameInBoth) {
  auto env = defaultEnv();
  auto built = datastore::serviceSpec(env);
  ASSERT_TRUE(built.has_value()) << built.status();
  EXPECT_FALSE(built->pods[1].allowDecommission);
  env.erase("DATA_ALLOW_DECOMMISSION");
  EXPECT_FALSE(datastore::serviceSpec(env)->pods[1].allowDecommission);
  env["DATA_COUNT"] = "3";
  env["DATA_ALLOW_DECOMMISSION"] = "true";
  built = datastore::serviceSpec(env);
  ASSERT_TRUE(built.has_value()) << built.status();
  EXPECT_EQ(*built, fromYaml(env));
  EXPECT_TRUE(built->pods[1].allowDecommission);
  EXPECT_FALSE(built->pods[0].allowDecommission);
  env["DATA_ALLOW_DECOMMISSION"] = "yes";
  ASSERT_FALSE(datastore::serviceSpec(env).has_value());
  EXPECT_NE(datastore::serviceSpec(env).error().message().find("DATA_ALLOW_DECOMMISSION"),
            std::string::npos);
}

TEST(DataStoreExample, AMissingVariableIsNamed) {
  auto env = defaultEnv();
  env.erase("DATA_COUNT");
  auto built = datastore::serviceSpec(env);
  ASSERT_FALSE(built.has_value());
  EXPECT_NE(built.error().message().find("DATA_COUNT"), std::string::npos);
}

TEST(DataStoreExample, AnInvalidValueIsRejectedByValidation) {
  auto env = defaultEnv();
  env["DATA_CPU"] = "0";
  auto built = datastore::serviceSpec(env);
  ASSERT_FALSE(built.has_value());
  EXPECT_NE(built.error().message().find("pods.data"), std::string::npos) << built.status();
}

}  // namespace
