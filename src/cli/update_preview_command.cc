#include "cli/commands.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/rollout_plan.h"
#include "keel/config/config_diff.h"
#include "keel/config/config_validation.h"
#include "keel/config/task_env.h"
#include "keel/plan_json.h"
#include "keel/spec_json.h"
#include "keel/spec_validate.h"

namespace keel::cli {
namespace {

using nlohmann::json;

std::optional<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool looksLikeJson(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '{';
}

// Loads a svc.yml as the scheduler would store it. Prints the loader's
// findings; nullopt when it is invalid.
std::optional<spec::ServiceSpec> loadYaml(const SpecInput& input, std::ostream& err) {
  LoadedSpec loaded = loadSpecInput(input);
  for (const auto& d : loaded.inputErrors) err << d.toString() << "\n";
  for (const auto& d : loaded.result.warnings) err << d.toString() << "\n";
  for (const auto& d : loaded.result.errors) err << d.toString() << "\n";
  if (!loaded.ok()) {
    err << input.specPath << ": invalid; no update to preview\n";
    return std::nullopt;
  }
  return config::withRoutedTaskEnv(*loaded.result.spec, loaded.env);
}

// A stored configuration JSON, checked as a loaded spec would be.
std::optional<spec::ServiceSpec> loadStored(const std::string& path, const std::string& text,
                                            std::ostream& err) {
  Result<spec::ServiceSpec> stored = spec::serviceSpecFromJson(text);
  if (!stored) {
    err << path << ": " << stored.error().message() << "\n";
    return std::nullopt;
  }
  std::vector<spec::Diagnostic> errors = spec::validateServiceSpec(*stored, {path, nullptr});
  for (const auto& d : errors) err << d.toString() << "\n";
  if (errors.empty()) return *stored;
  err << path << ": not a valid stored configuration\n";
  return std::nullopt;
}

// The old configuration: a stored configuration JSON, or a svc.yml rendered
// with the --from-* inputs.
std::optional<spec::ServiceSpec> loadFrom(const UpdatePreviewArgs& args, std::ostream& err) {
  std::optional<std::string> text = readFile(args.from);
  if (!text) {
    err << args.from << ": cannot read the old configuration (--from)\n";
    return std::nullopt;
  }
  if (looksLikeJson(*text)) return loadStored(args.from, *text, err);
  SpecInput old = args.input;
  old.specPath = args.from;
  if (!args.fromEnvFile.empty()) old.envFile = args.fromEnvFile;
  if (!args.fromOptionsFile.empty()) old.optionsFile = args.fromOptionsFile;
  return loadYaml(old, err);
}

std::string summary(const config::ConfigDiff& diff) {
  auto count = [](const std::vector<std::string>& names) {
    return std::to_string(names.size()) + (names.size() == 1 ? " pod instance" : " pod instances");
  };
  return "relaunch " + count(diff.relaunchedInstances()) + ", add " + count(diff.addedInstances()) +
         ", decommission " + count(diff.decommissionedInstances()) + "\n";
}

json errorsJson(const std::vector<config::ConfigError>& errors) {
  json out = json::array();
  for (const auto& e : errors) {
    out.push_back({{"validator", e.validator}, {"where", e.where}, {"message", e.message}});
  }
  return out;
}

int printText(const UpdatePreviewArgs& args, const spec::ServiceSpec* to,
              const std::vector<config::ConfigError>& errors, const config::ConfigDiff& diff,
              std::ostream& out, std::ostream& err) {
  if (!errors.empty()) {
    for (const auto& e : errors) err << e.toString() << "\n";
    err << args.input.specPath << ": update refused (" << errors.size()
        << (errors.size() == 1 ? " error" : " errors")
        << "); the current configuration stays the target\n";
    return kExitInvalid;
  }
  out << config::formatConfigDiff(diff);
  if (diff.empty()) return kExitOk;
  out << summary(diff);
  Result<plan::Plan> rollout = rolloutPlan(*to, diff);
  if (!rollout) {
    err << args.input.specPath << ": " << rollout.error().message() << "\n";
    return kExitInvalid;
  }
  out << "\n" << rolloutText(*rollout);
  std::vector<std::string> gone = diff.decommissionedInstances();
  if (!gone.empty()) {
    out << "decommission plan (highest index first):";
    for (auto it = gone.rbegin(); it != gone.rend(); ++it) out << " " << *it;
    out << "\n";
  }
  return kExitOk;
}

}  // namespace

int runUpdatePreview(const UpdatePreviewArgs& args, std::ostream& out, std::ostream& err) {
  std::optional<spec::ServiceSpec> from = loadFrom(args, err);
  std::optional<spec::ServiceSpec> to = loadYaml(args.input, err);
  if (!from || !to) return kExitInvalid;
  std::vector<config::ConfigError> errors = config::validateConfigChange(*from, *to);
  config::ConfigDiff diff = config::diffConfigs(*from, *to);
  if (!args.json) return printText(args, &*to, errors, diff, out, err);
  json result = {{"valid", errors.empty()},
                 {"errors", errorsJson(errors)},
                 {"diff", json::parse(config::configDiffToJson(diff))}};
  if (Result<plan::Plan> rollout = rolloutPlan(*to, diff); errors.empty() && rollout) {
    result["plan"] = json::parse(plan::planToJson(*rollout));
  }
  out << result.dump(2) << "\n";
  return errors.empty() ? kExitOk : kExitInvalid;
}

}  // namespace keel::cli
