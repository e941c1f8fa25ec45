// Mesos v1 wire types (keel::mesos): the small building blocks shared by the
// other headers in include/keel/mesos/ — ids, labels, Value types, attributes,
// durations, addresses, bytes, and the holder for JSON keel does not model.
//
// Conventions for every struct in include/keel/mesos/ (plain C++, no protobuf):
// - Struct and nested-struct names follow mesos.proto / scheduler.proto
//   (Resource::ReservationInfo, Call::Accept). Offer.Operation is the
//   namespace-level OfferOperation (alias Offer::Operation).
// - A member is the lowerCamelCase of the proto field name (framework_id ->
//   frameworkId, task_infos -> taskInfos); the JSON key is always the proto
//   snake_case name (see keel/mesos/json.h).
// - proto `optional` fields are std::optional (set = present on the wire);
//   `required` fields are plain members, always written; `repeated` fields are
//   std::vector (empty = absent, see json.h for the few always written);
//   `map<string, M>` is std::map.
// - Enumerators are "k" + CamelCase of the proto value name, mechanically:
//   TASK_RUNNING -> kTaskRunning, REASON_RECONCILIATION -> kReasonReconciliation,
//   SCALAR -> kScalar, IPv4 -> kIPv4, RLMT_NOFILE -> kRlmtNofile. Their numeric
//   values are the proto numbers. enumName()/enumFromName() give the wire names.
// - Fields keel does not model are not lost: a struct with a `RawJson unknown`
//   member keeps every JSON key it does not model (the compact JSON text of an
//   object holding those keys), and the encoder writes them back after the
//   modelled keys. A decoded-then-encoded message equals the original JSON
//   (as a JSON value; key order of unmodelled keys relative to modelled ones
//   may differ).
//
// Thread-safety: plain values.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::mesos {

// JSON text keel keeps without modelling. As a struct's `unknown` member: the
// compact text of an object with the unmodelled keys, "" when there are none.
// As an ordinary field (e.g. Event::InverseOffers): the field's JSON value.
struct RawJson {
  std::string text;

  bool empty() const { return text.empty(); }
  bool operator==(const RawJson&) const = default;
};

// A proto `bytes` field: raw bytes in memory, standard base64 with padding on
// the wire.
struct Bytes {
  std::string value;

  bool operator==(const Bytes&) const = default;
};

// The `{"value": "..."}` id messages, as distinct types so that a TaskID cannot
// be passed where an AgentID is expected.
template <typename Tag>
struct Id {
  std::string value;

  auto operator<=>(const Id&) const = default;
  bool operator==(const Id&) const = default;
};

using FrameworkID = Id<struct FrameworkIdTag>;
using AgentID = Id<struct AgentIdTag>;
using OfferID = Id<struct OfferIdTag>;
using TaskID = Id<struct TaskIdTag>;
using ExecutorID = Id<struct ExecutorIdTag>;
using OperationID = Id<struct OperationIdTag>;
using ResourceProviderID = Id<struct ResourceProviderIdTag>;

// mesos.v1.UUID: a message wrapping bytes (OperationStatus.uuid), unlike
// TaskStatus.uuid which is bare bytes.
struct UUID {
  Bytes value;  // required

  bool operator==(const UUID&) const = default;
};

struct Label {
  std::string key;  // required
  std::optional<std::string> value;

  bool operator==(const Label&) const = default;
};

struct Labels {
  std::vector<Label> labels;

  bool operator==(const Labels&) const = default;
};

// mesos.v1.DurationInfo / TimeInfo.
struct DurationInfo {
  int64_t nanoseconds = 0;  // required

  bool operator==(const DurationInfo&) const = default;
};

// mesos.v1.Value and its parts.
struct Value {
  enum class Type { kScalar = 0, kRanges = 1, kSet = 2, kText = 3 };

  struct Scalar {
    double value = 0;  // required; ±infinity is "Infinity"/"-Infinity" on the wire

    bool operator==(const Scalar&) const = default;
  };
  struct Range {
    uint64_t begin = 0;  // required
    uint64_t end = 0;    // required, inclusive

    bool operator==(const Range&) const = default;
  };
  struct Ranges {
    std::vector<Range> range;

    bool operator==(const Ranges&) const = default;
  };
  struct Set {
    std::vector<std::string> item;

    bool operator==(const Set&) const = default;
  };
  struct Text {
    std::string value;  // required

    bool operator==(const Text&) const = default;
  };
};

struct Attribute {
  std::string name;                       // required
  Value::Type type = Value::Type::kText;  // required
  std::optional<Value::Scalar> scalar;
  std::optional<Value::Ranges> ranges;
  std::optional<Value::Set> set;
  std::optional<Value::Text> text;

  bool operator==(const Attribute&) const = default;
};

// mesos.v1.Address.
struct Address {
  std::optional<std::string> hostname;
  std::optional<std::string> ip;
  int32_t port = 0;  // required
  RawJson unknown;

  bool operator==(const Address&) const = default;
};

// mesos.v1.URL (query and fragment are kept in `unknown`).
struct URL {
  std::string scheme;  // required
  Address address;     // required
  std::optional<std::string> path;
  RawJson unknown;

  bool operator==(const URL&) const = default;
};

// The wire name of an enumerator ("TASK_RUNNING"), and back. Defined for every
// enum declared in include/keel/mesos/ (explicit instantiations in
// src/cluster/mesos/enums.cc; another E fails to link). enumFromName returns
// nullopt for a name the enum does not have; numbers are not names.
template <typename E>
std::string_view enumName(E value);
template <typename E>
std::optional<E> enumFromName(std::string_view name);

}  // namespace keel::mesos
