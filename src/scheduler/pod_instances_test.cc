#include "scheduler/pod_instances.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/state/memory_persister.h"
#include "keel/state/pod_instance_store.h"

namespace keel::scheduler {
namespace {

using ::testing::HasSubstr;

TEST(PodInstances, MarksReplacesAndCleansDurably) {
  state::MemoryPersister p;
  PodInstances pods(p);
  ASSERT_TRUE(pods.load().isOk());
  EXPECT_EQ(pods.incarnation("data-0"), 0) << "no record: incarnation 0";
  TimePoint t0 = fromEpochMillis(1'000'000);
  auto n = pods.markFailed("data-0", PermanentFailure{"pod replace", t0, false});
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(pods.failed(), std::vector<std::string>{"data-0"});
  ASSERT_TRUE(
      pods.replaced("data-0", "agent-1", {"r1", "r2"}, t0 + std::chrono::minutes(10)).isOk());

  PodInstances reloaded(p);
  ASSERT_TRUE(reloaded.load().isOk());
  EXPECT_EQ(reloaded.incarnation("data-0"), 1);
  EXPECT_EQ(reloaded.failure("data-0"), nullptr);
  EXPECT_TRUE(reloaded.cleanupPending(t0));
  EXPECT_FALSE(reloaded.cleanupPending(t0 + std::chrono::minutes(10))) << "the window ended";
  reloaded.cleaned({"r1"});
  EXPECT_TRUE(reloaded.cleanupPending(t0));
  reloaded.cleaned({"r2", "unrelated"});
  EXPECT_FALSE(reloaded.cleanupPending(t0));
  EXPECT_EQ(p.get("/PodInstances/data-0")->value, R"({"incarnation":1})");
}

// Replaced again before the first old footprint was cleaned: both stay
// watched, each on its agent; a cleanup whose ACCEPT was dropped is watched
// again.
TEST(PodInstances, ASecondReplacementKeepsTheEarlierFootprintWatched) {
  state::MemoryPersister p;
  PodInstances pods(p);
  ASSERT_TRUE(pods.load().isOk());
  TimePoint t0 = fromEpochMillis(1'000'000);
  ASSERT_TRUE(pods.markFailed("data-0", PermanentFailure{"pod replace", t0, false}).has_value());
  ASSERT_TRUE(pods.replaced("data-0", "a1", {"r1", "r2"}, t0 + std::chrono::minutes(10)).isOk());
  ASSERT_TRUE(pods.markFailed("data-0", PermanentFailure{"pod replace", t0, false}).has_value());
  ASSERT_TRUE(pods.replaced("data-0", "a2", {"r3"}, t0 + std::chrono::minutes(10)).isOk());
  PodInstances reloaded(p);
  ASSERT_TRUE(reloaded.load().isOk());
  std::map<std::string, std::string> all{{"r1", "a1"}, {"r2", "a1"}, {"r3", "a2"}};
  EXPECT_EQ(reloaded.cleanupReservations(), all);
  std::vector<CleanedReservation> done = reloaded.cleaned({"r1", "r3"});
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ((std::map<std::string, std::string>{{"r2", "a1"}}), reloaded.cleanupReservations());
  reloaded.uncleaned(done);
  EXPECT_EQ(reloaded.cleanupReservations(), all);
  PodInstances again(p);
  ASSERT_TRUE(again.load().isOk());
  EXPECT_EQ(again.cleanupReservations(), all);
}

TEST(PodInstances, TheFirstTimeSeenFailingIsKeptDurablyUntilRunningOrMarked) {
  state::MemoryPersister p;
  PodInstances pods(p);
  TimePoint t0 = fromEpochMillis(1'000'000);
  ASSERT_TRUE(pods.noteFailing("data-1", t0, "data-1-node TASK_LOST").isOk());
  ASSERT_TRUE(pods.noteFailing("data-1", t0 + std::chrono::minutes(1), "later").isOk());
  PodInstances reloaded(p);
  ASSERT_TRUE(reloaded.load().isOk());
  ASSERT_EQ(reloaded.failing().size(), 1u);
  EXPECT_EQ(reloaded.failing()[0].since, t0) << "the first time seen, across a restart";
  EXPECT_EQ(reloaded.failing()[0].what, "data-1-node TASK_LOST");
  ASSERT_TRUE(reloaded.noteRunning("data-1").isOk());
  EXPECT_TRUE(reloaded.failing().empty());
  EXPECT_EQ(p.get("/PodInstances/data-1")->value, R"({"incarnation":0})");

  ASSERT_TRUE(reloaded.noteFailing("data-1", t0, "x").isOk());
  ASSERT_TRUE(reloaded.markFailed("data-1", PermanentFailure{"timeout", t0, false}).has_value());
  EXPECT_TRUE(reloaded.failing().empty()) << "marked: its replacement owns it";
}

TEST(PodInstances, AFailedWriteChangesNothing) {
  state::MemoryPersister p;
  PodInstances pods(p);
  auto n = pods.markFailed(std::string(300, 'x'), PermanentFailure{"too long a name", {}, false});
  EXPECT_FALSE(n.has_value());
  EXPECT_TRUE(pods.failed().empty());
  EXPECT_EQ(pods.incarnation(std::string(300, 'x')), 0);
}

TEST(PodInstances, AnUndecodableRecordFailsTheLoadNamingTheInstance) {
  for (const char* bad : {"not json", R"({"incarnation":"1"})",
                          R"({"incarnation":1,"permanent_failure":{"reason":3}})"}) {
    state::MemoryPersister p;
    ASSERT_TRUE(state::PodInstanceStore(p).put("data-2", bad).isOk());
    Status s = PodInstances(p).load();
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << bad;
    EXPECT_THAT(s.message(), HasSubstr("data-2")) << bad;
  }
}

}  // namespace
}  // namespace keel::scheduler
