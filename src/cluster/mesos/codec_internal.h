// The machinery behind keel/mesos/json.h: an Encoder and a Decoder that walk
// a message through its describe() listing (describe.h), one listing per
// message serving both directions.
//
// A describe() listing calls `v("proto_name", member)` per field in proto
// declaration order, and `v.extra(unknown)` when the struct keeps unmodelled
// keys. The member's C++ type decides the proto label: std::optional =
// optional, std::vector = repeated, std::map = map, anything else = required.
//
// Decoding follows stout's JSON -> protobuf conversion: unknown keys are
// ignored (or kept in `unknown`), null = unset, a single value is a
// one-element list, numbers and booleans may come as strings, doubles accept
// "Infinity"; the first type error in sorted-key order wins; missing required
// fields are collected and reported after a clean pass.
//
// Thread-safety: an Encoder/Decoder is used by one thread for one message.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cluster/mesos/base64.h"
#include "keel/mesos/task_status.h"
#include "keel/mesos/values.h"

namespace keel::mesos::detail {

using Json = nlohmann::json;           // decoding: keys sorted, as stout iterates them
using OJson = nlohmann::ordered_json;  // encoding: keys in proto declaration order

// Whether an empty repeated field is written as [] (kWrite) or left out.
enum class Empty { kOmit, kWrite };

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};
template <typename T>
struct IsMap : std::false_type {};
template <typename T>
struct IsMap<std::map<std::string, T>> : std::true_type {};
template <typename T>
struct IsId : std::false_type {};
template <typename Tag>
struct IsId<Id<Tag>> : std::true_type {};

// ---- encoding ----

class Encoder {
 public:
  explicit Encoder(OJson& object) : object_(object) {}

  template <typename T>
  void operator()(const char* key, const T& field, Empty empty = Empty::kOmit);
  void extra(const RawJson& unknown);

 private:
  OJson& object_;
};

template <typename T>
OJson encodeValue(const T& value);

OJson encodeDouble(double value);
OJson encodeContainerId(const ContainerID& id);

template <typename T>
OJson encodeValue(const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    return OJson(value);
  } else if constexpr (std::is_same_v<T, bool>) {
    return OJson(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    return encodeDouble(value);
  } else if constexpr (std::is_integral_v<T>) {
    return OJson(value);
  } else if constexpr (std::is_enum_v<T>) {
    return OJson(std::string(enumName(value)));
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return OJson(base64Encode(value.value));
  } else if constexpr (std::is_same_v<T, RawJson>) {
    return value.empty() ? OJson::object() : OJson::parse(value.text);
  } else if constexpr (std::is_same_v<T, ContainerID>) {
    return encodeContainerId(value);
  } else {
    OJson object = OJson::object();
    Encoder encoder(object);
    describe(encoder, const_cast<T&>(value));  // describe() only reads when encoding
    return object;
  }
}

template <typename T>
void Encoder::operator()(const char* key, const T& field, Empty empty) {
  if constexpr (IsOptional<T>::value) {
    if (field.has_value()) object_[key] = encodeValue(*field);
  } else if constexpr (IsVector<T>::value) {
    if (field.empty() && empty == Empty::kOmit) return;
    OJson array = OJson::array();
    for (const auto& element : field) array.push_back(encodeValue(element));
    object_[key] = std::move(array);
  } else if constexpr (IsMap<T>::value) {
    if (field.empty()) return;
    OJson object = OJson::object();
    for (const auto& [name, element] : field) object[name] = encodeValue(element);
    object_[key] = std::move(object);
  } else {
    object_[key] = encodeValue(field);
  }
}

// ---- decoding ----

// A conversion error: where, and the two renderings (keel's and stout's).
struct Failure {
  std::string keel;   // "a.b[0].c: expected a number, found \"abc\""
  std::string mesos;  // "Not expecting a JSON string for field 'c'"
};

// The path from the root to the value being decoded, and the missing
// required fields found so far. Keys are held as views: each must outlive
// its pushKey/pop pair (field names are literals; map keys belong to the
// JSON being decoded).
class DecodeContext {
 public:
  void pushKey(std::string_view key) { path_.push_back({key, -1}); }
  void pushIndex(int index) { path_.push_back({{}, index}); }
  void pop() { path_.pop_back(); }

  std::string path() const;
  std::string pathWith(std::string_view key) const;
  void addMissing(std::string_view key) { missing_.push_back(pathWith(key)); }
  const std::vector<std::string>& missing() const { return missing_; }

  // A Failure at the current path: "expected <expected>, found <json>".
  Failure fail(const Json& found, std::string_view expected, std::string mesos) const;

 private:
  struct Segment {
    std::string_view key;
    int index;
  };
  std::vector<Segment> path_;
  std::vector<std::string> missing_;
};

std::string jsonKindName(const Json& json);  // "string", "number", ... as stout says
Failure notExpecting(const DecodeContext& ctx, const Json& found, std::string_view expected,
                     std::string_view field);

std::optional<Failure> decodeScalar(const Json& j, std::string& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, bool& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, double& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, int32_t& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, int64_t& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, uint32_t& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, uint64_t& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, Bytes& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, RawJson& out, DecodeContext& ctx,
                                    std::string_view field);
