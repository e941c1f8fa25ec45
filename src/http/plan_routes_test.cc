// /v1/plans/... and the tutorial's /v1/plan/... over real HTTP, against the
// data-store deploy plan.
#include <string>
#include <vector>

#include "http/http_test_fixture.h"
#include "keel/plan_override.h"

namespace keel::http::testing {
namespace {

using nlohmann::ordered_json;

std::string encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

class PlanRoutes : public HttpRoutesTest {
 protected:
  // Ids of the data-store deploy plan's elements, read on the owner.
  std::string phaseId(const std::string& phase) {
    return onOwner<std::string>([&] { return api_.findPlan("deploy")->findPhase(phase)->id(); });
  }
  std::string stepId(const std::string& phase, const std::string& step) {
    return onOwner<std::string>(
        [&] { return api_.findPlan("deploy")->findPhase(phase)->findStep(step)->id(); });
  }
  // A step's status in GET /v1/plans/deploy.
  std::string stepStatus(size_t phase, size_t step) {
    Reply r = get("/v1/plans/deploy");
    return r.json["phases"][phase]["steps"][step]["status"];
  }
  std::string blockStatus(size_t phase, size_t block) {
    Reply r = get("/v1/plan");
    return r.json["phases"][phase]["blocks"][block]["status"];
  }
  std::string message(const Reply& r) {
    return r.json.is_object() && r.json.contains("message") ? r.json["message"].get<std::string>()
                                                            : "<no message in " + r.body + ">";
  }
};

TEST_F(PlanRoutes, ListsThePlansInCoordinatorOrder) {
  Reply r = get("/v1/plans");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json, ordered_json::parse(R"(["deploy","recovery"])"));
}

TEST_F(PlanRoutes, ShowsAPlanInTheCurrentShapeWith202WhileInProgress) {
  Reply r = get("/v1/plans/deploy");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.contentType, "application/json");
  ASSERT_TRUE(r.json.is_object()) << r.body;
  for (const char* key : {"phases", "errors", "status", "strategy"}) {
    EXPECT_TRUE(r.json.contains(key)) << key;
  }
  ASSERT_EQ(r.json["phases"].size(), 2u);
  EXPECT_EQ(r.json["phases"][0]["name"], "meta-data");
  EXPECT_EQ(r.json["phases"][1]["name"], "data");
  EXPECT_EQ(r.json["phases"][0]["steps"].size(), 2u);
  EXPECT_EQ(r.json["phases"][1]["steps"].size(), 3u);
  for (const char* key : {"id", "name", "steps", "status", "strategy"}) {
    EXPECT_TRUE(r.json["phases"][1].contains(key)) << key;
  }
  ordered_json step = r.json["phases"][1]["steps"][0];
  for (const char* key : {"id", "name", "status", "message"})
    EXPECT_TRUE(step.contains(key)) << key;
  EXPECT_EQ(step["name"], "data-0:[node]");
  EXPECT_EQ(step["status"], "PENDING");
}

TEST_F(PlanRoutes, ShowsTheEmptyRecoveryPlanAsTheTutorialDoes) {
  Reply r = get("/v1/plans/recovery");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.json["phases"].size(), 1u);
  EXPECT_EQ(r.json["phases"][0]["name"], "recovery");
  EXPECT_EQ(r.json["phases"][0]["steps"], ordered_json::array());
  EXPECT_EQ(r.json["phases"][0]["status"], "COMPLETE");
  EXPECT_EQ(r.json["errors"], ordered_json::array());
  EXPECT_EQ(r.json["status"], "COMPLETE");
}

TEST_F(PlanRoutes, AnswersEachPlanStateWithDcosCommonsStatusCode) {
  struct Row {
    const char* state;
    std::function<void(plan::Plan&)> make;
    int status;
    const char* planStatus;
  };
  std::vector<Row> rows = {
      {"pending", [](plan::Plan&) {}, 202, "PENDING"},
      {"in progress",
       [](plan::Plan& p) { ASSERT_TRUE(p.phases()[0].steps()[0].markPrepared().isOk()); }, 202,
       "IN_PROGRESS"},
      {"errors",
       [](plan::Plan& p) {
         ASSERT_TRUE(p.phases()[1].steps()[2].markError("disk on fire").isOk());
       },
       417, "ERROR"},
      {"complete", [](plan::Plan& p) { p.forceComplete(); }, 200, "COMPLETE"},
  };
  for (const Row& row : rows) {
    onOwnerDo([&] {
      plan::Plan* p = api_.findPlan("deploy");
      p->restart();
      row.make(*p);
      api_.bumpVersion();
    });
    Reply r = get("/v1/plans/deploy");
    EXPECT_EQ(r.status, row.status) << row.state;
    EXPECT_EQ(r.json["status"], row.planStatus) << row.state;
  }
}

