// Package options rendering: the scheduler environment a dcos-commons package
// produces for a set of user options, the way Cosmos and Marathon produce it.
//
// A package directory holds
//   config.json             JSON Schema (draft 4) of the user options, with defaults
//   marathon.json.mustache  the scheduler's Marathon app; its "env" object is the result
//   resource.json           optional; available to the template as resource.*
//   package.json            optional; read only when paramsFromPackageJson is set
//
// Steps (Cosmos' PackageDefinitionRenderer):
//   1. Build parameters (below) are substituted textually into the three files.
//   2. Defaults are taken from config.json: a property's "default", else an
//      object of its properties' defaults (recursively, empty objects dropped).
//   3. The user options are deep-merged over the defaults (objects merge key by
//      key; any other value replaces) and the result is validated against
//      config.json. Nothing is rendered when validation fails.
//   4. resource.json is added as "resource" and marathon.json.mustache is
//      rendered; its output must be a JSON object whose "env" members become
//      the environment.
//
// Template semantics (Cosmos, not HTML mustache):
//   - {{x}}, {{{x}}} and {{&x}} are the same: nothing is HTML-escaped.
//   - A string renders JSON-escaped without its quotes, so it can sit inside
//     a JSON string: [["hostname", "UNIQUE"]] renders as [[\"hostname\", ...]].
//   - Numbers render as the JSON text nlohmann prints for them: integers as
//     written, floats in shortest round-trip form keeping a fraction (1.0, 0.1,
//     1.15; 1e3 renders 1000.0). Booleans render true/false, null renders empty.
//   - An array renders as [e1, e2] with strings quoted (Java's List.toString
//     of Cosmos' values); an object renders as compact JSON.
//   - Sections: missing, null, false, "", 0 and [] are false; an array
//     iterates; an object is pushed as the context; anything else renders the
//     body once. Inverted sections are the opposite.
//   - A name missing from the data renders empty (no error), as in Cosmos.
//   - Delimiter changes ({{=<% %>=}}) and partials are not supported (error).
//
// Build parameters: dcos-commons' build tooling substitutes {{package-name}},
// {{package-version}}, {{package-build-time-epoch-ms}},
// {{package-build-time-str}}, {{artifact-dir}}, {{jre-url}}, ... into the
// package before it is published; Cosmos never sees them. keel cannot know
// them (there is no build), so by default none are set: a parameter left in
// resource.json stays literal text ("{{scheduler-jre-url}}") and one used by
// the template renders empty (PACKAGE_VERSION=). This is exactly what
// helloworld/defaults.env holds. Callers that know values pass them in
// buildParams; paramsFromPackageJson fills package-name and package-version
// from package.json (a version that is itself a "{{...}}" placeholder is not
// used). Build time is never invented: output stays deterministic.
//
// Thread-safety: pure functions apart from reading the package files.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "keel/result.h"

namespace keel {

// One way the options break config.json.
struct PackageDiagnostic {
  std::string file;     // the options' name, e.g. "options.json"
  std::string where;    // option path: "hello.count", "service.constraints[0]"
  std::string rule;     // schema keyword broken: "type", "enum", "minimum", "required", ...
  std::string allowed;  // what would be accepted: "an integer >= 1", "one of \"a\", \"b\""
  std::string found;    // the value found as JSON text, or "missing"
  std::string what;     // full sentence: "must be an integer >= 1 (schema: minimum 1), found 0"

  // "<file>: <where>: <what>"
  std::string toString() const;
  bool operator==(const PackageDiagnostic&) const = default;
};

struct PackageRenderOptions {
  // Name used for the options in messages (the CLI passes the file's path).
  std::string optionsName = "options.json";
  // Build parameters: each "{{key}}" in the package files becomes the value.
  std::map<std::string, std::string> buildParams;
  // Also set package-name / package-version from package.json (buildParams win).
  bool paramsFromPackageJson = false;
};

struct PackageEnv {
  std::map<std::string, std::string> env;
  // Non-fatal findings, e.g. "options.json: hello.colour: unknown option ...".
  std::vector<std::string> warnings;
};

// Validates `optionsJsonText` (empty or blank = no options) against the
// package's config.json after merging defaults. Returns the violations, empty
// when the options are valid. Fails (Status) when a package file is missing
// (NotFound naming the path) or unreadable, when config.json or the options
// are not JSON (InvalidArgument with line and column), when the options are
// not a JSON object, or when config.json is not a usable schema.
Result<std::vector<PackageDiagnostic>> checkPackageOptions(
    const std::string& packageDir, const std::string& optionsJsonText,
    const PackageRenderOptions& options = {});

// Renders the scheduler environment for `optionsJsonText` (empty = defaults
// only). Fails as checkPackageOptions does; with InvalidArgument listing every
// PackageDiagnostic (one toString() a line) when the options are invalid; with
// InvalidArgument naming the rendered line when the template's output is not
// a JSON object. Unknown option keys are errors where config.json says
// "additionalProperties": false and warnings elsewhere. Env values that are
// not strings become their JSON text; object values (secret references) are
// skipped with a warning.
Result<PackageEnv> renderPackageEnv(const std::string& packageDir,
                                    const std::string& optionsJsonText,
                                    const PackageRenderOptions& options = {});

}  // namespace keel
