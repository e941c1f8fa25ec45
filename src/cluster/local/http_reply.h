// HttpReply and the request-level rules of the Mesos master's
// /api/v1/scheduler endpoint (Master::Http::scheduler): method, Content-Type
// and Accept checks, with the exact status codes and texts the real master
// answers (fixtures err-*.response.txt).
//
// Pure functions over plain strings: no HTTP library in this header.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keel::local {

struct HttpReply {
  int status = 200;
  std::string body;
  std::string contentType;  // empty: no Content-Type header
  std::vector<std::pair<std::string, std::string>> headers;

  // 202 Accepted, empty body.
  static HttpReply accepted();
  // 200 OK, empty body (UPDATE_FRAMEWORK).
  static HttpReply ok();
  // An error with a one-line text/plain; charset=utf-8 body.
  static HttpReply error(int status, std::string message);
  static HttpReply badRequest(std::string message) { return error(400, std::move(message)); }
  static HttpReply forbidden(std::string message) { return error(403, std::move(message)); }
  // JSON body, application/json.
  static HttpReply json(int status, std::string body);
};

inline constexpr std::string_view kApplicationJson = "application/json";
inline constexpr std::string_view kApplicationProtobuf = "application/x-protobuf";
inline constexpr std::string_view kStreamIdHeader = "Mesos-Stream-Id";

// 405 with `Allow: POST` and the master's text for a non-POST method.
HttpReply methodNotAllowed(std::string_view method);

// The Content-Type rule: nullopt when the body may be parsed as JSON; 400
// when absent, 415 for anything but exactly application/json (protobuf is
// answered 415 too: this cluster speaks JSON only).
std::optional<HttpReply> checkContentType(const std::optional<std::string>& contentType);

// Whether an Accept header value allows `mediaType` (type/subtype, `type/*`,
// `*/*`; a q=0 parameter excludes). An absent header accepts anything.
bool acceptsMediaType(const std::optional<std::string>& accept, std::string_view mediaType);

// The SUBSCRIBE Accept rule: nullopt when JSON is acceptable, else 406.
std::optional<HttpReply> checkSubscribeAccept(const std::optional<std::string>& accept);

}  // namespace keel::local
