// /v1/pod/..., /v1/tasks/restart and /v1/tasks/connection over real HTTP,
// with the data-store's five tasks.
#include <string>
#include <vector>

#include "http/http_test_fixture.h"

namespace keel::http::testing {
namespace {

using nlohmann::ordered_json;

class PodRoutes : public HttpRoutesTest {};

TEST_F(PodRoutes, ListsPodInstancesSortedWithUnknownTasksLast) {
  onOwnerDo([&] {
    TaskView stray;
    stray.name = "stray";
    api_.taskViews.push_back(stray);
  });
  Reply r = get("/v1/pod");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json,
            ordered_json::parse(
                R"(["data-0","data-1","data-2","meta-data-0","meta-data-1","UNKNOWN_POD_stray"])"));
}

TEST_F(PodRoutes, ShowsEveryPodInstanceStatusGroupedByPodType) {
  onOwnerDo([&] { api_.taskViews[0].state.reset(); });  // meta-data-0-node: no status yet
  Reply r = get("/v1/pod/status");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json["service"], "data-store");
  ASSERT_EQ(r.json["pods"].size(), 2u);
  EXPECT_EQ(r.json["pods"][0]["name"], "data");
  EXPECT_EQ(r.json["pods"][1]["name"], "meta-data");
  ordered_json data = r.json["pods"][0]["instances"];
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(data[2]["name"], "data-2");
  ASSERT_EQ(data[2]["tasks"].size(), 1u);
  ordered_json task = data[2]["tasks"][0];
  EXPECT_EQ(task["name"], "data-2-node");
  EXPECT_EQ(task["status"], "RUNNING");
  EXPECT_TRUE(task["id"].get<std::string>().starts_with("data-2-node__"));
  ordered_json unstarted = r.json["pods"][1]["instances"][0]["tasks"][0];
  EXPECT_EQ(unstarted["name"], "meta-data-0-node");
  EXPECT_FALSE(unstarted.contains("status"));
}

TEST_F(PodRoutes, ShowsOnePodInstanceStatusAndInfo) {
  Reply status = get("/v1/pod/data-1/status");
  EXPECT_EQ(status.status, 200);
  EXPECT_EQ(status.json["name"], "data-1");
  EXPECT_EQ(status.json["tasks"][0]["name"], "data-1-node");

  Reply info = get("/v1/pod/data-1/info");
  EXPECT_EQ(info.status, 200);
  ASSERT_TRUE(info.json.is_array()) << info.body;
  ASSERT_EQ(info.json.size(), 1u);
  EXPECT_EQ(info.json[0]["info"]["name"], "data-1-node");
  EXPECT_EQ(info.json[0]["status"]["state"], "TASK_RUNNING");
}

TEST_F(PodRoutes, RestartsAndReplacesAPodInstance) {
  Reply restarted = post("/v1/pod/data-1/restart");
  EXPECT_EQ(restarted.status, 200);
  EXPECT_EQ(restarted.json, ordered_json::parse(R"({"pod":"data-1","tasks":["data-1-node"]})"));
  Reply replaced = post("/v1/pod/meta-data-0/replace");
  EXPECT_EQ(replaced.status, 200);
  EXPECT_EQ(replaced.json["pod"], "meta-data-0");
  auto calls = onOwner<std::vector<std::pair<std::string, bool>>>([&] { return api_.podRestarts; });
  EXPECT_EQ(calls,
            (std::vector<std::pair<std::string, bool>>{{"data-1", false}, {"meta-data-0", true}}));
}

TEST_F(PodRoutes, AnswersUnknownPodsWith404) {
  for (const char* path : {"/v1/pod/nope-0/status", "/v1/pod/nope-0/info"}) {
    Reply r = get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.json["message"], "Pod nope-0 not found") << path;
  }
  for (const char* path : {"/v1/pod/nope-0/restart", "/v1/pod/nope-0/replace"}) {
    Reply r = post(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.json["message"], "Pod nope-0 not found") << path;
  }
  EXPECT_TRUE(onOwner<bool>([&] { return api_.podRestarts.empty(); }));
}

TEST_F(PodRoutes, RestartsATaskInPlaceOrReplacesIt) {
  struct Row {
    std::string query;
    int status;
    std::optional<bool> replace;  // recorded restart, if any
  };
  std::vector<Row> rows = {
      {"?replace=true", 202, true}, {"?replace=false", 202, false},        {"", 202, false},
      {"?replace=TRUE", 202, true}, {"?replace=maybe", 400, std::nullopt},
  };
  for (const Row& row : rows) {
    onOwnerDo([&] { api_.taskRestarts.clear(); });
    Reply r = post("/v1/tasks/restart/data-0-node" + row.query);
    EXPECT_EQ(r.status, row.status) << row.query << ": " << r.body;
    EXPECT_TRUE(r.json.contains("message")) << r.body;
    auto calls =
        onOwner<std::vector<std::pair<std::string, bool>>>([&] { return api_.taskRestarts; });
    if (row.replace) {
      EXPECT_EQ(calls, (std::vector<std::pair<std::string, bool>>{{"data-0-node", *row.replace}}))
          << row.query;
    } else {
      EXPECT_TRUE(calls.empty()) << row.query;
    }
  }
  Reply unknown = post("/v1/tasks/restart/nope?replace=false");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json["message"], "Task nope not found");
}

TEST_F(PodRoutes, GivesATasksDnsNameAndPortsAsTheTutorialDoes) {
  Reply r = get("/v1/tasks/connection/data-0-node");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json,
            ordered_json::parse(R"({"dns":"data-0-node.data-store.keel.local","ports":"4388"})"));

  onOwnerDo([&] { api_.taskViews[3].ports = {{8080, 8080}, {2000, 3000}}; });
  std::string name = onOwner<std::string>([&] { return api_.taskViews[3].name; });
  EXPECT_EQ(get("/v1/tasks/connection/" + name).json["ports"], "8080,2000-3000");

  Reply unknown = get("/v1/tasks/connection/nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json["message"], "Task nope not found");
}

TEST_F(PodRoutes, ReportsAStateStoreFailureAs500WithTheReason) {
  onOwnerDo([&] { api_.tasksResult = Status::ioError("state.db: disk I/O error"); });
  for (const char* path :
       {"/v1/pod", "/v1/pod/status", "/v1/pod/data-0/info", "/v1/tasks/connection/data-0-node"}) {
    Reply r = get(path);
    EXPECT_EQ(r.status, 500) << path;
    EXPECT_EQ(r.json["message"], "state.db: disk I/O error") << path;
  }
}

}  // namespace
}  // namespace keel::http::testing
