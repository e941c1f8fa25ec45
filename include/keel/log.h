// Structured logging to stderr: one line per event,
//   2026-11-25T18:40:00.123Z INFO  [scheduler] offer declined step=data-0 reason="..."
// Components name themselves; fields are key=value pairs appended in order.
//
// Thread-safe. The level comes from KEEL_LOG_LEVEL (trace, debug, info, warn,
// error; default info) or setLogLevel().
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace keel {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

void setLogLevel(LogLevel level);
bool logEnabled(LogLevel level);
// Parses "trace".."error"/"off"; returns false (and leaves level) when unknown.
bool parseLogLevel(std::string_view text, LogLevel* level);

// Writes one finished line. Prefer the KEEL_LOG macro.
void logLine(LogLevel level, std::string_view component, std::string_view line);

class LogMessage {
 public:
  LogMessage(LogLevel level, std::string_view component) : level_(level), component_(component) {}
  ~LogMessage() { logLine(level_, component_, out_.str()); }
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;

  template <typename T>
  LogMessage& operator<<(const T& v) {
    out_ << v;
    return *this;
  }
  // Appends ` key=value`, quoting the value when it holds spaces or quotes.
  LogMessage& field(std::string_view key, std::string_view value);
  template <typename T>
  LogMessage& field(std::string_view key, const T& value) {
    std::ostringstream s;
    s << value;
    return field(key, std::string_view(s.str()));
  }

 private:
  LogLevel level_;
  std::string_view component_;
  std::ostringstream out_;
};

}  // namespace keel

#define KEEL_LOG(level, component)                       \
  if (!::keel::logEnabled(::keel::LogLevel::k##level)) { \
  } else                                                 \
    ::keel::LogMessage(::keel::LogLevel::k##level, component)
