#include "keel/state/layout.h"

#include <gtest/gtest.h>

#include "keel/state/memory_persister.h"

namespace keel::state {
namespace {

TEST(LayoutVersion, IsWrittenIntoANewStoreAndAcceptedAfterwards) {
  MemoryPersister p;
  ASSERT_TRUE(layout::ensureLayoutVersion(p).isOk());
  EXPECT_EQ(p.get(layout::kSchemaVersion)->value, "1");
  EXPECT_TRUE(layout::ensureLayoutVersion(p).isOk());
  EXPECT_EQ(p.get(layout::kSchemaVersion)->version, 1);
}

TEST(LayoutVersion, RefusesNewerOlderAndUnreadableVersions) {
  struct Case {
    const char* stored;
    StatusCode code;
  };
  for (const Case& c : {Case{"2", StatusCode::kUnsupported}, Case{"0", StatusCode::kUnsupported},
                        Case{"one", StatusCode::kCorruption}, Case{"", StatusCode::kCorruption}}) {
    MemoryPersister p;
    ASSERT_TRUE(p.set(layout::kSchemaVersion, c.stored).has_value());
    EXPECT_EQ(layout::ensureLayoutVersion(p).code(), c.code) << "stored: " << c.stored;
    EXPECT_EQ(p.get(layout::kSchemaVersion)->value, c.stored);
  }
}

}  // namespace
}  // namespace keel::state
