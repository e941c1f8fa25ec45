#include "keel/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>

namespace keel {
namespace {

LogLevel initialLevel() {
  LogLevel level = LogLevel::kInfo;
  if (const char* env = std::getenv("KEEL_LOG_LEVEL")) parseLogLevel(env, &level);
  return level;
}

std::atomic<LogLevel>& currentLevel() {
  static std::atomic<LogLevel> level{initialLevel()};
  return level;
}

// "2026-11-25T18:40:00.123Z " for `now`, in UTC.
void appendTimestamp(std::string& out, std::chrono::system_clock::time_point now) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char buf[32];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ ", static_cast<int>(ms % 1000));
  out += buf;
}

std::mutex& writeMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

void setLogLevel(LogLevel level) { currentLevel().store(level); }

bool logEnabled(LogLevel level) { return level >= currentLevel().load(); }

bool parseLogLevel(std::string_view text, LogLevel* level) {
  static const std::pair<std::string_view, LogLevel> kNames[] = {
      {"trace", LogLevel::kTrace}, {"debug", LogLevel::kDebug}, {"info", LogLevel::kInfo},
      {"warn", LogLevel::kWarn},   {"error", LogLevel::kError}, {"off", LogLevel::kOff}};
  for (const auto& [name, value] : kNames) {
    if (text == name) {
      *level = value;
      return true;
    }
  }
  return false;
}

// One write(2) per line, under a mutex: lines of concurrent threads never
// interleave, and nothing is buffered in the process when it dies.
void logLine(LogLevel level, std::string_view component, std::string_view line) {
  static constexpr const char* kNames[] = {"TRACE", "DEBUG", "INFO ", "WARN ", "ERROR", "OFF  "};
  std::string out;
  out.reserve(40 + component.size() + line.size());
  appendTimestamp(out, std::chrono::system_clock::now());
  out += kNames[static_cast<int>(level)];
  out += " [";
  out += component;
  out += "] ";
  out += line;
  out += '\n';
  std::lock_guard lock(writeMutex());
  std::string_view rest(out);
  while (!rest.empty()) {
    ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

LogMessage& LogMessage::field(std::string_view key, std::string_view value) {
  out_ << ' ' << key << '=';
  bool quote = value.empty() || value.find_first_of(" \"=\t\n") != std::string_view::npos;
  if (!quote) {
    out_ << value;
    return *this;
  }
  out_ << '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out_ << '\\';
    if (c == '\n') {
      out_ << "\\n";
      continue;
    }
    out_ << c;
  }
  out_ << '"';
  return *this;
}

}  // namespace keel
