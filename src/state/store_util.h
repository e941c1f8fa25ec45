// Helpers shared by the stores over a Persister.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/state/persister.h"

namespace keel::state::detail {

// The value at `path`, nullopt when there is no node.
Result<std::optional<std::string>> getOptional(Persister& persister, const std::string& path);

// Decoded names of the children of `parent`, sorted; empty when `parent`
// does not exist. Corruption when a stored segment is not an encoding.
Result<std::vector<std::string>> listNames(Persister& persister, const std::string& parent);

}  // namespace keel::state::detail
