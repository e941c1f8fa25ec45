// End to end: configuration updates of the tutorial's data-store on a real
// LocalCluster. The scheduler is restarted with a changed environment (as an
// operator would) and the pods, their volumes and the API are checked: a
// rolling restart keeps the data, a volume resize is refused with nothing
// restarted, an interrupted update holds until continued, a rollback returns
// to the first configuration, and `keel run` refuses invalid package options
// before anything is registered or stored.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "http/fake_scheduler_api.h"
#include "scheduler/e2e_fixture.h"
#include "testing/paths.h"

namespace keel::scheduler::e2e {
namespace {

const std::vector<std::string> kDataPods = {"data-0", "data-1", "data-2"};
const std::vector<std::string> kMetaPods = {"meta-data-0", "meta-data-1"};

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class UpdateE2eTest : public SchedulerE2eTest {
 protected:
  // The data-store with `env` over data-store.env, started (after the running
  // scheduler, if any, is stopped) on the same state directory.
  void runWith(const std::map<std::string, std::string>& env) {
    stopRunner();
    auto spec = http::loadDataStoreSpec(keel::testing::sourceDir(), env);
    ASSERT_TRUE(spec) << spec.error().toString();
    startRunner(*spec);
  }
  void deploy() {
    runWith({});
    ASSERT_TRUE(waitForPlan("deploy", "COMPLETE", 60s)) << plan("deploy").dump();
  }

  std::map<std::string, std::string> taskIds(const std::vector<std::string>& pods) const {
    std::map<std::string, std::string> ids;
    for (const std::string& pod : pods) {
      ids[pod] = taskId(pod, "node");
      EXPECT_FALSE(ids[pod].empty()) << pod;
    }
    return ids;
  }
  bool allRelaunched(const std::map<std::string, std::string>& before) const {
    for (const auto& [pod, id] : before) {
      std::string now = taskId(pod, "node");
      if (now.empty() || now == id) return false;
    }
    return true;
  }
  // The cpus of the pod instance's one task as its TaskInfo says (-1: none).
  double taskCpus(const std::string& pod) const {
    Reply r = get("/v1/pod/" + pod + "/info");
    if (!r.body.is_array() || r.body.size() != 1) return -1;
    for (const json& res : r.body[0]["info"].value("resources", json::array())) {
      if (res.value("name", "") == "cpus") return res["scalar"].value("value", -1.0);
    }
    return -1;
  }
  // The statuses of the deploy plan's data steps, by step name.
  std::map<std::string, std::string> dataSteps() const {
    std::map<std::string, std::string> out;
    json p = plan("deploy");
    if (!p.is_object()) return out;
    for (const json& phase : p["phases"]) {
      if (phase.value("name", "") != "data") continue;
      for (const json& s : phase["steps"]) out[s.value("name", "")] = s.value("status", "");
    }
    return out;
  }
  std::string targetId() const {
    Reply r = get("/v1/configurations/targetId");
    return r.body.is_array() && r.body.size() == 1 ? r.body[0].get<std::string>() : "";
  }
  // True when `changed` turns true within `window` (several offer cycles:
  // the cluster offers every 100 ms, the scheduler ticks every 200 ms).
  static bool changesWithin(const std::function<bool()>& changed, Duration window = 2s) {
    return pollUntil(changed, window, 50ms);
  }
};

TEST_F(UpdateE2eTest, RollingRestartRelaunchesDataPodsOneAtATimeOnTheirVolumes) {
  deploy();
  std::map<std::string, std::string> volumes = taskVolumes();
  ASSERT_EQ(volumes.size(), 5u);
  for (const std::string& pod : kDataPods) {
    std::ofstream(std::filesystem::path(volumes[pod + "-node"]) / "marker") << pod << "\n";
  }
  std::map<std::string, std::string> data = taskIds(kDataPods);
  std::map<std::string, std::string> meta = taskIds(kMetaPods);

  runWith({{"DATA_CPU", "0.2"}});
  // Sampled while the update runs: data steps in flight (neither PENDING nor
  // COMPLETE) in the plan, and data pods without a running task in the
  // master (a step's STARTING lasts milliseconds, its pod's downtime, from
  // the kill to TASK_RUNNING, lasts offer cycles).
  int maxInFlight = 0, maxDown = 0;
  std::vector<std::string> completionOrder;
  std::set<std::string> completed;
  ASSERT_TRUE(pollUntil(
      [&] {
        std::map<std::string, mesos::TaskState> tasks = masterTasks();
        int down = 0;
        for (const std::string& pod : kDataPods) {
          auto t = tasks.find(pod + "-node");
          down += t == tasks.end() || t->second != mesos::TaskState::kTaskRunning;
        }
        maxDown = std::max(maxDown, down);
        int inFlight = 0;
        for (const auto& [name, status] : dataSteps()) {
          inFlight += status != "PENDING" && status != "COMPLETE";
          if (status == "COMPLETE" && completed.insert(name).second) {
            completionOrder.push_back(name);
          }
        }
        maxInFlight = std::max(maxInFlight, inFlight);
        return completed.size() == kDataPods.size() && planStatus("deploy") == "COMPLETE" &&
               allRelaunched(data);
      },
      60s, 5ms))
      << plan("deploy").dump();
  EXPECT_LE(maxInFlight, 1) << "serial: one data step in flight at a time";
  EXPECT_EQ(maxDown, 1) << "serial: one data pod down at a time (and one was seen down)";
  ASSERT_EQ(completionOrder.size(), 3u);
  for (size_t i = 0; i < completionOrder.size(); ++i) {
    EXPECT_EQ(completionOrder[i].rfind(kDataPods[i] + ":[", 0), 0u) << completionOrder[i];
  }
  EXPECT_EQ(taskIds(kMetaPods), meta) << "meta-data untouched";
  std::map<std::string, std::string> after = taskVolumes();
  for (const std::string& pod : kDataPods) {
    EXPECT_DOUBLE_EQ(taskCpus(pod), 0.2) << pod;
    std::filesystem::path volume = volumes[pod + "-node"];
    EXPECT_EQ(after[pod + "-node"], volume.string()) << pod << " relaunched on its volume";
    EXPECT_EQ(readAll(volume / "marker"), pod + "\n") << volume;
    // The data node appends a line to its volume's output at each start.
    EXPECT_TRUE(pollUntil([&] { return count(readAll(volume / "output"), "started") == 2; }, 10s))
        << readAll(volume / "output");
  }
}

TEST_F(UpdateE2eTest, AVolumeResizeIsRefusedAndNothingRestarts) {
  deploy();
  std::map<std::string, std::string> ids = taskIds(kDataPods);
  for (const auto& [pod, id] : taskIds(kMetaPods)) ids[pod] = id;
  std::string target = targetId();

  runWith({{"DATA_DISK", "128"}});
  Reply deploy = get("/v1/plans/deploy");
  EXPECT_EQ(deploy.status, 417) << deploy.text;
  ASSERT_TRUE(deploy.body.is_object()) << deploy.text;
  EXPECT_EQ(deploy.body["status"], "ERROR") << deploy.text;
  ASSERT_FALSE(deploy.body["errors"].empty()) << deploy.text;
  std::string errors = deploy.body["errors"].dump();
  EXPECT_NE(errors.find("pods.data.tasks.node.volume.size"), std::string::npos) << errors;
  EXPECT_NE(errors.find("64"), std::string::npos) << errors;
  EXPECT_NE(errors.find("128"), std::string::npos) << errors;
  EXPECT_EQ(get("/v1/health").status, 500);
  EXPECT_EQ(targetId(), target) << "the stored target stays the target";
  auto changed = [&] {
    for (const auto& [pod, id] : ids) {
      if (taskId(pod, "node") != id) return true;
    }
    return false;
  };
  EXPECT_FALSE(changesWithin(changed)) << "no task relaunched";
  EXPECT_EQ(masterTasks().size(), 5u);
}

TEST_F(UpdateE2eTest, AnInterruptedUpdateHoldsUntilContinued) {
  deploy();
  // A complete plan cannot be interrupted (208, nothing stored), so the
  // interrupt comes right after the new scheduler's API is up: a step the
  // first offer cycle started before it may finish, nothing starts after it.
  std::map<std::string, std::string> data = taskIds(kDataPods);
  std::map<std::string, std::string> meta = taskIds(kMetaPods);
  runWith({{"DATA_CPU", "0.2"}});
  Reply interrupt = post("/v1/plans/deploy/interrupt");
  ASSERT_EQ(interrupt.status, 200) << interrupt.text;
  auto inFlight = [&] {
    for (const auto& [name, status] : dataSteps()) {
      if (status == "PREPARED" || status == "STARTING" || status == "STARTED") return true;
    }
    return false;
  };
  ASSERT_TRUE(pollUntil([&] { return !inFlight(); }, 30s, 50ms)) << plan("deploy").dump();
  std::map<std::string, std::string> held = taskIds(kDataPods);
  size_t relaunchedBefore = 0;
  for (const auto& [pod, id] : held) relaunchedBefore += id != data[pod];
  EXPECT_LE(relaunchedBefore, 1u) << "at most the step in flight at the interrupt";
  EXPECT_FALSE(changesWithin([&] { return inFlight() || taskIds(kDataPods) != held; }))
      << "nothing relaunched while interrupted: " << plan("deploy").dump();
  size_t pending = 0;
  for (const auto& [name, status] : dataSteps()) pending += status == "PENDING";
  EXPECT_EQ(pending, kDataPods.size() - relaunchedBefore) << plan("deploy").dump();

  Reply resume = post("/v1/plans/deploy/continue");
  ASSERT_EQ(resume.status, 200) << resume.text;
  ASSERT_TRUE(pollUntil([&] { return planStatus("deploy") == "COMPLETE" && allRelaunched(data); },
                        60s, 50ms))
      << plan("deploy").dump();
  for (const std::string& pod : kDataPods) EXPECT_DOUBLE_EQ(taskCpus(pod), 0.2) << pod;
  EXPECT_EQ(taskIds(kMetaPods), meta) << "meta-data untouched";
}

TEST_F(UpdateE2eTest, RollbackRelaunchesTheDataPodsWithTheFirstConfiguration) {
  deploy();
  std::string first = targetId();
  ASSERT_FALSE(first.empty());
  std::map<std::string, std::string> meta = taskIds(kMetaPods);
  std::map<std::string, std::string> original = taskIds(kDataPods);
  runWith({{"DATA_CPU", "0.2"}});
  ASSERT_TRUE(pollUntil(
      [&] { return planStatus("deploy") == "COMPLETE" && allRelaunched(original); }, 60s, 50ms))
      << plan("deploy").dump();
  std::string second = targetId();
  ASSERT_NE(second, first);
  std::map<std::string, std::string> updated = taskIds(kDataPods);

  Exit rollback = runKeel("config rollback --reason test --url " + url, dir.path());
  ASSERT_EQ(rollback.code, 0) << rollback.out << rollback.err;
  EXPECT_EQ(targetId(), first);
  ASSERT_TRUE(pollUntil(
      [&] {
        std::map<std::string, std::string> steps = dataSteps();
        bool complete = steps.size() == kDataPods.size();
        for (const auto& [name, status] : steps) complete = complete && status == "COMPLETE";
        return complete && allRelaunched(updated);
      },
      60s, 50ms))
      << plan("deploy").dump();
  for (const std::string& pod : kDataPods) EXPECT_DOUBLE_EQ(taskCpus(pod), 0.1) << pod;
  EXPECT_EQ(taskIds(kMetaPods), meta) << "meta-data untouched";
  std::string errors = plan("deploy")["errors"].dump();
  EXPECT_NE(errors.find(second), std::string::npos) << errors;
  EXPECT_NE(errors.find("rolled back to " + first), std::string::npos) << errors;
  EXPECT_NE(errors.find("test"), std::string::npos) << errors;
}

TEST_F(UpdateE2eTest, KeelRunRefusesInvalidPackageOptionsBeforeAnythingChanges) {
  std::filesystem::path svc = std::filesystem::path(keel::testing::sharedDir()) /
                              "compat/dcos-commons/helloworld/dist/svc.yml";
  ASSERT_TRUE(std::filesystem::exists(svc)) << svc;
  std::string options = (dir.path() / "options.json").string();
  std::ofstream(options) << R"({"hello": {"count": "three"}})";
  std::string stateDir = (dir.path() / "hello-state").string();
  Exit run = runKeel("run " + svc.string() + " --options " + options + " --master " +
                         cluster->url() + " --state-dir " + stateDir,
                     dir.path());
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_NE(run.err.find(options + ": hello.count: must be an integer (schema: type integer), "
                                   "found \"three\" (a string)\n"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(count(run.err, options), 1u) << "the options file named once: " << run.err;
  EXPECT_NE(run.err.find("nothing was started"), std::string::npos) << run.err;
  EXPECT_EQ(frameworkCount(), 0u);
  EXPECT_FALSE(std::filesystem::exists(stateDir)) << "no state written for refused options";
}

}  // namespace
}  // namespace keel::scheduler::e2e
