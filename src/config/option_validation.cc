#include "config/option_validation.h"

#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

namespace keel::config {
namespace {

using nlohmann::json;

// A spot valijson reported: the option path, its subschema (when found) and value.
struct Spot {
  std::string where;
  const json* schema = nullptr;
  const json* value = nullptr;
  std::string description;  // valijson's first description for the spot
};

const json* member(const json* node, const char* key) {
  if (node == nullptr || !node->is_object()) return nullptr;
  auto it = node->find(key);
  return it == node->end() ? nullptr : &*it;
}

std::string joinPath(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

std::string shortJson(const json& value) {
  std::string text = value.dump();
  return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

std::string kindOf(const json& value) {
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  return "null";
}

std::string typeNoun(const std::string& type) {
  static const std::map<std::string, std::string> kNouns = {
      {"integer", "an integer"}, {"number", "a number"},  {"string", "a string"},
      {"boolean", "a boolean"},  {"object", "an object"}, {"array", "an array"},
      {"null", "null"}};
  auto it = kNouns.find(type);
  return it == kNouns.end() ? type : it->second;
}

bool hasType(const json& value, const std::string& type) {
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "null") return value.is_null();
  return true;  // "any" or unknown: not keel's to judge
}

std::vector<std::string> declaredTypes(const json& schema) {
  const json* type = member(&schema, "type");
  std::vector<std::string> types;
  if (type != nullptr && type->is_string()) types.push_back(type->get<std::string>());
  if (type != nullptr && type->is_array()) {
    for (const auto& t : *type) {
      if (t.is_string()) types.push_back(t.get<std::string>());
    }
  }
  return types;
}

std::string joined(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

PackageDiagnostic diag(const std::string& file, const std::string& where, std::string rule,
                       std::string allowed, std::string found, std::string what) {
  return {file, where, std::move(rule), std::move(allowed), std::move(found), std::move(what)};
}

std::vector<PackageDiagnostic> typeOrEnum(const json& schema, const json& value,
                                          const std::string& where, const std::string& file) {
  std::vector<std::string> types = declaredTypes(schema);
  if (!types.empty() &&
      std::none_of(types.begin(), types.end(), [&](const auto& t) { return hasType(value, t); })) {
    std::vector<std::string> nouns;
    for (const auto& t : types) nouns.push_back(typeNoun(t));
    std::string allowed = joined(nouns, " or ");
    std::string found = shortJson(value) + " (" + kindOf(value) + ")";
    return {
        diag(file, where, "type", allowed, found,
             "must be " + allowed + " (schema: type " + joined(types, ", ") + "), found " + found)};
  }
  const json* choices = member(&schema, "enum");
  if (choices != nullptr && choices->is_array() &&
      std::find(choices->begin(), choices->end(), value) == choices->end()) {
    std::vector<std::string> items;
    for (const auto& c : *choices) items.push_back(c.dump());
    std::string allowed = "one of " + joined(items, ", ");
    return {diag(file, where, "enum", allowed, shortJson(value),
                 "must be " + allowed + " (schema: enum), found " + shortJson(value))};
  }
  return {};
}

std::string numberNoun(const json& schema) {
  std::vector<std::string> types = declaredTypes(schema);
  return types.size() == 1 && types[0] == "integer" ? "an integer" : "a number";
}

// minimum / maximum, with draft-4 boolean exclusiveMinimum / exclusiveMaximum.
void checkBound(const json& schema, const json& value, const std::string& where,
                const std::string& file, bool lower, std::vector<PackageDiagnostic>& out) {
  const char* keyword = lower ? "minimum" : "maximum";
  const json* bound = member(&schema, keyword);
  if (bound == nullptr || !bound->is_number()) return;
  const json* exclusiveFlag = member(&schema, lower ? "exclusiveMinimum" : "exclusiveMaximum");
  const bool exclusive = exclusiveFlag != nullptr && *exclusiveFlag == true;
  const double v = value.get<double>(), b = bound->get<double>();
  const bool ok = lower ? (exclusive ? v > b : v >= b) : (exclusive ? v < b : v <= b);
  if (ok) return;
  std::string op = std::string(lower ? ">" : "<") + (exclusive ? "" : "=");
  std::string allowed = numberNoun(schema) + " " + op + " " + bound->dump();
  std::string rule =
      std::string(keyword) + " " + bound->dump() +
      (exclusive ? std::string(", exclusive") + (lower ? "Minimum" : "Maximum") + " true" : "");
  out.push_back(diag(file, where, keyword, allowed, value.dump(),
                     "must be " + allowed + " (schema: " + rule + "), found " + value.dump()));
}

size_t utf8Length(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void checkString(const json& schema, const json& value, const std::string& where,
                 const std::string& file, std::vector<PackageDiagnostic>& out) {
  const std::string s = value.get<std::string>();
  const size_t length = utf8Length(s);
  for (bool lower : {true, false}) {
    const json* limit = member(&schema, lower ? "minLength" : "maxLength");
    if (limit == nullptr || !limit->is_number_unsigned()) continue;
    const size_t n = limit->get<size_t>();
    if (lower ? length >= n : length <= n) continue;
    std::string allowed = std::string("a string of at ") + (lower ? "least " : "most ") +
                          std::to_string(n) + " characters";
    out.push_back(diag(file, where, lower ? "minLength" : "maxLength", allowed, shortJson(value),
                       "must be " + allowed + " (schema: " + (lower ? "minLength " : "maxLength ") +
                           std::to_string(n) + "), found " + shortJson(value)));
  }
  const json* pattern = member(&schema, "pattern");
  if (pattern == nullptr || !pattern->is_string()) return;
  try {
    if (std::regex_search(s, std::regex(pattern->get<std::string>()))) return;
  } catch (const std::regex_error&) {
    return;  // valijson reports it; its description is the fallback
  }
  std::string allowed = "a string matching " + pattern->get<std::string>();
  out.push_back(diag(file, where, "pattern", allowed, shortJson(value),
                     "must match " + pattern->get<std::string>() + " (schema: pattern), found " +
                         shortJson(value)));
}

bool matchesPatternProperty(const json& schema, const std::string& key) {
  const json* patterns = member(&schema, "patternProperties");
  if (patterns == nullptr || !patterns->is_object()) return false;
  for (const auto& [pattern, sub] : patterns->items()) {
    try {
      if (std::regex_search(key, std::regex(pattern))) return true;
    } catch (const std::regex_error&) {
    }
  }
  return false;
}

void checkObject(const json& schema, const json& value, const std::string& where,
                 const std::string& file, std::vector<PackageDiagnostic>& out) {
  const json* required = member(&schema, "required");
  for (const auto& key : required != nullptr && required->is_array() ? *required : json::array()) {
    if (!key.is_string() || value.contains(key.get<std::string>())) continue;
    out.push_back(diag(file, joinPath(where, key.get<std::string>()), "required", "a value",
                       "missing", "is required (schema: required) but missing"));
  }
  const json* additional = member(&schema, "additionalProperties");
  if (additional == nullptr || *additional != false) return;
  const json* props = member(&schema, "properties");
  std::vector<std::string> declared;
  if (props != nullptr && props->is_object()) {
    for (const auto& [name, sub] : props->items()) declared.push_back(name);
  }
  for (const auto& [key, sub] : value.items()) {
    if (std::find(declared.begin(), declared.end(), key) != declared.end()) continue;
    if (matchesPatternProperty(schema, key)) continue;
    std::string allowed = "one of the declared options: " + joined(declared, ", ");
    out.push_back(diag(file, joinPath(where, key), "additionalProperties", allowed, shortJson(sub),
                       "unknown option (schema: additionalProperties false); " + allowed));
  }
}

// The subschema that applies to child `token` of `value` under `schema`.
const json* childSchema(const json* schema, const json& value, const std::string& token) {
  if (value.is_object()) {
    const json* props = member(schema, "properties");
    if (const json* p = member(props, token.c_str())) return p;
    const json* additional = member(schema, "additionalProperties");
    return additional != nullptr && additional->is_object() ? additional : nullptr;
  }
  const json* items = member(schema, "items");
  if (items != nullptr && items->is_object()) return items;
  const size_t index = std::stoul(token);
  if (items != nullptr && items->is_array() && index < items->size()) return &(*items)[index];
  const json* more = member(schema, "additionalItems");
  return more != nullptr && more->is_object() ? more : nullptr;
}

// Follows valijson's context ("<root>", "[hello]", "[count]") through the
// document and the schema.
Spot locate(const std::vector<std::string>& context, const json& schema, const json& document) {
  Spot spot{"", &schema, &document, ""};
  for (size_t i = 1; i < context.size() && spot.value != nullptr; ++i) {
    const std::string& part = context[i];
    std::string token = part.size() >= 2 ? part.substr(1, part.size() - 2) : part;
    const json& value = *spot.value;
    if (value.is_object() && value.contains(token)) {
      spot.schema = childSchema(spot.schema, value, token);
      spot.value = &value[token];
      spot.where = joinPath(spot.where, token);
    } else if (value.is_array() && !token.empty() &&
               std::all_of(token.begin(), token.end(),
                           [](unsigned char c) { return std::isdigit(c) != 0; }) &&
               std::stoul(token) < value.size()) {
      spot.schema = childSchema(spot.schema, value, token);
      spot.value = &value[std::stoul(token)];
      spot.where += "[" + token + "]";
    } else {
      spot.value = nullptr;
      spot.where = joinPath(spot.where, token);
    }
  }
  return spot;
}

bool isPrefixPath(const std::string& parent, const std::string& child) {
  if (parent.empty()) return !child.empty();
  return child.size() > parent.size() && child.compare(0, parent.size(), parent) == 0 &&
         (child[parent.size()] == '.' || child[parent.size()] == '[');
}

}  // namespace

std::vector<PackageDiagnostic> describeViolations(const json& schema, const json& value,
                                                  const std::string& where,
                                                  const std::string& file) {
  std::vector<PackageDiagnostic> out = typeOrEnum(schema, value, where, file);
  if (!out.empty()) return out;
  if (value.is_number()) {
    checkBound(schema, value, where, file, true, out);
    checkBound(schema, value, where, file, false, out);
  } else if (value.is_string()) {
    checkString(schema, value, where, file, out);
  } else if (value.is_object()) {
    checkObject(schema, value, where, file, out);
  }
  return out;
}

Result<std::vector<PackageDiagnostic>> validateOptions(const json& schema, const json& document,
                                                       const std::string& optionsName) {
  valijson::ValidationResults results;
  try {
    valijson::Schema compiled;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft4);
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(schema), compiled);
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    if (validator.validate(compiled, valijson::adapters::NlohmannJsonAdapter(document), &results)) {
      return std::vector<PackageDiagnostic>{};
    }
  } catch (const std::exception& e) {
    return Status::invalidArgument(std::string("config.json: not a usable JSON Schema: ") +
                                   e.what());
  }
  std::vector<Spot> spots;
  for (const auto& error : results) {
    Spot spot = locate(error.context, schema, document);
    bool seen = std::any_of(spots.begin(), spots.end(),
                            [&](const Spot& s) { return s.where == spot.where; });
    if (!seen) {
      spot.description = error.description;
      spots.push_back(std::move(spot));
    }
  }
  std::vector<PackageDiagnostic> out;
  for (const Spot& spot : spots) {
    if (spot.schema == nullptr || spot.value == nullptr) continue;
    for (auto& d : describeViolations(*spot.schema, *spot.value, spot.where, optionsName)) {
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(std::move(d));
    }
  }
  // Spots nothing was said about, at or below: valijson's own words.
  for (const Spot& spot : spots) {
    bool covered = std::any_of(out.begin(), out.end(), [&](const PackageDiagnostic& d) {
      return d.where == spot.where || isPrefixPath(spot.where, d.where);
    });
    if (!covered) {
      out.push_back(diag(optionsName, spot.where, "schema", "", "", spot.description));
    }
  }
  return out;
}

}  // namespace keel::config
