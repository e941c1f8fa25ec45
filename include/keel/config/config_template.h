// Config templates: a task's `configs: {name: {template, dest}}` rendered with
// the task's environment into files of its sandbox, before the task starts
// (dcos-commons' bootstrap did this inside the task).
//
// Rendering is keel/mustache.h (mustache.java semantics: {{X}} is
// HTML-escaped, {{{X}}} is not), strict: a variable the environment lacks is
// an error, as a half-rendered config file is worse than a task that does not
// start.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "keel/result.h"
#include "keel/spec.h"

namespace keel::config {

using Env = std::map<std::string, std::string>;

// OK when `dest` names a file inside the sandbox: non-empty, relative, and no
// ".." component. InvalidArgument naming the config and saying how to fix it
// otherwise ("config 'server': dest '/etc/x.conf' is absolute; ...").
Status checkConfigDest(const std::string& configName, const std::string& dest);

// `dest` without "." components and repeated '/' ("./conf//a.yml" ->
// "conf/a.yml"), for a dest that checkConfigDest accepts.
std::string normalizedConfigDest(const std::string& dest);

// Renders `config.content` with `env`. InvalidArgument naming the config and
// its template (and dest) when the template is malformed (with line and
// column) or uses variables `env` lacks (each name with its line), or when
// the dest is not accepted by checkConfigDest.
Result<std::string> renderConfigTemplate(const spec::ConfigFileSpec& config, const Env& env);

struct RenderedConfig {
  std::string name;
  std::string dest;  // normalized, relative to the sandbox
  std::string text;
  bool operator==(const RenderedConfig&) const = default;
};

// Every config of `task`, in declared order. Fails with the first config's
// error; the message names the task too.
Result<std::vector<RenderedConfig>> renderTaskConfigs(const spec::TaskSpec& task, const Env& env);

}  // namespace keel::config
