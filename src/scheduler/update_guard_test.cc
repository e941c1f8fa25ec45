// The update guard in simulation (scheduler/update_guard.h): a failure
// budget that halts an update, automatic rollback on the budget, the
// progress deadline and crash-safety across scheduler restarts, and
// health-gated canary promotion. Plus the policy's env parser.
#include "scheduler/update_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "keel/offer/task_labels.h"
#include "keel/state/properties_store.h"
#include "scheduler/rollback.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

spec::ServiceSpec withUpdatePlan(const std::string& dataStrategy,
                                 std::map<std::string, std::string> env = {}) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), env);
  EXPECT_TRUE(spec.has_value()) << spec.error().toString();
  spec->plans.push_back(
      {"update",
       "serial",
       {{"meta-data", "serial", "meta-data", {}}, {"data", dataStrategy, "data", {}}}});
  return *spec;
}

UpdatePolicy policy(bool autoRollback, int budget, std::optional<Duration> deadline = {},
                    std::optional<Duration> canary = {}) {
  UpdatePolicy p;
  p.autoRollback = autoRollback;
  p.failureBudget = budget;
  p.progressDeadline = deadline;
  p.canaryPromoteAfter = canary;
  return p;
}

class UpdateGuard : public ::testing::Test {
 protected:
  // Deploys with `policy`, then restarts the scheduler with DATA_CPU changed.
  void deployThenChange(const std::string& dataStrategy, UpdatePolicy policy) {
    sim = std::make_unique<testing::SchedulerSim>(withUpdatePlan(dataStrategy));
    sim->updatePolicy = policy;
    sim->cluster.addAgents(3);
    sim->startSubscribed();
    ASSERT_TRUE(sim->deploy());
    first = sim->scheduler->targetConfigId();
    sim->spec_ = withUpdatePlan(dataStrategy, {{"DATA_CPU", "0.2"}});
    sim->startSubscribed();
    ASSERT_NE(sim->scheduler->targetConfigId(), first);
  }
  // Rounds until `task` has a STAGING launch, which then reports TASK_FAILED.
  bool failNextLaunchOf(const std::string& task) {
    for (int i = 0; i < 20; ++i) {
      for (const std::string& id : sim->cluster.activeTaskIds()) {
        auto t = sim->cluster.master().tasks().find(sim->cluster.frameworkId() + "/" + id);
        if (offer::taskNameFromTaskId(id) != task || id == lastFailed ||
            t->second.latest.state != mesos::TaskState::kTaskStaging) {
          continue;
        }
        lastFailed = id;
        sim->cluster.sendTaskState(id, mesos::TaskState::kTaskFailed, std::nullopt, "exit 1");
        sim->pump();
        return true;
      }
      sim->round();
      sim->answerKills();
    }
    return false;
  }
  // Fails the RUNNING launch of `task`; false when none runs.
  bool failRunning(const std::string& task) {
    for (const std::string& id : sim->cluster.activeTaskIds()) {
      auto t = sim->cluster.master().tasks().find(sim->cluster.frameworkId() + "/" + id);
      if (offer::taskNameFromTaskId(id) != task ||
          t->second.latest.state != mesos::TaskState::kTaskRunning) {
        continue;
      }
      sim->cluster.sendTaskState(id, mesos::TaskState::kTaskFailed, std::nullopt, "exit 1");
      sim->pump();
      return true;
    }
    return false;
  }
  // Rounds until every step of the deploy plan is COMPLETE (its status may
  // be ERROR for its own errors, e.g. a rollback's note).
  bool stepsComplete() {
    for (int i = 0; i < 20; ++i) {
      bool all = true;
      for (const plan::Phase& phase : deploy().phases()) {
        for (const plan::Step& step : phase.steps()) all = all && step.isComplete();
      }
      if (all) return true;
      sim->round();
      sim->answerKills();
      sim->runStaged();
    }
    return false;
  }
  plan::Plan& deploy() { return *sim->scheduler->findPlan("deploy"); }
  // Lets the update in progress complete (every launch runs).
  void stopped() { ASSERT_TRUE(stepsComplete()); }
  std::string errors() {
    std::string all;
    for (const std::string& e : deploy().errors()) all += e + "\n";
    return all;
  }
  std::string property(const std::string& key) {
    auto v = state::PropertiesStore(sim->persister).get(key);
    return v && *v ? **v : "";
  }
  // The cpus of the live (non-terminal) task `task` in the master; -1: none.
  double cpusOf(const std::string& task) {
    for (const auto& [key, t] : sim->cluster.master().tasks()) {
      if (t.info.name != task || mesos::isTerminal(t.latest.state)) continue;
      for (const mesos::Resource& r : t.info.resources) {
        if (r.name == "cpus" && r.scalar) return r.scalar->value;
      }
    }
    return -1;
  }

