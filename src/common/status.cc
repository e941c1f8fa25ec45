#include "keel/status.h"

#include <cstdio>
#include <cstdlib>

#include "keel/check.h"
#include "keel/result.h"

namespace keel {

std::string_view statusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "InvalidArgument";
    case StatusCode::kNotFound:
      return "NotFound";
    case StatusCode::kAlreadyExists:
      return "AlreadyExists";
    case StatusCode::kFailedPrecondition:
      return "FailedPrecondition";
    case StatusCode::kConflict:
      return "Conflict";
    case StatusCode::kUnsupported:
      return "Unsupported";
    case StatusCode::kIoError:
      return "IoError";
    case StatusCode::kCorruption:
      return "Corruption";
    case StatusCode::kUnavailable:
      return "Unavailable";
    case StatusCode::kDeadlineExceeded:
      return "DeadlineExceeded";
    case StatusCode::kInternal:
      return "Internal";
  }
  return "Unknown";
}

Status Status::withContext(std::string_view context) const {
  if (isOk()) return *this;
  return Status(code_, std::string(context) + ": " + message_);
}

std::string Status::toString() const {
  if (isOk()) return "OK";
  return std::string(statusCodeName(code_)) + ": " + message_;
}

std::ostream& operator<<(std::ostream& os, const Status& s) { return os << s.toString(); }

namespace detail {

void resultAccessFailed(const Status& status) {
  std::fprintf(stderr, "keel: value() of a failed Result: %s\n", status.toString().c_str());
  std::abort();
}

void resultErrorOfValue() {
  std::fprintf(stderr, "keel: error() of a successful Result\n");
  std::abort();
}

void checkFailed(const char* file, int line, const char* expr, const char* msg) {
  std::fprintf(stderr, "keel: check failed at %s:%d: %s %s\n", file, line, expr, msg);
  std::abort();
}

}  // namespace detail
}  // namespace keel
