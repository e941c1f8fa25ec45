// Decommission simulation: the data-store service deployed with five data
// nodes on the fake cluster, then its scheduler restarted with DATA_COUNT=3:
// with allow-decommission the "decommission" plan kills data-4 then data-3,
// destroys their volumes, releases their reservations and erases their task
// state (each decision stored before it is executed), leaving data-0..2
// alone; a scheduler restarted mid-way resumes; without allow-decommission
// the shrink is refused and nothing is killed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "keel/mesos/resources.h"
#include "keel/offer/task_labels.h"
#include "keel/offer/unexpected_resources.h"
#include "keel/state/properties_store.h"
#include "keel/state/task_store.h"
#include "scheduler/decommission.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using mesos::Call;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

spec::ServiceSpec dataStore(const std::string& count, const std::string& allow = "false") {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(),
                                      {{"DATA_COUNT", count}, {"DATA_ALLOW_DECOMMISSION", allow}});
  EXPECT_TRUE(spec.has_value()) << spec.error().toString();
  return *spec;
}

class DecommissionTest : public ::testing::Test {
 protected:
  DecommissionTest() : sim(dataStore("5")) {}
  void SetUp() override {
    sim.cluster.addAgents(5);
    sim.startSubscribed();
    ASSERT_TRUE(sim.deploy()) << sim.planStatus("deploy");
    idsBefore = taskIds();
    ASSERT_EQ(idsBefore.size(), 7u);
    ASSERT_EQ(volumes(), 7);
    launchesBefore = sim.launches().size();
  }
  // The scheduler restarts with `spec` (a new environment).
  void restartWith(spec::ServiceSpec spec) {
    sim.spec_ = std::move(spec);
    sim.startSubscribed();
  }
  bool runUntilComplete(int maxRounds = 20) {
    for (int i = 0; i < maxRounds && sim.planStatus(kDecommissionPlan) != "COMPLETE"; ++i) {
      sim.round();
      sim.answerKills();
    }
    return sim.planStatus(kDecommissionPlan) == "COMPLETE";
  }
  std::map<std::string, std::string> taskIds() {
    std::map<std::string, std::string> out;
    Result<std::vector<http::TaskView>> tasks = sim.scheduler->tasks();
    EXPECT_TRUE(tasks.has_value());
    if (!tasks) return out;
    for (const http::TaskView& t : *tasks) out[t.name] = t.taskId;
    return out;
  }
  int volumes() const {
    int n = 0;
    for (const auto& [id, agent] : sim.cluster.master().agents()) {
      for (const mesos::Resource& r : agent.total) n += mesos::isPersistentVolume(r);
    }
    return n;
  }
  std::optional<std::string> property(const std::string& key) {
    return state::PropertiesStore(sim.persister).get(key).value();
  }
  // The names of the tasks KILLed, in order (a repeated KILL once).
  std::vector<std::string> killed() const {
    std::vector<std::string> out;
    for (const Call& c : sim.cluster.callsOf(Call::Type::kKill)) {
      std::optional<std::string> name = offer::taskNameFromTaskId(c.kill->taskId.value);
      if (name && (out.empty() || out.back() != *name)) out.push_back(*name);
    }
    return out;
  }
  void expectScaledDownToThree() {
    EXPECT_EQ(sim.planStatus(kDecommissionPlan), "COMPLETE");
    EXPECT_EQ(sim.planStatus("deploy"), "COMPLETE");
    std::map<std::string, std::string> ids = taskIds();
    EXPECT_EQ(ids.size(), 5u);
    EXPECT_FALSE(ids.contains("data-3-node"));
    EXPECT_FALSE(ids.contains("data-4-node"));
    for (const auto& [name, id] : ids) EXPECT_EQ(id, idsBefore[name]) << name << " untouched";
    EXPECT_EQ(sim.cluster.activeTaskIds().size(), 5u);
    EXPECT_EQ(volumes(), 5) << "the volumes of data-3 and data-4 are destroyed";
    std::vector<std::string> stored = state::TaskStore(sim.persister).names().value();
    EXPECT_THAT(stored, ::testing::Not(::testing::Contains(HasSubstr("data-3"))));
    EXPECT_THAT(stored, ::testing::Not(::testing::Contains(HasSubstr("data-4"))));
    EXPECT_FALSE(property(kDecommissioningProperty).has_value());
    EXPECT_FALSE(property(kDecommissionReleasedProperty).has_value());
    for (size_t i = launchesBefore; i < sim.launches().size(); ++i) {
      EXPECT_THAT(sim.launches()[i].first, ::testing::Not(HasSubstr("data-3")));
      EXPECT_THAT(sim.launches()[i].first, ::testing::Not(HasSubstr("data-4")));
    }
  }