  std::unique_ptr<testing::SchedulerSim> sim;
  std::string first;
  std::string lastFailed;
};

TEST_F(UpdateGuard, AFailureBudgetHaltsTheUpdateUntilTheOperatorContinues) {
  deployThenChange("serial", policy(false, 2));
  std::string second = sim->scheduler->targetConfigId();
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  EXPECT_FALSE(deploy().interrupted()) << "one failure of two";
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  EXPECT_TRUE(deploy().interrupted());
  EXPECT_EQ(sim->scheduler->targetConfigId(), second) << "no auto-rollback: the update stays";
  EXPECT_THAT(errors(), HasSubstr("update to configuration " + second + " halted: 2 failures"))
      << errors();
  EXPECT_THAT(errors(), HasSubstr("2 failures (data-0-node 2 times) of tasks running"));
  EXPECT_THAT(errors(), HasSubstr("KEEL_UPDATE_FAILURE_BUDGET=2"));
  EXPECT_THAT(errors(), HasSubstr("data-0-node: TASK_FAILED: exit 1"));
  size_t launches = sim->launches().size();
  for (int i = 0; i < 3; ++i) sim->round();
  EXPECT_EQ(sim->launches().size(), launches) << "a halted update launches nothing";

  sim->startSubscribed();  // a restart keeps it halted
  EXPECT_TRUE(deploy().interrupted());
  EXPECT_THAT(errors(), HasSubstr("halted: 2 failures"));

  auto resumed = plan::continueElement(deploy(), {});
  ASSERT_TRUE(resumed.has_value());
  ASSERT_TRUE(sim->scheduler->persistOverrides("deploy", resumed->changes).isOk());
  ASSERT_TRUE(sim->deploy());
  EXPECT_THAT(errors(), ::testing::Not(HasSubstr("halted")));
  EXPECT_DOUBLE_EQ(cpusOf("data-2-node"), 0.2);
}

TEST_F(UpdateGuard, AnOperatorRollbackOfAHaltedUpdateIsNotHeldByItsInterrupt) {
  deployThenChange("serial", policy(false, 1));
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  ASSERT_TRUE(deploy().interrupted());
  ASSERT_TRUE(sim->scheduler->rollBack("operator").has_value());
  EXPECT_EQ(sim->scheduler->targetConfigId(), first);
  EXPECT_FALSE(deploy().interrupted());
  ASSERT_TRUE(stepsComplete());
  EXPECT_DOUBLE_EQ(cpusOf("data-0-node"), 0.1);
  sim->startSubscribed();
  EXPECT_FALSE(deploy().interrupted()) << "the release is stored";
}

TEST_F(UpdateGuard, AutoRollbackReturnsToThePreviousConfigurationAfterTheBudget) {
  deployThenChange("serial", policy(true, 2));
  std::string second = sim->scheduler->targetConfigId();
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  EXPECT_EQ(sim->scheduler->targetConfigId(), first);
  EXPECT_FALSE(deploy().interrupted());
  EXPECT_THAT(errors(), HasSubstr("configuration " + second + " was rolled back to " + first +
                                  " (auto-rollback: 2 failures"));
  EXPECT_THAT(property(kRolledBackProperty), HasSubstr("auto-rollback: 2 failures"));
  ASSERT_TRUE(stepsComplete());
  for (const char* t : {"data-0-node", "data-1-node", "data-2-node"}) {
    EXPECT_DOUBLE_EQ(cpusOf(t), 0.1) << t;
  }
  sim->startSubscribed();  // the same environment again: stays refused
  EXPECT_EQ(sim->scheduler->targetConfigId(), first);
  EXPECT_THAT(errors(), HasSubstr("stays refused until the configuration changes"));
}

