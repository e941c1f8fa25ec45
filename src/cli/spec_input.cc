#include "cli/spec_input.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "keel/env_file.h"
#include "keel/package.h"

namespace keel::cli {
namespace {

namespace fs = std::filesystem;

spec::Diagnostic inputError(const std::string& file, const std::string& message) {
  spec::Diagnostic d;
  d.file = file;
  d.message = message;
  return d;
}

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void overlay(std::map<std::string, std::string>& base,
             const std::map<std::string, std::string>& top) {
  for (const auto& [k, v] : top) base[k] = v;
}

// Adds the env rendered from the package options, or records why it failed.
void addOptionsEnv(const SpecInput& input, LoadedSpec& out) {
  auto text = readFile(input.optionsFile);
  if (!text) {
    out.inputErrors.push_back(inputError(input.optionsFile, text.error().message()));
    return;
  }
  std::string packageDir =
      input.packageDir.empty() ? findPackageDir(input.specPath) : input.packageDir;
  if (packageDir.empty()) {
    out.inputErrors.push_back(inputError(
        input.optionsFile, "no package found for these options: looked for universe/ beside " +
                               input.specPath + " and in its parent; pass --package DIR"));
    return;
  }
  PackageRenderOptions options;
  options.optionsName = input.optionsFile;
  auto rendered = renderPackageEnv(packageDir, *text, options);
  if (!rendered) {
    // Each line of the message already names its file (the options, or the
    // package file at fault).
    out.inputErrors.push_back(inputError("", rendered.error().message()));
    return;
  }
  overlay(out.env, rendered->env);
}

}  // namespace

std::string findPackageDir(const std::string& specPath) {
  fs::path dir = fs::path(specPath).parent_path();
  for (const fs::path& candidate : {dir / "universe", dir.parent_path() / "universe"}) {
    std::error_code ec;
    if (fs::exists(candidate / "config.json", ec)) return candidate.string();
  }
  return "";
}

LoadedSpec loadSpecInput(const SpecInput& input) {
  LoadedSpec out;
  if (!input.envFile.empty()) {
    auto env = readEnvFile(input.envFile);
    if (env) {
      out.env = *env;
    } else {
      out.inputErrors.push_back(inputError(input.envFile, env.error().message()));
    }
  }
  if (input.useProcessEnv) overlay(out.env, processEnvironment());
  if (!input.optionsFile.empty()) addOptionsEnv(input, out);
  if (!out.inputErrors.empty()) return out;

  spec::LoadOptions options;
  options.env = out.env;
  options.strictRendering = input.strict;
  out.result = spec::loadServiceSpecFile(input.specPath, options);
  return out;
}

size_t printLoadDiagnostics(const LoadedSpec& loaded, std::ostream& err) {
  for (const auto* list : {&loaded.inputErrors, &loaded.result.warnings, &loaded.result.errors}) {
    for (const spec::Diagnostic& d : *list) err << d.toString() << "\n";
  }
  return loaded.inputErrors.size() + loaded.result.errors.size();
}

}  // namespace keel::cli
