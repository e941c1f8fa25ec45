// MemoryPersister: the Persister held in process memory. For tests,
// simulation and the dry-run tools; nothing survives the object.
//
// Thread-safety: all methods may be called concurrently (one mutex).
// Failure behaviour: only the contract errors of persister.h (Conflict,
// NotFound, FailedPrecondition, InvalidArgument); never IoError.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "keel/state/persister.h"

namespace keel::state {

class MemoryPersister final : public Persister {
 public:
  MemoryPersister() = default;
  MemoryPersister(const MemoryPersister&) = delete;
  MemoryPersister& operator=(const MemoryPersister&) = delete;

  Result<Node> get(const std::string& path) override;
  Result<std::vector<std::string>> children(const std::string& path) override;
  Result<std::vector<Version>> commit(const std::vector<Op>& ops) override;

 private:
  struct Undo {
    std::string path;
    std::optional<Node> before;
  };
  using NodeMap = std::map<std::string, Node, std::less<>>;

  Result<Version> applyLocked(const Op& op, size_t index, std::vector<Undo>* undo);
  Result<Version> setLocked(const Op& op, std::vector<Undo>* undo);
  Status eraseLocked(const Op& op, size_t index, std::vector<Undo>* undo);
  void rollbackLocked(std::vector<Undo>* undo);

  std::mutex mu_;
  NodeMap nodes_;  // every node but the root, keyed by full path
};

}  // namespace keel::state