  testing::SchedulerSim sim;
  std::map<std::string, std::string> idsBefore;
  size_t launchesBefore = 0;
};

TEST_F(DecommissionTest, ScaleDownKillsReleasesAndErasesHighestIndexFirst) {
  // Nothing is killed or released before the decision is durable.
  sim.cluster.beforeCall = [this](const Call& c) {
    std::optional<std::string> decided = property(kDecommissioningProperty);
    if (c.type == Call::Type::kKill) {
      ASSERT_TRUE(decided.has_value());
      std::optional<std::string> name = offer::taskNameFromTaskId(c.kill->taskId.value);
      ASSERT_TRUE(name.has_value());
      EXPECT_THAT(*decided, HasSubstr(name->substr(0, 6) + ": decommissioned"));
    }
    if (c.type != Call::Type::kAccept) return;
    for (const mesos::OfferOperation& op : c.accept->operations) {
      if (op.launchGroup) ADD_FAILURE() << "nothing is launched by a scale down";
      if (!op.unreserve) continue;
      std::string released = property(kDecommissionReleasedProperty).value_or("");
      for (const std::string& id : offer::unreservedIds({op})) {
        EXPECT_THAT(released, HasSubstr(id)) << "stored before its UNRESERVE";
      }
    }
  };
  restartWith(dataStore("3", "true"));
  EXPECT_TRUE(sim.scheduler->configErrors().empty());
  plan::Plan* p = sim.scheduler->findPlan(kDecommissionPlan);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->phases().size(), 2u);
  EXPECT_EQ(p->phases()[0].name(), "data-4");
  EXPECT_EQ(p->phases()[1].name(), "data-3");
  auto steps = p->phases()[0].steps();
  ASSERT_GE(steps.size(), 3u);
  EXPECT_EQ(steps.front().name(), "kill-data-4-node");
  EXPECT_THAT(steps[1].name(), ::testing::StartsWith("unreserve-"));
  EXPECT_EQ(steps.back().name(), "erase-data-4-node");
  EXPECT_THAT(steps.front().message(), HasSubstr("data-4: decommissioned (count 5 -> 3)"));
  EXPECT_THAT(*property(kDecommissioningProperty), HasSubstr("data-3: decommissioned"));
  std::vector<std::string> names;
  for (plan::Plan* each : sim.scheduler->plans()) names.push_back(each->name());
  EXPECT_THAT(names, ::testing::Contains(kDecommissionPlan));

  ASSERT_TRUE(runUntilComplete()) << sim.planStatus(kDecommissionPlan);
  EXPECT_THAT(killed(), ElementsAre("data-4-node", "data-3-node"));
  expectScaledDownToThree();
  EXPECT_EQ(sim.scheduler->findPlan("recovery")->phases()[0].steps().size(), 0u)
      << "a decommissioned task is not recovered";

  // A later start has nothing to decommission: no plan.
  sim.startSubscribed();
  EXPECT_EQ(sim.scheduler->findPlan(kDecommissionPlan), nullptr);
}

