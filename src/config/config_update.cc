#include "keel/config/config_update.h"

#include "keel/spec_json.h"

namespace keel::config {
namespace {

TargetDecision firstTarget(const spec::ServiceSpec& candidate,
                           const std::vector<ConfigValidator>& extra) {
  TargetDecision d;
  d.kind = TargetDecision::Kind::kFirst;
  d.errors = validateFirstConfig(candidate, extra);
  if (!d.errors.empty()) return d;
  d.target = candidate;
  d.storeCandidate = true;
  return d;
}

}  // namespace

const char* targetDecisionName(TargetDecision::Kind kind) {
  switch (kind) {
    case TargetDecision::Kind::kFirst:
      return "first";
    case TargetDecision::Kind::kUnchanged:
      return "unchanged";
    case TargetDecision::Kind::kUpdate:
      return "update";
    case TargetDecision::Kind::kRefused:
      return "refused";
  }
  return "unknown";
}

Result<TargetDecision> decideTarget(const std::optional<std::string>& storedTargetJson,
                                    const spec::ServiceSpec& candidate,
                                    const std::vector<ConfigValidator>& extra) {
  if (!storedTargetJson) return firstTarget(candidate, extra);
  Result<spec::ServiceSpec> stored = spec::serviceSpecFromJson(*storedTargetJson);
  if (!stored) {
    return Status::corruption("the stored target configuration cannot be read: " +
                              stored.error().message());
  }
  TargetDecision d;
  d.diff = diffConfigs(*stored, candidate);
  d.errors = validateConfigChange(*stored, candidate, extra);
  if (!d.errors.empty()) {
    d.kind = TargetDecision::Kind::kRefused;
    d.target = std::move(*stored);
    return d;
  }
  d.kind = d.diff.empty() ? TargetDecision::Kind::kUnchanged : TargetDecision::Kind::kUpdate;
  d.storeCandidate = d.kind == TargetDecision::Kind::kUpdate;
  d.target = candidate;
  return d;
}

}  // namespace keel::config
