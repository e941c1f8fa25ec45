// Status: the outcome of an operation that can fail for reasons outside the
// program's control (bad input, I/O, network, a lost compare-and-set).
//
// A broken invariant is not a Status: it aborts (KEEL_CHECK). A declined offer
// is not a Status either: it is an outcome with reasons.
//
// Thread-safety: a Status is a value; copies are independent.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace keel {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong (spec, request, parameter)
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // creating something that exists
  kFailedPrecondition,  // the system is not in a state that allows the operation
  kConflict,            // a compare-and-set lost: someone else wrote first
  kUnsupported,         // valid, but this build or cluster does not offer it
  kIoError,             // the file system or a socket failed
  kCorruption,          // stored data cannot be read back
  kUnavailable,         // a peer is unreachable; retrying may help
  kDeadlineExceeded,    // a deadline passed before the operation completed
  kInternal,            // a bug that was caught rather than aborted on
};

std::string_view statusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }
  static Status invalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status notFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status alreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status failedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status ioError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status deadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool isOk() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return isOk(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a Status with the same code and `context + ": " + message`.
  Status withContext(std::string_view context) const;

  // "OK" or "<CodeName>: <message>".
  std::string toString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

std::ostream& operator<<(std::ostream& os, const Status& s);

}  // namespace keel

// Returns early from a function returning Status or Result<T> when `expr`
// (a Status) is not OK.
#define KEEL_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    ::keel::Status keel_status_ = (expr);          \
    if (!keel_status_.isOk()) return keel_status_; \
  } while (0)
