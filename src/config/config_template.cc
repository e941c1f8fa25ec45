#include "keel/config/config_template.h"

#include <algorithm>
#include <sstream>

#include "keel/mustache.h"

namespace keel::config {
namespace {

std::vector<std::string> pathComponents(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '/')) {
    if (!part.empty() && part != ".") parts.push_back(part);
  }
  return parts;
}

std::string describe(const spec::ConfigFileSpec& config) {
  std::string out = "config '" + config.name + "'";
  if (!config.templatePath.empty()) out += " (template " + config.templatePath + ")";
  return out;
}

std::string missingList(const std::vector<MissingVariable>& missing) {
  std::string out;
  for (const MissingVariable& m : missing) {
    if (!out.empty()) out += ", ";
    out += m.name + " (line " + std::to_string(m.line) + ")";
  }
  return out;
}

}  // namespace

Status checkConfigDest(const std::string& configName, const std::string& dest) {
  std::string what = "config '" + configName + "': dest '" + dest + "'";
  if (dest.empty()) {
    return Status::invalidArgument(what + " is empty; set `dest` to a file path relative to " +
                                   "the task's sandbox, e.g. conf/" + configName);
  }
  if (dest.front() == '/') {
    std::string relative = dest.substr(std::min(dest.find_first_not_of('/'), dest.size()));
    return Status::invalidArgument(what + " is absolute; config files are written inside the " +
                                   "task's sandbox: use a relative path such as '" + relative +
                                   "'");
  }
  std::vector<std::string> parts = pathComponents(dest);
  for (const std::string& part : parts) {
    if (part == "..") {
      return Status::invalidArgument(what + " leaves the task's sandbox through '..'; use a " +
                                     "path below the sandbox without '..'");
    }
  }
  if (parts.empty()) {
    return Status::invalidArgument(what + " names the sandbox itself, not a file; add a file " +
                                   "name, e.g. conf/" + configName);
  }
  return Status::ok();
}

std::string normalizedConfigDest(const std::string& dest) {
  std::string out;
  for (const std::string& part : pathComponents(dest)) out += (out.empty() ? "" : "/") + part;
  return out;
}

Result<std::string> renderConfigTemplate(const spec::ConfigFileSpec& config, const Env& env) {
  KEEL_RETURN_IF_ERROR(checkConfigDest(config.name, config.dest));
  std::vector<MissingVariable> missing;
  Result<std::string> text = renderMustacheWithLines(config.content, env, &missing);
  if (!text) {
    return Status::invalidArgument(describe(config) + " for " + config.dest +
                                   ": the template is malformed: " + text.error().message());
  }
  if (!missing.empty()) {
    return Status::invalidArgument(describe(config) + " for " + config.dest +
                                   ": the task environment has no " + missingList(missing) +
                                   "; set it in the task's env, through TASKCFG_*, or remove it "
                                   "from the template");
  }
  return text;
}

Result<std::vector<RenderedConfig>> renderTaskConfigs(const spec::TaskSpec& task, const Env& env) {
  std::vector<RenderedConfig> out;
  for (const spec::ConfigFileSpec& config : task.configs) {
    Result<std::string> text = renderConfigTemplate(config, env);
    if (!text) return text.error().withContext("task '" + task.name + "'");
    out.push_back({config.name, normalizedConfigDest(config.dest), std::move(*text)});
  }
  return out;
}

}  // namespace keel::config