TEST_F(UpdateGuard, AStepInErrorRollsBackAtOnce) {
  deployThenChange("serial", policy(true, 0));
  std::string second = sim->scheduler->targetConfigId();
  stopped();
  // The next version: the data node gets a config template that cannot
  // render (a variable its environment lacks): its step goes to ERROR.
  spec::ServiceSpec next = withUpdatePlan("serial", {{"DATA_CPU", "0.3"}});
  next.pods[1].tasks[0].configs.push_back({"app", "app.mustache", "conf/app", "{{NO_SUCH_VAR}}"});
  sim->spec_ = next;
  sim->startSubscribed();
  std::string third = sim->scheduler->targetConfigId();
  ASSERT_NE(third, second);
  for (int i = 0; i < 5 && sim->scheduler->targetConfigId() == third; ++i) {
    sim->round();
    sim->answerKills();
    sim->runStaged();
  }
  EXPECT_EQ(sim->scheduler->targetConfigId(), second);
  EXPECT_THAT(property(kRolledBackProperty), HasSubstr("auto-rollback: step data/data-0"));
  EXPECT_THAT(property(kRolledBackProperty), HasSubstr("is in ERROR"));
}

TEST_F(UpdateGuard, TheFailureCountSurvivesASchedulerRestart) {
  deployThenChange("serial", policy(true, 3));
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  sim->startSubscribed();
  EXPECT_NE(sim->scheduler->targetConfigId(), first);
  EXPECT_THAT(property(kUpdateProgressProperty), HasSubstr("\"failures\":2"));
  ASSERT_TRUE(failNextLaunchOf("data-0-node"));
  EXPECT_EQ(sim->scheduler->targetConfigId(), first) << "the third failure, after the restart";
}

TEST_F(UpdateGuard, AHaltStoredButNotCarriedOutIsFinishedAtStartup) {
  deployThenChange("serial", policy(true, 5));
  std::string second = sim->scheduler->targetConfigId();
  // As if the scheduler crashed after storing the halt, before the rollback.
  UpdateRecord r{second, 0, 0, 5, "data-0-node: TASK_FAILED", "5 failures (test)", false, {}};
  ASSERT_TRUE(state::PropertiesStore(sim->persister)
                  .put(kUpdateProgressProperty, encodeUpdateRecord(r))
                  .isOk());
  sim->startSubscribed();
  EXPECT_EQ(sim->scheduler->targetConfigId(), first);
  EXPECT_THAT(property(kRolledBackProperty), HasSubstr("auto-rollback: 5 failures (test)"));
}

TEST_F(UpdateGuard, AMissedProgressDeadlineRollsBack) {
  deployThenChange("serial", policy(true, 0, 60s));
  std::string second = sim->scheduler->targetConfigId();
  for (int i = 0; i < 9; ++i) {  // 54 s: data-0's relaunch stays STAGING
    sim->round();
    sim->answerKills();
  }
  EXPECT_EQ(sim->scheduler->targetConfigId(), second);
  for (int i = 0; i < 2; ++i) sim->round();
  EXPECT_EQ(sim->scheduler->targetConfigId(), first);
  EXPECT_THAT(property(kRolledBackProperty), HasSubstr("auto-rollback: no step completed since"));
  EXPECT_THAT(property(kRolledBackProperty), HasSubstr("KEEL_UPDATE_PROGRESS_DEADLINE_SECS=60"));
}

TEST_F(UpdateGuard, TimeWaitingForTheOperatorDoesNotCountAgainstTheDeadline) {
  deployThenChange("canary", policy(true, 0, 30s));
  for (int i = 0; i < 20; ++i) sim->round();  // 2 min held at the canary
  EXPECT_NE(sim->scheduler->targetConfigId(), first);
  EXPECT_EQ(sim->planStatus("deploy"), "WAITING");
}

TEST_F(UpdateGuard, ACanaryPromotesItselfOnceItRanHealthyForTheSetTime) {
  deployThenChange("canary", policy(false, 0, std::nullopt, 60s));
  plan::Phase& data = deploy().phases()[1];
  size_t before = sim->launches().size();
  for (int i = 0; i < 3; ++i) {
    sim->round();
    sim->answerKills();
    sim->runStaged();
  }
  EXPECT_EQ(sim->launches().size(), before + 1) << "the first canary starts by itself";
  ASSERT_TRUE(data.steps()[0].isComplete());
  EXPECT_THAT(data.steps()[1].message(), HasSubstr("canary: continues by itself at"));
  for (int i = 0; i < 8; ++i) sim->round();  // 48 s more
  EXPECT_EQ(sim->launches().size(), before + 1) << "data-0 has not run healthy for 60 s yet";
  ASSERT_TRUE(sim->deploy());
  EXPECT_EQ(sim->launches().size(), before + 3);
}

