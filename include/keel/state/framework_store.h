// FrameworkStore: the Mesos framework ID this service registered with, so a
// restarted scheduler re-registers as the same framework (/FrameworkID).
//
// Thread-safety: as the Persister. Failure behaviour: the Persister's errors,
// passed through with context.
#pragma once

#include <optional>
#include <string>

#include "keel/state/persister.h"

namespace keel::state {

class FrameworkStore {
 public:
  explicit FrameworkStore(Persister& persister) : persister_(persister) {}

  // The stored ID, or nullopt before the first registration.
  Result<std::optional<std::string>> get();
  // InvalidArgument for an empty ID.
  Status set(const std::string& frameworkId);
  // Forgets the ID (uninstall, or a framework removed by the master). OK when
  // there is none.
  Status clear();

 private:
  Persister& persister_;
};

}  // namespace keel::state
