// Every call keel builds has the shape of the recorded request of the same
// type: built from the recorded values (ids, resources, statuses taken from
// the recorded events), it matches key for key and type for type — and here
// value for value as well.
#include "keel/mesos/calls.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "cluster/mesos/json_test_util.h"
#include "keel/check.h"
#include "keel/mesos/json.h"
#include "keel/mesos/resources.h"

namespace keel::mesos {
namespace {

using testing::Compare;
using testing::jsonDifference;
using testing::readFixture;

const FrameworkID kFramework{"79047ba7-2a31-4224-9278-d451e3538a71-0000"};
const std::string kRole = "hello-world-role";
const std::string kPrincipal = "hello-world-principal";

Call recordedCall(const std::string& name) {
  Result<Call> call = callFromJson(readFixture(name));
  KEEL_CHECK(call.has_value());
  return *call;
}

TaskStatus recordedStatus(const std::string& name) {
  Result<Event> event = eventFromJson(readFixture(name));
  KEEL_CHECK(event.has_value() && event->update.has_value());
  return event->update->status;
}

Labels resourceIdLabel(const std::string& id) { return Labels{{Label{"resource_id", id}}}; }

Resource reserved(std::string name, double amount, const std::string& resourceId) {
  return withDynamicReservation(allocatedTo(scalarResource(std::move(name), amount), kRole), kRole,
                                kPrincipal, resourceIdLabel(resourceId));
}

const std::string kCpusId = "f5bcb470-c1d8-42fc-b546-9b3d98d37fdb";
const std::string kMemId = "f5f4f7e7-8f4b-4714-bb89-99a485844bd6";
const std::string kVolumeDiskId = "29aa834e-4353-4df5-b316-960be69a80e4";
const std::string kDiskId = "76917a9f-b7bd-40dc-88ee-834b1b90ff28";
const std::string kPersistenceId = "383df91b-e1fa-4a11-965c-fbfce2a9f6e3";

Resource volume() {
  return persistentVolume(reserved("disk", 64, kVolumeDiskId), kPersistenceId, kPrincipal, "data");
}

Call buildReserveCreateLaunch() {
  Call recorded = recordedCall("accept-reserve-create-launch.json");
  std::vector<Resource> reservations = {
      reserved("cpus", 0.5, kCpusId), reserved("mem", 128, kMemId),
      reserved("disk", 64, kVolumeDiskId), reserved("disk", 32, kDiskId)};
  return makeAccept(kFramework, recorded.accept->offerIds,
                    {makeReserve(reservations, OperationID{"reserve-383df91b"}),
                     makeCreate({volume()}, OperationID{"create-383df91b"}),
                     makeLaunch(recorded.accept->operations[2].launch->taskInfos)},
                    refuseFor(2));
}

Call buildDestroyUnreserve() {
  std::vector<Resource> unreserve = {reserved("cpus", 0.5, kCpusId), reserved("mem", 128, kMemId),
                                     reserved("disk", 32, kDiskId), withoutPersistence(volume())};
  return makeAccept(kFramework, {OfferID{"79047ba7-2a31-4224-9278-d451e3538a71-O5"}},
                    {makeDestroy({volume()}, OperationID{"destroy-383df91b"}),
                     makeUnreserve(unreserve, OperationID{"unreserve-383df91b"})},
                    refuseFor(1));
}

Call buildLaunchGroup() {
  Call recorded = recordedCall("accept-launch-group.json");
  const OfferOperation::LaunchGroup& group = *recorded.accept->operations[0].launchGroup;
  return makeAccept(kFramework, recorded.accept->offerIds,
                    {makeLaunchGroup(group.executor, group.taskGroup)}, refuseFor(1));
}

Call buildAcknowledge(const std::string& event) {
  Result<Call> call = makeAcknowledge(kFramework, recordedStatus(event));
  KEEL_CHECK(call.has_value());
  return *call;
}

Call buildAcknowledgeOperation() {
  Result<Event> event = eventFromJson(readFixture("event-update-operation-status-reserve.json"));
  KEEL_CHECK(event.has_value());
  Result<Call> call =
      makeAcknowledgeOperationStatus(kFramework, event->updateOperationStatus->status);
  KEEL_CHECK(call.has_value());
  return *call;
}

TEST(MesosCallBuilders, BuildTheRecordedRequestsFromTheRecordedValues) {
  const TaskID task{"hello-0-server__adf640a3-ba86-42b5-afbd-75ec3e44cfa9"};
  const AgentID agent{"79047ba7-2a31-4224-9278-d451e3538a71-S0"};
  struct Case {
    std::string fixture;
    std::function<Call()> build;
  };
  const Case cases[] = {
      {"subscribe-request.json",
       [] {
         return makeSubscribe(recordedCall("subscribe-request.json").subscribe->frameworkInfo);
       }},
      {"subscribe-removed-framework.json",
       [] {
         return makeSubscribe(
             recordedCall("subscribe-removed-framework.json").subscribe->frameworkInfo);
       }},
      {"accept-reserve-create-launch.json", buildReserveCreateLaunch},
      {"accept-launch-group.json", buildLaunchGroup},
      {"accept-destroy-unreserve.json", buildDestroyUnreserve},
      {"decline.json",
       [] {
         return makeDecline(kFramework, {OfferID{"79047ba7-2a31-4224-9278-d451e3538a71-O6"}},
                            refuseFor(5));
       }},
      {"revive.json", [&] { return makeRevive(kFramework, {kRole}); }},
      {"suppress.json", [&] { return makeSuppress(kFramework, {kRole}); }},
      {"kill.json",
       [&] { return makeKill(kFramework, task, agent, killPolicyWithGrace(2'000'000'000)); }},
      {"acknowledge-starting.json", [] { return buildAcknowledge("event-update-starting.json"); }},
      {"acknowledge-running.json", [] { return buildAcknowledge("event-update-running.json"); }},
      {"acknowledge-killed.json", [] { return buildAcknowledge("event-update-killed.json"); }},
      {"acknowledge-operation-status.json", buildAcknowledgeOperation},
      {"reconcile-implicit.json", [] { return makeReconcile(kFramework); }},
      {"reconcile-explicit.json",
       [&] {
         return makeReconcile(kFramework, {{task, agent}, {TaskID{"unknown-task"}, std::nullopt}});
       }},
      {"reconcile-operations.json", [] { return makeReconcileOperations(kFramework); }},
      {"teardown.json", [] { return makeTeardown(kFramework); }},
      {"update-framework.json",
       [] {
         return makeUpdateFramework(
             recordedCall("update-framework.json").updateFramework->frameworkInfo, {"other-role"});
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fixture);
    nlohmann::json recorded = nlohmann::json::parse(readFixture(c.fixture));
    nlohmann::json built = nlohmann::json::parse(toJson(c.build()));
    EXPECT_EQ(jsonDifference(recorded, built, Compare::kShape), "");
    EXPECT_EQ(jsonDifference(recorded, built, Compare::kValues), "");
  }
}

TEST(MesosCallBuilders, ResubscriptionPutsTheFrameworkIdInBothPlaces) {
  FrameworkInfo info;
  info.user = "root";
  info.name = "hello-world";
  EXPECT_FALSE(makeSubscribe(info).frameworkId.has_value());
  info.id = kFramework;
  Call call = makeSubscribe(info);
  EXPECT_EQ(call.frameworkId, kFramework);
  EXPECT_EQ(call.subscribe->frameworkInfo.id, kFramework);
}

TEST(MesosCallBuilders, RefuseToAcknowledgeAStatusWithoutUuid) {
  Result<Call> ack =
      makeAcknowledge(kFramework, recordedStatus("event-update-reconciliation-running.json"));
  ASSERT_FALSE(ack.has_value());
  EXPECT_NE(ack.error().message().find("no uuid"), std::string::npos);
  OperationStatus status;
  EXPECT_FALSE(makeAcknowledgeOperationStatus(kFramework, status).has_value());
}

}  // namespace
}  // namespace keel::mesos