TEST_F(UpdateGuard, ACanaryThatFailsWhileWatchedRestartsTheWaitAndCounts) {
  deployThenChange("canary", policy(false, 5, std::nullopt, 60s));
  plan::Phase& data = deploy().phases()[1];
  for (int i = 0; i < 3; ++i) {
    sim->round();
    sim->answerKills();
    sim->runStaged();
  }
  ASSERT_TRUE(data.steps()[0].isComplete());
  for (int i = 0; i < 8; ++i) sim->round();  // 48 s healthy
  ASSERT_TRUE(failRunning("data-0-node"));
  EXPECT_THAT(data.steps()[1].message(), HasSubstr("data-0-node is TASK_FAILED"));
  EXPECT_THAT(property(kUpdateProgressProperty), HasSubstr("\"failures\":1"));
  size_t launches = sim->launches().size();
  for (int i = 0; i < 4; ++i) {  // relaunched by recovery; healthy again
    sim->round();
    sim->answerKills();
    sim->runStaged();
  }
  EXPECT_THAT(data.steps()[1].message(), HasSubstr("continues by itself at"));
  EXPECT_EQ(sim->launches().size(), launches + 1) << "only data-0's recovery; data-1 waits";
}

TEST(UpdatePolicyEnv, ParsesEveryKeyAndNamesABadValue) {
  auto p = updatePolicyFromEnv({{"KEEL_UPDATE_AUTO_ROLLBACK", "true"},
                                {"KEEL_UPDATE_FAILURE_BUDGET", "3"},
                                {"KEEL_UPDATE_PROGRESS_DEADLINE_SECS", "600"},
                                {"KEEL_UPDATE_CANARY_PROMOTE_AFTER_SECS", "30"},
                                {"DATA_COUNT", "3"}});
  ASSERT_TRUE(p.has_value()) << p.error().toString();
  EXPECT_TRUE(p->autoRollback);
  EXPECT_EQ(p->failureBudget, 3);
  EXPECT_EQ(*p->progressDeadline, 600s);
  EXPECT_EQ(*p->canaryPromoteAfter, 30s);
  EXPECT_FALSE(updatePolicyFromEnv({})->any());
  struct Case {
    const char* key;
    const char* value;
    const char* message;
  };
  for (const Case& c :
       {Case{"KEEL_UPDATE_AUTO_ROLLBACK", "yes",
             "KEEL_UPDATE_AUTO_ROLLBACK=yes: must be true or false"},
        Case{"KEEL_UPDATE_FAILURE_BUDGET", "-1",
             "KEEL_UPDATE_FAILURE_BUDGET=-1: must be an integer"},
        Case{"KEEL_UPDATE_FAILURE_BUDGET", "3x", "KEEL_UPDATE_FAILURE_BUDGET=3x"},
        Case{"KEEL_UPDATE_PROGRESS_DEADLINE_SECS", "0",
             "KEEL_UPDATE_PROGRESS_DEADLINE_SECS=0: must be a whole number of seconds from 1"},
        Case{"KEEL_UPDATE_CANARY_PROMOTE_AFTER_SECS", "1.5",
             "KEEL_UPDATE_CANARY_PROMOTE_AFTER_SECS=1.5"}}) {
    auto bad = updatePolicyFromEnv({{c.key, c.value}});
    ASSERT_FALSE(bad.has_value()) << c.key << "=" << c.value;
    EXPECT_THAT(bad.error().message(), HasSubstr(c.message));
  }
}

TEST(UpdateRecordJson, RoundTripsAndRejectsCorruption) {
  UpdateRecord r{"c1", 10, 20, 2, "data-0-node: TASK_FAILED", "why", true, {{"data-0-node", 2}}};
  auto back = parseUpdateRecord(encodeUpdateRecord(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(**back, r);
  EXPECT_FALSE(parseUpdateRecord(std::string("[1]")).has_value());
  EXPECT_FALSE(parseUpdateRecord(std::nullopt).value().has_value());
}

}  // namespace
}  // namespace keel::scheduler
