#include "scheduler/replacement_policy.h"

#include <algorithm>

#include "keel/plan.h"

namespace keel::scheduler {
namespace {

std::string failedSince(const FailingInstance& f) {
  return f.instance + ": failed since " + plan::formatTime(f.since) + " (" + f.what + ")";
}

bool tripsBreaker(const AutomaticRecoveryOptions& options, const AutomaticRecoveryState& state,
                  const std::vector<FailingInstance>& failing, TimePoint now) {
  if (failing.size() <= static_cast<size_t>(std::max(options.circuitBreakerPods, 0))) return false;
  bool due = std::any_of(failing.begin(), failing.end(), [&](const FailingInstance& f) {
    return now >= f.since + options.permanentFailureTimeout;
  });
  bool fresh = std::any_of(failing.begin(), failing.end(), [&](const FailingInstance& f) {
    return !state.resetAt || f.since > *state.resetAt;
  });
  return due && fresh;
}

BreakerTrip tripOf(const AutomaticRecoveryOptions& options,
                   const std::vector<FailingInstance>& failing, TimePoint now) {
  std::string names;
  for (const FailingInstance& f : failing) names += (names.empty() ? "" : ", ") + f.instance;
  return BreakerTrip{
      now, std::to_string(failing.size()) + " pod instances failed at the same time (" + names +
               "), more than the circuit breaker's " + std::to_string(options.circuitBreakerPods) +
               " (KEEL_REPLACE_CIRCUIT_BREAKER_PODS)"};
}

}  // namespace

std::string formatDuration(Duration d) {
  int64_t s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s <= 0) return "0s";
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h";
  if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "m";
  if (s % 60 != 0) out += std::to_string(s % 60) + "s";
  return out;
}

std::string breakerMessage(const BreakerTrip& trip) {
  return "automatic replacement stopped: circuit breaker tripped at " + plan::formatTime(trip.at) +
         ": " + trip.reason +
         "; replace pods by hand (keel pod replace POD) or, once the cause is understood, "
         "re-enable it: keel recovery reset (POST /v1/recovery/reset)";
}

PolicyDecisions decideReplacements(const AutomaticRecoveryOptions& options,
                                   const AutomaticRecoveryState& state,
                                   std::vector<FailingInstance> failing, TimePoint now) {
  PolicyDecisions out;
  if (!options.enabled) return out;
  std::stable_sort(
      failing.begin(), failing.end(),
      [](const FailingInstance& a, const FailingInstance& b) { return a.since < b.since; });
  std::optional<BreakerTrip> open = state.breaker;
  if (!open && tripsBreaker(options, state, failing, now)) {
    out.trip = tripOf(options, failing, now);
    open = out.trip;
  }
  std::string timeout = formatDuration(options.permanentFailureTimeout);
  std::optional<TimePoint> last = state.lastReplacement;
  for (const FailingInstance& f : failing) {
    ReplacementDecision d{f.instance, ReplacementVerdict::kWait,
                          f.since + options.permanentFailureTimeout, ""};
    if (open) {
      d.verdict = ReplacementVerdict::kStopped;
      d.message = failedSince(f) + "; " + breakerMessage(*open);
    } else if (now < d.until) {
      d.message = failedSince(f) +
                  "; replaced automatically (new footprint, volumes not kept) at " +
                  plan::formatTime(d.until) + " (permanent-failure timeout " + timeout +
                  ") unless it runs again";
    } else if (last && now < *last + options.minReplaceDelay) {
      d.verdict = ReplacementVerdict::kThrottled;
      d.until = *last + options.minReplaceDelay;
      d.message = failedSince(f) + ", longer than the permanent-failure timeout " + timeout +
                  "; replacement throttled: the next automatic replacement is allowed at " +
                  plan::formatTime(d.until) + " (at most one per " +
                  formatDuration(options.minReplaceDelay) + ", MIN_REPLACE_DELAY_SECS)";
    } else {
      d.verdict = ReplacementVerdict::kReplace;
      d.until = now;
      d.message = failedSince(f) + ", longer than the permanent-failure timeout " + timeout;
      last = now;
    }
    out.decisions.push_back(std::move(d));
  }
  return out;
}

}  // namespace keel::scheduler
