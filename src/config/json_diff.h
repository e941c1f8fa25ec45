// A generic, key-path diff of two JSON values, for config diffs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/config/config_diff.h"

namespace keel::config::internal {

// Every leaf that differs between `a` and `b`, below `path` ("" for the
// root). Objects are compared key by key; arrays of objects are matched by
// the first of "name", "id", "type", "path", "index" that identifies every
// element of both sides (else by position, "[i]"); other arrays are compared
// as one value. A null `a` or `b` means absent.
void diffJson(const nlohmann::json& a, const nlohmann::json& b, const std::string& path,
              std::vector<FieldChange>& out);

}  // namespace keel::config::internal