// An instance being decommissioned is removed with its volumes: an operator
// replace is refused and an agent removed for good does not start a
// permanent replacement of it; the decommission still completes.
TEST_F(DecommissionTest, AnInstanceBeingDecommissionedIsNeverReplaced) {
  restartWith(dataStore("3", "true"));
  Result<std::vector<std::string>> replaced = sim.scheduler->restartPod("data-4", true);
  ASSERT_FALSE(replaced.has_value());
  EXPECT_EQ(replaced.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(replaced.error().message(), HasSubstr("data-4 is being decommissioned"));
  EXPECT_EQ(sim.scheduler->restartTask("data-3-node", true).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(runUntilComplete()) << sim.planStatus(kDecommissionPlan);
  expectScaledDownToThree();
}

TEST_F(DecommissionTest, ASchedulerRestartedMidDecommissionResumes) {
  restartWith(dataStore("3", "true"));
  sim.round();
  sim.answerKills();  // data-4 killed; its reservations may go with the next offers
  sim.startSubscribed();
  ASSERT_NE(sim.scheduler->findPlan(kDecommissionPlan), nullptr);
  for (int i = 0; i < 20; ++i) {
    if (sim.scheduler->findPlan(kDecommissionPlan)->phases()[0].isComplete()) break;
    sim.round();
    sim.answerKills();
  }
  // Again while data-3 is under way.
  sim.startSubscribed();
  plan::Plan* p = sim.scheduler->findPlan(kDecommissionPlan);
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->phases().size(), 1u) << "data-4 is done and stays done";
  EXPECT_EQ(p->phases()[0].name(), "data-3");
  ASSERT_TRUE(runUntilComplete()) << sim.planStatus(kDecommissionPlan);
  expectScaledDownToThree();
}

// The decision is durable: a count raised again before the decommission
// finished does not keep the old data-3 and data-4; they are decommissioned,
// then deployed anew on new reservations.
TEST_F(DecommissionTest, ACountRaisedAgainMidDecommissionRedeploysTheInstancesAnew) {
  restartWith(dataStore("3", "true"));
  sim.round();
  restartWith(dataStore("5", "true"));
  plan::Plan* p = sim.scheduler->findPlan(kDecommissionPlan);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->phases().size(), 2u);
  EXPECT_NE(sim.planStatus("deploy"), "COMPLETE") << "data-3 and data-4 are to be launched anew";
  ASSERT_TRUE(runUntilComplete()) << sim.planStatus(kDecommissionPlan);
  ASSERT_TRUE(sim.deploy()) << sim.planStatus("deploy");
  std::map<std::string, std::string> ids = taskIds();
  ASSERT_EQ(ids.size(), 7u);
  for (const char* task : {"data-3-node", "data-4-node"}) {
    EXPECT_NE(ids[task], idsBefore[task]) << task << " launched anew";
  }
  for (const char* task : {"data-0-node", "data-1-node", "data-2-node"}) {
    EXPECT_EQ(ids[task], idsBefore[task]) << task << " untouched";
  }
  EXPECT_EQ(volumes(), 7);
  EXPECT_EQ(sim.cluster.activeTaskIds().size(), 7u);
  EXPECT_FALSE(property(kDecommissioningProperty).has_value());
}

TEST_F(DecommissionTest, ARemovedPodTypeIsDecommissionedWhole) {
  restartWith(dataStore("5", "true"));  // allow-decommission alone restarts nothing
  spec::ServiceSpec withoutData = dataStore("5", "true");
  std::erase_if(withoutData.pods, [](const spec::PodSpec& p) { return p.type == "data"; });
  withoutData.plans.clear();
  restartWith(withoutData);
  ASSERT_TRUE(sim.scheduler->configErrors().empty()) << sim.scheduler->configErrors().front();
  plan::Plan* p = sim.scheduler->findPlan(kDecommissionPlan);
  ASSERT_NE(p, nullptr);
  std::vector<std::string> phases;
  for (const plan::Phase& phase : p->phases()) phases.push_back(phase.name());
  EXPECT_THAT(phases, ElementsAre("data-4", "data-3", "data-2", "data-1", "data-0"));
  EXPECT_THAT(*property(kDecommissioningProperty),
              HasSubstr("data-0: decommissioned (pod type data removed from the configuration)"));
  ASSERT_TRUE(runUntilComplete(40)) << sim.planStatus(kDecommissionPlan);
  std::map<std::string, std::string> ids = taskIds();
  EXPECT_EQ(ids.size(), 2u);
  for (const auto& [name, id] : ids) EXPECT_EQ(id, idsBefore[name]) << name << " untouched";
  EXPECT_EQ(volumes(), 2);
  EXPECT_EQ(sim.cluster.activeTaskIds().size(), 2u);
}

TEST_F(DecommissionTest, WithoutAllowDecommissionTheShrinkIsRefused) {
  restartWith(dataStore("3"));
  ASSERT_FALSE(sim.scheduler->configErrors().empty());
  EXPECT_THAT(sim.scheduler->configErrors().front(), HasSubstr("allow-decommission"));
  EXPECT_EQ(sim.scheduler->findPlan(kDecommissionPlan), nullptr);
  for (int i = 0; i < 5; ++i) {
    sim.round();
    sim.answerKills();
  }
  EXPECT_TRUE(sim.cluster.callsOf(Call::Type::kKill).empty());
  EXPECT_EQ(taskIds(), idsBefore);
  EXPECT_EQ(volumes(), 7);
  EXPECT_FALSE(property(kDecommissioningProperty).has_value());
}

}  // namespace
}  // namespace keel::scheduler
