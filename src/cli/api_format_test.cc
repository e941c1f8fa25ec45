// The renderings for people take whatever JSON comes: missing fields and
// fields of another type are shown empty, never an error.
#include "cli/api_format.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace keel::cli {
namespace {

template <typename Fn>
std::string render(Fn fn) {
  std::ostringstream out;
  fn(out);
  return out.str();
}

TEST(ApiFormat, OddJsonIsRenderedNotThrown) {
  for (const char* text : {"null", "[]", "{}", "3", "\"text\"", R"({"phases":7,"errors":{}})",
                           R"({"pods":[{"instances":[{"tasks":[1,null]}]}]})",
                           R"([{"info":3,"status":[]}])", R"({"outcomes":[null,{"pass":1}]})"}) {
    ordered_json j = ordered_json::parse(text);
    EXPECT_NO_THROW({
      render([&](std::ostream& o) { formatPlanTree("deploy", j, o); });
      render([&](std::ostream& o) { formatPodStatuses(j, o); });
      render([&](std::ostream& o) { formatPodStatus(j, o); });
      render([&](std::ostream& o) { formatPodInfo(j, o); });
      render([&](std::ostream& o) { formatPodRestart(j, true, o); });
      render([&](std::ostream& o) { formatEndpoint(j, o); });
      render([&](std::ostream& o) { formatOfferOutcomes(j, o); });
      render([&](std::ostream& o) { formatLines(j, o); });
    }) << text;
  }
}

TEST(ApiFormat, ATaskWithoutAStatusYetSaysSo) {
  ordered_json pod =
      ordered_json::parse(R"({"name":"data-0","tasks":[{"id":"","name":"data-0-node"}]})");
  EXPECT_EQ(render([&](std::ostream& o) { formatPodStatus(pod, o); }),
            "data-0\n└─ data-0-node (no status yet)\n");
}

TEST(ApiFormat, OffersFromAnOlderSchedulerAreUnderOffers) {
  ordered_json body = ordered_json::parse(
      R"({"acceptedCount":0,"rejectedCount":1,"offers":[{"podInstanceName":"data-0","pass":false,)"
      R"("hostname":"h","agentId":"a","offerId":"o","outcomeDetails":["FAIL(PortsStage): 80"]}]})");
  std::string out = render([&](std::ostream& o) { formatOfferOutcomes(body, o); });
  EXPECT_NE(out.find("FAIL data-0 on h (agent a), offer o\n       FAIL(PortsStage): 80\n"),
            std::string::npos)
      << out;
}

TEST(ApiFormat, TextOfShowsStringsAsIsAndScalarsAsJson) {
  ordered_json j = ordered_json::parse(R"({"s":"x","n":3,"b":true,"a":[1],"o":{},"z":null})");
  EXPECT_EQ(textOf(j, "s"), "x");
  EXPECT_EQ(textOf(j, "n"), "3");
  EXPECT_EQ(textOf(j, "b"), "true");
  EXPECT_EQ(textOf(j, "a"), "");
  EXPECT_EQ(textOf(j, "o"), "");
  EXPECT_EQ(textOf(j, "z"), "");
  EXPECT_EQ(textOf(j, "missing"), "");
}

}  // namespace
}  // namespace keel::cli
