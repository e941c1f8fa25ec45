// Internal: the svc.yml mapping from YAML nodes onto the spec model, split
// by level (service, pod, task). Used by spec_loader.cc only.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "keel/result.h"
#include "keel/spec.h"
#include "yaml_reader.h"

namespace keel::spec::internal {

using TemplateReader = std::function<Result<std::string>(const std::string& path)>;

struct LoadContext {
  DiagnosticSink& sink;
  const TemplateReader& readTemplate;
};

PodSpec loadPod(const std::string& type, const Field& f, LoadContext& ctx);

// Appends the task to pod.tasks, and its inline resource set, named
// "<task>-resource-set", to pod.resourceSets.
void loadTask(const std::string& name, const Field& f, LoadContext& ctx, PodSpec& pod);

// The resource keys shared by `resource-sets.<id>` and a task's inline
// resources: cpus, gpus, memory, ports, volume/volumes, resource-limits.
inline const std::vector<std::string>& resourceKeys() {
  static const std::vector<std::string> keys = {"cpus",   "gpus",    "memory",         "ports",
                                                "volume", "volumes", "resource-limits"};
  return keys;
}
ResourceSetSpec loadResources(const std::string& id, MapReader& m, const std::string& path,
                              LoadContext& ctx);

// `volume:` and/or `volumes:` of `m` (both at once is an error).
std::vector<VolumeSpec> loadVolumes(MapReader& m, const std::string& path, LoadContext& ctx);

// "k:v,k2:v2" -> pairs; an error at `path` when malformed. Empty text: none.
std::vector<std::pair<std::string, std::string>> parseLabels(const std::string& text,
                                                             const std::string& path,
                                                             DiagnosticSink& sink);

std::vector<PlanSpec> loadPlans(const Field& f, LoadContext& ctx);

// Joins allowed values for messages: "RUNNING, FINISH, ONCE".
std::string joinAllowed(const std::vector<std::string>& values);

}  // namespace keel::spec::internal
