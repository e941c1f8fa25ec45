#include "keel/state/layout.h"

#include <string>

namespace keel::state::layout {

Status ensureLayoutVersion(Persister& persister) {
  Result<Node> stored = persister.get(kSchemaVersion);
  if (!stored.has_value()) {
    if (stored.error().code() != StatusCode::kNotFound) return stored.error();
    Result<Version> written =
        persister.set(kSchemaVersion, std::to_string(kLayoutVersion), Expect::absent());
    return written.status();
  }
  const std::string& text = stored->value;
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::corruption(std::string(kSchemaVersion) + " holds \"" + text.substr(0, 32) +
                              "\", not a number");
  }
  int version = std::stoi(text);
  if (version > kLayoutVersion) {
    return Status::unsupported("state layout version " + text + " is newer than this keel (" +
                               std::to_string(kLayoutVersion) + ")");
  }
  if (version < kLayoutVersion) {
    return Status::unsupported("state layout version " + text + " predates this keel (" +
                               std::to_string(kLayoutVersion) + ") and has no migration");
  }
  return Status::ok();
}

}  // namespace keel::state::layout
