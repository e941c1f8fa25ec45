#include "keel/state/config_store.h"

#include "keel/state/keys.h"
#include "keel/state/layout.h"
#include "state/store_util.h"

namespace keel::state {

Result<std::string> ConfigStore::pathOf(const std::string& id) {
  Result<std::string> segment = encodeSegment(id);
  if (!segment.has_value()) return segment.error().withContext("configuration id");
  return childPath(layout::kConfigurations, *segment);
}

Status ConfigStore::store(const std::string& id, const std::string& text) {
  KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(id));
  Result<Version> created = persister_.set(path, text, Expect::absent());
  if (created.has_value()) return Status::ok();
  if (created.error().code() != StatusCode::kConflict) {
    return created.error().withContext("storing configuration " + id);
  }
  KEEL_ASSIGN_OR_RETURN(std::string existing, get(id));
  if (existing == text) return Status::ok();
  return Status::alreadyExists("configuration " + id + " is stored with different content");
}

Result<std::string> ConfigStore::get(const std::string& id) {
  KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(id));
  Result<Node> node = persister_.get(path);
  if (node.has_value()) return std::move(node->value);
  if (node.error().code() == StatusCode::kNotFound) {
    return Status::notFound("no configuration " + id);
  }
  return node.error().withContext("reading configuration " + id);
}

Result<std::vector<std::string>> ConfigStore::list() {
  Result<std::vector<std::string>> ids = detail::listNames(persister_, layout::kConfigurations);
  if (ids.has_value()) return ids;
  return ids.error().withContext("listing configurations");
}

Status ConfigStore::setTarget(const std::string& id) {
  KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(id));
  Status committed =
      persister_.commit({Op::check(path), Op::set(layout::kConfigTarget, id)}).status();
  if (committed.code() == StatusCode::kNotFound) {
    return Status::notFound("cannot target configuration " + id + ": it is not stored");
  }
  return committed.withContext("setting the target configuration");
}

Result<std::optional<std::string>> ConfigStore::target() {
  Result<std::optional<std::string>> id = detail::getOptional(persister_, layout::kConfigTarget);
  if (id.has_value()) return id;
  return id.error().withContext("reading the target configuration");
}

Result<std::vector<std::string>> ConfigStore::eraseUnused(const std::set<std::string>& inUse) {
  Result<Node> targetNode = persister_.get(layout::kConfigTarget);
  std::vector<Op> ops;
  std::optional<std::string> target;
  if (targetNode.has_value()) {
    target = targetNode->value;
    ops.push_back(Op::check(layout::kConfigTarget, Expect::atVersion(targetNode->version)));
  } else if (targetNode.error().code() == StatusCode::kNotFound) {
    ops.push_back(Op::check(layout::kConfigTarget, Expect::absent()));
  } else {
    return targetNode.error().withContext("reading the target configuration");
  }
  KEEL_ASSIGN_OR_RETURN(std::vector<std::string> ids, list());
  std::vector<std::string> erased;
  for (const std::string& id : ids) {
    if (id == target || inUse.contains(id)) continue;
    KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(id));
    ops.push_back(Op::erase(path));
    erased.push_back(id);
  }
  if (erased.empty()) return erased;
  KEEL_RETURN_IF_ERROR(
      persister_.commit(ops).status().withContext("erasing unused configurations"));
  return erased;
}

}  // namespace keel::state
