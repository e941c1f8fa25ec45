#include "offer/footprint.h"

#include <charconv>

#include "keel/offer/task_labels.h"
#include "offer/resource_util.h"

namespace keel::offer::detail {

namespace {

template <typename T, typename Key>
const T* findBy(const std::vector<T>& items, Key T::*member, std::string_view key) {
  for (const auto& item : items) {
    if (item.*member == key) return &item;
  }
  return nullptr;
}

void addResources(SetFootprint& set, const std::vector<mesos::Resource>& resources) {
  for (const auto& r : resources) {
    std::string_view id = resourceId(r);
    if (!id.empty()) set.reserved = true;
    if (r.disk && r.disk->persistence) {
      std::string path = r.disk->volume ? r.disk->volume->containerPath : "";
      set.volumes.push_back({path, r.disk->persistence->id, std::string(id)});
    } else if (r.type == mesos::Value::Type::kScalar && r.scalar && !id.empty()) {
      set.scalars.push_back({r.name, std::string(id), scalarToMillis(r.scalar->value)});
    }
  }
}

// The reserved port resource holding `port`, if any.
std::string_view portResourceId(const std::vector<mesos::Resource>& resources, uint64_t port) {
  for (const auto& r : resources) {
    if (r.name != "ports" || !r.ranges) continue;
    for (const auto& range : r.ranges->range) {
      if (port >= range.begin && port <= range.end) return resourceId(r);
    }
  }
  return {};
}

void addPorts(SetFootprint& set, const mesos::TaskInfo& task) {
  if (!task.labels) return;
  auto text = labelValue(*task.labels, kLabelPorts);
  if (!text) return;
  for (auto& [name, port] : parsePortsLabel(*text)) {
    std::string id(portResourceId(task.resources, port));
    if (!id.empty()) set.reserved = true;
    set.ports.push_back({std::move(name), port, std::move(id)});
  }
}

const spec::TaskSpec* taskOf(const PodInstanceRequirement& req, const std::string& name) {
  std::string prefix = req.podInstanceName() + "-";
  if (name.rfind(prefix, 0) != 0) return nullptr;
  return req.pod.task(name.substr(prefix.size()));
}

}  // namespace

const ScalarFootprint* SetFootprint::scalar(std::string_view name) const {
  return findBy(scalars, &ScalarFootprint::name, name);
}
const PortFootprint* SetFootprint::port(std::string_view name) const {
  return findBy(ports, &PortFootprint::name, name);
}
const VolumeFootprint* SetFootprint::volume(std::string_view containerPath) const {
  return findBy(volumes, &VolumeFootprint::containerPath, containerPath);
}

const SetFootprint* PodFootprint::set(std::string_view id) const {
  auto it = sets.find(id);
  return it == sets.end() ? nullptr : &it->second;
}

bool PodFootprint::reserved() const {
  if (executor.reserved) return true;
  for (const auto& [id, set] : sets) {
    if (set.reserved) return true;
  }
  return false;
}

std::vector<std::pair<std::string, uint64_t>> parsePortsLabel(std::string_view text) {
  std::vector<std::pair<std::string, uint64_t>> out;
  while (!text.empty()) {
    size_t end = text.find(',');
    std::string_view item = text.substr(0, end);
    size_t colon = item.rfind(':');
    uint64_t port = 0;
    if (colon != std::string_view::npos &&
        std::from_chars(item.data() + colon + 1, item.data() + item.size(), port).ec ==
            std::errc()) {
      out.emplace_back(std::string(item.substr(0, colon)), port);
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

PodFootprint extractFootprint(const PodInstanceRequirement& requirement) {
  PodFootprint footprint;
  for (const auto& task : requirement.previousTasks) {
    const spec::TaskSpec* spec = taskOf(requirement, task.name);
    if (spec == nullptr) continue;
    if (footprint.agentId.empty()) footprint.agentId = task.agentId.value;
    if (task.executor && !footprint.executorInfo) {
      footprint.executorInfo = task.executor;
      addResources(footprint.executor, task.executor->resources);
    }
    auto [it, inserted] = footprint.sets.try_emplace(spec->resourceSet);
    if (!inserted) continue;
    addResources(it->second, task.resources);
    addPorts(it->second, task);
  }
  return footprint;
}

}  // namespace keel::offer::detail
