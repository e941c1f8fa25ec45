#include "keel/spec.h"

namespace keel::spec {

const char* goalStateName(GoalState g) {
  switch (g) {
    case GoalState::kRunning:
      return "RUNNING";
    case GoalState::kFinish:
      return "FINISH";
    case GoalState::kOnce:
      return "ONCE";
  }
  return "UNKNOWN";
}

const char* volumeTypeName(VolumeType t) {
  switch (t) {
    case VolumeType::kRoot:
      return "ROOT";
    case VolumeType::kMount:
      return "MOUNT";
  }
  return "UNKNOWN";
}

const TaskSpec* PodSpec::task(const std::string& name) const {
  for (const auto& t : tasks) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const ResourceSetSpec* PodSpec::resourceSet(const std::string& id) const {
  for (const auto& r : resourceSets) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const PodSpec* ServiceSpec::pod(const std::string& type) const {
  for (const auto& p : pods) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

const PlanSpec* ServiceSpec::plan(const std::string& name) const {
  for (const auto& p : plans) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string serviceRole(const ServiceSpec& spec) {
  std::string name = spec.name;
  if (!name.empty() && name.front() == '/') name.erase(name.begin());
  std::string role;
  for (char c : name) {
    if (c == '/') {
      role += "__";
    } else {
      role += c;
    }
  }
  return role + "-role";
}

}  // namespace keel::spec
