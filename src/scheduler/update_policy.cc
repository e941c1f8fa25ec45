#include "keel/scheduler/update_policy.h"

#include <charconv>

namespace keel::scheduler {
namespace {

Status bad(const std::string& key, const std::string& value, const std::string& allowed) {
  return Status::invalidArgument(key + "=" + value + ": " + allowed);
}

// A whole decimal integer in [min, max]; nullopt otherwise.
std::optional<long long> integerIn(const std::string& text, long long min, long long max) {
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

constexpr long long kMaxSeconds = 7LL * 24 * 3600;  // a week

Result<std::optional<Duration>> seconds(const std::map<std::string, std::string>& env,
                                        const char* key, long long min) {
  auto it = env.find(key);
  if (it == env.end() || it->second.empty()) return std::optional<Duration>();
  std::optional<long long> v = integerIn(it->second, min, kMaxSeconds);
  if (!v) {
    return bad(key, it->second,
               "must be a whole number of seconds from " + std::to_string(min) + " to " +
                   std::to_string(kMaxSeconds));
  }
  return std::optional<Duration>(std::chrono::seconds(*v));
}

std::string secs(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

}  // namespace

std::string UpdatePolicy::describe() const {
  std::string out = std::string("auto-rollback ") + (autoRollback ? "on" : "off");
  out += ", failure budget " + (failureBudget > 0 ? std::to_string(failureBudget) : "none");
  out += ", progress deadline " + (progressDeadline ? secs(*progressDeadline) : "none");
  out += ", canary promotion " + (canaryPromoteAfter ? "after " + secs(*canaryPromoteAfter)
                                                     : std::string("by the operator"));
  return out;
}

Result<UpdatePolicy> updatePolicyFromEnv(const std::map<std::string, std::string>& env) {
  UpdatePolicy p;
  if (auto it = env.find(kEnvAutoRollback); it != env.end() && !it->second.empty()) {
    if (it->second != "true" && it->second != "false") {
      return bad(kEnvAutoRollback, it->second, "must be true or false");
    }
    p.autoRollback = it->second == "true";
  }
  if (auto it = env.find(kEnvFailureBudget); it != env.end() && !it->second.empty()) {
    std::optional<long long> v = integerIn(it->second, 0, 1000000);
    if (!v)
      return bad(kEnvFailureBudget, it->second, "must be an integer from 0 (none) to 1000000");
    p.failureBudget = static_cast<int>(*v);
  }
  KEEL_ASSIGN_OR_RETURN(p.progressDeadline, seconds(env, kEnvProgressDeadline, 1));
  KEEL_ASSIGN_OR_RETURN(p.canaryPromoteAfter, seconds(env, kEnvCanaryPromoteAfter, 0));
  return p;
}

}  // namespace keel::scheduler
