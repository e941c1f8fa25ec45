#include "state/store_util.h"

#include <algorithm>

#include "keel/state/keys.h"

namespace keel::state::detail {

Result<std::optional<std::string>> getOptional(Persister& persister, const std::string& path) {
  Result<Node> node = persister.get(path);
  if (node.has_value()) return std::optional<std::string>(std::move(node->value));
  if (node.error().code() == StatusCode::kNotFound) return std::optional<std::string>();
  return node.error();
}

Result<std::vector<std::string>> listNames(Persister& persister, const std::string& parent) {
  Result<std::vector<std::string>> segments = persister.children(parent);
  if (!segments.has_value()) {
    if (segments.error().code() == StatusCode::kNotFound) return std::vector<std::string>();
    return segments.error();
  }
  std::vector<std::string> names;
  names.reserve(segments->size());
  for (const std::string& segment : *segments) {
    Result<std::string> name = decodeSegment(segment);
    if (!name.has_value()) return name.error().withContext("under " + parent);
    names.push_back(*std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace keel::state::detail
