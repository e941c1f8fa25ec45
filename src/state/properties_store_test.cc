#include "keel/state/properties_store.h"

#include <gtest/gtest.h>

#include "keel/state/memory_persister.h"

namespace keel::state {
namespace {

TEST(PropertiesStore, StoresReadsListsAndErasesKeys) {
  MemoryPersister p;
  PropertiesStore props(p);
  ASSERT_TRUE(props.put("uninstalling", "true").isOk());
  ASSERT_TRUE(props.put("data-0-node:task-status", std::string("\0\1", 2)).isOk());
  EXPECT_EQ(**props.get("uninstalling"), "true");
  EXPECT_EQ(**props.get("data-0-node:task-status"), std::string("\0\1", 2));
  EXPECT_EQ(p.get("/Properties/uninstalling")->value, "true");
  EXPECT_EQ(*props.keys(), (std::vector<std::string>{"data-0-node:task-status", "uninstalling"}));
  ASSERT_TRUE(props.erase("uninstalling").isOk());
  EXPECT_FALSE(props.get("uninstalling")->has_value());
  EXPECT_EQ(props.erase("uninstalling").code(), StatusCode::kNotFound);
}

TEST(PropertiesStore, ValidatesKeys) {
  struct Case {
    std::string key;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"last-completed-update-type", true},
      {"a/b", true},
      {"..", true},
      {"~!", true},
      {"", false},
      {"a b", false},
      {"tab\t", false},
      {std::string("\0", 1), false},
      {"caf\xc3\xa9", false},
      {std::string(255, 'k'), true},
      {std::string(256, 'k'), false},
  };
  MemoryPersister p;
  PropertiesStore props(p);
  for (const Case& c : cases) {
    EXPECT_EQ(PropertiesStore::validateKey(c.key).isOk(), c.valid) << c.key;
    EXPECT_EQ(props.put(c.key, "v").isOk(), c.valid) << c.key;
    if (c.valid) {
      EXPECT_EQ(**props.get(c.key), "v");
    }
  }
  EXPECT_EQ(*p.children("/"), std::vector<std::string>{"Properties"});
}

}  // namespace
}  // namespace keel::state
