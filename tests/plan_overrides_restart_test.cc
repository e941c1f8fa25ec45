// Operator overrides survive a scheduler restart: a plan's overrides written
// through the SQLite state store are re-applied to the plan a new scheduler
// generates from the same spec.
#include <gtest/gtest.h>

#include "keel/plan_generator.h"
#include "keel/plan_operations.h"
#include "keel/plan_override.h"
#include "keel/spec_loader.h"
#include "keel/state/plan_override_store.h"
#include "keel/state/sqlite_persister.h"
#include "testing/temp_dir.h"

namespace keel {
namespace {

spec::ServiceSpec dataStore() {
  const char* yaml = R"(name: data-store
pods:
  meta-data:
    count: 2
    tasks:
      node: {goal: RUNNING, cmd: bash meta-data, cpus: 0.1, memory: 32}
  data:
    count: 3
    tasks:
      node: {goal: RUNNING, cmd: bash data, cpus: 0.1, memory: 32}
)";
  spec::LoadResult loaded = spec::loadServiceSpecText(yaml, "svc.yml", {});
  EXPECT_TRUE(loaded.ok());
  return *loaded.spec;
}

// What a scheduler does with an operator action: persist, then act.
void persist(state::PlanOverrideStore& store, const std::string& plan,
             const std::vector<plan::OverrideChange>& changes) {
  for (const auto& change : changes) {
    Status s =
        change.value ? store.put(plan, change.key, *change.value) : store.erase(plan, change.key);
    ASSERT_TRUE(s.isOk()) << s;
  }
}

class PlanOverridesRestart : public ::testing::Test {
 protected:
  std::unique_ptr<state::SqlitePersister> open() {
    auto p = state::SqlitePersister::open(dir_.file("state.db"));
    EXPECT_TRUE(p.has_value()) << p.status();
    return std::move(p).value();
  }
  testing::TempDir dir_;
};

TEST_F(PlanOverridesRestart, InterruptsForceCompletesAndDecisionPointsAreKept) {
  {
    auto persister = open();
    state::PlanOverrideStore store(*persister);
    auto plan = plan::generateDeployPlan(dataStore());
    ASSERT_TRUE(plan.has_value()) << plan.status();
    auto forced = plan::forceCompleteElement(*plan, {"meta-data", "meta-data-1:[node]"});
    ASSERT_TRUE(forced.has_value()) << forced.status();
    persist(store, "deploy", forced->changes);
    auto paused = plan::interruptElement(*plan, {"data", ""});
    ASSERT_TRUE(paused.has_value()) << paused.status();
    persist(store, "deploy", paused->changes);
    auto decision = plan::setDecisionPoint(*plan, {"data", "data-2:[node]"}, true);
    ASSERT_TRUE(decision.has_value()) << decision.status();
    persist(store, "deploy", decision->changes);
  }  // the scheduler dies; only the state file remains

  auto persister = open();
  state::PlanOverrideStore store(*persister);
  auto records = store.list("deploy");
  ASSERT_TRUE(records.has_value()) << records.status();
  auto plan = plan::generateDeployPlan(dataStore());
  ASSERT_TRUE(plan.has_value());
  auto report = plan::applyOverrides(*plan, *records);
  ASSERT_TRUE(report.has_value()) << report.status();
  EXPECT_TRUE(report->unmatched.empty());

  EXPECT_EQ(plan::overrideRecords(*plan), *records);
  const plan::Phase* meta = plan->findPhase("meta-data");
  const plan::Phase* data = plan->findPhase("data");
  ASSERT_NE(meta, nullptr);
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(meta->findStep("meta-data-1:[node]")->status(), plan::ElementStatus::kComplete);
  EXPECT_EQ(meta->findStep("meta-data-0:[node]")->status(), plan::ElementStatus::kPending);
  EXPECT_TRUE(data->interrupted());
  EXPECT_TRUE(data->findStep("data-2:[node]")->decisionPoint());
}

TEST_F(PlanOverridesRestart, AContinueErasesTheInterruptSoItStaysContinued) {
  {
    auto persister = open();
    state::PlanOverrideStore store(*persister);
    auto plan = plan::generateDeployPlan(dataStore());
    ASSERT_TRUE(plan.has_value());
    auto paused = plan::interruptElement(*plan, {});
    ASSERT_TRUE(paused.has_value());
    persist(store, "deploy", paused->changes);
    auto resumed = plan::continueElement(*plan, {});
    ASSERT_TRUE(resumed.has_value());
    persist(store, "deploy", resumed->changes);
  }
  auto persister = open();
  state::PlanOverrideStore store(*persister);
  auto records = store.list("deploy");
  ASSERT_TRUE(records.has_value());
  auto plan = plan::generateDeployPlan(dataStore());
  ASSERT_TRUE(plan.has_value());
  ASSERT_TRUE(plan::applyOverrides(*plan, *records).has_value());
  EXPECT_FALSE(plan->interrupted());
}

}  // namespace
}  // namespace keel
