#include "keel/state/config_store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "keel/ids.h"
#include "keel/state/memory_persister.h"

namespace keel::state {
namespace {

TEST(ConfigStore, StoresConfigurationsByIdAndListsThem) {
  MemoryPersister p;
  ConfigStore configs(p);
  std::string a = seededUuid(1), b = seededUuid(2);
  ASSERT_TRUE(configs.store(a, R"({"name":"hello"})").isOk());
  ASSERT_TRUE(configs.store(b, R"({"name":"hello","count":2})").isOk());
  EXPECT_EQ(*configs.get(a), R"({"name":"hello"})");
  EXPECT_EQ(p.get("/Configurations/" + a)->value, R"({"name":"hello"})");
  std::vector<std::string> ids = {a, b};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(*configs.list(), ids);
  EXPECT_EQ(configs.get(seededUuid(3)).status().code(), StatusCode::kNotFound);
}

TEST(ConfigStore, ConfigurationsAreImmutable) {
  MemoryPersister p;
  ConfigStore configs(p);
  ASSERT_TRUE(configs.store("c1", "text").isOk());
  EXPECT_TRUE(configs.store("c1", "text").isOk());
  EXPECT_EQ(configs.store("c1", "other").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*configs.get("c1"), "text");
}

TEST(ConfigStore, TargetMustBeAStoredConfiguration) {
  MemoryPersister p;
  ConfigStore configs(p);
  EXPECT_FALSE(configs.target()->has_value());
  EXPECT_EQ(configs.setTarget("nope").code(), StatusCode::kNotFound);
  EXPECT_FALSE(configs.target()->has_value());
  ASSERT_TRUE(configs.store("c1", "t").isOk());
  ASSERT_TRUE(configs.setTarget("c1").isOk());
  EXPECT_EQ(**configs.target(), "c1");
  EXPECT_EQ(p.get("/ConfigTarget")->value, "c1");
}

TEST(ConfigStore, EraseUnusedKeepsTheTargetAndConfigurationsInUse) {
  MemoryPersister p;
  ConfigStore configs(p);
  for (const char* id : {"old", "running", "target", "orphan"}) {
    ASSERT_TRUE(configs.store(id, id).isOk());
  }
  ASSERT_TRUE(configs.setTarget("target").isOk());
  auto erased = configs.eraseUnused({"running"});
  ASSERT_TRUE(erased.has_value()) << erased.status();
  EXPECT_EQ(*erased, (std::vector<std::string>{"old", "orphan"}));
  EXPECT_EQ(*configs.list(), (std::vector<std::string>{"running", "target"}));
  EXPECT_TRUE(configs.eraseUnused({"running"})->empty());
}

TEST(ConfigStore, EraseUnusedWithoutATargetKeepsOnlyThoseInUse) {
  MemoryPersister p;
  ConfigStore configs(p);
  ASSERT_TRUE(configs.store("a", "a").isOk());
  ASSERT_TRUE(configs.store("b", "b").isOk());
  EXPECT_EQ(*configs.eraseUnused({"b"}), std::vector<std::string>{"a"});
  EXPECT_EQ(*configs.list(), std::vector<std::string>{"b"});
}

TEST(ConfigStore, IdsAreEncodedIntoOneSegment) {
  MemoryPersister p;
  ConfigStore configs(p);
  ASSERT_TRUE(configs.store("../ConfigTarget", "sneaky").isOk());
  EXPECT_EQ(p.get("/ConfigTarget").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*configs.list(), std::vector<std::string>{"../ConfigTarget"});
  EXPECT_EQ(configs.store("", "x").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace keel::state
