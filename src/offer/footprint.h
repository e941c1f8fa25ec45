// Internal: what a pod instance's previous launch holds (its footprint), read
// from the TaskInfos persisted for it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/offer/requirement.h"

namespace keel::offer::detail {

struct ScalarFootprint {
  std::string name;  // cpus, mem, gpus, disk (executor)
  std::string resourceId;
  int64_t millis = 0;
};

struct PortFootprint {
  std::string name;
  uint64_t port = 0;
  std::string resourceId;  // empty when the port was not reserved
};

struct VolumeFootprint {
  std::string containerPath;
  std::string persistenceId;
  std::string resourceId;
};

struct SetFootprint {
  std::vector<ScalarFootprint> scalars;
  std::vector<PortFootprint> ports;
  std::vector<VolumeFootprint> volumes;
  bool reserved = false;  // holds a resource_id

  const ScalarFootprint* scalar(std::string_view name) const;
  const PortFootprint* port(std::string_view name) const;
  const VolumeFootprint* volume(std::string_view containerPath) const;
};

struct PodFootprint {
  std::map<std::string, SetFootprint, std::less<>> sets;  // by resource set id
  SetFootprint executor;                                  // executor scalars, pod volumes
  std::optional<mesos::ExecutorInfo> executorInfo;
  std::string agentId;

  const SetFootprint* set(std::string_view id) const;
  bool reserved() const;
};

PodFootprint extractFootprint(const PodInstanceRequirement& requirement);

// "name:port,name:port" as in the `ports` TaskInfo label.
std::vector<std::pair<std::string, uint64_t>> parsePortsLabel(std::string_view text);

}  // namespace keel::offer::detail
