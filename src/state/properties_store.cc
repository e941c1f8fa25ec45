#include "keel/state/properties_store.h"

#include "keel/state/keys.h"
#include "keel/state/layout.h"
#include "state/store_util.h"

namespace keel::state {

Status PropertiesStore::validateKey(std::string_view key) {
  if (key.empty()) return Status::invalidArgument("empty property key");
  if (key.size() > kMaxNameBytes) {
    return Status::invalidArgument("property key longer than " + std::to_string(kMaxNameBytes) +
                                   " bytes");
  }
  for (char c : key) {
    if (c < '!' || c > '~') {
      return Status::invalidArgument("property key \"" + std::string(key) +
                                     "\" has a byte outside '!'..'~'");
    }
  }
  return Status::ok();
}

Result<std::string> PropertiesStore::pathOf(const std::string& key) {
  KEEL_RETURN_IF_ERROR(validateKey(key));
  KEEL_ASSIGN_OR_RETURN(std::string segment, encodeSegment(key));
  return childPath(layout::kProperties, segment);
}

Status PropertiesStore::put(const std::string& key, const std::string& value) {
  KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(key));
  return persister_.set(path, value).status().withContext("storing property \"" + key + "\"");
}

Result<std::optional<std::string>> PropertiesStore::get(const std::string& key) {
  KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(key));
  Result<std::optional<std::string>> value = detail::getOptional(persister_, path);
  if (value.has_value()) return value;
  return value.error().withContext("reading property \"" + key + "\"");
}

Status PropertiesStore::erase(const std::string& key) {
  KEEL_ASSIGN_OR_RETURN(std::string path, pathOf(key));
  return persister_.erase(path).withContext("erasing property \"" + key + "\"");
}

Result<std::vector<std::string>> PropertiesStore::keys() {
  Result<std::vector<std::string>> keys = detail::listNames(persister_, layout::kProperties);
  if (keys.has_value()) return keys;
  return keys.error().withContext("listing properties");
}

}  // namespace keel::state
