// What a passing evaluation launches: TaskInfo, ExecutorInfo, operations, and
// their JSON shape against a real master's ACCEPT.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "keel/mesos/json.h"
#include "keel/offer/pipeline.h"
#include "offer/offer_test_util.h"
#include "testing/paths.h"

namespace keel::offer {
namespace {

using namespace testing;  // NOLINT
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;

spec::PodSpec richPod() {
  spec::PortSpec http;
  http.name = "http";
  http.envKey = "PORT_HTTP";
  spec::VolumeSpec data;
  data.path = "data";
  data.sizeMb = 64;
  spec::PodSpec pod = simplePod("web", 0.5, 256, {data}, {http});
  pod.uris = {"https://example.com/app.tgz"};
  pod.rlimits = {{"RLIMIT_NOFILE", 1024, 2048}, {"RLIMIT_CORE", std::nullopt, std::nullopt}};
  spec::TaskSpec& task = pod.tasks[0];
  task.env = {{"MODE", "fast"}, {"TASK_NAME", "overridden by keel"}};
  task.labels = {{"team", "storage"}};
  task.healthCheck = spec::HealthCheckSpec{
      "curl localhost:$PORT_HTTP", 5.0, std::nullopt, std::nullopt, 0.0, std::nullopt};
  task.readinessCheck = spec::ReadinessCheckSpec{"test -f ready", std::nullopt, std::nullopt, 3.0};
  task.killGracePeriodS = 7;
  pod.resourceSets[0].limits =
      spec::ResourceLimits{spec::ResourceLimit{true, 0}, spec::ResourceLimit{false, 512}};
  return pod;
}

class Launch : public ::testing::Test {
 protected:
  void SetUp() override {
    req_ = requirementFor(richPod(), 2);
    req_.environment = {{"PLAN_PARAM", "x"}};
    req_.incarnation = 3;
    OfferSpec s;
    s.zone = "z1";
    s.region = "r1";
    s.attributes = {{"rack", "r7"}};
    offer_ = makeOffer(s);
    summary_ = summarizeOffer(offer_, kRole);
    auto pipeline = buildPipeline(req_, service_, placement_);
    ASSERT_TRUE(pipeline.has_value()) << pipeline.error().message();
    EvaluationContext scratch;
    ASSERT_TRUE(pipeline->evaluate(summary_, scratch).passed);
    plan_ = pipeline->build(summary_, uuids_);
    ASSERT_EQ(plan_.taskInfos.size(), 1u);
    task_ = plan_.taskInfos[0];
  }

  std::map<std::string, std::string> env() const {
    std::map<std::string, std::string> out;
    for (const auto& v : task_.command->environment->variables) out[v.name] = v.value.value_or("");
    return out;
  }
  std::map<std::string, std::string> labels() const {
    std::map<std::string, std::string> out;
    for (const auto& l : task_.labels->labels) out[l.key] = l.value.value_or("");
    return out;
  }

