#include "keel/plan_status.h"

#include <algorithm>
#include <array>

namespace keel::plan {
namespace {

using S = ElementStatus;

constexpr std::array<std::pair<S, std::string_view>, 9> kNames = {{
    {S::kError, "ERROR"},
    {S::kWaiting, "WAITING"},
    {S::kPending, "PENDING"},
    {S::kPrepared, "PREPARED"},
    {S::kStarting, "STARTING"},
    {S::kStarted, "STARTED"},
    {S::kComplete, "COMPLETE"},
    {S::kInProgress, "IN_PROGRESS"},
    {S::kDelayed, "DELAYED"},
}};

bool any(std::span<const S> statuses, S s) {
  return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
}

bool all(std::span<const S> statuses, S s) {
  return std::all_of(statuses.begin(), statuses.end(), [s](S x) { return x == s; });
}

bool anyRunningOrComplete(std::span<const S> statuses) {
  return std::any_of(statuses.begin(), statuses.end(),
                     [](S x) { return isRunning(x) || x == S::kComplete; });
}

}  // namespace

std::string_view statusName(ElementStatus status) {
  for (const auto& [s, name] : kNames) {
    if (s == status) return name;
  }
  return "UNKNOWN";
}

std::optional<ElementStatus> parseStatus(std::string_view name) {
  for (const auto& [s, n] : kNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

bool isStepStatus(ElementStatus status) {
  return status != S::kWaiting && status != S::kInProgress;
}

bool isRunning(ElementStatus status) {
  return status == S::kPrepared || status == S::kStarting || status == S::kStarted ||
         status == S::kInProgress;
}

bool isAllowedStepTransition(ElementStatus from, ElementStatus to) {
  if (!isStepStatus(from) || !isStepStatus(to)) return false;
  if (from == to) return true;
  switch (from) {
    case S::kPending:
      return to == S::kPrepared || to == S::kComplete || to == S::kDelayed || to == S::kError;
    case S::kPrepared:
      return to != S::kStarted;
    case S::kStarting:
      return to != S::kPrepared;
    case S::kStarted:
      return to == S::kPending || to == S::kComplete || to == S::kDelayed || to == S::kError;
    case S::kComplete:
      return to == S::kPending;
    case S::kDelayed:
      return to == S::kPending || to == S::kError;
    default:
      return false;
  }
}

ElementStatus aggregateStatus(std::span<const ElementStatus> children,
                              std::span<const ElementStatus> candidates, bool hasOwnErrors,
                              bool interrupted) {
  if (hasOwnErrors || any(children, S::kError)) return S::kError;
  if (all(children, S::kComplete)) return S::kComplete;
  if (interrupted) return S::kWaiting;
  if (all(candidates, S::kDelayed) && all(children, S::kDelayed)) return S::kDelayed;
  if (any(children, S::kPrepared)) return S::kInProgress;
  if (any(candidates, S::kWaiting)) return S::kWaiting;
  if (any(candidates, S::kInProgress)) return S::kInProgress;
  if (any(children, S::kComplete) &&
      (any(candidates, S::kPending) || any(candidates, S::kStarting) ||
       any(candidates, S::kStarted))) {
    return S::kInProgress;
  }
  if (any(candidates, S::kPending)) return S::kPending;
  if (any(children, S::kWaiting)) return S::kWaiting;
  if (any(candidates, S::kStarting)) return S::kStarting;
  if (any(candidates, S::kStarted)) return S::kStarted;
  if (any(children, S::kDelayed)) return S::kDelayed;
  if (anyRunningOrComplete(children)) return S::kInProgress;
  return S::kPending;
}

}  // namespace keel::plan
