#include "keel/state/framework_store.h"

#include "keel/state/layout.h"

namespace keel::state {

Result<std::optional<std::string>> FrameworkStore::get() {
  Result<Node> node = persister_.get(layout::kFrameworkId);
  if (node.has_value()) return std::optional<std::string>(std::move(node->value));
  if (node.error().code() == StatusCode::kNotFound) return std::optional<std::string>();
  return node.error().withContext("reading the framework ID");
}

Status FrameworkStore::set(const std::string& frameworkId) {
  if (frameworkId.empty()) return Status::invalidArgument("empty framework ID");
  return persister_.set(layout::kFrameworkId, frameworkId)
      .status()
      .withContext("storing the framework ID");
}

Status FrameworkStore::clear() {
  Status erased = persister_.erase(layout::kFrameworkId);
  if (erased.code() == StatusCode::kNotFound) return Status::ok();
  return erased.withContext("clearing the framework ID");
}

}  // namespace keel::state
