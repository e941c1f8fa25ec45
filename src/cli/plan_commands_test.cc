// `keel plan ...` against a real ApiServer over the fake scheduler.
#include <string>
#include <vector>

#include "cli/operator_test_fixture.h"

namespace keel::cli::testing {
namespace {

using nlohmann::ordered_json;

class PlanCommands : public OperatorTest {
 protected:
  Outcome status(const std::string& plan = "deploy", bool json = false) {
    return run([&](auto& o, auto& out, auto& err) { return runPlanStatus(o, plan, out, err); },
               json);
  }
  Outcome command(PlanCommand which, PlanTarget target) {
    return run(
        [&](auto& o, auto& out, auto& err) { return runPlanCommand(o, which, target, out, err); });
  }
};

TEST_F(PlanCommands, ListShowsEveryPlanWithItsStatus) {
  Outcome r = run([](auto& o, auto& out, auto& err) { return runPlanList(o, out, err); });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "deploy    PENDING\nrecovery  COMPLETE\n");
  Outcome json = run([](auto& o, auto& out, auto& err) { return runPlanList(o, out, err); }, true);
  EXPECT_EQ(json.out, "[\n  \"deploy\",\n  \"recovery\"\n]\n");
}

TEST_F(PlanCommands, StatusIsATreeOfPhasesAndStepsWithTheirStatuses) {
  Outcome r = status();
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "deploy (serial strategy) (PENDING)");
  EXPECT_NE(r.out.find("├─ meta-data (serial strategy) (PENDING)\n│  ├─ meta-data-0:[node] "
                       "(PENDING)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("└─ data (serial strategy) (PENDING)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("   └─ data-2:[node] (PENDING)\n"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST_F(PlanCommands, JsonIsTheApisAnswerIndented) {
  Outcome r = status("deploy", /*json=*/true);
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out, ordered_json::parse(get("/v1/plans/deploy").body).dump(2) + "\n");
  // What scripts wait for (scripts/data-store.sh greps the plan's own status).
  EXPECT_NE(r.out.find("\n  \"status\": \"PENDING\""), std::string::npos) << r.out;
}

TEST_F(PlanCommands, AnUnknownPlanExitsOneWithTheApisMessage) {
  Outcome r = status("nope");
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(r.err, "keel: Plan nope not found\n");
  EXPECT_TRUE(r.out.empty());
}

TEST_F(PlanCommands, InterruptShowsWaitingStepsAndASecondOneIsANote) {
  Outcome r = command(PlanCommand::kInterrupt, {"deploy", "data", "data-0:[node]"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "Received cmd: interrupt\n");
  Outcome tree = status();
  EXPECT_NE(tree.out.find("data-0:[node] (WAITING): Waiting for continue (interrupted)"),
            std::string::npos)
      << tree.out;
  Outcome again = command(PlanCommand::kInterrupt, {"deploy", "data", "data-0:[node]"});
  EXPECT_EQ(again.code, kExitOk) << again.err;
  EXPECT_EQ(again.out, "note: Command has already been reported or completed; nothing changed\n");
  Outcome resumed = command(PlanCommand::kContinue, {"deploy", "data", "data-0:[node]"});
  EXPECT_EQ(resumed.code, kExitOk) << resumed.err;
  EXPECT_EQ(status().out.find("WAITING"), std::string::npos);
}

TEST_F(PlanCommands, ForceCompleteNeedsAPhaseAndAStep) {
  Outcome r = command(PlanCommand::kForceComplete, {"deploy", "data", ""});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--phase and --step"), std::string::npos) << r.err;
  Outcome done = command(PlanCommand::kForceComplete, {"deploy", "data", "data-1:[node]"});
  EXPECT_EQ(done.code, kExitOk) << done.err;
  EXPECT_EQ(done.out,
            "Received cmd: forceComplete for Plan: deploy, Phase: data, Step: "
            "data-1:[node]\n");
  EXPECT_NE(status().out.find("├─ data-1:[node] (COMPLETE)"), std::string::npos);
}

TEST_F(PlanCommands, AStepWithoutItsPhaseIsTheApisBadRequest) {
  Outcome r = command(PlanCommand::kInterrupt, {"deploy", "", "data-1:[node]"});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(r.err, "keel: Missing phase\n");
}

TEST_F(PlanCommands, RestartAnUnknownStepNamesIt) {
  Outcome r = command(PlanCommand::kRestart, {"deploy", "data", "data-9:[node]"});
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.err.find("data-9:[node]"), std::string::npos) << r.err;
}

TEST_F(PlanCommands, StartSendsParametersAndRejectsOnesWithoutAValue) {
  std::vector<std::string> params = {"SLEEP=5", "NAME=a=b"};
  Outcome r = run(
      [&](auto& o, auto& out, auto& err) { return runPlanStart(o, "recovery", params, out, err); });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "Received cmd: start recovery with parameters: {NAME=a=b, SLEEP=5}\n");
  std::vector<std::string> bad = {"SLEEP"};
  Outcome usage = run(
      [&](auto& o, auto& out, auto& err) { return runPlanStart(o, "recovery", bad, out, err); });
  EXPECT_EQ(usage.code, kExitUsage);
  EXPECT_EQ(usage.err, "keel: parameter 'SLEEP' is not KEY=VALUE\n");
  Outcome stop =
      run([&](auto& o, auto& out, auto& err) { return runPlanStop(o, "recovery", out, err); });
  EXPECT_EQ(stop.code, kExitOk) << stop.err;
  EXPECT_EQ(stop.out, "Received cmd: stop\n");
}

TEST_F(PlanCommands, APlanWithErrorsIsShownWithItsErrorsAndExitsOne) {
  onOwnerDo([this] {
    plan::Step& step = api_.findPlan("deploy")->phases()[1].steps()[2];
    ASSERT_TRUE(step.markError("volume lost").isOk());
    api_.bumpVersion();
  });
  Outcome r = status();
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_NE(r.out.find("└─ data-2:[node] (ERROR): volume lost\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nErrors:\n- data/data-2:[node]: volume lost\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.err, "keel: the plan has errors (HTTP 417)\n");
}

TEST_F(PlanCommands, NoSchedulerListeningSaysSo) {
  std::string gone = url();
  server_->stop();
  Outcome r = status();
  EXPECT_EQ(r.code, kExitInvalid);
  EXPECT_EQ(r.err, "keel: no scheduler at " + gone + ": is `keel run` running?\n");
}

}  // namespace
}  // namespace keel::cli::testing
