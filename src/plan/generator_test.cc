#include "keel/plan_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keel/plan_json.h"
#include "keel/plan_operations.h"
#include "plan/plan_test_util.h"

namespace keel::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using S = ElementStatus;
using testing::candidateNames;
using testing::complete;
using testing::dataStoreSpec;
using testing::pod;

std::vector<std::string> stepNames(const Phase& p) {
  std::vector<std::string> out;
  for (const Step& s : p.steps()) out.push_back(s.name());
  return out;
}

TEST(GenerateDeployPlan, PrintsTheDataStoreExampleAsTheCliTree) {
  auto plan = generateDeployPlan(dataStoreSpec(), seededIds(1));
  ASSERT_TRUE(plan.has_value()) << plan.error();
  EXPECT_EQ(planTree(*plan),
            "deploy (serial strategy) (PENDING)\n"
            "├─ meta-data (serial strategy) (PENDING)\n"
            "│  ├─ meta-data-0:[node] (PENDING)\n"
            "│  └─ meta-data-1:[node] (PENDING)\n"
            "└─ data (serial strategy) (PENDING)\n"
            "   ├─ data-0:[node] (PENDING)\n"
            "   ├─ data-1:[node] (PENDING)\n"
            "   └─ data-2:[node] (PENDING)");
  EXPECT_EQ(plan->phases()[1].steps()[2].podInstance(), "data-2");
  EXPECT_FALSE(plan->interrupted());
  EXPECT_PLAN_INVARIANTS(*plan);
}

TEST(GenerateDeployPlan, DeploysPodTypesAndInstancesInDeclaredOrder) {
  Plan plan = generateDeployPlan(dataStoreSpec(), seededIds(1)).value();
  std::vector<std::string> order;
  while (true) {
    auto next = candidateNames(plan);
    if (next.empty()) break;
    ASSERT_EQ(next.size(), 1u);
    order.push_back(next[0]);
    Step* step = nullptr;
    for (Phase& p : plan.phases()) {
      if (Step* s = p.findStep(next[0])) step = s;
    }
    complete(plan, *step);
  }
  EXPECT_THAT(order, ElementsAre("meta-data-0:[node]", "meta-data-1:[node]", "data-0:[node]",
                                 "data-1:[node]", "data-2:[node]"));
  EXPECT_EQ(plan.status(), S::kComplete);
}

TEST(GenerateDeployPlan, NamesAStepAfterItsPodInstanceAndAllItsTasks) {
  spec::ServiceSpec spec;
  spec.pods.push_back(pod("hello", 1, {"server", "sidecar"}));
  Plan plan = generateDeployPlan(spec, seededIds(1)).value();
  EXPECT_THAT(stepNames(plan.phases()[0]), ElementsAre("hello-0:[server, sidecar]"));
  EXPECT_THAT(plan.phases()[0].steps()[0].tasks(), ElementsAre("server", "sidecar"));
}

spec::ServiceSpec withPlan(spec::PlanSpec plan) {
  spec::ServiceSpec spec;
  spec.pods.push_back(pod("hello", 3, {"init", "server", "sidecar"}));
  spec.pods.push_back(pod("world", 2, {"server"}));
  spec.plans.push_back(std::move(plan));
  return spec;
}

TEST(GeneratePlan, UsesADeclaredDeployPlanInsteadOfTheDefault) {
  spec::ServiceSpec spec = withPlan(
      {"deploy", "parallel", {{"w", "parallel", "world", {}}, {"h", "serial", "hello", {}}}});
  Plan plan = generateDeployPlan(spec, seededIds(1)).value();
  EXPECT_EQ(plan.strategy().name(), "parallel");
  ASSERT_EQ(plan.phases().size(), 2u);
  EXPECT_EQ(plan.phases()[0].name(), "w");
  EXPECT_EQ(plan.phases()[0].strategy().name(), "parallel");
  EXPECT_THAT(candidateNames(plan), ElementsAre("world-0:[server]", "world-1:[server]",
                                                "hello-0:[init, server, sidecar]"));
}

