// PropertiesStore: free key/value pairs of the scheduler (/Properties/<key>),
// e.g. "uninstalling", "last-completed-update-type".
//
// Keys: non-empty, at most kMaxNameBytes bytes, printable ASCII without
// spaces ('!'..'~'); anything else is InvalidArgument. Keys are encoded
// (keys.h) so '/' in a key stays inside /Properties. Values are bytes.
//
// Thread-safety: as the Persister. Failure behaviour: the Persister's errors
// with the key as context.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/state/persister.h"

namespace keel::state {

class PropertiesStore {
 public:
  explicit PropertiesStore(Persister& persister) : persister_(persister) {}

  static Status validateKey(std::string_view key);

  Status put(const std::string& key, const std::string& value);
  // nullopt when the key is not stored.
  Result<std::optional<std::string>> get(const std::string& key);
  // NotFound when the key is not stored.
  Status erase(const std::string& key);
  // All stored keys, sorted bytewise.
  Result<std::vector<std::string>> keys();

 private:
  Result<std::string> pathOf(const std::string& key);
  Persister& persister_;
};

}  // namespace keel::state
