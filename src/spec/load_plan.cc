// Plans of svc.yml: strategies, phases and custom steps.
#include "load_internal.h"

namespace keel::spec::internal {
namespace {

const std::vector<std::string> kPlanStrategies = {"serial", "parallel"};
const std::vector<std::string> kPhaseStrategies = {"serial", "parallel", "serial-canary", "canary",
                                                   "parallel-canary"};

std::string loadStrategy(MapReader& m, const std::vector<std::string>& allowed,
                         DiagnosticSink& sink) {
  auto f = m.take("strategy");
  if (!f) return "serial";
  std::string s = readString(*f, sink).value_or("serial");
  for (const auto& a : allowed) {
    if (a == s) return s;
  }
  sink.error(f->path, "expected a strategy " + joinAllowed(allowed) + ", found '" + s + "'");
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
  phase.strategy = loadStrategy(m, kPhaseStrategies, sink);
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
    plan.strategy = loadStrategy(m, kPlanStrategies, ctx.sink);
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