TEST(GeneratePlan, BuildsCustomStepsPerIndexWithADefault) {
  spec::PhaseSpec phase{"h",
                        "serial",
                        "hello",
                        {{"0", {{"init"}, {"server", "sidecar"}}}, {"default", {{"server"}}}}};
  Plan plan = generatePlan(withPlan({"deploy", "serial", {phase}}), {"deploy", "serial", {phase}},
                           seededIds(1))
                  .value();
  EXPECT_THAT(stepNames(plan.phases()[0]),
              ElementsAre("hello-0:[init]", "hello-0:[server, sidecar]", "hello-1:[server]",
                          "hello-2:[server]"));
  EXPECT_EQ(plan.phases()[0].strategy().name(), "serial");
}

TEST(GeneratePlan, SkipsOtherIndicesWhenTheDefaultIsEmpty) {
  spec::PhaseSpec phase{"h", "serial", "hello", {{"1", {{"server"}}}, {"default", {}}}};
  Plan plan = generatePlan(withPlan({"repair", "serial", {phase}}), {"repair", "serial", {phase}},
                           seededIds(1))
                  .value();
  EXPECT_THAT(stepNames(plan.phases()[0]), ElementsAre("hello-1:[server]"));
}

TEST(GeneratePlan, RunsCustomStepsOfAParallelPhaseInOrderPerPodInstance) {
  spec::PhaseSpec phase{"h", "parallel", "hello", {{"default", {{"init"}, {"server"}}}}};
  spec::PlanSpec spec{"deploy", "serial", {phase}};
  Plan plan = generatePlan(withPlan(spec), spec, seededIds(1)).value();
  EXPECT_EQ(plan.phases()[0].strategy().name(), "dependency");
  EXPECT_THAT(candidateNames(plan),
              ElementsAre("hello-0:[init]", "hello-1:[init]", "hello-2:[init]"));
  complete(plan, *plan.phases()[0].findStep("hello-1:[init]"));
  EXPECT_THAT(candidateNames(plan),
              ElementsAre("hello-0:[init]", "hello-1:[server]", "hello-2:[init]"));
}

TEST(GeneratePlan, WrapsCustomParallelCanaryStepsInACanary) {
  spec::PhaseSpec phase{"h", "parallel-canary", "hello", {{"default", {{"init"}, {"server"}}}}};
  spec::PlanSpec spec{"deploy", "serial", {phase}};
  Plan plan = generatePlan(withPlan(spec), spec, seededIds(1)).value();
  EXPECT_EQ(plan.phases()[0].strategy().name(), "dependency-canary");
  EXPECT_THAT(candidateNames(plan), IsEmpty());
  ASSERT_TRUE(continueElement(plan, {"h", ""})->changed);
  EXPECT_THAT(candidateNames(plan), ElementsAre("hello-0:[init]"));
}

TEST(GeneratePlan, StartsCustomPlansInterruptedButNotDeployOrUpdate) {
  for (const auto& [name, interrupted] : std::vector<std::pair<std::string, bool>>{
           {"deploy", false}, {"update", false}, {"backup", true}, {"restore", true}}) {
    spec::PlanSpec spec{name, "serial", {{"h", "serial", "hello", {}}}};
    Plan plan = generatePlan(withPlan(spec), spec, seededIds(1)).value();
    EXPECT_EQ(plan.interrupted(), interrupted) << name;
  }
}

TEST(GeneratePlans, ReturnsDeployFirstThenTheOtherDeclaredPlans) {
  spec::ServiceSpec spec = withPlan({"backup", "serial", {{"b", "serial", "world", {}}}});
  auto plans = generatePlans(spec, seededIds(1));
  ASSERT_TRUE(plans.has_value()) << plans.error();
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_EQ((*plans)[0].name(), "deploy");
  EXPECT_EQ((*plans)[0].phases().size(), 2u) << "the default deploy plan";
  EXPECT_EQ((*plans)[1].name(), "backup");
}

