#include "keel/state/plan_override_store.h"

#include <gtest/gtest.h>

#include "keel/state/memory_persister.h"
#include "keel/state/sqlite_persister.h"
#include "testing/temp_dir.h"

namespace keel::state {
namespace {

using Overrides = std::map<std::string, std::string>;

TEST(PlanOverrideStore, KeepsOverridesPerPlan) {
  MemoryPersister p;
  PlanOverrideStore store(p);
  ASSERT_TRUE(store.put("deploy", "interrupted", "true").isOk());
  ASSERT_TRUE(store.put("deploy", "node-phase/node-0:[server]", "force-complete").isOk());
  ASSERT_TRUE(store.put("recovery", "interrupted", "false").isOk());
  EXPECT_EQ(*store.list("deploy"),
            (Overrides{{"interrupted", "true"}, {"node-phase/node-0:[server]", "force-complete"}}));
  EXPECT_EQ(*store.list("recovery"), (Overrides{{"interrupted", "false"}}));
  EXPECT_EQ(*store.list("update"), Overrides{});
}

TEST(PlanOverrideStore, PutOverwritesAndEraseIsIdempotent) {
  MemoryPersister p;
  PlanOverrideStore store(p);
  ASSERT_TRUE(store.put("deploy", "k", "1").isOk());
  ASSERT_TRUE(store.put("deploy", "k", "2").isOk());
  EXPECT_EQ(*store.list("deploy"), (Overrides{{"k", "2"}}));
  ASSERT_TRUE(store.erase("deploy", "k").isOk());
  EXPECT_TRUE(store.erase("deploy", "k").isOk());
  EXPECT_TRUE(store.erase("never", "k").isOk());
  EXPECT_EQ(*store.list("deploy"), Overrides{});
}

TEST(PlanOverrideStore, PlanNamesWithSlashesDoNotReachOtherPlans) {
  MemoryPersister p;
  PlanOverrideStore store(p);
  ASSERT_TRUE(store.put("deploy/k", "x", "nested").isOk());
  ASSERT_TRUE(store.put("deploy", "k/x", "flat").isOk());
  ASSERT_TRUE(store.put("..", "k", "dots").isOk());
  EXPECT_EQ(*store.list("deploy"), (Overrides{{"k/x", "flat"}}));
  EXPECT_EQ(*store.list("deploy/k"), (Overrides{{"x", "nested"}}));
  EXPECT_EQ(*store.list(".."), (Overrides{{"k", "dots"}}));
  EXPECT_EQ(*p.children("/"), std::vector<std::string>{"PlanOverrides"});
}

TEST(PlanOverrideStore, RejectsEmptyPlanNamesAndKeys) {
  MemoryPersister p;
  PlanOverrideStore store(p);
  EXPECT_EQ(store.put("", "k", "v").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.put("deploy", "", "v").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.list("").status().code(), StatusCode::kInvalidArgument);
}

TEST(PlanOverrideStore, OverridesSurviveAReopenOfTheDurableStore) {
  testing::TempDir dir;
  {
    auto p = SqlitePersister::open(dir.file(kStateDbFileName));
    ASSERT_TRUE(p.has_value()) << p.status();
    ASSERT_TRUE(PlanOverrideStore(**p).put("deploy", "interrupted", "true").isOk());
  }
  auto p = SqlitePersister::open(dir.file(kStateDbFileName));
  ASSERT_TRUE(p.has_value()) << p.status();
  EXPECT_EQ(*PlanOverrideStore(**p).list("deploy"), (Overrides{{"interrupted", "true"}}));
}

}  // namespace
}  // namespace keel::state
