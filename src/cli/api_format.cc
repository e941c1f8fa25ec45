#include "cli/api_format.h"

namespace keel::cli {

std::string textOf(const ordered_json& j, std::string_view key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end() || it->is_null() || it->is_object() || it->is_array()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

void formatLines(const ordered_json& list, std::ostream& out) {
  if (!list.is_array() || list.empty()) {
    out << "(none)\n";
    return;
  }
  for (const ordered_json& v : list)
    out << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
}

void formatMessage(const ordered_json& reply, std::ostream& out) {
  out << textOf(reply, "message") << "\n";
}

const ordered_json& arrayAt(const ordered_json& j, std::string_view key) {
  static const ordered_json kEmpty = ordered_json::array();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

}  // namespace keel::cli
