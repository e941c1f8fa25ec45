#include "http/health.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "http/fake_scheduler_api.h"
#include "keel/plan_generator.h"
#include "testing/paths.h"

namespace keel::http {
namespace {

plan::Plan onePhasePlan(const std::string& name, size_t steps, const plan::IdGenerator& ids) {
  std::vector<plan::Step> list;
  for (size_t i = 0; i < steps; ++i) {
    std::string pod = name + "-" + std::to_string(i);
    list.emplace_back(ids(), pod + ":[node]", pod, std::vector<std::string>{"node"});
  }
  std::vector<plan::Phase> phases;
  phases.emplace_back(ids(), name, std::move(list), plan::parallelStrategy());
  return plan::Plan(ids(), name, std::move(phases), plan::serialStrategy());
}

void eachStep(plan::Plan& p, const std::function<void(plan::Step&)>& fn) {
  for (plan::Phase& phase : p.phases()) {
    for (plan::Step& s : phase.steps()) fn(s);
  }
}

struct World {
  plan::Plan deploy;
  plan::Plan recovery;
  plan::Plan backup;
  plan::Plan restore;
  bool registered = true;
};

World dataStore() {
  auto ids = plan::seededIds(7);
  auto spec = loadDataStoreSpec(keel::testing::sourceDir(), {});
  EXPECT_TRUE(spec.has_value()) << spec.status();
  auto deploy = plan::generateDeployPlan(*spec, ids);
  EXPECT_TRUE(deploy.has_value()) << deploy.status();
  return World{std::move(*deploy), emptyRecoveryPlan(ids), onePhasePlan("backup-s3", 1, ids),
               onePhasePlan("restore-s3", 1, ids)};
}

TEST(Health, ReportsTheCodeOfTheFirstMatchingRule) {
  auto complete = [](World& w) { w.deploy.forceComplete(); };
  auto prepare = [](plan::Plan& p) {
    eachStep(p, [](plan::Step& s) { ASSERT_TRUE(s.markPrepared().isOk()); });
  };
  struct Row {
    const char* state;
    std::function<void(World&)> make;
    int code;
  };
  std::vector<Row> rows = {
      {"fresh deploy", [](World&) {}, 204},
      {"not registered", [](World& w) { w.registered = false; }, 318},
      {"all steps starting",
       [](World& w) {
         eachStep(w.deploy, [](plan::Step& s) {
           ASSERT_TRUE(s.markPrepared().isOk());
           ASSERT_TRUE(s.markStarting().isOk());
         });
       },
       202},
      {"a step in backoff",
       [](World& w) {
         ASSERT_TRUE(w.deploy.phases()[1].steps()[0].markDelayed(fromEpochMillis(1)).isOk());
       },
       208},
      {"every step interrupted",
       [](World& w) { eachStep(w.deploy, [](plan::Step& s) { s.setInterrupted(true); }); }, 207},
      {"deployed", complete, 200},
      {"an error",
       [](World& w) { ASSERT_TRUE(w.deploy.phases()[0].steps()[0].markError("x").isOk()); }, 500},
      {"deployed, recovering",
       [&](World& w) {
         complete(w);
         w.recovery = onePhasePlan("recovery", 1, plan::seededIds(99));
       },
       203},
      {"deployed, backing up",
       [&](World& w) {
         complete(w);
         prepare(w.backup);
       },
       320},
      {"deployed, backing up and restoring",
       [&](World& w) {
         complete(w);
         prepare(w.backup);
         prepare(w.restore);
       },
       321},
      {"deploying while backing up", [&](World& w) { prepare(w.backup); }, 204},
  };
  for (const Row& row : rows) {
    World w = dataStore();
    row.make(w);
    std::vector<plan::Plan*> plans = {&w.deploy, &w.recovery, &w.backup, &w.restore};
    Health h = evaluateHealth(plans, w.registered, "fw-1");
    EXPECT_EQ(h.code, row.code) << row.state;
    EXPECT_EQ(h.reasons.size(), 10u) << row.state;
  }
}

TEST(Health, ExplainsEveryRuleInDcosCommonsOrder) {
  World w = dataStore();
  std::vector<plan::Plan*> plans = {&w.deploy, &w.recovery};
  Health h = evaluateHealth(plans, true, "fw-1");
  EXPECT_EQ(h.reasons,
            (std::vector<std::string>{
                "Priority 1. Status Code 500 is FALSE. No errors found in plans.",
                "Priority 1. Status Code 318 is FALSE. Registered with Framework ID fw-1.",
                "Priority 2. Status Code 207 is FALSE. Service deploy plan does NOT need "
                "user input.",
                "Priority 1. Status Code 200 is FALSE. Service deploy plan is NOT complete.",
                "Priority 2. Status Code 204 is TRUE, Steps: Total(5) Pending(5) "
                "Prepared(0) Starting(0) Started(0) Completed(0) Delayed(0)",
                "Priority 3. Status Code 206 is FALSE, Not implemented yet.",
                "Priority 4. Status Code 203 and 205 is FALSE. Recovery plan is complete.",
                "Priority 5. Status Code 320 is FALSE. No backup plans detected.",
                "Priority 5. Status Code 321 is FALSE. No restore plans detected.",
                "Priority 6. Status Code 326 is FALSE, Not implemented yet.",
            }));
}

TEST(Health, WithoutPlansIsRunningOnceRegistered) {
  EXPECT_EQ(evaluateHealth({}, true, "fw").code, 200);
  EXPECT_EQ(evaluateHealth({}, false, "").code, 318);
}

}  // namespace
}  // namespace keel::http
