// Reconciler: explicit rounds with back-off until answered, then implicit.
#include "scheduler/reconciler.h"

#include <gtest/gtest.h>

namespace keel::scheduler {
namespace {

using namespace std::chrono_literals;

Reconciler::Task task(const std::string& id) { return {mesos::TaskID{id}, mesos::AgentID{"a"}}; }

TEST(Reconciler, ResendsUnansweredTasksWithBackoffThenGoesImplicit) {
  Reconciler r({4s, 10s, 1h});
  TimePoint t0 = fromEpochMillis(1'000'000);
  EXPECT_FALSE(r.due(t0)) << "nothing before the first subscription";
  r.start({task("a"), task("b")}, t0);
  EXPECT_FALSE(r.complete());
  auto first = r.due(t0);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->implicit);
  EXPECT_EQ(first->tasks.size(), 2u);
  EXPECT_FALSE(r.due(t0 + 3s)) << "back-off 4 s";
  r.answered("a");
  auto second = r.due(t0 + 4s);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->tasks.size(), 1u);
  EXPECT_EQ(second->tasks[0].taskId.value, "b");
  EXPECT_FALSE(r.due(t0 + 11s)) << "back-off doubled to 8 s";
  EXPECT_TRUE(r.due(t0 + 12s));
  EXPECT_FALSE(r.due(t0 + 21s)) << "back-off capped at 10 s";
  r.answered("b");
  EXPECT_TRUE(r.complete());
  auto implicit = r.due(t0 + 22s);
  ASSERT_TRUE(implicit);
  EXPECT_TRUE(implicit->implicit);
  EXPECT_FALSE(r.due(t0 + 22s + 59min));
  EXPECT_TRUE(r.due(t0 + 22s + 1h));
}

TEST(Reconciler, NoStoredTasksCompletesAtOnce) {
  Reconciler r;
  r.start({}, fromEpochMillis(0));
  EXPECT_TRUE(r.complete());
  auto req = r.due(fromEpochMillis(0));
  ASSERT_TRUE(req);
  EXPECT_TRUE(req->implicit);
}

TEST(Reconciler, AsksAboutEndedTasksEveryIntervalOnceTheExplicitRoundIsDone) {
  Reconciler r({4s, 10s, 1h, 1min});
  TimePoint t0 = fromEpochMillis(1'000'000);
  EXPECT_FALSE(r.endedDue(t0)) << "nothing before the first subscription";
  r.start({task("a")}, t0);
  EXPECT_FALSE(r.endedDue(t0 + 5min)) << "not while the explicit round is open";
  r.answered("a");
  EXPECT_FALSE(r.endedDue(t0 + 5min)) << "the round itself asked";
  EXPECT_FALSE(r.endedDue(t0 + 5min + 59s));
  EXPECT_TRUE(r.endedDue(t0 + 6min));
  EXPECT_FALSE(r.endedDue(t0 + 6min + 1s));
  EXPECT_TRUE(r.endedDue(t0 + 7min));
  r.start({}, t0 + 8min);
  EXPECT_FALSE(r.endedDue(t0 + 8min)) << "a new subscription starts the interval again";
  EXPECT_TRUE(r.endedDue(t0 + 9min));
}

}  // namespace
}  // namespace keel::scheduler
