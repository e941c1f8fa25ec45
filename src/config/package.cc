#include "keel/package.h"

#include <filesystem>

#include "config/option_defaults.h"
#include "config/option_validation.h"
#include "config/package_files.h"
#include "config/package_template.h"

namespace keel {
namespace {

using nlohmann::json;

struct Prepared {
  config::PackageFiles files;
  json userOptions;
  json merged;  // defaults with the user's options over them
  std::vector<PackageDiagnostic> diagnostics;
};

Result<json> parseOptions(const std::string& text, const std::string& name) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  KEEL_ASSIGN_OR_RETURN(json options, config::parseJsonText(text, name));
  if (!options.is_object()) {
    return Status::invalidArgument(name + ": must be a JSON object of options, found " +
                                   std::string(options.type_name()));
  }
  return options;
}

Result<Prepared> prepare(const std::string& packageDir, const std::string& optionsText,
                         const PackageRenderOptions& options) {
  Prepared p;
  KEEL_ASSIGN_OR_RETURN(p.files, config::loadPackage(packageDir, options));
  KEEL_ASSIGN_OR_RETURN(p.userOptions, parseOptions(optionsText, options.optionsName));
  p.merged = config::schemaDefaults(p.files.schema);
  config::deepMerge(p.merged, p.userOptions);
  KEEL_ASSIGN_OR_RETURN(p.diagnostics,
                        config::validateOptions(p.files.schema, p.merged, options.optionsName));
  return p;
}

// The rendered app's "env", values as strings.
Result<PackageEnv> extractEnv(const json& app, const std::string& name) {
  PackageEnv out;
  auto env = app.find("env");
  if (env == app.end()) return out;
  if (!env->is_object()) {
    return Status::invalidArgument(name + ": \"env\" must be an object, found " +
                                   std::string(env->type_name()));
  }
  for (const auto& [key, value] : env->items()) {
    if (value.is_string()) {
      out.env[key] = value.get<std::string>();
    } else if (value.is_object() || value.is_array() || value.is_null()) {
      out.warnings.push_back(name + ": env " + key + " is " + value.type_name() +
                             " (e.g. a secret reference), not a string; skipped");
    } else {
      out.env[key] = value.dump();
    }
  }
  return out;
}

std::string joinDiagnostics(const std::vector<PackageDiagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += (out.empty() ? "" : "\n") + d.toString();
  return out;
}

}  // namespace

std::string PackageDiagnostic::toString() const {
  return file + ": " + (where.empty() ? "" : where + ": ") + what;
}

Result<std::vector<PackageDiagnostic>> checkPackageOptions(const std::string& packageDir,
                                                           const std::string& optionsJsonText,
                                                           const PackageRenderOptions& options) {
  KEEL_ASSIGN_OR_RETURN(Prepared p, prepare(packageDir, optionsJsonText, options));
  return std::move(p.diagnostics);
}

Result<PackageEnv> renderPackageEnv(const std::string& packageDir,
                                    const std::string& optionsJsonText,
                                    const PackageRenderOptions& options) {
  KEEL_ASSIGN_OR_RETURN(Prepared p, prepare(packageDir, optionsJsonText, options));
  if (!p.diagnostics.empty()) return Status::invalidArgument(joinDiagnostics(p.diagnostics));

  json context = std::move(p.merged);
  if (!p.files.resource.is_null()) context["resource"] = p.files.resource;
  const std::string name = (std::filesystem::path(packageDir) / "marathon.json.mustache").string();
  KEEL_ASSIGN_OR_RETURN(std::string rendered,
                        config::renderPackageTemplate(p.files.marathonTemplate, context, name));
  KEEL_ASSIGN_OR_RETURN(json app, config::parseJsonText(rendered, name + " (rendered)", true));
  if (!app.is_object()) {
    return Status::invalidArgument(name + " (rendered): must be a JSON object, found " +
                                   std::string(app.type_name()));
  }
  KEEL_ASSIGN_OR_RETURN(PackageEnv out, extractEnv(app, name));
  std::vector<std::string> warnings =
      config::unknownOptionWarnings(p.files.schema, p.userOptions, options.optionsName);
  out.warnings.insert(out.warnings.begin(), warnings.begin(), warnings.end());
  return out;
}

}  // namespace keel
