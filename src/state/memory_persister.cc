#include "keel/state/memory_persister.h"

#include "keel/state/keys.h"
#include "state/op_rules.h"

namespace keel::state {
namespace {

// Everything strictly under `path` sorts in [prefix, prefixEnd).
std::string subtreePrefix(const std::string& path) { return path == "/" ? "/" : path + "/"; }
std::string subtreeEnd(std::string prefix) {
  prefix.back() = '/' + 1;
  return prefix;
}

}  // namespace

Result<Node> MemoryPersister::get(const std::string& path) {
  KEEL_RETURN_IF_ERROR(validatePath(path));
  if (path == "/") return Status::invalidArgument("the root holds no value");
  std::lock_guard lock(mu_);
  auto it = nodes_.find(path);
  if (it == nodes_.end()) return Status::notFound("no state node " + path);
  return it->second;
}

Result<std::vector<std::string>> MemoryPersister::children(const std::string& path) {
  KEEL_RETURN_IF_ERROR(validatePath(path));
  std::lock_guard lock(mu_);
  if (path != "/" && !nodes_.contains(path)) return Status::notFound("no state node " + path);
  std::string prefix = subtreePrefix(path);
  std::vector<std::string> names;
  auto end = nodes_.lower_bound(subtreeEnd(prefix));
  for (auto it = nodes_.lower_bound(prefix); it != end; ++it) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    if (rest.find('/') == std::string_view::npos) names.emplace_back(rest);
  }
  return names;
}

Result<std::vector<Version>> MemoryPersister::commit(const std::vector<Op>& ops) {
  KEEL_RETURN_IF_ERROR(detail::validateOps(ops));
  std::lock_guard lock(mu_);
  std::vector<Undo> undo;
  std::vector<Version> versions;
  versions.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    Result<Version> applied = applyLocked(ops[i], i, &undo);
    if (!applied.has_value()) {
      rollbackLocked(&undo);
      return applied.error();
    }
    versions.push_back(*applied);
  }
  return versions;
}

Result<Version> MemoryPersister::applyLocked(const Op& op, size_t index, std::vector<Undo>* undo) {
  auto it = nodes_.find(op.path);
  const Node* current = it == nodes_.end() ? nullptr : &it->second;
  KEEL_RETURN_IF_ERROR(detail::checkExpectation(op, index, current));
  switch (op.kind) {
    case Op::Kind::kSet:
      return setLocked(op, undo);
    case Op::Kind::kErase:
      KEEL_RETURN_IF_ERROR(eraseLocked(op, index, undo));
      return Version{0};
    case Op::Kind::kCheck:
      return current == nullptr ? Version{0} : current->version;
  }
  return Status::internal("unknown op kind");
}

Result<Version> MemoryPersister::setLocked(const Op& op, std::vector<Undo>* undo) {
  for (std::string parent = parentPath(op.path); parent != "/"; parent = parentPath(parent)) {
    auto [it, inserted] = nodes_.try_emplace(parent, Node{"", 1});
    if (!inserted) break;
    undo->push_back({parent, std::nullopt});
  }
  auto it = nodes_.find(op.path);
  if (it == nodes_.end()) {
    undo->push_back({op.path, std::nullopt});
    nodes_.emplace(op.path, Node{op.value, 1});
    return Version{1};
  }
  undo->push_back({op.path, it->second});
  it->second.value = op.value;
  return ++it->second.version;
}

Status MemoryPersister::eraseLocked(const Op& op, size_t index, std::vector<Undo>* undo) {
  std::string prefix = subtreePrefix(op.path);
  auto first = nodes_.lower_bound(prefix);
  auto last = nodes_.lower_bound(subtreeEnd(prefix));
  if (first != last && !op.recursive) {
    return detail::opContext(op, index, Status::failedPrecondition("node has children"));
  }
  for (auto it = first; it != last; ++it) undo->push_back({it->first, it->second});
  nodes_.erase(first, last);
  auto self = nodes_.find(op.path);
  undo->push_back({op.path, self->second});
  nodes_.erase(self);
  return Status::ok();
}

void MemoryPersister::rollbackLocked(std::vector<Undo>* undo) {
  for (auto it = undo->rbegin(); it != undo->rend(); ++it) {
    if (it->before.has_value()) {
      nodes_.insert_or_assign(it->path, *it->before);
    } else {
      nodes_.erase(it->path);
    }
  }
  undo->clear();
}

}  // namespace keel::state
