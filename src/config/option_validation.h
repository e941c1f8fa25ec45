// Validating merged options against config.json (valijson, JSON Schema draft
// 4) and describing each violation by option path and schema rule.
// Internal to keel_config.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/package.h"
#include "keel/result.h"

namespace keel::config {

// The violations of `document` against `schema`, in valijson's order; empty
// when valid. InvalidArgument when `schema` is not a usable JSON Schema.
Result<std::vector<PackageDiagnostic>> validateOptions(const nlohmann::json& schema,
                                                       const nlohmann::json& document,
                                                       const std::string& optionsName);

// What `value` at `where` breaks in `schema` (the subschema for that spot),
// for the keywords keel explains: type, enum, minimum, maximum, minLength,
// maxLength, pattern, required, additionalProperties. Checks only the spot
// itself, not its children. Empty when none of those is broken.
std::vector<PackageDiagnostic> describeViolations(const nlohmann::json& schema,
                                                  const nlohmann::json& value,
                                                  const std::string& where,
                                                  const std::string& optionsName);

}  // namespace keel::config
