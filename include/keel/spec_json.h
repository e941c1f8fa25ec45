// The JSON form of a ServiceSpec: what the config store keeps and
// GET /v1/configurations/<id> returns.
//
// Keys follow svc.yml's spelling ("resource-sets", "kill-grace-period");
// lists keep the model's order and maps are sorted, so equal specs give
// byte-identical JSON. Unset optionals are left out. The JSON carries config
// template contents, so a stored spec needs no files to be used again.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "keel/result.h"
#include "keel/spec.h"

namespace keel::spec {

enum class JsonStyle { kPretty, kCompact };

std::string toJson(const ServiceSpec& spec, JsonStyle style = JsonStyle::kPretty);

// InvalidArgument naming the offending key when the JSON is malformed or a
// value has the wrong type or an unknown enum name. serviceSpecFromJson(
// toJson(s)) == s for every spec s.
Result<ServiceSpec> serviceSpecFromJson(std::string_view json);

}  // namespace keel::spec
