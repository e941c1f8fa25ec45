#include "keel/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdlib>

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

spdlog::logger& logger() {
  static std::shared_ptr<spdlog::logger> l = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto lg = std::make_shared<spdlog::logger>("keel", sink);
    lg->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
    lg->set_level(spdlog::level::trace);
    return lg;
  }();
  return *l;
}

spdlog::level::level_enum toSpd(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return spdlog::level::trace;
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
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

void logLine(LogLevel level, std::string_view component, std::string_view line) {
  static constexpr const char* kNames[] = {"TRACE", "DEBUG", "INFO ", "WARN ", "ERROR", "OFF  "};
  logger().log(toSpd(level), "{} [{}] {}", kNames[static_cast<int>(level)], component, line);
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
