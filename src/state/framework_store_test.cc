#include "keel/state/framework_store.h"

#include <gtest/gtest.h>

#include "keel/state/layout.h"
#include "keel/state/memory_persister.h"

namespace keel::state {
namespace {

TEST(FrameworkStore, HoldsNoIdUntilOneIsSet) {
  MemoryPersister p;
  FrameworkStore store(p);
  auto id = store.get();
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(id->has_value());
}

TEST(FrameworkStore, StoresReplacesAndClearsTheId) {
  MemoryPersister p;
  FrameworkStore store(p);
  ASSERT_TRUE(store.set("fw-1").isOk());
  ASSERT_TRUE(store.set("fw-2").isOk());
  EXPECT_EQ(**store.get(), "fw-2");
  EXPECT_EQ(p.get(layout::kFrameworkId)->value, "fw-2");
  ASSERT_TRUE(store.clear().isOk());
  EXPECT_FALSE(store.get()->has_value());
  EXPECT_TRUE(store.clear().isOk());
}

TEST(FrameworkStore, RejectsAnEmptyId) {
  MemoryPersister p;
  EXPECT_EQ(FrameworkStore(p).set("").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace keel::state
