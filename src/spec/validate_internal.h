// Internal: validation rules, split by subject. Used by spec_validate.cc.
#pragma once

#include <string>

#include "keel/spec.h"
#include "yaml_reader.h"

namespace keel::spec::internal {

std::string podPath(const PodSpec& pod);
std::string taskPath(const PodSpec& pod, const TaskSpec& task);
// Where a resource set was declared: the task for an inline set, else
// "pods.<pod>.resource-sets.<id>".
std::string resourceSetPath(const PodSpec& pod, const ResourceSetSpec& rs,
                            const KeyLocations& locations);

void validateResourceSet(const PodSpec& pod, const ResourceSetSpec& rs, DiagnosticSink& sink);
void validateVolume(const VolumeSpec& v, const std::string& path, DiagnosticSink& sink);
void validateTask(const PodSpec& pod, const TaskSpec& task, DiagnosticSink& sink);
void validatePodContainer(const PodSpec& pod, DiagnosticSink& sink);

}  // namespace keel::spec::internal