TEST_F(PlanRoutes, RejectsBadRequestsWithTheReasonInJson) {
  std::string meta = phaseId("meta-data");
  struct Row {
    std::string method, path;
    int status;
    std::string message;
    std::string body = "";
  };
  std::vector<Row> rows = {
      {"GET", "/v1/plans/nope", 404, "Plan nope not found"},
      {"POST", "/v1/plans/nope/interrupt", 404, "Plan nope not found"},
      {"POST", "/v1/plans/nope/stop", 404, "Plan nope not found"},
      {"POST", "/v1/plans/deploy/interrupt?phase=nope", 404, "Phase nope not found"},
      {"POST", "/v1/plans/deploy/forceComplete?phase=data&step=nope", 404, "Step nope not found"},
      {"POST", "/v1/plans/deploy/restart?phase=" + meta + "&step=" + encode("data-0:[node]"), 404,
       "Step data-0:[node] not found"},
      {"POST", "/v1/plans/deploy/restart?step=x", 400, "Missing phase"},
      {"POST", "/v1/plans/deploy/start", 400,
       "Couldn't parse parameters: the body is not a JSON object", "{not json"},
      {"POST", "/v1/plan/forceComplete?phase=00000000-0000-4000-8000-000000000000&block=x", 404,
       "Phase 00000000-0000-4000-8000-000000000000 not found"},
      {"GET", "/v1/plans/deploy/start", 405, "GET is not allowed on /v1/plans/deploy/start"},
      {"GET", "/v1/plans/deploy/nope", 404, "No route for GET /v1/plans/deploy/nope"},
  };
  for (const Row& row : rows) {
    Reply r = send(row.method, row.path, row.body);
    EXPECT_EQ(r.status, row.status) << row.method << " " << row.path << ": " << r.body;
    ASSERT_TRUE(r.json.is_object()) << row.path << ": " << r.body;
    EXPECT_EQ(message(r), row.message) << row.path;
  }
}

TEST_F(PlanRoutes, InterruptsContinuesAndReports208WhenNothingChanges) {
  Reply first = post("/v1/plans/deploy/interrupt");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(message(first), "Received cmd: interrupt");
  EXPECT_EQ(get("/v1/plans/deploy").json["status"], "WAITING");

  Reply again = post("/v1/plans/deploy/interrupt");
  EXPECT_EQ(again.status, 208);
  EXPECT_EQ(message(again), "Command has already been reported or completed");

  Reply cont = post("/v1/plans/deploy/continue");
  EXPECT_EQ(cont.status, 200);
  EXPECT_EQ(message(cont), "Received cmd: continue");
  EXPECT_EQ(get("/v1/plans/deploy").json["status"], "PENDING");
  EXPECT_EQ(post("/v1/plans/deploy/continue").status, 208);
}

TEST_F(PlanRoutes, InterruptsAndContinuesAPhaseByName) {
  EXPECT_EQ(post("/v1/plans/deploy/interrupt?phase=data").status, 200);
  Reply r = get("/v1/plans/deploy");
  EXPECT_EQ(r.json["phases"][1]["status"], "WAITING");
  EXPECT_EQ(r.json["phases"][0]["status"], "PENDING");
  EXPECT_EQ(post("/v1/plans/deploy/interrupt?phase=data").status, 208);
  EXPECT_EQ(post("/v1/plans/deploy/continue?phase=data").status, 200);
  EXPECT_EQ(get("/v1/plans/deploy").json["phases"][1]["status"], "PENDING");
}

TEST_F(PlanRoutes, ForceCompletesAndRestartsAStepByIdAndByName) {
  std::string data = phaseId("data");
  std::string data1 = stepId("data", "data-1:[node]");
  std::string byId = "?phase=" + data + "&step=" + data1;
  Reply done = post("/v1/plans/deploy/forceComplete" + byId);
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(message(done),
            "Received cmd: forceComplete for Plan: deploy, Phase: " + data + ", Step: " + data1);
  EXPECT_EQ(stepStatus(1, 1), "COMPLETE");
  EXPECT_EQ(post("/v1/plans/deploy/forceComplete" + byId).status, 208);

  std::string byName = "?phase=data&step=" + encode("data-1:[node]");
  Reply restarted = post("/v1/plans/deploy/restart" + byName);
  EXPECT_EQ(restarted.status, 200);
  EXPECT_EQ(message(restarted),
            "Received cmd: restart for Plan: deploy, Phase: data, Step: data-1:[node]");
  EXPECT_EQ(stepStatus(1, 1), "PENDING");
  EXPECT_EQ(post("/v1/plans/deploy/restart" + byName).status, 208);
}

