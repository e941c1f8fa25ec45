// Conformance against bodies recorded from a real Mesos 1.12 master
// (shared/fixtures/mesos-v1): every event and every request decodes into
// keel's types and re-encodes to the same JSON; the requests the master
// refused at conversion fail here with the master's own 400 text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cluster/mesos/json_test_util.h"
#include "keel/mesos/json.h"

namespace keel::mesos {
namespace {

using testing::Compare;
using testing::fixtureNames;
using testing::jsonDifference;
using testing::readFixture;

// The body of a recorded "*.response.txt": what follows the blank line.
std::string responseBody(const std::string& name) {
  std::string text = readFixture(name);
  size_t blank = text.find("\r\n\r\n");
  if (blank != std::string::npos) return text.substr(blank + 4);
  blank = text.find("\n\n");
  return blank == std::string::npos ? "" : text.substr(blank + 2);
}

bool isRequestFixture(const std::string& name) {
  return name.rfind("event-", 0) != 0 && name.rfind("err-", 0) != 0;
}

TEST(MesosConformance, TheFixturesAreThere) {
  EXPECT_GE(fixtureNames("event-", ".json").size(), 26u);
  EXPECT_GE(fixtureNames("", ".json").size(), 57u);
}

TEST(MesosConformance, EveryRecordedEventDecodesAndReencodesToTheSameJson) {
  for (const std::string& name : fixtureNames("event-", ".json")) {
    SCOPED_TRACE(name);
    std::string text = readFixture(name);
    Result<Event> event = eventFromJson(text);
    ASSERT_TRUE(event.has_value()) << event.error();
    ASSERT_TRUE(event->type.has_value());
    std::string difference = jsonDifference(
        nlohmann::json::parse(text), nlohmann::json::parse(toJson(*event)), Compare::kValues);
    EXPECT_EQ(difference, "");
  }
}

TEST(MesosConformance, EveryRecordedEventDecodesInMesosStyleToo) {
  for (const std::string& name : fixtureNames("event-", ".json")) {
    SCOPED_TRACE(name);
    Result<Event> event = eventFromJson(readFixture(name), ErrorStyle::kMesos);
    EXPECT_TRUE(event.has_value()) << event.error();
  }
}

TEST(MesosConformance, EveryRecordedRequestDecodesAndReencodesToTheSameJson) {
  int checked = 0;
  for (const std::string& name : fixtureNames("", ".json")) {
    if (!isRequestFixture(name)) continue;
    SCOPED_TRACE(name);
    std::string text = readFixture(name);
    Result<Call> call = callFromJson(text);
    ASSERT_TRUE(call.has_value()) << call.error();
    ASSERT_TRUE(call->type.has_value());
    std::string difference = jsonDifference(nlohmann::json::parse(text),
                                            nlohmann::json::parse(toJson(*call)), Compare::kValues);
    EXPECT_EQ(difference, "");
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

// err-* requests: those the master refused while converting JSON into a Call
// fail here with the same body; the others (refused for HTTP-level reasons:
// headers, unknown framework) are well-formed Calls.
TEST(MesosConformance, BrokenRequestsFailWithTheMastersOwnMessage) {
  int failing = 0;
  for (const std::string& name : fixtureNames("err-", ".json")) {
    SCOPED_TRACE(name);
    std::string base = name.substr(0, name.size() - 5);
    std::string expected = responseBody(base + ".response.txt");
    Result<Call> call = callFromJson(readFixture(name), ErrorStyle::kMesos);
    bool conversionError = expected.rfind("Failed to parse body into JSON", 0) == 0 ||
                           expected.rfind("Failed to convert JSON into Call", 0) == 0;
    if (!conversionError) {
      EXPECT_TRUE(call.has_value()) << call.error();
      continue;
    }
    ++failing;
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().message(), expected);
    EXPECT_EQ(call.error().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(failing, 4);
}

TEST(MesosConformance, BrokenRequestsNameTheJsonPathInKeelStyle) {
  struct Case {
    std::string fixture;
    std::string message;
  };
  const Case cases[] = {
      {"err-enum-as-number.json", "type: expected an enum name (a string), found 5"},
      {"err-limits-bare-number.json",
       "accept.operations[0].launch.task_infos[0].limits.cpus: expected an object, found "
       "\"Infinity\""},
      {"err-missing-required.json",
       "missing required fields: acknowledge.agent_id, acknowledge.uuid"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fixture);
    Result<Call> call = callFromJson(readFixture(c.fixture));
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().message(), c.message);
  }
}

TEST(MesosConformance, TheUnknownTopLevelKeyIsKeptButDoesNotChangeTheCall) {
  Result<Call> call = callFromJson(readFixture("unknown-field-ignored.json"));
  ASSERT_TRUE(call.has_value()) << call.error();
  EXPECT_EQ(call->type, Call::Type::kDecline);
  ASSERT_TRUE(call->decline.has_value());
  EXPECT_TRUE(call->decline->offerIds.empty());
  EXPECT_EQ(call->unknown.text, R"({"junk_field":1})");
}

}  // namespace
}  // namespace keel::mesos
