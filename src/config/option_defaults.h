// Defaults from a config.json schema, merging user options over them, and
// finding option keys the schema does not declare. Internal to keel_config.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace keel::config {

// Cosmos' defaults document: for each entry of "properties", its "default",
// else (recursively) the defaults of its own "properties" when there are any.
// A property with neither is absent. Always returns an object.
nlohmann::json schemaDefaults(const nlohmann::json& schema);

// Merges `fragment` into `target`: when both are objects, key by key
// (recursively); otherwise `fragment` replaces `target`.
void deepMerge(nlohmann::json& target, const nlohmann::json& fragment);

// Warnings "<optionsName>: <path>: ..." for keys of `options` that `schema`
// does not declare where the schema leaves additionalProperties open (keys it
// forbids are validation errors, not warnings). Schemas with
// patternProperties are not second-guessed.
std::vector<std::string> unknownOptionWarnings(const nlohmann::json& schema,
                                               const nlohmann::json& options,
                                               const std::string& optionsName);

}  // namespace keel::config
