// The inputs every spec-reading command shares: a svc.yml, the environment it
// is rendered against (an env file, the process environment, a package's
// options), and the loader's findings.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "keel/spec_loader.h"

namespace keel::cli {

struct SpecInput {
  std::string specPath;
  std::string envFile;      // KEY=VALUE lines; empty: none
  std::string optionsFile;  // package options JSON; empty: none
  std::string packageDir;   // empty: <spec dir>/universe, then <spec dir>/../universe
  bool strict = false;      // missing template variables are errors
  bool useProcessEnv = true;
};

struct LoadedSpec {
  spec::LoadResult result;
  std::map<std::string, std::string> env;  // what the spec was rendered with
  // Problems before the spec could be read (env file, options), in the same
  // form as the loader's errors.
  std::vector<spec::Diagnostic> inputErrors;
  bool ok() const { return inputErrors.empty() && result.ok(); }
};

// Builds the environment (env file < process environment < options) and loads
// the spec. Never throws; every problem is a Diagnostic.
LoadedSpec loadSpecInput(const SpecInput& input);

// Prints the input errors, the loader's warnings and its errors, one line
// each, to `err`; returns how many errors there were (0: the spec loaded).
size_t printLoadDiagnostics(const LoadedSpec& loaded, std::ostream& err);

// Where --options looks for the package when --package is not given.
std::string findPackageDir(const std::string& specPath);

}  // namespace keel::cli