std::optional<Failure> decodeScalar(const Json& j, ContainerID& out, DecodeContext& ctx,
                                    std::string_view field);

// An enum value by name. `known` is false (and no Failure) when the name is
// not one of the enum's and the field is optional: the field stays unset.
template <typename E>
std::optional<Failure> decodeEnum(const Json& j, E& out, bool& known, bool required,
                                  DecodeContext& ctx, std::string_view field) {
  known = false;
  if (!j.is_string()) return notExpecting(ctx, j, "an enum name (a string)", field);
  const std::string& name = j.get_ref<const std::string&>();
  std::optional<E> value = enumFromName<E>(name);
  if (!value) {
    if (!required) return std::nullopt;
    return ctx.fail(j, "a known enum name", "Failed to find enum for '" + name + "'");
  }
  out = *value;
  known = true;
  return std::nullopt;
}

class Decoder {
 public:
  Decoder(const Json& object, DecodeContext& ctx) : object_(object), ctx_(ctx) {
    consumed_.reserve(object.size());
  }

  template <typename T>
  void operator()(const char* key, T& field, Empty empty = Empty::kOmit);
  void extra(RawJson& unknown);

  // The failure of the smallest failing key, as stout reports the first one.
  std::optional<Failure> takeFailure() { return std::move(failure_); }

 private:
  void record(std::string_view key, std::optional<Failure> failure);

  const Json& object_;
  DecodeContext& ctx_;
  std::vector<std::string_view> consumed_;
  std::optional<Failure> failure_;
  std::string failureKey_;
};

template <typename T>
std::optional<Failure> decodeValue(const Json& j, T& out, DecodeContext& ctx,
                                   std::string_view field);

// A message value: an object walked through describe().
template <typename T>
std::optional<Failure> decodeMessage(const Json& j, T& out, DecodeContext& ctx,
                                     std::string_view field) {
  if (!j.is_object()) return notExpecting(ctx, j, "an object", field);
  Decoder decoder(j, ctx);
  describe(decoder, out);
  return decoder.takeFailure();
}

template <typename T>
std::optional<Failure> decodeValue(const Json& j, T& out, DecodeContext& ctx,
                                   std::string_view field) {
  if constexpr (std::is_enum_v<T>) {
    bool known = false;
    return decodeEnum(j, out, known, /*required=*/true, ctx, field);
  } else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string> ||
                       std::is_same_v<T, Bytes> || std::is_same_v<T, RawJson> ||
                       std::is_same_v<T, ContainerID>) {
    return decodeScalar(j, out, ctx, field);
  } else {
    return decodeMessage(j, out, ctx, field);
  }
}

template <typename T>
std::optional<Failure> decodeRepeated(const Json& j, std::vector<T>& out, DecodeContext& ctx,
                                      std::string_view field) {
  auto one = [&](const Json& element, int index) -> std::optional<Failure> {
    ctx.pushIndex(index);
    T value{};
    std::optional<Failure> failure = decodeValue(element, value, ctx, field);
    ctx.pop();
    if (!failure) out.push_back(std::move(value));
    return failure;
  };
  if (!j.is_array()) return one(j, 0);
  int index = 0;
  for (const Json& element : j) {
    if (element.is_array()) return notExpecting(ctx, element, "a single value", field);
    if (auto failure = one(element, index++)) return failure;
  }
  return std::nullopt;
}

template <typename T>
std::optional<Failure> decodeMap(const Json& j, std::map<std::string, T>& out, DecodeContext& ctx,
                                 std::string_view field) {
  if (!j.is_object()) return notExpecting(ctx, j, "an object", field);
  for (const auto& [name, element] : j.items()) {
    ctx.pushKey(name);
    T value{};
    std::optional<Failure> failure = decodeValue(element, value, ctx, "value");
    ctx.pop();
    if (failure) return failure;
    out[name] = std::move(value);
  }
  return std::nullopt;
}

template <typename T>
void Decoder::operator()(const char* key, T& field, Empty) {
  auto it = object_.find(key);
  if (it != object_.end()) consumed_.push_back(key);
  if (it == object_.end() || it->is_null()) {
    if constexpr (!IsOptional<T>::value && !IsVector<T>::value && !IsMap<T>::value) {
      ctx_.addMissing(key);
    }
    return;
  }
  ctx_.pushKey(key);
  std::optional<Failure> failure;
  if constexpr (IsOptional<T>::value) {
    using U = typename T::value_type;
    U value{};
    if constexpr (std::is_enum_v<U>) {
      bool known = false;
      failure = decodeEnum(*it, value, known, /*required=*/false, ctx_, key);
      if (!failure && known) field = value;
    } else {
      failure = decodeValue(*it, value, ctx_, key);
      if (!failure) field = std::move(value);
    }
  } else if constexpr (IsVector<T>::value) {
    failure = decodeRepeated(*it, field, ctx_, key);
  } else if constexpr (IsMap<T>::value) {
    failure = decodeMap(*it, field, ctx_, key);
  } else {
    failure = decodeValue(*it, field, ctx_, key);
  }
  ctx_.pop();
  record(key, std::move(failure));
}

}  // namespace keel::mesos::detail
