// Reading a package directory: the files, build-parameter substitution, and
// JSON parsing with line/column errors. Internal to keel_config.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "keel/package.h"
#include "keel/result.h"

namespace keel::config {

struct PackageFiles {
  nlohmann::json schema;         // config.json
  std::string marathonTemplate;  // marathon.json.mustache
  nlohmann::json resource;       // resource.json, or null when absent
};

// Parses `text` as JSON; InvalidArgument "<name>: line L, column C: <reason>",
// followed by the offending line's text when `quoteLine` (for generated text).
Result<nlohmann::json> parseJsonText(const std::string& text, const std::string& name,
                                     bool quoteLine = false);

// Replaces every "{{key}}" in `text` with its value.
std::string substituteParams(std::string text, const std::map<std::string, std::string>& params);

// Loads config.json, marathon.json.mustache and resource.json from `dir`
// after substituting the build parameters (options.buildParams, plus
// package.json's name/version when options.paramsFromPackageJson).
Result<PackageFiles> loadPackage(const std::string& dir, const PackageRenderOptions& options);

}  // namespace keel::config
