#include "keel/scheduler/recovery_env.h"

#include <cmath>
#include <cstdlib>
#include <optional>

namespace keel::scheduler {
namespace {

std::optional<std::string> lookup(const std::map<std::string, std::string>& env,
                                  const std::string& name) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Status bad(const std::string& name, const std::string& value, const std::string& allowed) {
  return Status::invalidArgument("environment variable " + name + "=\"" + value + "\": " + allowed);
}

// A finite number >= `min` (> min when `strict`).
Result<std::optional<double>> number(const std::map<std::string, std::string>& env,
                                     const std::string& name, double min, bool strict) {
  std::optional<std::string> text = lookup(env, name);
  if (!text) return std::optional<double>();
  const char* begin = text->c_str();
  char* end = nullptr;
  double v = std::strtod(begin, &end);
  std::string allowed = std::string("must be a number ") + (strict ? "> " : ">= ");
  allowed += std::to_string(static_cast<int64_t>(min));
  if (end == begin || *end != '\0' || !std::isfinite(v) || v < min || (strict && v == min)) {
    return bad(name, *text, allowed);
  }
  return std::optional<double>(v);
}

Status seconds(const std::map<std::string, std::string>& env, const std::string& name,
               bool positive, Duration& out) {
  KEEL_ASSIGN_OR_RETURN(std::optional<double> v, number(env, name, 0, positive));
  if (v) out = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(*v));
  return Status::ok();
}

Status flag(const std::map<std::string, std::string>& env, const std::string& name, bool& out) {
  std::optional<std::string> text = lookup(env, name);
  if (!text) return Status::ok();
  if (*text == "true" || *text == "false") {
    out = *text == "true";
    return Status::ok();
  }
  return bad(name, *text, "must be true or false");
}

Status pods(const std::map<std::string, std::string>& env, const std::string& name, int& out) {
  KEEL_ASSIGN_OR_RETURN(std::optional<double> v, number(env, name, 1, false));
  if (!v) return Status::ok();
  if (*v != std::floor(*v) || *v > 1e6) {
    return bad(name, lookup(env, name).value_or(""), "must be a whole number of pods >= 1");
  }
  out = static_cast<int>(*v);
  return Status::ok();
}

}  // namespace

Status applyRecoveryEnv(const std::map<std::string, std::string>& env, SchedulerOptions& options) {
  SchedulerOptions o = options;
  AutomaticRecoveryOptions& a = o.automaticRecovery;
  KEEL_RETURN_IF_ERROR(flag(env, "ENABLE_AUTOMATIC_POD_REPLACEMENT", a.enabled));
  KEEL_RETURN_IF_ERROR(
      seconds(env, "PERMANENT_FAILURE_TIMEOUT_SECS", true, a.permanentFailureTimeout));
  KEEL_RETURN_IF_ERROR(seconds(env, "MIN_REPLACE_DELAY_SECS", false, a.minReplaceDelay));
  KEEL_RETURN_IF_ERROR(pods(env, "KEEL_REPLACE_CIRCUIT_BREAKER_PODS", a.circuitBreakerPods));
  KEEL_RETURN_IF_ERROR(
      seconds(env, "KEEL_RECOVERY_BACKOFF_INITIAL_SECS", false, o.recoveryBackoffInitial));
  KEEL_ASSIGN_OR_RETURN(std::optional<double> factor,
                        number(env, "KEEL_RECOVERY_BACKOFF_FACTOR", 1, false));
  if (factor) o.recoveryBackoffFactor = *factor;
  KEEL_RETURN_IF_ERROR(seconds(env, "KEEL_RECOVERY_BACKOFF_MAX_SECS", false, o.recoveryBackoffMax));
  KEEL_RETURN_IF_ERROR(
      seconds(env, "KEEL_RECOVERY_BACKOFF_RESET_SECS", false, o.recoveryBackoffReset));
  options = std::move(o);
  return Status::ok();
}

}  // namespace keel::scheduler
