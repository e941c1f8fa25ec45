// The scheduler's startup decision about its target configuration
// (dcos-commons' DefaultConfigurationUpdater, the pure part): the spec it was
// started with (the candidate) against the stored target.
//
//   first      no stored target: the candidate becomes the target if the
//              static rules pass, else the scheduler has nothing to run
//   unchanged  the candidate equals the stored target: nothing to store
//   update     the change is valid: store the candidate as the new target;
//              `diff` says which pod instances get an update step
//   refused    the change is invalid: the stored target stays the target
//              (and is what the scheduler runs); `errors` are shown in the
//              deploy plan's errors and make health report the failure
//
// The caller stores and sets the target (state::ConfigStore); this function
// does no I/O. The candidate should already carry its routed TASKCFG_* env
// (config::withRoutedTaskEnv) so that the stored target is complete.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/config/config_diff.h"
#include "keel/config/config_validation.h"
#include "keel/result.h"
#include "keel/spec.h"

namespace keel::config {

struct TargetDecision {
  enum class Kind { kFirst, kUnchanged, kUpdate, kRefused };
  Kind kind = Kind::kFirst;
  // What the scheduler runs: the candidate, or the stored target when the
  // update is refused. Unset only for a first configuration that is refused.
  std::optional<spec::ServiceSpec> target;
  bool storeCandidate = false;      // kFirst without errors, kUpdate
  std::vector<ConfigError> errors;  // kRefused (and a refused kFirst)
  ConfigDiff diff;                  // stored target -> candidate; empty for kFirst
};

const char* targetDecisionName(TargetDecision::Kind kind);  // "first", ... "refused"

// `storedTargetJson` is the stored target configuration's text (spec JSON,
// keel/spec_json.h), nullopt before the first. Fails with Corruption when
// that text is not a service spec; never for a bad candidate (that is a
// refused decision).
Result<TargetDecision> decideTarget(const std::optional<std::string>& storedTargetJson,
                                    const spec::ServiceSpec& candidate,
                                    const std::vector<ConfigValidator>& extra = {});

}  // namespace keel::config
