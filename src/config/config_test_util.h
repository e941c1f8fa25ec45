// Specs for config tests: the data-store tutorial's service as plain structs.
#pragma once

#include "keel/spec.h"

namespace keel::config::testutil {

inline spec::PodSpec dataStorePod(const std::string& type, int64_t count) {
  spec::PodSpec pod;
  pod.type = type;
  pod.count = count;
  pod.placement = "[[\"@type\", \"AVOID\", \"" + type + "\"]]";
  pod.uris = {"file:///scripts/" + type};
  spec::ResourceSetSpec set;
  set.id = "node-resource-set";
  set.cpus = 0.1;
  set.memoryMb = 64;
  set.volumes.push_back({"", type + "-container-path", spec::VolumeType::kRoot, 64, {}});
  pod.resourceSets.push_back(set);
  spec::TaskSpec task;
  task.name = "node";
  task.cmd = "bash " + type;
  task.resourceSet = set.id;
  task.healthCheck =
      spec::HealthCheckSpec{"stat " + type + "-container-path/output", 5, 30, 3, 0, 10};
  pod.tasks.push_back(task);
  return pod;
}

inline spec::ServiceSpec dataStore(int64_t dataCount = 3) {
  spec::ServiceSpec s;
  s.name = "data-store";
  s.scheduler.principal = "data-store-principal";
  s.pods.push_back(dataStorePod("meta-data", 2));
  s.pods.push_back(dataStorePod("data", dataCount));
  return s;
}

inline spec::PodSpec& podOf(spec::ServiceSpec& s, const std::string& type) {
  for (auto& p : s.pods) {
    if (p.type == type) return p;
  }
  return s.pods.front();
}

}  // namespace keel::config::testutil
