#include "config/option_defaults.h"

namespace keel::config {
namespace {

using nlohmann::json;

const json* member(const json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

void collectUnknown(const json& schema, const json& options, const std::string& path,
                    const std::string& optionsName, std::vector<std::string>& out) {
  const json* props = member(schema, "properties");
  if (!options.is_object() || props == nullptr || !props->is_object()) return;
  const json* additional = member(schema, "additionalProperties");
  const bool open = additional == nullptr || *additional == true;
  const bool patterned = member(schema, "patternProperties") != nullptr;
  for (const auto& [key, value] : options.items()) {
    const std::string where = path.empty() ? key : path + "." + key;
    auto declared = props->find(key);
    if (declared != props->end()) {
      collectUnknown(*declared, value, where, optionsName, out);
    } else if (open && !patterned) {
      out.push_back(optionsName + ": " + where + ": unknown option (config.json declares no '" +
                    key + "'" + (path.empty() ? "" : " under '" + path + "'") +
                    "); kept, but the package may not use it");
    }
  }
}

}  // namespace

nlohmann::json schemaDefaults(const nlohmann::json& schema) {
  json defaults = json::object();
  const json* props = member(schema, "properties");
  if (props == nullptr || !props->is_object()) return defaults;
  for (const auto& [name, property] : props->items()) {
    if (const json* value = member(property, "default")) {
      defaults[name] = *value;
    } else if (member(property, "properties") != nullptr) {
      json nested = schemaDefaults(property);
      if (!nested.empty()) defaults[name] = std::move(nested);
    }
  }
  return defaults;
}

void deepMerge(nlohmann::json& target, const nlohmann::json& fragment) {
  if (!target.is_object() || !fragment.is_object()) {
    target = fragment;
    return;
  }
  for (const auto& [key, value] : fragment.items()) {
    auto it = target.find(key);
    if (it == target.end()) {
      target[key] = value;
    } else {
      deepMerge(*it, value);
    }
  }
}

std::vector<std::string> unknownOptionWarnings(const nlohmann::json& schema,
                                               const nlohmann::json& options,
                                               const std::string& optionsName) {
  std::vector<std::string> out;
  collectUnknown(schema, options, "", optionsName, out);
  return out;
}

}  // namespace keel::config
