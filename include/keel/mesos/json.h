// JSON for the Mesos v1 wire types, as Mesos' stout maps protobuf to JSON
// (reference section 2): proto snake_case keys in declaration order, enums as
// names, bytes as padded standard base64, doubles always with a fraction
// (±infinity as "Infinity"/"-Infinity"), int64 as numbers.
//
// Encoding writes exactly what is set: optional members when present,
// required members always, repeated members when non-empty — except the lists
// whose emptiness means something, which are always written:
// accept.offer_ids, decline.offer_ids, (accept|decline)_inverse_offers.
// inverse_offer_ids, reconcile.tasks ("tasks":[] = implicit reconciliation)
// and reconcile_operations.operations. Unmodelled keys kept in a struct's
// `unknown` are written back after the modelled ones.
//
// Decoding accepts what the master accepts: unknown keys are ignored (and kept
// in `unknown` where the struct has one), null = unset, a single value where a
// list is expected, numbers and booleans as strings, "Infinity"; an unknown
// name for an optional enum leaves it unset, for a required one it is an
// error; an enum given as a number is an error. A missing required field is an
// error. Decoding does not validate semantics (that is the master's job).
//
// Errors are InvalidArgument, rendered in one of two styles:
//   kKeel:  "accept.operations[0].reserve.resources[1].scalar.value: expected
//            a number, found \"abc\"" / "missing required fields:
//            acknowledge.agent_id, acknowledge.uuid" / "invalid JSON: ..."
//   kMesos: the body of the real master's 400 answer, e.g.
//            "Failed to convert JSON into Call protobuf: Not expecting a JSON
//            string for field 'value'", "Failed to convert JSON into Call
//            protobuf: Missing required fields: acknowledge.agent_id,
//            acknowledge.uuid", "Failed to parse body into JSON: syntax error
//            at line 1 near: ". The local cluster answers 400 with it.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "keel/mesos/scheduler.h"
#include "keel/result.h"

namespace keel::mesos {

enum class ErrorStyle { kKeel, kMesos };

// Compact JSON.
std::string toJson(const Call& call);
std::string toJson(const Event& event);

Result<Call> callFromJson(std::string_view json, ErrorStyle style = ErrorStyle::kKeel);
Result<Event> eventFromJson(std::string_view json, ErrorStyle style = ErrorStyle::kKeel);

// The same for the messages others store or exchange on their own. Defined
// for Call, Event, FrameworkInfo, MasterInfo, Resource, Offer, OfferOperation,
// Filters, OperationStatus, TaskInfo, TaskGroupInfo, ExecutorInfo,
// CommandInfo, ContainerInfo, Volume, HealthCheck, CheckInfo, KillPolicy,
// Labels, TaskStatus, CheckStatusInfo, ContainerStatus (another T fails to
// link). kMesos errors read "Failed to convert JSON into <Type> protobuf: ...".
template <typename T>
std::string encodeJson(const T& message);
template <typename T>
Result<T> decodeJson(std::string_view json, ErrorStyle style = ErrorStyle::kKeel);

}  // namespace keel::mesos
