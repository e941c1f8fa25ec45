#include "keel/plan_json.h"

#include <nlohmann/json.hpp>

namespace keel::plan {
namespace {

using nlohmann::ordered_json;

std::string statusText(ElementStatus s) { return std::string(statusName(s)); }

std::string seedStatus(ElementStatus s) {
  switch (s) {
    case ElementStatus::kPrepared:
    case ElementStatus::kStarting:
    case ElementStatus::kStarted:
      return "IN_PROGRESS";
    case ElementStatus::kDelayed:
      return "PENDING";
    default:
      return statusText(s);
  }
}

std::string stepMessage(const Step& s) {
  if (!s.errors().empty()) {
    std::string out;
    for (const std::string& e : s.errors()) out += (out.empty() ? "" : "; ") + e;
    return out;
  }
  if (s.displayStatus() == ElementStatus::kWaiting) {
    return s.decisionPoint() ? "Waiting for continue (decision point)"
                             : "Waiting for continue (interrupted)";
  }
  if (s.status() == ElementStatus::kDelayed && s.delayedUntil()) {
    return "Delayed until " + formatTime(*s.delayedUntil());
  }
  return s.message();
}

std::string dump(const ordered_json& j, int indent) { return j.dump(indent < 0 ? -1 : indent); }

}  // namespace

std::string planToJson(const Plan& plan, int indent) {
  ordered_json phases = ordered_json::array();
  ElementStatus planStatus = plan.status();
  for (const Phase& p : plan.phases()) {
    ordered_json steps = ordered_json::array();
    for (const Step& s : p.steps()) {
      steps.push_back({{"id", s.id()},
                       {"name", s.name()},
                       {"status", statusText(s.displayStatus())},
                       {"message", stepMessage(s)}});
    }
    phases.push_back({{"id", p.id()},
                      {"name", p.name()},
                      {"steps", std::move(steps)},
                      {"status", statusText(p.status())},
                      {"strategy", p.strategy().name()}});
  }
  ordered_json j = {{"phases", std::move(phases)},
                    {"errors", plan.errors()},
                    {"status", statusText(planStatus)},
                    {"strategy", plan.strategy().name()}};
  return dump(j, indent);
}

std::string planToSeedJson(const Plan& plan, int indent) {
  ordered_json phases = ordered_json::array();
  ElementStatus planStatus = plan.status();
  for (const Phase& p : plan.phases()) {
    ordered_json blocks = ordered_json::array();
    for (const Step& s : p.steps()) {
      std::string message = stepMessage(s);
      blocks.push_back({{"id", s.id()},
                        {"status", seedStatus(s.displayStatus())},
                        {"name", s.name()},
                        {"message", message.empty() ? "Block: " + s.name() : message},
                        {"has_decision_point", s.decisionPoint()}});
    }
    phases.push_back({{"id", p.id()},
                      {"name", p.name()},
                      {"blocks", std::move(blocks)},
                      {"status", seedStatus(p.status())}});
  }
  ordered_json j = {
      {"phases", std::move(phases)}, {"errors", plan.errors()}, {"status", seedStatus(planStatus)}};
  return dump(j, indent);
}

std::string planTree(const Plan& plan) {
  std::string out = plan.name() + " (" + plan.strategy().name() + " strategy) (" +
                    statusText(plan.status()) + ")\n";
  auto phases = plan.phases();
  for (size_t i = 0; i < phases.size(); ++i) {
    bool lastPhase = i + 1 == phases.size();
    const Phase& p = phases[i];
    out += (lastPhase ? "└─ " : "├─ ") + p.name() + " (" + p.strategy().name() + " strategy) (" +
           statusText(p.status()) + ")\n";
    auto steps = p.steps();
    for (size_t k = 0; k < steps.size(); ++k) {
      out += std::string(lastPhase ? "   " : "│  ") + (k + 1 == steps.size() ? "└─ " : "├─ ") +
             steps[k].name() + " (" + statusText(steps[k].displayStatus()) + ")\n";
    }
  }
  std::vector<std::string> errors = plan.errors();
  if (!errors.empty()) {
    out += "\nErrors:\n";
    for (const std::string& e : errors) out += "- " + e + "\n";
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

int planHttpStatus(const Plan& plan) {
  ElementStatus s = plan.status();
  if (s == ElementStatus::kError) return 417;
  if (s == ElementStatus::kComplete) return 200;
  return 202;
}

}  // namespace keel::plan
