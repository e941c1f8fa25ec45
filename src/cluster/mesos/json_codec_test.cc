// The JSON mapping rules of reference section 2, one table row per rule.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>

#include "cluster/mesos/base64.h"
#include "cluster/mesos/json_test_util.h"
#include "keel/mesos/json.h"

namespace keel::mesos {
namespace {

using testing::readFixture;

TEST(MesosJson, DecodesTheRecordedOfferIntoTypedFields) {
  Result<Event> event = eventFromJson(readFixture("event-offers-reserved-volume.json"));
  ASSERT_TRUE(event.has_value()) << event.error();
  const Offer& offer = event->offers->offers.at(0);
  EXPECT_EQ(offer.agentId.value, "79047ba7-2a31-4224-9278-d451e3538a71-S0");
  EXPECT_EQ(offer.url->address.port, 5051);
  EXPECT_EQ(offer.allocationInfo->role, "hello-world-role");
  EXPECT_EQ(offer.attributes.at(0).text->value, "r1");
  ASSERT_EQ(offer.resources.size(), 8u);
  EXPECT_EQ(offer.resources[0].ranges->range.at(0).end, 31100u);
  const Resource& volume = offer.resources[4];
  EXPECT_EQ(volume.disk->persistence->id, "383df91b-e1fa-4a11-965c-fbfce2a9f6e3");
  EXPECT_EQ(volume.disk->volume->mode, Volume::Mode::kRw);
  EXPECT_EQ(volume.reservations.at(0).type, Resource::ReservationInfo::Type::kDynamic);
  for (const Resource& r : offer.resources) EXPECT_TRUE(r.unknown.empty()) << r.name;
  EXPECT_TRUE(offer.unknown.empty());
}

TEST(MesosJson, DecodesTheRecordedStatusIntoTypedFields) {
  Result<Event> event = eventFromJson(readFixture("event-update-group-check-status.json"));
  ASSERT_TRUE(event.has_value()) << event.error();
  const TaskStatus& status = event->update->status;
  EXPECT_EQ(status.state, TaskState::kTaskRunning);
  EXPECT_EQ(status.source, TaskStatus::Source::kSourceExecutor);
  EXPECT_EQ(status.reason, TaskStatus::Reason::kReasonTaskCheckStatusUpdated);
  EXPECT_EQ(status.uuid->value.size(), 16u);
  EXPECT_EQ(status.checkStatus->command->exitCode, 0);
  EXPECT_EQ(status.containerStatus->containerId->ancestors,
            std::vector<std::string>{"8774ea68-3c12-46e6-b1a3-e429fa0566df"});
  EXPECT_TRUE(status.unknown.empty());
}

TEST(MesosJson, WritesDoublesWithAFractionAndInfinityAsAString) {
  TaskInfo task;
  task.limits["cpus"] = Value::Scalar{std::numeric_limits<double>::infinity()};
  task.limits["mem"] = Value::Scalar{512};
  std::string json = encodeJson(task);
  EXPECT_NE(json.find(R"("limits":{"cpus":{"value":"Infinity"},"mem":{"value":512.0}})"),
            std::string::npos)
      << json;
  Result<TaskInfo> back = decodeJson<TaskInfo>(json);
  ASSERT_TRUE(back.has_value()) << back.error();  // required members are always written
  EXPECT_EQ(*back, task);
  Result<TaskInfo> bare = decodeJson<TaskInfo>("{}");
  ASSERT_FALSE(bare.has_value());
  EXPECT_EQ(bare.error().message(), "missing required fields: name, task_id, agent_id");
}

TEST(MesosJson, AcceptsWhatTheMasterAcceptsOnInput) {
  struct Case {
    std::string name;
    std::string json;
    std::function<void(const Resource&)> check;
  };
  const Case cases[] = {
      {"a number as a string", R"({"name":"cpus","type":"SCALAR","scalar":{"value":"1.5"}})",
       [](const Resource& r) { EXPECT_EQ(r.scalar->value, 1.5); }},
      {"Infinity", R"({"name":"cpus","type":"SCALAR","scalar":{"value":"-Infinity"}})",
       [](const Resource& r) { EXPECT_TRUE(std::isinf(r.scalar->value)); }},
      {"an integer as a string",
       R"({"name":"ports","type":"RANGES","ranges":{"range":{"begin":"1","end":2}}})",
       [](const Resource& r) { EXPECT_EQ(r.ranges->range.at(0).begin, 1u); }},
      {"a single value for a list",
       R"({"name":"r","type":"SET","set":{"item":"a"},"reservations":{"role":"x"}})",
       [](const Resource& r) {
         EXPECT_EQ(r.set->item, std::vector<std::string>{"a"});
         EXPECT_EQ(r.reservations.at(0).role, "x");
       }},
      {"null as unset", R"({"name":"cpus","type":"SCALAR","role":null})",
       [](const Resource& r) { EXPECT_FALSE(r.role.has_value()); }},
      {"an unknown name for an optional enum",
       R"({"name":"d","type":"SCALAR","reservations":[{"type":"FANCY","role":"x"}]})",
       [](const Resource& r) { EXPECT_FALSE(r.reservations.at(0).type.has_value()); }},
      {"an unknown key, kept", R"({"name":"cpus","type":"SCALAR","shared":{}})",
       [](const Resource& r) { EXPECT_EQ(r.unknown.text, R"({"shared":{}})"); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<Resource> r = decodeJson<Resource>(c.json);
    ASSERT_TRUE(r.has_value()) << r.error();
    c.check(*r);
  }
}

TEST(MesosJson, RefusesWhatTheMasterRefusesWithBothMessageStyles) {
  struct Case {
    std::string name;
    std::string json;
    std::string keel;
    std::string mesos;
  };
  const std::string prefix = "Failed to convert JSON into Call protobuf: ";
  const Case cases[] = {
      {"a word for a number",
       R"({"type":"ACCEPT","accept":{"operations":[{"type":"RESERVE","reserve":{"resources":[)"
       R"({"name":"a","type":"SCALAR","scalar":{"value":1}},)"
       R"({"name":"b","type":"SCALAR","scalar":{"value":"abc"}}]}}]}})",
       "accept.operations[0].reserve.resources[1].scalar.value: expected a number, found \"abc\"",
       prefix + "Failed to parse 'abc' as a JSON number for field 'value': syntax error at line 1 "
                "near: abc"},
      {"an unknown name for a required enum",
       R"({"type":"ACCEPT","accept":{"operations":[{"launch":{"task_infos":[{"name":"t",)"
       R"("task_id":{"value":"t"},"agent_id":{"value":"a"},"container":{"type":"RKT"}}]}}]}})",
       "accept.operations[0].launch.task_infos[0].container.type: expected a known enum name, "
       "found \"RKT\"",
       prefix + "Failed to find enum for 'RKT'"},
      {"bad base64",
       R"({"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":"a*=="}})",
       "acknowledge.uuid: expected padded standard base64, found \"a*==\"",
       prefix + "Failed to base64 decode bytes field 'uuid': Malformed base64 encoded string"},
      {"an object for a string", R"({"type":"REVIVE","revive":{"roles":[{}]}})",
       "revive.roles[0]: expected a string, found an object",
       prefix + "Not expecting a JSON object for field 'roles'"},
      {"the first failing key in sorted order wins",
       R"({"type":"KILL","kill":{"task_id":{"value":1},"agent_id":{"value":2}}})",
       "kill.agent_id.value: expected a string, found 2",
       prefix + "Not expecting a JSON number for field 'value'"},
      {"an array at the top", "[]", "expected a JSON object, found an array",
       prefix + "Expecting a JSON object"},
      {"a missing subscribe framework_info", R"({"type":"SUBSCRIBE","subscribe":{}})",
       "missing required fields: subscribe.framework_info",
       prefix + "Missing required fields: subscribe.framework_info"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<Call> keel = callFromJson(c.json);
    ASSERT_FALSE(keel.has_value());
    EXPECT_EQ(keel.error().message(), c.keel);
    Result<Call> mesos = callFromJson(c.json, ErrorStyle::kMesos);
    ASSERT_FALSE(mesos.has_value());
    EXPECT_EQ(mesos.error().message(), c.mesos);
  }
}

TEST(MesosJson, WritesEmptyListsOnlyWhereTheyMeanSomething) {
  Call call;
  call.type = Call::Type::kReconcile;
  call.reconcile = Call::Reconcile{};
  EXPECT_EQ(toJson(call), R"({"type":"RECONCILE","reconcile":{"tasks":[]}})");
  call = Call{};
  call.type = Call::Type::kRevive;
  call.revive = Call::Revive{};
  EXPECT_EQ(toJson(call), R"({"type":"REVIVE","revive":{}})");
}

TEST(MesosJson, KeepsUnmodelledFieldsThroughARoundTrip) {
  const std::string json =
      R"({"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n",)"
      R"("offer_filters":{"r":{"min_allocatable_resources":{}}}},)"
      R"("offer_constraints":{"role_constraints":{}}}})";
  Result<Call> call = callFromJson(json);
  ASSERT_TRUE(call.has_value()) << call.error();
  EXPECT_EQ(nlohmann::json::parse(toJson(*call)), nlohmann::json::parse(json));
}

TEST(MesosBase64, RoundTripsEveryLengthAndRejectsMalformedText) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    bytes += static_cast<char>(i * 37);
    std::string text = detail::base64Encode(bytes);
    EXPECT_EQ(text.size() % 4, 0u);
    EXPECT_EQ(detail::base64Decode(text), bytes);
  }
  EXPECT_EQ(detail::base64Encode("hello"), "aGVsbG8=");
  for (const char* bad : {"aGVsbG8", "aGV*bG8=", "a===", "=aGV"}) {
    EXPECT_FALSE(detail::base64Decode(bad).has_value()) << bad;
  }
}

TEST(MesosEnums, NameEveryValueAndParseTheNamesBack) {
  EXPECT_EQ(enumName(TaskState::kTaskGoneByOperator), "TASK_GONE_BY_OPERATOR");
  EXPECT_EQ(enumName(NetworkInfo::Protocol::kIPv4), "IPv4");
  EXPECT_EQ(enumFromName<Call::Type>("ACKNOWLEDGE_OPERATION_STATUS"),
            Call::Type::kAcknowledgeOperationStatus);
  EXPECT_EQ(enumFromName<TaskState>("5"), std::nullopt);
  for (int s = 0; s <= 13; ++s) {
    auto state = static_cast<TaskState>(s);
    EXPECT_EQ(enumFromName<TaskState>(enumName(state)), state);
  }
  EXPECT_TRUE(isTerminal(TaskState::kTaskKilled));
  EXPECT_FALSE(isTerminal(TaskState::kTaskKilling));
}

}  // namespace
}  // namespace keel::mesos
