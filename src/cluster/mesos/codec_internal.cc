#include "cluster/mesos/codec_internal.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace keel::mesos::detail {
namespace {

constexpr size_t kFoundLimit = 60;

std::string describeFound(const Json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  std::string text = j.dump();
  if (text.size() > kFoundLimit) text = text.substr(0, kFoundLimit) + "...";
  return text;
}

// A JSON number's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

Failure numberStringFailure(const DecodeContext& ctx, const Json& j, std::string_view what,
                            std::string_view field) {
  const std::string& s = j.get_ref<const std::string&>();
  return ctx.fail(j, std::string("a ") + std::string(what),
                  "Failed to parse '" + s + "' as a JSON " + std::string(what) + " for field '" +
                      std::string(field) + "': syntax error at line 1 near: " + s);
}

// A JSON number, or a string holding one, as a double and (when exact) an
// integer. Mesos truncates a fractional value given for an integer field.
template <typename Int>
std::optional<Failure> decodeInteger(const Json& j, Int& out, DecodeContext& ctx,
                                     std::string_view field) {
  Json number = j;
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (!isJsonNumber(s)) return numberStringFailure(ctx, j, "number", field);
    number = Json::parse(s);
  }
  if (!number.is_number()) return notExpecting(ctx, j, "an integer", field);
  constexpr auto kMin = std::numeric_limits<Int>::min();
  constexpr auto kMax = std::numeric_limits<Int>::max();
  bool inRange = true;
  if (number.is_number_unsigned()) {
    auto v = number.get<uint64_t>();
    inRange = v <= static_cast<uint64_t>(kMax);
    if (inRange) out = static_cast<Int>(v);
  } else if (number.is_number_integer()) {
    auto v = number.get<int64_t>();
    inRange = v >= static_cast<int64_t>(kMin) &&
              (v < 0 || static_cast<uint64_t>(v) <= static_cast<uint64_t>(kMax));
    if (inRange) out = static_cast<Int>(v);
  } else {
    double v = std::trunc(number.get<double>());
    inRange = v >= static_cast<double>(kMin) && v <= static_cast<double>(kMax);
    if (inRange) out = static_cast<Int>(v);
  }
  if (inRange) return std::nullopt;
  std::string kind = std::string(std::is_signed_v<Int> ? "a signed " : "an unsigned ") +
                     std::to_string(sizeof(Int) * 8) + "-bit integer";
  return ctx.fail(j, kind,
                  "Value out of range for field '" + std::string(field) + "': " + j.dump());
}

}  // namespace

// ---- encoding ----

void Encoder::extra(const RawJson& unknown) {
  if (unknown.empty()) return;
  OJson keys = OJson::parse(unknown.text);
  if (!keys.is_object()) return;
  for (auto& [key, value] : keys.items()) {
    if (!object_.contains(key)) object_[key] = value;
  }
}

OJson encodeDouble(double value) {
  if (std::isinf(value)) return OJson(value > 0 ? "Infinity" : "-Infinity");
  return OJson(value);
}

OJson encodeContainerId(const ContainerID& id) {
  OJson object = OJson::object();
  object["value"] = id.value;
  OJson* tail = &object;
  for (const std::string& ancestor : id.ancestors) {
    (*tail)["parent"] = OJson::object({{"value", ancestor}});
    tail = &(*tail)["parent"];
  }
  return object;
}

// ---- decoding ----

