// JSON text for responses: compact, and never throwing on bytes that are not
// UTF-8 (names come from URLs; such bytes become U+FFFD).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace keel::http {

inline std::string dumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
inline std::string dumpJson(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace keel::http
