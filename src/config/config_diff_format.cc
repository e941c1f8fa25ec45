// The human-readable and JSON forms of a ConfigDiff.
#include <nlohmann/json.hpp>
#include <sstream>

#include "keel/config/config_diff.h"

namespace keel::config {
namespace {

using nlohmann::json;

constexpr size_t kMaxValueChars = 60;

std::string shown(const std::string& value) {
  if (value.empty()) return "(none)";
  if (value.size() <= kMaxValueChars) return value;
  return value.substr(0, kMaxValueChars - 3) + "... (" + std::to_string(value.size()) + " chars)";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<std::string> names(const std::string& type, const std::vector<int64_t>& indexes) {
  std::vector<std::string> out;
  for (int64_t i : indexes) out.push_back(type + "-" + std::to_string(i));
  return out;
}

void writeChanges(std::ostream& out, const std::vector<FieldChange>& changes,
                  const std::string& indent) {
  for (const FieldChange& c : changes) {
    out << indent << c.path << ": " << shown(c.before) << " -> " << shown(c.after) << "\n";
  }
}

void writePod(std::ostream& out, const PodDiff& p) {
  out << "pod " << p.type << ": " << podChangeName(p.change);
  if (p.oldCount != p.newCount) out << ", count " << p.oldCount << " -> " << p.newCount;
  out << "\n";
  if (!p.relaunched.empty()) {
    out << "  relaunch: " << joined(names(p.type, p.relaunched)) << " (task config changed)\n";
  } else if (p.taskConfigChanged()) {
    out << "  task config changed (no running instance to relaunch)\n";
  }
  writeChanges(out, p.taskConfigChanges, "    ");
  if (!p.added.empty()) out << "  add: " << joined(names(p.type, p.added)) << "\n";
  if (!p.decommissioned.empty()) {
    out << "  decommission: " << joined(names(p.type, p.decommissioned)) << "\n";
  }
  std::vector<FieldChange> others;
  for (const FieldChange& c : p.otherChanges) {
    if (c.path != "count") others.push_back(c);
  }
  if (!others.empty()) out << "  restarts nothing:\n";
  writeChanges(out, others, "    ");
}

json value(const std::string& text) { return text.empty() ? json() : json::parse(text); }

json changesJson(const std::vector<FieldChange>& changes) {
  json out = json::array();
  for (const FieldChange& c : changes) {
    out.push_back({{"path", c.path}, {"before", value(c.before)}, {"after", value(c.after)}});
  }
  return out;
}

json podJson(const PodDiff& p) {
  return {{"type", p.type},
          {"change", podChangeName(p.change)},
          {"old-count", p.oldCount},
          {"new-count", p.newCount},
          {"task-config-changes", changesJson(p.taskConfigChanges)},
          {"other-changes", changesJson(p.otherChanges)},
          {"relaunch", names(p.type, p.relaunched)},
          {"add", names(p.type, p.added)},
          {"decommission", names(p.type, p.decommissioned)}};
}

}  // namespace

std::string formatConfigDiff(const ConfigDiff& diff) {
  if (diff.empty()) return "no changes\n";
  std::ostringstream out;
  if (!diff.serviceChanges.empty()) {
    out << "service (restarts no task):\n";
    writeChanges(out, diff.serviceChanges, "    ");
  }
  for (const PodDiff& p : diff.pods) {
    if (p.change != PodChange::kUnchanged) writePod(out, p);
  }
  return out.str();
}

std::string configDiffToJson(const ConfigDiff& diff, int indent) {
  json pods = json::array();
  for (const PodDiff& p : diff.pods) pods.push_back(podJson(p));
  json out = {{"service-changes", changesJson(diff.serviceChanges)},
              {"pods", pods},
              {"relaunch", diff.relaunchedInstances()},
              {"add", diff.addedInstances()},
              {"decommission", diff.decommissionedInstances()}};
  return out.dump(indent);
}

}  // namespace keel::config
