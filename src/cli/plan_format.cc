#include "cli/api_format.h"

namespace keel::cli {
namespace {

// "<name> (<strategy> strategy) (<status>)", the strategy when present.
std::string elementLine(const ordered_json& e, const std::string& name) {
  std::string line = name;
  std::string strategy = textOf(e, "strategy");
  if (!strategy.empty()) line += " (" + strategy + " strategy)";
  return line + " (" + textOf(e, "status") + ")";
}

void formatSteps(const ordered_json& steps, bool lastPhase, std::ostream& out) {
  for (size_t k = 0; k < steps.size(); ++k) {
    const ordered_json& s = steps[k];
    out << (lastPhase ? "   " : "│  ") << (k + 1 == steps.size() ? "└─ " : "├─ ")
        << elementLine(s, textOf(s, "name"));
    std::string message = textOf(s, "message");
    if (!message.empty()) out << ": " << message;
    out << "\n";
  }
}

}  // namespace

void formatPlanTree(const std::string& plan, const ordered_json& body, std::ostream& out) {
  out << elementLine(body, plan) << "\n";
  const ordered_json& phases = arrayAt(body, "phases");
  for (size_t i = 0; i < phases.size(); ++i) {
    bool last = i + 1 == phases.size();
    out << (last ? "└─ " : "├─ ") << elementLine(phases[i], textOf(phases[i], "name")) << "\n";
    formatSteps(arrayAt(phases[i], "steps"), last, out);
  }
  const ordered_json& errors = arrayAt(body, "errors");
  if (errors.empty()) return;
  out << "\nErrors:\n";
  for (const ordered_json& e : errors)
    out << "- " << (e.is_string() ? e.get<std::string>() : e.dump()) << "\n";
}

}  // namespace keel::cli
