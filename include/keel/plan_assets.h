// DirtyAssets: the pod instances being worked on in one selection round.
// A pod instance ("data-2") is an *asset*: at most one step across all plans
// may work on it at a time. An asset is dirty when a step working on it is
// PREPARED or STARTING, or when a step on it was already chosen this round.
//
// Keys are views of the owning steps' pod-instance names with their hash
// cached in the step, so a lookup does not hash a string: the steps must
// outlive the DirtyAssets (it lives for one selection round).
//
// Not thread-safe; a value used by one selection.
#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_map>

namespace keel::plan {

class Step;

class DirtyAssets {
 public:
  // Records that `owner` works on its pod instance. A step without a pod
  // instance is ignored; a pod instance already owned keeps its first owner.
  void add(const Step& owner);

  // Whether `step` may work on its pod instance now: it has none, nobody
  // holds it, or it is `step` itself that holds it.
  bool allows(const Step& step) const;

  // The step holding `podInstance`, or nullptr.
  const Step* owner(std::string_view podInstance) const;

  bool empty() const { return owners_.empty(); }
  size_t size() const { return owners_.size(); }

 private:
  struct Key {
    std::string_view name;
    size_t hash;
    bool operator==(const Key& o) const { return name == o.name; }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const { return k.hash; }
  };
  std::unordered_map<Key, const Step*, KeyHash> owners_;
};

}  // namespace keel::plan
