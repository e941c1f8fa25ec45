// Plans of svc.yml: strategies, phases and custom steps.
#include "load_internal.h"

namespace keel::spec::internal {
namespace {

const std::vector<std::string> kPlanStrategies = {"serial", "parallel"};
const std::vector<std::string> kPhaseStrategies = {"serial", "parallel", "serial-canary", "canary",
                                                   "parallel-canary"};

// "parallel(N)", N >= 1: keel's bounded parallel phase strategy.
bool isParallelLimit(const std::string& s) {
  const std::string prefix = "parallel(";
  if (s.size() <= prefix.size() + 1 || s.rfind(prefix, 0) != 0 || s.back() != ')') return false;
  std::string digits = s.substr(prefix.size(), s.size() - prefix.size() - 1);
  if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  return std::stoul(digits) > 0;
}

std::string loadStrategy(MapReader& m, const std::vector<std::string>& allowed,
                         bool allowParallelLimit, DiagnosticSink& sink) {
  auto f = m.take("strategy");
  if (!f) return "serial";
  std::string s = readString(*f, sink).value_or("serial");
  for (const auto& a : allowed) {
    if (a == s) return s;
  }
  if (allowParallelLimit && isParallelLimit(s)) return s;
  sink.error(f->path, "expected a strategy " + joinAllowed(allowed) +
                          (allowParallelLimit ? " or parallel(N) with N >= 1" : "") + ", found '" +
                          s + "'");
  return "serial";
}

bool isIndex(const std::string& s) {
  if (s == "default") return true;
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<StepSpec> loadSteps(const Field& f, DiagnosticSink& sink) {
  std::vector<StepSpec> steps;
  for (const Field& item : readList(f, sink, "a list of {<index>|default: [[task, ...], ...]}")) {
    MapReader m(item, sink, "a step ({<index>|default: [[task, ...], ...]})");
    for (auto& [index, groups] : m.takeAll()) {
      StepSpec step;
      step.index = index;
      if (!isIndex(index)) {
        sink.error(groups.path,
                   "expected a pod instance index (0, 1, ...) or `default`, found '" + index + "'");
      }
      for (const Field& g : readList(groups, sink, "a list of task lists ([[task, ...], ...])")) {
        auto tasks = readStringList(g, sink);
        step.taskGroups.push_back(tasks.value_or(std::vector<std::string>{}));
      }
      steps.push_back(std::move(step));
    }
  }
  return steps;
}

PhaseSpec loadPhase(const std::string& name, const Field& f, DiagnosticSink& sink) {
  PhaseSpec phase;
  phase.name = name;
  MapReader m(f, sink, "a phase (strategy, pod, steps)");
  phase.strategy = loadStrategy(m, kPhaseStrategies, /*allowParallelLimit=*/true, sink);
  if (auto p = m.take("pod")) phase.pod = readString(*p, sink).value_or("");
  if (auto s = m.take("steps")) phase.steps = loadSteps(*s, sink);
  m.warnUnknown({"strategy", "pod", "steps"});
  return phase;
}

}  // namespace

std::vector<PlanSpec> loadPlans(const Field& f, LoadContext& ctx) {
  std::vector<PlanSpec> plans;
  MapReader names(f, ctx.sink, "a map of plan names to plans");
  for (auto& [name, pf] : names.takeAll()) {
    PlanSpec plan;
    plan.name = name;
    MapReader m(pf, ctx.sink, "a plan (strategy, phases)");
    plan.strategy = loadStrategy(m, kPlanStrategies, /*allowParallelLimit=*/false, ctx.sink);
    if (auto ph = m.take("phases")) {
      MapReader phases(*ph, ctx.sink, "a map of phase names to phases");
      for (auto& [phaseName, phf] : phases.takeAll())
        plan.phases.push_back(loadPhase(phaseName, phf, ctx.sink));
    }
    m.warnUnknown({"strategy", "phases"});
    plans.push_back(std::move(plan));
  }
  return plans;
}

}  // namespace keel::spec::internal
