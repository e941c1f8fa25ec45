// `keel pod ...` against a real ApiServer over the fake scheduler.
#include <string>
#include <utility>
#include <vector>

#include "cli/operator_test_fixture.h"

namespace keel::cli::testing {
namespace {

using PodCommands = OperatorTest;

TEST_F(PodCommands, ListNamesEveryPodInstance) {
  Outcome r = run([](auto& o, auto& out, auto& err) { return runPodList(o, out, err); });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "data-0\ndata-1\ndata-2\nmeta-data-0\nmeta-data-1\n");
}

TEST_F(PodCommands, StatusIsATreeOfPodsInstancesAndTasks) {
  Outcome r =
      run([](auto& o, auto& out, auto& err) { return runPodStatus(o, std::nullopt, out, err); });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "data-store\n"
            "├─ data\n"
            "│  ├─ data-0\n"
            "│  │  └─ data-0-node (RUNNING)\n"
            "│  ├─ data-1\n"
            "│  │  └─ data-1-node (RUNNING)\n"
            "│  └─ data-2\n"
            "│     └─ data-2-node (RUNNING)\n"
            "└─ meta-data\n"
            "   ├─ meta-data-0\n"
            "   │  └─ meta-data-0-node (RUNNING)\n"
            "   └─ meta-data-1\n"
            "      └─ meta-data-1-node (RUNNING)\n");
}

TEST_F(PodCommands, StatusOfOnePodAndOfAnUnknownOne) {
  Outcome r = run([](auto& o, auto& out, auto& err) {
    return runPodStatus(o, std::string("data-1"), out, err);
  });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "data-1\n└─ data-1-node (RUNNING)\n");
  Outcome unknown = run([](auto& o, auto& out, auto& err) {
    return runPodStatus(o, std::string("data-7"), out, err);
  });
  EXPECT_EQ(unknown.code, kExitInvalid);
  EXPECT_EQ(unknown.err, "keel: Pod data-7 not found\n");
}

TEST_F(PodCommands, InfoShowsEachTasksIdStateAgentResourcesAndCommand) {
  onOwnerDo([this] {
    http::TaskView& t = api_.taskViews.front();
    t.infoJson = R"({"name":")" + t.name +
                 R"(","task_id":{"value":"tid-1"},)"
                 R"("agent_id":{"value":"agent-7"},"command":{"value":"./run.sh"},)"
                 R"("resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},)"
                 R"({"name":"ports","type":"RANGES","ranges":{"range":[{"begin":80,"end":80},)"
                 R"({"begin":9000,"end":9010}]}}]})";
    t.statusJson = R"({"state":"TASK_RUNNING","healthy":true,"message":"ok"})";
  });
  std::string pod = onOwner<std::string>([this] {
    const http::TaskView& t = api_.taskViews.front();
    return t.podType + "-" + std::to_string(t.podIndex);
  });
  Outcome r = run([&](auto& o, auto& out, auto& err) { return runPodInfo(o, pod, out, err); });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, pod +
                       "-node\n"
                       "  task id:   tid-1\n"
                       "  state:     TASK_RUNNING (healthy): ok\n"
                       "  agent:     agent-7\n"
                       "  resources: cpus 0.5, ports 80,9000-9010\n"
                       "  command:   ./run.sh\n");
}

TEST_F(PodCommands, RestartAndReplaceSayWhatWasKilled) {
  Outcome r = run([](auto& o, auto& out, auto& err) {
    return runPodRestart(o, "data-0", /*replace=*/false, out, err);
  });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "data-0: restarting in place; killed data-0-node\n");
  Outcome replaced = run([](auto& o, auto& out, auto& err) {
    return runPodRestart(o, "data-1", /*replace=*/true, out, err);
  });
  EXPECT_EQ(replaced.code, kExitOk) << replaced.err;
  EXPECT_EQ(replaced.out,
            "data-1: replacing on new resources as its next incarnation (its persistent volumes "
            "are not kept: the old ones are destroyed once the replacement runs); killed "
            "data-1-node\n  follow it: keel plan status recovery\n");
  auto restarts =
      onOwner<std::vector<std::pair<std::string, bool>>>([this] { return api_.podRestarts; });
  EXPECT_EQ(restarts,
            (std::vector<std::pair<std::string, bool>>{{"data-0", false}, {"data-1", true}}));
}

TEST_F(PodCommands, RestartingAnUnknownPodKillsNothing) {
  Outcome r = run(
      [](auto& o, auto& out, auto& err) { return runPodRestart(o, "data-9", false, out, err); });
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(r.err, "keel: Pod data-9 not found\n");
  EXPECT_TRUE(onOwner<bool>([this] { return api_.podRestarts.empty(); }));
}

TEST_F(PodCommands, RecoveryResetPrintsTheSchedulersAnswer) {
  Outcome r = run([](auto& o, auto& out, auto& err) { return runRecoveryReset(o, out, err); });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "circuit breaker reset: automatic replacement resumes (one per 10m)\n");
}

// `keel uninstall` (uninstall_command.cc): a scheduler that cannot uninstall
// refuses, and nothing is waited for. The whole uninstall runs end to end in
// src/scheduler/uninstall_e2e_test.cc.
TEST_F(PodCommands, UninstallReportsARefusalAndDoesNotWait) {
  Outcome r = run(
      [](auto& o, auto& out, auto& err) { return runUninstall(o, UninstallOptions{}, out, err); });
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("cannot uninstall"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace keel::cli::testing