std::string DecodeContext::path() const {
  std::string out;
  for (const Segment& segment : path_) {
    if (segment.index >= 0) {
      out += "[" + std::to_string(segment.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += segment.key;
    }
  }
  return out;
}

std::string DecodeContext::pathWith(std::string_view key) const {
  std::string out = path();
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

Failure DecodeContext::fail(const Json& found, std::string_view expected, std::string mesos) const {
  std::string where = path();
  std::string keel = (where.empty() ? std::string() : where + ": ") + "expected " +
                     std::string(expected) + ", found " + describeFound(found);
  return Failure{std::move(keel), std::move(mesos)};
}

std::string jsonKindName(const Json& json) {
  switch (json.type()) {
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::null:
      return "null";
    default:
      return "number";
  }
}

Failure notExpecting(const DecodeContext& ctx, const Json& found, std::string_view expected,
                     std::string_view field) {
  return ctx.fail(
      found, expected,
      "Not expecting a JSON " + jsonKindName(found) + " for field '" + std::string(field) + "'");
}

void Decoder::record(std::string_view key, std::optional<Failure> failure) {
  if (!failure) return;
  if (failure_ && failureKey_ <= key) return;
  failure_ = std::move(failure);
  failureKey_ = std::string(key);
}

void Decoder::extra(RawJson& unknown) {
  Json keys = Json::object();
  for (const auto& [key, value] : object_.items()) {
    if (std::find(consumed_.begin(), consumed_.end(), key) == consumed_.end()) {
      keys[key] = value;
    }
  }
  unknown.text = keys.empty() ? std::string() : keys.dump();
}

std::optional<Failure> decodeScalar(const Json& j, std::string& out, DecodeContext& ctx,
                                    std::string_view field) {
  if (!j.is_string()) return notExpecting(ctx, j, "a string", field);
  out = j.get<std::string>();
  return std::nullopt;
}

std::optional<Failure> decodeScalar(const Json& j, bool& out, DecodeContext& ctx,
                                    std::string_view field) {
  if (j.is_boolean()) {
    out = j.get<bool>();
    return std::nullopt;
  }
  if (!j.is_string()) return notExpecting(ctx, j, "a boolean", field);
  const std::string& s = j.get_ref<const std::string&>();
  if (s != "true" && s != "false") return numberStringFailure(ctx, j, "boolean", field);
  out = s == "true";
  return std::nullopt;
}

std::optional<Failure> decodeScalar(const Json& j, double& out, DecodeContext& ctx,
                                    std::string_view field) {
  if (j.is_number()) {
    out = j.get<double>();
    return std::nullopt;
  }
  if (!j.is_string()) return notExpecting(ctx, j, "a number", field);
  const std::string& s = j.get_ref<const std::string&>();
  if (s == "Infinity" || s == "-Infinity") {
    out = s[0] == '-' ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    return std::nullopt;
  }
  if (!isJsonNumber(s)) return numberStringFailure(ctx, j, "number", field);
  out = std::strtod(s.c_str(), nullptr);
  return std::nullopt;
}

std::optional<Failure> decodeScalar(const Json& j, int32_t& out, DecodeContext& ctx,
                                    std::string_view field) {
  return decodeInteger(j, out, ctx, field);
}
std::optional<Failure> decodeScalar(const Json& j, int64_t& out, DecodeContext& ctx,
                                    std::string_view field) {
  return decodeInteger(j, out, ctx, field);
}
std::optional<Failure> decodeScalar(const Json& j, uint32_t& out, DecodeContext& ctx,
                                    std::string_view field) {
  return decodeInteger(j, out, ctx, field);
}
std::optional<Failure> decodeScalar(const Json& j, uint64_t& out, DecodeContext& ctx,
                                    std::string_view field) {
  return decodeInteger(j, out, ctx, field);
}

std::optional<Failure> decodeScalar(const Json& j, Bytes& out, DecodeContext& ctx,
                                    std::string_view field) {
  if (!j.is_string()) return notExpecting(ctx, j, "base64 bytes (a string)", field);
  std::optional<std::string> bytes = base64Decode(j.get_ref<const std::string&>());
  if (!bytes) {
    return ctx.fail(j, "padded standard base64",
                    "Failed to base64 decode bytes field '" + std::string(field) +
                        "': Malformed base64 encoded string");
  }
  out.value = std::move(*bytes);
  return std::nullopt;
}

std::optional<Failure> decodeScalar(const Json& j, RawJson& out, DecodeContext&, std::string_view) {
  out.text = j.dump();
  return std::nullopt;
}

std::optional<Failure> decodeScalar(const Json& j, ContainerID& out, DecodeContext& ctx,
                                    std::string_view field) {
  const Json* node = &j;
  std::string_view name = field;
  int depth = 0;
  while (true) {
    if (!node->is_object()) return notExpecting(ctx, *node, "an object", name);
    auto value = node->find("value");
    if (value == node->end() || value->is_null()) {
      std::string where;
      for (int k = 0; k < depth; ++k) where += "parent.";
      ctx.addMissing(where + "value");
      if (depth > 0) out.ancestors.emplace_back();
    } else if (!value->is_string()) {
      return notExpecting(ctx, *value, "a string", "value");
    } else {
      (depth == 0 ? out.value : out.ancestors.emplace_back()) = value->get<std::string>();
    }
    auto parent = node->find("parent");
    if (parent == node->end() || parent->is_null()) return std::nullopt;
    node = &*parent;
    name = "parent";
    ++depth;
  }
}

}  // namespace keel::mesos::detail
