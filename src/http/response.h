// Response builders shared by the routes. keel answers JSON everywhere,
// errors included ({"message": "..."}); where dcos-commons answered plain
// text (404 "Plan X not found", 400 "Missing phase", 208 "Command has already
// been reported or completed") keel keeps its status code and its words,
// inside a JSON object. Where dcos-commons answered 500 with an empty body,
// keel says what failed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"
#include "keel/status.h"

namespace keel::http {

Response jsonResponse(int status, std::string body);
// {"message": text}
Response messageResponse(int status, std::string_view text);
// 200 {"message": "Received cmd: <command>"}, dcos-commons' command result.
Response commandResponse(std::string_view command);
// 208 {"message": "Command has already been reported or completed"}.
Response alreadyReported();
// "<what> not found", 404.
Response notFound(std::string_view what);
Response textResponse(int status, std::string body);
// A JSON array of strings.
Response stringArrayResponse(const std::vector<std::string>& values);
// The HTTP status for a failed Status: NotFound 404, InvalidArgument 400,
// FailedPrecondition/Conflict 409, Unavailable/DeadlineExceeded 503, else
// 500; the body carries the message.
Response errorResponse(const Status& status);

}  // namespace keel::http
