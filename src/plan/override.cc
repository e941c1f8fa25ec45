#include "keel/plan_override.h"

#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace keel::plan {
namespace {

using nlohmann::json;

std::string escapeName(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '_' || c == '-') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

const char* levelName(ElementLevel l) {
  switch (l) {
    case ElementLevel::kPlan:
      return "plan";
    case ElementLevel::kPhase:
      return "phase";
    case ElementLevel::kStep:
      return "step";
  }
  return "plan";
}

const char* statusOverrideName(StatusOverride s) {
  switch (s) {
    case StatusOverride::kNone:
      return "none";
    case StatusOverride::kForcedComplete:
      return "forced-complete";
    case StatusOverride::kRestarted:
      return "restarted";
  }
  return "none";
}

Result<PlanOverride> fromJson(const json& j) {
  if (!j.is_object() || j.value("version", 0) != 1) {
    return Status::corruption("plan override: not a version 1 record");
  }
  PlanOverride o;
  std::string level = j.at("level").get<std::string>();
  if (level == "plan") {
    o.level = ElementLevel::kPlan;
  } else if (level == "phase") {
    o.level = ElementLevel::kPhase;
  } else if (level == "step") {
    o.level = ElementLevel::kStep;
  } else {
    return Status::corruption("plan override: unknown level '" + level + "'");
  }
  o.phase = j.value("phase", "");
  o.step = j.value("step", "");
  if (j.contains("interrupted")) o.overrides.interrupted = j["interrupted"].get<bool>();
  if (j.contains("decisionPoint")) o.overrides.decisionPoint = j["decisionPoint"].get<bool>();
  std::string status = j.value("status", "none");
  if (status == "forced-complete") {
    o.overrides.status = StatusOverride::kForcedComplete;
  } else if (status == "restarted") {
    o.overrides.status = StatusOverride::kRestarted;
  } else if (status != "none") {
    return Status::corruption("plan override: unknown status override '" + status + "'");
  }
  if (j.contains("parameters")) {
    o.overrides.parameters = j["parameters"].get<std::map<std::string, std::string>>();
  }
  return o;
}

void take(std::vector<OverrideChange>& out, ElementLevel level, const std::string& phase,
          const std::string& step, const ElementOverrides& overrides) {
  PlanOverride record{level, phase, step, overrides};
  if (overrides.empty()) {
    out.push_back({record.key(), std::nullopt});
  } else {
    out.push_back({record.key(), record.encode()});
  }
}

Phase* phaseNamed(Plan& plan, const std::string& name) {
  for (Phase& p : plan.phases()) {
    if (p.name() == name) return &p;
  }
  return nullptr;
}

Step* stepNamed(Phase* phase, const std::string& name) {
  if (phase == nullptr) return nullptr;
  for (Step& s : phase->steps()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

}  // namespace

std::string overrideKey(ElementLevel level, std::string_view phase, std::string_view step) {
  switch (level) {
    case ElementLevel::kPlan:
      return "plan";
    case ElementLevel::kPhase:
      return "phase." + escapeName(phase);
    case ElementLevel::kStep:
      return "step." + escapeName(phase) + "." + escapeName(step);
  }
  return "plan";
}

std::string PlanOverride::key() const { return overrideKey(level, phase, step); }

std::string PlanOverride::encode() const {
  json j = {{"version", 1}, {"level", levelName(level)}};
  if (level != ElementLevel::kPlan) j["phase"] = phase;
  if (level == ElementLevel::kStep) j["step"] = step;
  if (overrides.interrupted) j["interrupted"] = *overrides.interrupted;
  if (overrides.decisionPoint) j["decisionPoint"] = *overrides.decisionPoint;
  if (overrides.status != StatusOverride::kNone) {
    j["status"] = statusOverrideName(overrides.status);
  }
  if (overrides.parameters) j["parameters"] = *overrides.parameters;
  return j.dump();
}

Result<PlanOverride> PlanOverride::decode(std::string_view value) {
  try {
    return fromJson(json::parse(value));
  } catch (const json::exception& e) {
    return Status::corruption(std::string("plan override: ") + e.what());
  }
}

std::vector<PlanOverride> collectOverrides(const Plan& plan) {
  std::vector<PlanOverride> out;
  if (!plan.overrides().empty()) out.push_back({ElementLevel::kPlan, "", "", plan.overrides()});
  for (const Phase& p : plan.phases()) {
    if (!p.overrides().empty()) out.push_back({ElementLevel::kPhase, p.name(), "", p.overrides()});
  }
  for (const Phase& p : plan.phases()) {
    for (const Step& s : p.steps()) {
      if (!s.overrides().empty()) {
        out.push_back({ElementLevel::kStep, p.name(), s.name(), s.overrides()});
      }
    }
  }
  return out;
}

std::map<std::string, std::string> overrideRecords(const Plan& plan) {
  std::map<std::string, std::string> out;
  for (const PlanOverride& o : collectOverrides(plan)) out.emplace(o.key(), o.encode());
  return out;
}

std::vector<OverrideChange> takeOverrideChanges(Plan& plan) {
  std::vector<OverrideChange> out;
  if (plan.overridesDirty()) {
    take(out, ElementLevel::kPlan, "", "", plan.overrides());
    plan.clearOverridesDirty();
  }
  for (Phase& p : plan.phases()) {
    if (p.overridesDirty()) {
      take(out, ElementLevel::kPhase, p.name(), "", p.overrides());
      p.clearOverridesDirty();
    }
    for (Step& s : p.steps()) {
      if (!s.overridesDirty()) continue;
      take(out, ElementLevel::kStep, p.name(), s.name(), s.overrides());
      s.clearOverridesDirty();
    }
  }
  return out;
}

Result<ApplyReport> applyOverrides(Plan& plan, const std::map<std::string, std::string>& records) {
  std::vector<PlanOverride> decoded;
  for (const auto& [key, value] : records) {
    Result<PlanOverride> o = PlanOverride::decode(value);
    if (!o) return o.error().withContext("record '" + key + "'");
    if (o->key() != key) {
      return Status::corruption("record '" + key + "' describes element '" + o->key() + "'");
    }
    decoded.push_back(std::move(o).value());
  }
  ApplyReport report;
  for (const PlanOverride& o : decoded) {
    Phase* phase = o.level == ElementLevel::kPlan ? nullptr : phaseNamed(plan, o.phase);
    Step* step = o.level == ElementLevel::kStep ? stepNamed(phase, o.step) : nullptr;
    if (o.level == ElementLevel::kPlan) {
      plan.applyOverrides(o.overrides);
    } else if (o.level == ElementLevel::kPhase && phase) {
      phase->applyOverrides(o.overrides);
    } else if (step) {
      step->applyOverrides(o.overrides);
    } else {
      report.unmatched.push_back(o.key());
      continue;
    }
    ++report.applied;
  }
  return report;
}

}  // namespace keel::plan
