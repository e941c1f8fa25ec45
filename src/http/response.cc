#include "http/response.h"

#include <memory>

#include "http/json_util.h"

namespace keel::http {

Response jsonResponse(int status, std::string body) {
  return Response{status, std::make_shared<const std::string>(std::move(body)), "application/json"};
}

Response messageResponse(int status, std::string_view text) {
  nlohmann::json j = {{"message", text}};
  return jsonResponse(status, dumpJson(j));
}

Response commandResponse(std::string_view command) {
  return messageResponse(200, "Received cmd: " + std::string(command));
}

Response alreadyReported() {
  return messageResponse(208, "Command has already been reported or completed");
}

Response notFound(std::string_view what) {
  return messageResponse(404, std::string(what) + " not found");
}

Response textResponse(int status, std::string body) {
  return Response{status, std::make_shared<const std::string>(std::move(body)),
                  "text/plain; charset=utf-8"};
}

Response stringArrayResponse(const std::vector<std::string>& values) {
  return jsonResponse(200, dumpJson(nlohmann::json(values)));
}

Response errorResponse(const Status& status) {
  int code = 500;
  switch (status.code()) {
    case StatusCode::kNotFound:
      code = 404;
      break;
    case StatusCode::kInvalidArgument:
      code = 400;
      break;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kConflict:
      code = 409;
      break;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      code = 503;
      break;
    default:
      break;
  }
  return messageResponse(code, status.message());
}

}  // namespace keel::http
