// The volumes rule: persistent volumes are created once, at a fixed path,
// type and size, and hold the data; a configuration cannot change them.
#include <set>

#include "validators.h"

namespace keel::config::internal {
namespace {

std::string volumeKey(const std::string& owner, const spec::VolumeSpec& v) {
  return v.name.empty() ? owner + ".volume" : owner + ".volumes." + v.name;
}

std::string profilesText(const std::vector<std::string>& profiles) {
  std::string out = "[";
  for (const std::string& p : profiles) out += (out.size() > 1 ? ", " : "") + p;
  return out + "]";
}

void refuse(const std::string& where, const std::string& path, const std::string& field,
            const std::string& was, const std::string& now, Errors& errors) {
  errors.push_back({"", where,
                    "the " + field + " of volume '" + path + "' cannot change (" + was + " -> " +
                        now +
                        "): a persistent volume keeps the path, type and size it was created "
                        "with, and holds the task's data. Set " +
                        field + " back to " + was});
}

void compareVolume(const std::string& where, const spec::VolumeSpec& was,
                   const spec::VolumeSpec& now, Errors& errors) {
  if (was.type != now.type) {
    refuse(where + ".type", was.path, "type", spec::volumeTypeName(was.type),
           spec::volumeTypeName(now.type), errors);
  }
  if (was.sizeMb != now.sizeMb) {
    refuse(where + ".size", was.path, "size", numberText(was.sizeMb) + " MB",
           numberText(now.sizeMb) + " MB", errors);
  }
  if (was.profiles != now.profiles) {
    refuse(where + ".profiles", was.path, "profiles", profilesText(was.profiles),
           profilesText(now.profiles), errors);
  }
}

const spec::VolumeSpec* byPath(const std::vector<spec::VolumeSpec>& volumes,
                               const std::string& path) {
  for (const spec::VolumeSpec& v : volumes) {
    if (v.path == path) return &v;
  }
  return nullptr;
}

// A volume of `now` with `old`'s name whose path is not in `was`: the same
// volume moved to another path.
const spec::VolumeSpec* moved(const spec::VolumeSpec& old, const std::vector<spec::VolumeSpec>& was,
                              const std::vector<spec::VolumeSpec>& now) {
  for (const spec::VolumeSpec& v : now) {
    if (v.name == old.name && byPath(was, v.path) == nullptr) return &v;
  }
  return nullptr;
}

void refuseRemoved(const std::string& owner, const spec::VolumeSpec& old, Errors& errors) {
  errors.push_back({"", volumeKey(owner, old),
                    "volume '" + old.path + "' (" + spec::volumeTypeName(old.type) + ", " +
                        numberText(old.sizeMb) +
                        " MB) cannot be removed: it holds the task's data. Restore it at path '" +
                        old.path + "'"});
}

// Volumes are matched by container path, then by name: a name found at
// another path is a moved volume; otherwise a path that disappears or appears
// is a removed or added volume.
void compareVolumes(const std::string& owner, const std::vector<spec::VolumeSpec>& was,
                    const std::vector<spec::VolumeSpec>& now, Errors& errors) {
  std::set<std::string> movedTo;
  for (const spec::VolumeSpec& old : was) {
    if (const spec::VolumeSpec* match = byPath(now, old.path)) {
      compareVolume(volumeKey(owner, *match), old, *match, errors);
    } else if (const spec::VolumeSpec* to = moved(old, was, now)) {
      movedTo.insert(to->path);
      refuse(volumeKey(owner, *to) + ".path", old.path, "container path", "'" + old.path + "'",
             "'" + to->path + "'", errors);
    } else {
      refuseRemoved(owner, old, errors);
    }
  }
  for (const spec::VolumeSpec& added : now) {
    if (byPath(was, added.path) != nullptr || movedTo.count(added.path)) continue;
    errors.push_back({"", volumeKey(owner, added),
                      "volume '" + added.path +
                          "' cannot be added to running instances: their reservations are fixed. "
                          "Remove it, or declare it on a new pod type"});
  }
}

const std::vector<spec::VolumeSpec>* taskVolumes(const spec::PodSpec& pod,
                                                 const spec::TaskSpec& task) {
  const spec::ResourceSetSpec* set = pod.resourceSet(task.resourceSet);
  return set == nullptr ? nullptr : &set->volumes;
}

void checkPodVolumes(const spec::PodSpec& was, const spec::PodSpec& now, Errors& errors) {
  compareVolumes("pods." + now.type, was.volumes, now.volumes, errors);
  std::set<std::string> compared;  // resource sets shared by tasks are compared once
  for (const spec::TaskSpec& task : now.tasks) {
    const spec::TaskSpec* oldTask = was.task(task.name);
    if (oldTask == nullptr) continue;
    const auto* oldVolumes = taskVolumes(was, *oldTask);
    const auto* newVolumes = taskVolumes(now, task);
    if (oldVolumes == nullptr || newVolumes == nullptr) continue;
    std::string owner = resourceSetPath(now, *now.resourceSet(task.resourceSet));
    if (!compared.insert(owner).second) continue;
    compareVolumes(owner, *oldVolumes, *newVolumes, errors);
  }
}

}  // namespace

void checkVolumes(const spec::ServiceSpec* oldTarget, const spec::ServiceSpec& candidate,
                  Errors& errors) {
  for (const spec::PodSpec& pod : candidate.pods) {
    if (const spec::PodSpec* old = oldTarget->pod(pod.type)) checkPodVolumes(*old, pod, errors);
  }
}

}  // namespace keel::config::internal
