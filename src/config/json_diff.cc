#include "json_diff.h"

#include <optional>
#include <set>

namespace keel::config::internal {
namespace {

using nlohmann::json;

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string text(const json& v) { return v.is_null() ? "" : v.dump(); }

// True when every element is an object whose `key` is a non-empty string,
// unique within the array.
bool identifies(const json& array, const std::string& key) {
  std::set<std::string> seen;
  for (const json& e : array) {
    if (!e.is_object() || !e.contains(key) || !e.at(key).is_string()) return false;
    const std::string& id = e.at(key).get_ref<const std::string&>();
    if (id.empty() || !seen.insert(id).second) return false;
  }
  return true;
}

std::optional<std::string> identifyingKey(const json& a, const json& b) {
  for (const char* key : {"name", "id", "type", "path", "index"}) {
    if (identifies(a, key) && identifies(b, key)) return key;
  }
  return std::nullopt;
}

bool holdsObjects(const json& array) {
  for (const json& e : array) {
    if (e.is_object()) return true;
  }
  return false;
}

const json* findById(const json& array, const std::string& key, const std::string& id) {
  for (const json& e : array) {
    if (e.at(key).get_ref<const std::string&>() == id) return &e;
  }
  return nullptr;
}

void diffKeyedArrays(const json& a, const json& b, const std::string& key, const std::string& path,
                     std::vector<FieldChange>& out) {
  for (const json& e : a) {
    const std::string& id = e.at(key).get_ref<const std::string&>();
    const json* match = findById(b, key, id);
    diffJson(e, match ? *match : json(), join(path, id), out);
  }
  for (const json& e : b) {
    const std::string& id = e.at(key).get_ref<const std::string&>();
    if (findById(a, key, id) == nullptr) diffJson(json(), e, join(path, id), out);
  }
}

void diffArrays(const json& a, const json& b, const std::string& path,
                std::vector<FieldChange>& out) {
  if (!holdsObjects(a) && !holdsObjects(b)) {
    out.push_back({path, text(a), text(b)});
    return;
  }
  if (auto key = identifyingKey(a, b)) return diffKeyedArrays(a, b, *key, path, out);
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    diffJson(i < a.size() ? a[i] : json(), i < b.size() ? b[i] : json(),
             path + "[" + std::to_string(i) + "]", out);
  }
}

void diffObjects(const json& a, const json& b, const std::string& path,
                 std::vector<FieldChange>& out) {
  for (const auto& [key, value] : a.items()) {
    diffJson(value, b.contains(key) ? b.at(key) : json(), join(path, key), out);
  }
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key)) diffJson(json(), value, join(path, key), out);
  }
}

}  // namespace

void diffJson(const json& a, const json& b, const std::string& path,
              std::vector<FieldChange>& out) {
  if (a == b) return;
  if (a.is_object() && b.is_object()) return diffObjects(a, b, path, out);
  if (a.is_array() && b.is_array()) return diffArrays(a, b, path, out);
  out.push_back({path, text(a), text(b)});
}

}  // namespace keel::config::internal
