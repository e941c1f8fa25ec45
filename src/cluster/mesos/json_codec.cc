// keel/mesos/json.h: parsing and error rendering around the visitors of
// codec_internal.h and the listings of describe*.h.
#include <algorithm>
#include <string>

#include "cluster/mesos/codec_internal.h"
#include "cluster/mesos/describe.h"
#include "cluster/mesos/describe_scheduler.h"
#include "keel/mesos/json.h"

namespace keel::mesos {
namespace {

using detail::DecodeContext;
using detail::Json;
using detail::OJson;

// Where picojson (which Mesos uses) reports a syntax error: the line of the
// failing position, and the rest of that line; blanks before the end of the
// input are consumed, so an unexpected end reports nothing after "near: ".
std::string mesosSyntaxError(std::string_view text, const Json::parse_error& error) {
  size_t pos = std::min(error.byte == 0 ? 0 : error.byte - 1, text.size());
  if (text.find_first_not_of(" \t\r\n", pos) == std::string_view::npos) pos = text.size();
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
  size_t end = text.find('\n', pos);
  std::string near(text.substr(pos, end == std::string_view::npos ? text.npos : end - pos));
  return "syntax error at line " + std::to_string(line) + " near: " + near;
}

std::string keelSyntaxError(const Json::parse_error& error) {
  std::string what = error.what();
  size_t bracket = what.find("] ");
  return "invalid JSON: " + (bracket == std::string::npos ? what : what.substr(bracket + 2));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

template <typename T>
Result<T> decodeText(std::string_view text, ErrorStyle style, std::string_view typeName) {
  const bool mesos = style == ErrorStyle::kMesos;
  const std::string convert =
      "Failed to convert JSON into " + std::string(typeName) + " protobuf: ";
  Json json;
  try {
    json = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& error) {
    return Status::invalidArgument(mesos ? "Failed to parse body into JSON: " +
                                               mesosSyntaxError(text, error)
                                         : keelSyntaxError(error));
  }
  DecodeContext ctx;
  T message{};
  std::optional<detail::Failure> failure;
  if (!json.is_object()) {
    failure = ctx.fail(json, "a JSON object", "Expecting a JSON object");
  } else {
    failure = detail::decodeMessage(json, message, ctx, "");
  }
  if (failure) return Status::invalidArgument(mesos ? convert + failure->mesos : failure->keel);
  if (!ctx.missing().empty()) {
    return Status::invalidArgument(
        (mesos ? convert + "Missing required fields: " : std::string("missing required fields: ")) +
        joined(ctx.missing()));
  }
  return message;
}

// One type per line: clang-format 14 reflows a packed list differently on every run.
// clang-format off
#define KEEL_MESOS_JSON_TYPES(X) \
  X(Call)                        \
  X(Event)                       \
  X(FrameworkInfo)               \
  X(MasterInfo)                  \
  X(Resource)                    \
  X(Offer)                       \
  X(OfferOperation)              \
  X(Filters)                     \
  X(OperationStatus)             \
  X(TaskInfo)                    \
  X(TaskGroupInfo)               \
  X(ExecutorInfo)                \
  X(CommandInfo)                 \
  X(ContainerInfo)               \
  X(Volume)                      \
  X(HealthCheck)                 \
  X(CheckInfo)                   \
  X(KillPolicy)                  \
  X(Labels)                      \
  X(TaskStatus)                  \
  X(CheckStatusInfo)             \
  X(ContainerStatus)
// clang-format on

template <typename T>
constexpr std::string_view kTypeName = "";
#define KEEL_MESOS_TYPE_NAME(T) \
  template <>                   \
  constexpr std::string_view kTypeName<T> = #T;
KEEL_MESOS_JSON_TYPES(KEEL_MESOS_TYPE_NAME)
#undef KEEL_MESOS_TYPE_NAME

}  // namespace

template <typename T>
std::string encodeJson(const T& message) {
  return detail::encodeValue(message).dump();
}

template <typename T>
Result<T> decodeJson(std::string_view json, ErrorStyle style) {
  return decodeText<T>(json, style, kTypeName<T>);
}

#define KEEL_MESOS_INSTANTIATE(T)                       \
  template std::string encodeJson<T>(const T& message); \
  template Result<T> decodeJson<T>(std::string_view json, ErrorStyle style);
KEEL_MESOS_JSON_TYPES(KEEL_MESOS_INSTANTIATE)
#undef KEEL_MESOS_INSTANTIATE
#undef KEEL_MESOS_JSON_TYPES

std::string toJson(const Call& call) { return encodeJson(call); }
std::string toJson(const Event& event) { return encodeJson(event); }

Result<Call> callFromJson(std::string_view json, ErrorStyle style) {
  return decodeJson<Call>(json, style);
}
Result<Event> eventFromJson(std::string_view json, ErrorStyle style) {
  return decodeJson<Event>(json, style);
}

}  // namespace keel::mesos
