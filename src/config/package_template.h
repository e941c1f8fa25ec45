// Rendering marathon.json.mustache the way Cosmos does (see keel/package.h
// for the semantics), with kainjow mustache. Internal to keel_config.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "keel/result.h"

namespace keel::config {

// Renders `tmpl` against `context` (a JSON object). InvalidArgument naming
// `name` and the line for a malformed template; Unsupported for partials and
// delimiter changes.
Result<std::string> renderPackageTemplate(const std::string& tmpl, const nlohmann::json& context,
                                          const std::string& name);

// The text Cosmos renders for `value` in a variable tag.
std::string templateText(const nlohmann::json& value);

}  // namespace keel::config