TEST_F(PlanRoutes, ForceCompletesAWholePlanAndThenAnswers200) {
  Reply r = post("/v1/plans/deploy/forceComplete");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(message(r), "Received cmd: forceComplete for Plan: deploy, Phase: null, Step: null");
  Reply plan = get("/v1/plans/deploy");
  EXPECT_EQ(plan.status, 200);
  EXPECT_EQ(plan.json["status"], "COMPLETE");
  EXPECT_EQ(post("/v1/plans/deploy/interrupt").status, 208);
}

TEST_F(PlanRoutes, StartsAPlanWithParametersAndStopsIt) {
  Reply started = post("/v1/plans/deploy/start", R"({"BACKUP_NAME":"nightly","A":"1"})");
  EXPECT_EQ(started.status, 200);
  EXPECT_EQ(message(started),
            "Received cmd: start deploy with parameters: {A=1, BACKUP_NAME=nightly}");
  auto params = onOwner<std::map<std::string, std::string>>(
      [&] { return api_.findPlan("deploy")->parameters(); });
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"A", "1"}, {"BACKUP_NAME", "nightly"}}));

  Reply stopped = post("/v1/plans/deploy/stop");
  EXPECT_EQ(stopped.status, 200);
  EXPECT_EQ(message(stopped), "Received cmd: stop");
  EXPECT_TRUE(onOwner<bool>([&] { return api_.findPlan("deploy")->interrupted(); }));
  EXPECT_EQ(post("/v1/plans/deploy/start", "").status, 200);
  EXPECT_FALSE(onOwner<bool>([&] { return api_.findPlan("deploy")->interrupted(); }));
}

TEST_F(PlanRoutes, RejectsMalformedStartParameters) {
  struct Row {
    const char* body;
    const char* message;
  };
  Row rows[] = {
      {"[1,2]", "Couldn't parse parameters: the body is not a JSON object"},
      {R"({"1A":"x"})", "Couldn't parse parameters: 1A is not a valid environment variable name"},
      {R"({"A":1})", "Couldn't parse parameters: the value of A is not a string"},
  };
  for (const Row& row : rows) {
    Reply r = post("/v1/plans/deploy/start", row.body);
    EXPECT_EQ(r.status, 400) << row.body;
    EXPECT_EQ(message(r), row.message);
  }
  EXPECT_TRUE(onOwner<bool>([&] { return api_.findPlan("deploy")->parameters().empty(); }));
  EXPECT_EQ(post("/v1/plans/nope/start", "{}").status, 404);
}

TEST_F(PlanRoutes, PersistsOverridesBeforeChangingTheLivePlan) {
  ASSERT_EQ(post("/v1/plans/deploy/interrupt").status, 200);
  auto calls = onOwner<std::vector<FakeSchedulerApi::PersistCall>>([&] { return api_.persisted; });
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].plan, "deploy");
  std::string key = plan::overrideKey(plan::ElementLevel::kPlan, "", "");
  ASSERT_EQ(calls[0].changes.size(), 1u);
  EXPECT_EQ(calls[0].changes[0].key, key);
  ASSERT_TRUE(calls[0].changes[0].value.has_value());
  EXPECT_EQ(calls[0].liveRecordsBefore.count(key), 0u) << "the live plan changed before persisting";
  auto recordsAfter = onOwner<std::map<std::string, std::string>>(
      [&] { return plan::overrideRecords(*api_.findPlan("deploy")); });
  EXPECT_EQ(recordsAfter.at(key), *calls[0].changes[0].value);

  EXPECT_EQ(post("/v1/plans/deploy/interrupt").status, 208);
  EXPECT_EQ(onOwner<size_t>([&] { return api_.persisted.size(); }), 1u) << "a 208 persists nothing";
}

TEST_F(PlanRoutes, LeavesTheLivePlanAloneWhenPersistingFails) {
  onOwnerDo([&] { api_.persistResult = Status::ioError("state.db is read-only"); });
  Reply r = post("/v1/plans/deploy/forceComplete?phase=meta-data");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(message(r), "Could not persist the change to plan deploy: state.db is read-only");
  EXPECT_EQ(stepStatus(0, 0), "PENDING");
  EXPECT_TRUE(
      onOwner<bool>([&] { return plan::overrideRecords(*api_.findPlan("deploy")).empty(); }));
}

