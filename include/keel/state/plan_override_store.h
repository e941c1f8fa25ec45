// PlanOverrideStore: durable plan overrides (interrupts, force-completes, pod
// overrides) so they survive a scheduler restart. Per plan name, a map of key
// to value, under /PlanOverrides/<plan>/<key>; the plan module chooses keys
// and values.
//
// Plan names and keys: non-empty, at most kMaxNameBytes bytes, any bytes
// (encoded, keys.h). Otherwise InvalidArgument.
//
// Thread-safety: as the Persister. Failure behaviour: the Persister's errors
// with the plan and key as context.
#pragma once

#include <map>
#include <string>

#include "keel/state/persister.h"

namespace keel::state {

class PlanOverrideStore {
 public:
  explicit PlanOverrideStore(Persister& persister);

  // Creates or overwrites the override.
  Status put(const std::string& plan, const std::string& key, const std::string& value);
  // Removes the override; OK when it is not stored (idempotent).
  Status erase(const std::string& plan, const std::string& key);
  // Every override of `plan` (decoded keys); empty when it has none.
  Result<std::map<std::string, std::string>> list(const std::string& plan);

 private:
  Persister& persister_;
};

}  // namespace keel::state
