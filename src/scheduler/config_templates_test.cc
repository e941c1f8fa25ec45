// Config templates at launch, in simulation: rendered against each task's
// environment, stored with the TaskInfo, served for the fetcher, and a
// template that does not render stops the launch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/fake_scheduler_api.h"
#include "keel/offer/task_labels.h"
#include "scheduler/scheduler_sim.h"
#include "testing/paths.h"

namespace keel::scheduler {
namespace {

using ::testing::HasSubstr;

constexpr const char* kApi = "http://127.0.0.1:8080";

spec::ServiceSpec withTemplate(const std::string& content) {
  auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), {});
  EXPECT_TRUE(spec.has_value()) << spec.error().toString();
  spec::TaskSpec& task = spec->pods[0].tasks[0];  // meta-data's node
  task.env["GREETING"] = "hello";
  task.configs.push_back({"app", "app.conf.mustache", "conf/app.conf", content});
  return *spec;
}

class ConfigTemplates : public ::testing::Test {
 protected:
  void start(const std::string& content) {
    sim = std::make_unique<testing::SchedulerSim>(withTemplate(content));
    sim->cluster.addAgents(3);
    sim->start();
    sim->scheduler->setApiEndpoint("127.0.0.1", 8080);
    sim->subscribe();
    sim->pump();
  }
  // The first launched TaskInfo of `name`.
  std::optional<mesos::TaskInfo> launched(const std::string& name) {
    for (const mesos::Call& c : sim->cluster.callsOf(mesos::Call::Type::kAccept)) {
      for (const mesos::OfferOperation& op : c.accept->operations) {
        if (!op.launchGroup) continue;
        for (const mesos::TaskInfo& t : op.launchGroup->taskGroup.tasks) {
          if (t.name == name) return t;
        }
      }
    }
    return std::nullopt;
  }
  std::unique_ptr<testing::SchedulerSim> sim;
};

TEST_F(ConfigTemplates, AreRenderedWithTheTasksEnvironmentAndFetchedToTheirDest) {
  start("task={{TASK_NAME}} index={{POD_INSTANCE_INDEX}} greeting={{GREETING}}\n");
  ASSERT_TRUE(sim->deploy());
  std::optional<mesos::TaskInfo> task = launched("meta-data-1-node");
  ASSERT_TRUE(task.has_value());
  const std::string& id = task->taskId.value;
  mesos::CommandInfo::URI expected;
  expected.value = offer::renderedConfigUrl(kApi, id, 0);
  expected.extract = false;
  expected.outputFile = "conf/app.conf";
  EXPECT_THAT(task->command->uris, ::testing::Contains(expected));

  Result<std::string> text = sim->scheduler->renderedConfig(id, 0);
  ASSERT_TRUE(text.has_value()) << text.error();
  EXPECT_EQ(*text, "task=meta-data-1-node index=1 greeting=hello\n");

  EXPECT_EQ(sim->scheduler->renderedConfig(id, 1).error().code(), StatusCode::kNotFound);
  EXPECT_EQ(sim->scheduler->renderedConfig(id + "x", 0).error().code(), StatusCode::kNotFound);
  std::optional<mesos::TaskInfo> data = launched("data-0-node");
  ASSERT_TRUE(data.has_value());
  EXPECT_EQ(sim->scheduler->renderedConfig(data->taskId.value, 0).error().code(),
            StatusCode::kNotFound)
      << "data has no templates";

  // A failover keeps serving the launch's files: they are in the store.
  sim->start();
  text = sim->scheduler->renderedConfig(id, 0);
  ASSERT_TRUE(text.has_value()) << text.error();
  EXPECT_EQ(*text, "task=meta-data-1-node index=1 greeting=hello\n");
}

TEST_F(ConfigTemplates, ThatDoNotRenderPutTheStepInErrorAndLaunchNothing) {
  start("peer={{PEER_HOST}}\n");
  for (int i = 0; i < 3; ++i) sim->round();
  const plan::Step& first = sim->scheduler->findPlan("deploy")->phases()[0].steps()[0];
  EXPECT_EQ(first.status(), plan::ElementStatus::kError);
  ASSERT_FALSE(first.errors().empty());
  EXPECT_THAT(first.errors()[0], HasSubstr("PEER_HOST"));
  EXPECT_THAT(first.errors()[0], HasSubstr("app"));
  EXPECT_TRUE(sim->launches().empty());
  EXPECT_TRUE(sim->cluster.activeTaskIds().empty());
}

}  // namespace
}  // namespace keel::scheduler
