// DirtyAssets: the pod instances being worked on in one selection round.
// A pod instance ("data-2") is an *asset*: at most one step across all plans
// may work on it at a time. An asset is dirty when a step working on it is
// PREPARED or STARTING, or when a step on it was already chosen this round.
//
// An open-addressing table of the owning steps, keyed by their pod-instance
// names with the hash cached in the step, so neither a lookup nor an insert
// hashes a string or allocates a node: the steps must outlive the
// DirtyAssets (it lives for one selection round).
//
// Not thread-safe; a value used by one selection.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

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

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

 private:
  // The slot holding `name`, or the empty slot where it would go.
  size_t find(std::string_view name, size_t hash) const;
  void grow();

  std::vector<const Step*> slots_;  // size a power of two, at most half full
  size_t size_ = 0;
};

}  // namespace keel::plan
