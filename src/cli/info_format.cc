#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cli/api_format.h"

namespace keel::cli {
namespace {

void section(const char* title, const ordered_json& values, std::ostream& out) {
  if (!values.is_array() || values.empty()) return;
  out << title << "\n";
  for (const ordered_json& v : values) {
    out << "  " << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
  }
}

// {"name": count, ...} as "  count  name" lines, largest first.
void counts(const char* title, const ordered_json& byName, std::ostream& out) {
  if (!byName.is_object() || byName.empty()) return;
  std::vector<std::pair<int64_t, std::string>> rows;
  for (auto it = byName.begin(); it != byName.end(); ++it) {
    rows.emplace_back(it->is_number_integer() ? it->get<int64_t>() : 0, it.key());
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  out << title << "\n";
  for (const auto& [n, name] : rows) out << "  " << n << "  " << name << "\n";
}

// One outcome: "PASS data-1 [node] on host (agent a1), offer o1", then for a
// failure the failing stage's explanation (the last detail line).
void outcome(const ordered_json& o, std::ostream& out) {
  bool passed = textOf(o, "pass") == "true";
  std::string tasks;
  for (const ordered_json& t : arrayAt(o, "tasks")) {
    tasks += (tasks.empty() ? "" : ",") + (t.is_string() ? t.get<std::string>() : t.dump());
  }
  out << "  " << (passed ? "PASS " : "FAIL ") << textOf(o, "podInstanceName");
  if (!tasks.empty()) out << " [" << tasks << "]";
  out << " on " << textOf(o, "hostname") << " (agent " << textOf(o, "agentId") << "), offer "
      << textOf(o, "offerId") << "\n";
  const ordered_json& details = arrayAt(o, "outcomeDetails");
  if (!passed && !details.empty() && details.back().is_string()) {
    out << "       " << details.back().get<std::string>() << "\n";
  }
}

}  // namespace

void formatEndpoint(const ordered_json& body, std::ostream& out) {
  section("address:", arrayAt(body, "address"), out);
  section("dns:", arrayAt(body, "dns"), out);
  std::string vip = textOf(body, "vip");
  if (!vip.empty()) out << "vip:\n  " << vip << "\n";
}

void formatOfferOutcomes(const ordered_json& body, std::ostream& out) {
  out << "offers evaluated: " << textOf(body, "acceptedCount") << " accepted, "
      << textOf(body, "rejectedCount") << " rejected\n";
  if (body.is_object() && body.contains("failureReasons")) {
    counts("rejections by failing stage:", body["failureReasons"], out);
  }
  if (body.is_object() && body.contains("rejectedAgents")) {
    counts("rejections by agent:", body["rejectedAgents"], out);
  }
  // "outcomes" (keel's tracker); "offers" in older answers.
  const ordered_json& outcomes =
      arrayAt(body, "outcomes").empty() ? arrayAt(body, "offers") : arrayAt(body, "outcomes");
  if (outcomes.empty()) {
    out << "no recent outcomes\n";
    return;
  }
  out << "recent outcomes (oldest first):\n";
  for (const ordered_json& o : outcomes) outcome(o, out);
}

}  // namespace keel::cli
