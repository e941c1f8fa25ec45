// ConfigStore: every accepted service configuration by id, as opaque
// serialized text (the spec JSON), under /Configurations/<id>, and the id of
// the target configuration in /ConfigTarget.
//
// Configurations are immutable: storing an id again with the same text is a
// no-op, with other text AlreadyExists. Ids: non-empty, at most kMaxNameBytes
// bytes (normally UUIDs), encoded (keys.h).
//
// Thread-safety: as the Persister. Failure behaviour: the Persister's errors
// with the id as context.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "keel/state/persister.h"

namespace keel::state {

class ConfigStore {
 public:
  explicit ConfigStore(Persister& persister) : persister_(persister) {}

  Status store(const std::string& id, const std::string& text);
  // NotFound when `id` is not stored.
  Result<std::string> get(const std::string& id);
  // All stored ids, sorted bytewise.
  Result<std::vector<std::string>> list();

  // Makes `id` the target; NotFound unless it is stored (checked in the same
  // transaction as the write).
  Status setTarget(const std::string& id);
  // The target id, or nullopt before the first setTarget().
  Result<std::optional<std::string>> target();

  // Deletes every configuration that is neither the target nor in `inUse`
  // (e.g. ids still referenced by running tasks), in one transaction that
  // fails with Conflict if the target changed meanwhile. Returns the erased
  // ids.
  Result<std::vector<std::string>> eraseUnused(const std::set<std::string>& inUse);

 private:
  Result<std::string> pathOf(const std::string& id);
  Persister& persister_;
};

}  // namespace keel::state
