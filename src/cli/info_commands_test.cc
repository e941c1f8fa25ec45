// `keel endpoints`, `keel state ...`, `keel config ...` and `keel debug
// offers` against a real ApiServer over the fake scheduler.
#include <string>

#include "cli/operator_test_fixture.h"

namespace keel::cli::testing {
namespace {

const std::string kConfigA = "6f1e0f6a-1b2c-4d3e-8f90-123456789abc";
const std::string kConfigB = "7a2e0f6a-1b2c-4d3e-8f90-123456789abc";

class InfoCommands : public OperatorTest {
 protected:
  void SetUp() override {
    OperatorTest::SetUp();
    onOwnerDo([this] {
      api_.ports.push_back({"http", "data-0-node", "10.0.0.5", 4388, "store", 80});
      api_.ports.push_back({"http", "data-1-node", "10.0.0.6", 4389, "", 0});
      api_.custom["notes"] = "plain words\n";
      api_.configurations[kConfigA] = R"({"name":"data-store","pods":[]})";
      api_.configurations[kConfigB] = R"({"name":"data-store","pods":[1]})";
      api_.target = kConfigB;
      api_.properties["suppressed"] = "true";
      api_.properties["last-completed-update-type"] = R"("DEPLOY")";
    });
  }
};

TEST_F(InfoCommands, EndpointsListsNamesAndShowsOnesAddresses) {
  Outcome names =
      run([](auto& o, auto& out, auto& err) { return runEndpoints(o, std::nullopt, out, err); });
  EXPECT_EQ(names.code, kExitOk) << names.err;
  EXPECT_EQ(names.out, "http\nnotes\n");
  Outcome http = run(
      [](auto& o, auto& out, auto& err) { return runEndpoints(o, std::string("http"), out, err); });
  EXPECT_EQ(http.code, kExitOk) << http.err;
  EXPECT_EQ(http.out,
            "address:\n  10.0.0.5:4388\n  10.0.0.6:4389\n"
            "dns:\n  data-0-node.data-store.keel.local:4388\n"
            "  data-1-node.data-store.keel.local:4389\n"
            "vip:\n  store.data-store.l4lb.keel.local:80\n");
}

TEST_F(InfoCommands, ACustomEndpointIsItsTextAndAnUnknownOneIsAnError) {
  Outcome notes = run([](auto& o, auto& out, auto& err) {
    return runEndpoints(o, std::string("notes"), out, err);
  });
  EXPECT_EQ(notes.code, kExitOk) << notes.err;
  EXPECT_EQ(notes.out, "plain words\n");
  Outcome unknown = run(
      [](auto& o, auto& out, auto& err) { return runEndpoints(o, std::string("nope"), out, err); });
  EXPECT_EQ(unknown.code, kExitInvalid);
  EXPECT_EQ(unknown.err, "keel: Endpoint nope not found\n");
}

TEST_F(InfoCommands, StateShowsTheFrameworkIdAndProperties) {
  Outcome id = run([](auto& o, auto& out, auto& err) { return runStateFrameworkId(o, out, err); });
  EXPECT_EQ(id.code, kExitOk) << id.err;
  EXPECT_EQ(id.out, "framework-1\n");
  Outcome keys = run(
      [](auto& o, auto& out, auto& err) { return runStateProperties(o, std::nullopt, out, err); });
  EXPECT_EQ(keys.out, "last-completed-update-type\nsuppressed\n");
  Outcome value = run([](auto& o, auto& out, auto& err) {
    return runStateProperties(o, std::string("last-completed-update-type"), out, err);
  });
  EXPECT_EQ(value.code, kExitOk) << value.err;
  EXPECT_EQ(value.out, "DEPLOY\n");
}

TEST_F(InfoCommands, ConfigListMarksTheTargetAndShowIndents) {
  Outcome list = run([](auto& o, auto& out, auto& err) { return runConfigList(o, out, err); });
  EXPECT_EQ(list.code, kExitOk) << list.err;
  EXPECT_EQ(list.out, kConfigA + "\n" + kConfigB + "  (target)\n");
  Outcome show =
      run([](auto& o, auto& out, auto& err) { return runConfigShow(o, kConfigA, out, err); });
  EXPECT_EQ(show.out, "{\n  \"name\": \"data-store\",\n  \"pods\": []\n}\n");
  Outcome target = run([](auto& o, auto& out, auto& err) { return runConfigTarget(o, out, err); });
  EXPECT_NE(target.out.find("\"pods\": [\n    1\n  ]"), std::string::npos) << target.out;
  Outcome bad =
      run([](auto& o, auto& out, auto& err) { return runConfigShow(o, "not-a-uuid", out, err); });
  EXPECT_EQ(bad.code, kExitInvalid);
  EXPECT_EQ(bad.err, "keel: Configuration id not-a-uuid is not a UUID\n");
}

TEST_F(InfoCommands, DebugOffersSummarisesOutcomesAndPassesTheFilter) {
  onOwnerDo([this] {
    api_.offers = R"({"acceptedCount":1,"rejectedCount":5,)"
                  R"("failureReasons":{"PlacementStage":1,"ResourceStage":4},)"
                  R"("rejectedAgents":{"a1":5},"outcomes":[)"
                  R"({"timestamp":1,"podInstanceName":"data-1","tasks":["node"],"pass":false,)"
                  R"("offerId":"o1","agentId":"a1","hostname":"h1","outcomeDetails":[)"
                  R"("PASS(PlacementStage): fits","FAIL(ResourceStage): cpus 0.5 > 0.1"]},)"
                  R"({"timestamp":2,"podInstanceName":"data-1","tasks":["node"],"pass":true,)"
                  R"("offerId":"o2","agentId":"a2","hostname":"h2","outcomeDetails":[]}]})";
  });
  OfferQuery query{"deploy", "data", "data-1:[node]"};
  Outcome r =
      run([&](auto& o, auto& out, auto& err) { return runDebugOffers(o, query, out, err); });
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "offers evaluated: 1 accepted, 5 rejected\n"
            "rejections by failing stage:\n  4  ResourceStage\n  1  PlacementStage\n"
            "rejections by agent:\n  5  a1\n"
            "recent outcomes (oldest first):\n"
            "  FAIL data-1 [node] on h1 (agent a1), offer o1\n"
            "       FAIL(ResourceStage): cpus 0.5 > 0.1\n"
            "  PASS data-1 [node] on h2 (agent a2), offer o2\n");
  auto filter = onOwner<http::OfferFilter>([this] { return *api_.lastOfferFilter; });
  EXPECT_EQ(filter.plan, "deploy");
  EXPECT_EQ(filter.step, "data-1:[node]");
}

}  // namespace
}  // namespace keel::cli::testing
