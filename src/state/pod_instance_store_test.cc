#include "keel/state/pod_instance_store.h"

#include <gtest/gtest.h>

#include "keel/state/memory_persister.h"

namespace keel::state {
namespace {

TEST(PodInstanceStore, StoresListsAndErasesRecords) {
  MemoryPersister p;
  PodInstanceStore store(p);
  EXPECT_TRUE(store.list()->empty());
  ASSERT_TRUE(store.put("data-0", R"({"incarnation":1})").isOk());
  ASSERT_TRUE(store.put("meta/data-1", "x").isOk());
  EXPECT_EQ(p.get("/PodInstances/data-0")->value, R"({"incarnation":1})");
  auto records = store.list();
  ASSERT_TRUE(records.has_value()) << records.error().toString();
  EXPECT_EQ(*records, (std::map<std::string, std::string>{{"data-0", R"({"incarnation":1})"},
                                                          {"meta/data-1", "x"}}));
  ASSERT_TRUE(store.erase("data-0").isOk());
  EXPECT_TRUE(store.erase("data-0").isOk()) << "idempotent";
  EXPECT_EQ(store.list()->size(), 1u);
  EXPECT_EQ(store.put("", "x").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace keel::state