  PodInstanceRequirement req_;
  ServiceContext service_ = testService();
  PlacementContext placement_;
  UuidSource uuids_ = seededUuids(1);
  mesos::Offer offer_;
  OfferSummary summary_;
  LaunchPlan plan_;
  mesos::TaskInfo task_;
};

TEST_F(Launch, NamesTheTaskAndGivesItAUniqueId) {
  EXPECT_EQ(task_.name, "web-2-node");
  EXPECT_EQ(task_.taskId.value.rfind("data-store__web-2-node__", 0), 0u);
  EXPECT_EQ(task_.agentId.value, "a1");
  EXPECT_EQ(sanitizedServiceName("/group/svc"), "group.svc");
  EXPECT_EQ(taskNameFromTaskId(task_.taskId.value), "web-2-node");
}

TEST_F(Launch, InjectsTheTaskEnvironment) {
  auto e = env();
  EXPECT_THAT(e, Contains(Pair("TASK_NAME", "web-2-node")));
  EXPECT_THAT(e, Contains(Pair("POD_INSTANCE_INDEX", "2")));
  EXPECT_THAT(e, Contains(Pair("POD_INCARNATION", "3")));
  EXPECT_THAT(e, Contains(Pair("FRAMEWORK_NAME", "data-store")));
  EXPECT_THAT(e, Contains(Pair("FRAMEWORK_HOST", "data-store.keel.local")));
  EXPECT_THAT(e, Contains(Pair("SCHEDULER_API_HOSTNAME", "scheduler.keel.local")));
  EXPECT_THAT(e, Contains(Pair("SCHEDULER_API_PORT", "8080")));
  EXPECT_THAT(e, Contains(Pair("PORT_HTTP", "31000")));
  EXPECT_THAT(e, Contains(Pair("MODE", "fast")));
  EXPECT_THAT(e, Contains(Pair("PLAN_PARAM", "x")));
  EXPECT_THAT(e, Contains(Pair("ZONE", "z1")));
  EXPECT_THAT(e, Contains(Pair("REGION", "r1")));
}

TEST_F(Launch, LabelsTheTaskForTheScheduler) {
  auto l = labels();
  EXPECT_THAT(l, Contains(Pair("target_configuration", "config-1")));
  EXPECT_THAT(l, Contains(Pair("task_type", "web")));
  EXPECT_THAT(l, Contains(Pair("index", "2")));
  EXPECT_THAT(l, Contains(Pair("goal_state", "RUNNING")));
  EXPECT_THAT(l, Contains(Pair("offer_hostname", "h1")));
  EXPECT_THAT(l, Contains(Pair("offer_zone", "z1")));
  EXPECT_THAT(l, Contains(Pair("offer_region", "r1")));
  EXPECT_THAT(l, Contains(Pair("offer_attributes", "rack:r7")));
  EXPECT_THAT(l, Contains(Pair("ports", "http:31000")));
  EXPECT_THAT(l, Contains(Pair("team", "storage")));
  EXPECT_THAT(l, Contains(Pair("incarnation", "3")));
  EXPECT_EQ(incarnationLabel(task_.labels), 3);
  EXPECT_EQ(incarnationLabel(std::nullopt), 0) << "launched before incarnations were recorded";
  PlacedTask placed = placedTaskFromTaskInfo(task_);
  EXPECT_EQ(placed.podInstance, "web-2");
  EXPECT_EQ(placed.zone, "z1");
  EXPECT_EQ(placed.attributes, (std::vector<std::pair<std::string, std::string>>{{"rack", "r7"}}));
}

TEST_F(Launch, BuildsChecksWithMesosDefaultsForUnsetFields) {
  ASSERT_TRUE(task_.healthCheck.has_value());
  const auto& h = *task_.healthCheck;
  EXPECT_EQ(h.type, mesos::HealthCheck::Type::kCommand);
  EXPECT_EQ(h.command->value, "curl localhost:$PORT_HTTP");
  EXPECT_EQ(h.intervalSeconds, 5.0);
  EXPECT_EQ(h.delaySeconds, 0.0);
  EXPECT_EQ(h.gracePeriodSeconds, 10.0);
  EXPECT_EQ(h.timeoutSeconds, 20.0);
  EXPECT_EQ(h.consecutiveFailures, 3u);
  EXPECT_EQ(h.command->environment, task_.command->environment);
  ASSERT_TRUE(task_.check.has_value());
  EXPECT_EQ(task_.check->command->command.value, "test -f ready");
  EXPECT_EQ(task_.check->timeoutSeconds, 3.0);
  EXPECT_EQ(task_.check->delaySeconds, 15.0);
  EXPECT_EQ(task_.check->intervalSeconds, 10.0);
}

TEST_F(Launch, CarriesKillPolicyRlimitsUrisAndLimits) {
  EXPECT_EQ(task_.killPolicy->gracePeriod->nanoseconds, 7'000'000'000);
  ASSERT_TRUE(task_.container && task_.container->rlimitInfo);
  const auto& rl = task_.container->rlimitInfo->rlimits;
  ASSERT_EQ(rl.size(), 2u);
  EXPECT_EQ(rl[0].type, mesos::RLimitInfo::RLimit::Type::kRlmtNofile);
  EXPECT_EQ(rl[0].soft, 1024u);
  EXPECT_EQ(rl[0].hard, 2048u);
  EXPECT_EQ(rl[1].type, mesos::RLimitInfo::RLimit::Type::kRlmtCore);
  EXPECT_FALSE(rl[1].soft.has_value()) << "unset = unlimited";
  ASSERT_EQ(task_.command->uris.size(), 1u);
  EXPECT_EQ(task_.command->uris[0].value, "https://example.com/app.tgz");
  EXPECT_EQ(task_.command->user, "root");
  EXPECT_EQ(task_.limits.at("cpus").value, std::numeric_limits<double>::infinity());
  EXPECT_EQ(task_.limits.at("mem").value, 512);
}

TEST_F(Launch, OrdersReserveCreateLaunchGroupWithADefaultExecutor) {
  using Type = mesos::OfferOperation::Type;
  ASSERT_EQ(plan_.operations.size(), 3u);
  EXPECT_EQ(plan_.operations[0].type, Type::kReserve);
  EXPECT_EQ(plan_.operations[1].type, Type::kCreate);
  EXPECT_EQ(plan_.operations[2].type, Type::kLaunchGroup);
  for (const auto& r : plan_.operations[0].reserve->resources) {
    const auto& labels = r.reservations.back().labels->labels;
    ASSERT_EQ(labels.size(), 3u);
    EXPECT_EQ(labels[0].key, "resource_id");
    EXPECT_EQ(labels[1].value, "data-store");
    EXPECT_EQ(labels[2].value, "fw-1");
    EXPECT_EQ(r.reservations.back().role, kRole);
  }
  const auto& group = *plan_.operations[2].launchGroup;
  EXPECT_EQ(group.executor.type, mesos::ExecutorInfo::Type::kDefault);
  EXPECT_EQ(group.executor.frameworkId->value, "fw-1");
  EXPECT_EQ(group.executor.resources.size(), 3u);
  ASSERT_EQ(group.taskGroup.tasks.size(), 1u);
  EXPECT_FALSE(group.taskGroup.tasks[0].executor.has_value());
  EXPECT_EQ(task_.executor, group.executor) << "the persisted TaskInfo keeps its executor";
  std::set<std::string> ids;
  for (const auto& r : plan_.operations[0].reserve->resources) {
    ids.insert(*r.reservations.back().labels->labels[0].value);
  }
  EXPECT_EQ(ids.size(), plan_.operations[0].reserve->resources.size()) << "one UUID per resource";
}

// Every key path in `j`, arrays collapsed: "accept.operations[].reserve".
void keyPaths(const nlohmann::json& j, const std::string& prefix, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      std::string path = prefix.empty() ? k : prefix + "." + k;
      out.insert(path);
      keyPaths(v, path, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) keyPaths(v, prefix + "[]", out);
  }
}

std::set<std::string> pathsOf(const nlohmann::json& j) {
  std::set<std::string> out;
  keyPaths(j, "", out);
  return out;
}

nlohmann::json operationOf(const nlohmann::json& accept, const std::string& type) {
  for (const auto& op : accept["accept"]["operations"]) {
    if (op["type"] == type) return op;
  }
  return nullptr;
}

TEST_F(Launch, AcceptJsonHasTheShapeARealMasterAccepted) {
  std::ifstream in(keel::testing::sharedDir() +
                   "/fixtures/mesos-v1/accept-reserve-create-launch.json");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  auto fixture = nlohmann::json::parse(text.str());

  mesos::Call call;
  call.frameworkId = mesos::FrameworkID{"fw-1"};
  call.type = mesos::Call::Type::kAccept;
  call.accept = mesos::Call::Accept{{plan_.offerId}, plan_.operations, mesos::Filters{2.0}};
  auto ours = nlohmann::json::parse(mesos::toJson(call));

  std::set<std::string> top = {"framework_id",
                               "framework_id.value",
                               "type",
                               "accept",
                               "accept.offer_ids",
                               "accept.offer_ids[].value",
                               "accept.operations",
                               "accept.filters",
                               "accept.filters.refuse_seconds"};
  for (const auto& path : top) EXPECT_TRUE(pathsOf(ours).contains(path)) << path;
  for (const std::string type : {"RESERVE", "CREATE"}) {
    auto theirs = operationOf(fixture, type);
    auto mine = operationOf(ours, type);
    ASSERT_FALSE(mine.is_null()) << type;
    theirs.erase("id");  // keel does not request operation feedback
    auto mineP = pathsOf(mine);
    for (const auto& path : pathsOf(theirs))
      EXPECT_TRUE(mineP.contains(path)) << type << " " << path;
    for (const auto& path : mineP) {
      bool portRange = path.find(".ranges") != std::string::npos;
      EXPECT_TRUE(pathsOf(theirs).contains(path) || portRange) << type << " extra " << path;
    }
  }
  auto launch = operationOf(ours, "LAUNCH_GROUP");
  ASSERT_FALSE(launch.is_null());
  auto paths = pathsOf(launch);
  for (const std::string path :
       {"launch_group.executor.type", "launch_group.executor.executor_id.value",
        "launch_group.executor.framework_id.value",
        "launch_group.executor.resources[].reservations",
        "launch_group.task_group.tasks[].task_id.value",
        "launch_group.task_group.tasks[].agent_id.value",
        "launch_group.task_group.tasks[].command.environment.variables[].name",
        "launch_group.task_group.tasks[].health_check.consecutive_failures",
        "launch_group.task_group.tasks[].kill_policy.grace_period.nanoseconds",
        "launch_group.task_group.tasks[].resources[].disk.persistence.id",
        "launch_group.task_group.tasks[].resources[].disk.volume.container_path"}) {
    EXPECT_TRUE(paths.contains(path)) << path;
  }
  EXPECT_FALSE(paths.contains("launch_group.task_group.tasks[].executor"));
  // And it decodes back to the same call.
  auto decoded = mesos::callFromJson(mesos::toJson(call));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message();
  EXPECT_EQ(*decoded, call);
}

}  // namespace
}  // namespace keel::offer
