// The svc.yml loader: renders the file with mustache against an environment,
// parses the YAML, maps it onto a ServiceSpec and validates it.
//
// Behaviour matches dcos-commons (RawServiceSpec + YAMLToInternalMappers):
// duplicate keys are errors, unknown keys are warnings, missing mustache
// variables render empty and are warnings (errors in strict mode). Every
// problem found is reported, not only the first, each with the file, the
// line and column, the key path, what was found and what is allowed.
//
// Thread-safety: the functions are reentrant; LoadOptions::readTemplate is
// called on the caller's thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/result.h"
#include "keel/spec.h"
#include "keel/spec_validate.h"

namespace keel::spec {

struct LoadOptions {
  // Values for {{VAR}} in the spec (the scheduler's environment in
  // dcos-commons; see processEnvironment() and readEnvFile()).
  std::map<std::string, std::string> env;
  // Missing variables are errors instead of warnings.
  bool strictRendering = false;
  // Reads a config template named by `configs.<name>.template`. Default:
  // the file relative to the spec file's directory (loadServiceSpecText: the
  // directory part of fileName, else the working directory). A failure is a
  // load error at that key.
  std::function<Result<std::string>(const std::string& path)> readTemplate;
};

struct LoadResult {
  std::optional<ServiceSpec> spec;  // set exactly when errors is empty
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
  KeyLocations locations;  // key path -> (line, column), for later checks
  std::string rendered;    // the YAML text after mustache rendering
  bool ok() const { return errors.empty(); }
};

LoadResult loadServiceSpecFile(const std::string& path, const LoadOptions& options);
LoadResult loadServiceSpecText(std::string_view text, const std::string& fileName,
                               const LoadOptions& options);

}  // namespace keel::spec