TEST_F(PlanRoutes, ShowsSchedulerChangesOnceTheStateVersionMoves) {
  EXPECT_EQ(stepStatus(0, 0), "PENDING");
  onOwnerDo([&] {
    ASSERT_TRUE(api_.findPlan("deploy")->phases()[0].steps()[0].markPrepared().isOk());
    api_.bumpVersion();
  });
  EXPECT_EQ(stepStatus(0, 0), "PREPARED");
}

// The tutorial's "Plan management" walkthrough.
TEST_F(PlanRoutes, ServesTheSeedEraPlanWithBlocksAnd503UntilComplete) {
  Reply r = get("/v1/plan");
  EXPECT_EQ(r.status, 503);
  ASSERT_EQ(r.json["phases"].size(), 2u);
  ordered_json block = r.json["phases"][0]["blocks"][1];
  for (const char* key : {"id", "status", "name", "message", "has_decision_point"}) {
    EXPECT_TRUE(block.contains(key)) << key;
  }
  EXPECT_EQ(block["name"], "meta-data-1");
  EXPECT_EQ(block["has_decision_point"], false);
  EXPECT_EQ(r.json["phases"][1]["blocks"].size(), 3u);
  EXPECT_FALSE(r.json["phases"][0].contains("steps"));

  ASSERT_EQ(post("/v1/plan/forceComplete").status, 200);
  Reply done = get("/v1/plan");
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(done.json["status"], "COMPLETE");
}

TEST_F(PlanRoutes, RestartsAndForceCompletesBlocksByIdAsTheTutorialDoes) {
  std::string data = phaseId("data");
  std::string data0 = stepId("data", "data-0:[node]");
  std::string meta = phaseId("meta-data");
  std::string meta1 = stepId("meta-data", "meta-data-1:[node]");

  Reply forced = post("/v1/plan/forceComplete?phase=" + meta + "&block=" + meta1);
  EXPECT_EQ(forced.status, 200) << forced.body;
  EXPECT_EQ(blockStatus(0, 1), "COMPLETE");

  ASSERT_EQ(post("/v1/plan/forceComplete?phase=" + data + "&block=" + data0).status, 200);
  EXPECT_EQ(blockStatus(1, 0), "COMPLETE");
  Reply restarted = post("/v1/plan/restart?phase=" + data + "&block=" + data0);
  EXPECT_EQ(restarted.status, 200) << restarted.body;
  EXPECT_EQ(blockStatus(1, 0), "PENDING");
  EXPECT_EQ(post("/v1/plan/restart?phase=" + data + "&block=" + data0).status, 208);
  // The current name of the parameter works there too.
  EXPECT_EQ(post("/v1/plan/forceComplete?phase=data&step=" + encode("data-0:[node]")).status, 200);
}

TEST_F(PlanRoutes, InterruptsAndContinuesTheDeployPlanThroughTheSeedRoutes) {
  Reply r = post("/v1/plan/interrupt");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(message(r), "Received cmd: interrupt");
  EXPECT_TRUE(onOwner<bool>([&] { return api_.findPlan("deploy")->interrupted(); }));
  EXPECT_EQ(post("/v1/plan/interrupt").status, 208);
  EXPECT_EQ(post("/v1/plan/continue").status, 200);
  EXPECT_FALSE(onOwner<bool>([&] { return api_.findPlan("deploy")->interrupted(); }));
}

TEST_F(PlanRoutes, ReportsTheActivePhaseAndBlockInPlanStatus) {
  Reply r = get("/v1/plan/status");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["plan"]["phase_count"], 2);
  EXPECT_EQ(r.json["plan"]["errors"], ordered_json::array());
  EXPECT_EQ(r.json["plan"]["status"], "PENDING");
  EXPECT_EQ(r.json["phase"]["name"], "meta-data");
  EXPECT_EQ(r.json["phase"]["block_count"], 2);
  EXPECT_EQ(r.json["block"]["name"], "meta-data-0");

  ASSERT_EQ(post("/v1/plan/forceComplete?phase=meta-data").status, 200);
  Reply next = get("/v1/plan/status");
  EXPECT_EQ(next.json["phase"]["name"], "data");
  EXPECT_EQ(next.json["block"]["name"], "data-0");

  ASSERT_EQ(post("/v1/plan/forceComplete").status, 200);
  Reply done = get("/v1/plan/status");
  EXPECT_FALSE(done.json.contains("phase"));
  EXPECT_FALSE(done.json.contains("block"));
  EXPECT_EQ(done.json["plan"]["status"], "COMPLETE");
}

}  // namespace
}  // namespace keel::http::testing