TEST(GeneratePlans, UseTheUpdatePlanAsDeployOnlyOnceADeploymentCompleted) {
  spec::ServiceSpec spec = withPlan(
      {"update", "serial", {{"w", "canary", "world", {}}, {"h", "parallel", "hello", {}}}});
  spec.plans.push_back({"backup", "serial", {{"b", "serial", "world", {}}}});
  auto first = generatePlans(spec, seededIds(1), /*deploymentCompleted=*/false);
  ASSERT_TRUE(first.has_value()) << first.error();
  ASSERT_EQ(first->size(), 2u) << "update is no plan of its own";
  EXPECT_EQ((*first)[0].name(), "deploy");
  EXPECT_EQ((*first)[0].phases()[0].name(), "hello") << "the default deploy plan";
  EXPECT_EQ((*first)[1].name(), "backup");

  auto later = generatePlans(spec, seededIds(1), /*deploymentCompleted=*/true);
  ASSERT_TRUE(later.has_value()) << later.error();
  ASSERT_EQ(later->size(), 2u);
  const Plan& deploy = (*later)[0];
  EXPECT_EQ(deploy.name(), "deploy");
  ASSERT_EQ(deploy.phases().size(), 2u);
  EXPECT_EQ(deploy.phases()[0].name(), "w");
  EXPECT_EQ(deploy.phases()[0].strategy().name(), "serial-canary");
  EXPECT_EQ(deploy.phases()[1].strategy().name(), "parallel");
  EXPECT_FALSE(deploy.interrupted()) << "an update starts by itself; a canary waits in its phase";
  EXPECT_EQ((*later)[1].name(), "backup");
}

TEST(GeneratePlan, ExplainsWhatIsWrongAndWhatExists) {
  struct Case {
    const char* sentence;
    spec::PlanSpec plan;
    std::string message;
  };
  using P = spec::PhaseSpec;
  const std::vector<Case> cases = {
      {"a pod the spec lacks",
       {"deploy", "serial", {P{"x", "serial", "nope", {}}}},
       "plan 'deploy' phase 'x': pod 'nope' is not in the spec (pods: hello, world)"},
      {"a task the pod lacks",
       {"deploy", "serial", {P{"x", "serial", "world", {{"0", {{"server", "client"}}}}}}},
       "plan 'deploy' phase 'x': a step of index 0 names task 'client', which pod 'world' lacks "
       "(tasks: server)"},
      {"an unknown phase strategy",
       {"deploy", "serial", {P{"x", "random", "world", {}}}},
       "plan 'deploy' phase 'x': unsupported phase strategy 'random'"},
      {"an unknown plan strategy",
       {"deploy", "canary", {}},
       "plan 'deploy': unsupported plan strategy 'canary'"},
      {"an index without an entry",
       {"deploy", "serial", {P{"x", "serial", "world", {{"0", {{"server"}}}}}}},
       "plan 'deploy' phase 'x': pod index 1 has no step entry and there is no 'default'"},
      {"an index that is not a number",
       {"deploy", "serial", {P{"x", "serial", "world", {{"one", {{"server"}}}}}}},
       "plan 'deploy' phase 'x': step index 'one' is neither a number nor 'default'"},
      {"an empty task list",
       {"deploy", "serial", {P{"x", "serial", "world", {{"default", {{}}}}}}},
       "plan 'deploy' phase 'x': empty task list in the steps of index default"},
      {"duplicate phases",
       {"deploy", "serial", {P{"x", "serial", "world", {}}, P{"x", "serial", "hello", {}}}},
       "plan 'deploy': duplicate phase 'x'"},
      {"the same step twice",
       {"deploy", "serial", {P{"x", "serial", "world", {{"default", {{"server"}, {"server"}}}}}}},
       "plan 'deploy' phase 'x': two steps named 'world-0:[server]'"},
  };
  for (const Case& c : cases) {
    auto plan = generatePlan(withPlan(c.plan), c.plan, seededIds(1));
    ASSERT_FALSE(plan.has_value()) << c.sentence;
    EXPECT_EQ(plan.error().code(), StatusCode::kInvalidArgument) << c.sentence;
    EXPECT_THAT(plan.error().message(), HasSubstr(c.message)) << c.sentence;
  }
}

TEST(GeneratePlan, IgnoresEntriesForIndicesBeyondTheCount) {
  spec::PhaseSpec phase{"x", "serial", "world", {{"default", {{"server"}}}, {"7", {{"server"}}}}};
  spec::PlanSpec spec{"deploy", "serial", {phase}};
  Plan plan = generatePlan(withPlan(spec), spec, seededIds(1)).value();
  EXPECT_EQ(plan.phases()[0].steps().size(), 2u);
}

}  // namespace
}  // namespace keel::plan
