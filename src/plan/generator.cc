#include "keel/plan_generator.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <utility>

namespace keel::plan {
namespace {

using spec::PhaseSpec;
using spec::PlanSpec;
using spec::PodSpec;
using spec::ServiceSpec;
using TaskGroups = std::vector<std::vector<std::string>>;

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

const PodSpec* findPod(const ServiceSpec& spec, const std::string& type) {
  for (const PodSpec& p : spec.pods) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

std::vector<std::string> podTypes(const ServiceSpec& spec) {
  std::vector<std::string> out;
  for (const PodSpec& p : spec.pods) out.push_back(p.type);
  return out;
}

std::vector<std::string> taskNames(const PodSpec& pod) {
  std::vector<std::string> out;
  for (const auto& t : pod.tasks) out.push_back(t.name);
  return out;
}

// The context every error of one phase starts with.
struct Where {
  const std::string& plan;
  const std::string& phase;
  Status error(const std::string& what) const {
    return Status::invalidArgument("plan '" + plan + "' phase '" + phase + "': " + what);
  }
};

// index ("0", "1", ... or "default") -> task groups, validated.
Result<std::map<std::string, TaskGroups>> stepEntries(const Where& at, const PhaseSpec& phase,
                                                      const PodSpec& pod) {
  std::map<std::string, TaskGroups> out;
  std::vector<std::string> tasks = taskNames(pod);
  std::set<std::string> known(tasks.begin(), tasks.end());
  for (const spec::StepSpec& entry : phase.steps) {
    int64_t index = 0;
    const char* end = entry.index.data() + entry.index.size();
    if (entry.index != "default" &&
        (entry.index.empty() || std::from_chars(entry.index.data(), end, index).ptr != end ||
         index < 0)) {
      return at.error("step index '" + entry.index + "' is neither a number nor 'default'");
    }
    for (const auto& group : entry.taskGroups) {
      if (group.empty()) return at.error("empty task list in the steps of index " + entry.index);
      for (const std::string& t : group) {
        if (known.count(t) == 0) {
          return at.error("a step of index " + entry.index + " names task '" + t +
                          "', which pod '" + pod.type + "' lacks (tasks: " + joined(tasks) + ")");
        }
      }
    }
    std::string key = entry.index == "default" ? "default" : std::to_string(index);
    if (!out.emplace(key, entry.taskGroups).second) {
      return at.error("step index '" + entry.index + "' has two entries");
    }
  }
  return out;
}

// Task groups of every instance: the default (all tasks) or the entries.
Result<std::vector<TaskGroups>> instanceGroups(const Where& at, const PhaseSpec& phase,
                                               const PodSpec& pod) {
  std::vector<TaskGroups> out;
  if (phase.steps.empty()) {
    for (int64_t i = 0; i < pod.count; ++i) out.push_back({taskNames(pod)});
    return out;
  }
  KEEL_ASSIGN_OR_RETURN(auto entries, stepEntries(at, phase, pod));
  for (int64_t i = 0; i < pod.count; ++i) {
    auto it = entries.find(std::to_string(i));
    if (it == entries.end()) it = entries.find("default");
    if (it == entries.end()) {
      return at.error("pod index " + std::to_string(i) +
                      " has no step entry and there is no 'default'");
    }
    out.push_back(it->second);
  }
  return out;
}

bool isParallel(const std::string& strategy) {
  return strategy == "parallel" || strategy == "parallel-canary";
}

// Steps of one pod instance in order, instances in parallel.
Result<std::unique_ptr<Strategy>> perInstanceDependencies(const std::vector<size_t>& instanceOf,
                                                          bool canary) {
  std::vector<std::vector<size_t>> prereqs(instanceOf.size());
  for (size_t i = 1; i < instanceOf.size(); ++i) {
    if (instanceOf[i] == instanceOf[i - 1]) prereqs[i].push_back(i - 1);
  }
  KEEL_ASSIGN_OR_RETURN(auto strategy, dependencyStrategy(std::move(prereqs)));
  if (canary) return canaryStrategy(std::move(strategy));
  return strategy;
}

Result<Phase> generatePhase(const ServiceSpec& spec, const std::string& planName,
                            const PhaseSpec& phase, const IdGenerator& ids) {
  Where at{planName, phase.name};
  const PodSpec* pod = findPod(spec, phase.pod);
  if (pod == nullptr) {
    return at.error("pod '" + phase.pod + "' is not in the spec (pods: " + joined(podTypes(spec)) +
                    ")");
  }
  KEEL_ASSIGN_OR_RETURN(auto groups, instanceGroups(at, phase, *pod));
  std::string phaseId = ids();
  std::vector<Step> steps;
  std::vector<size_t> instanceOf;
  std::set<std::string> names;
  for (size_t i = 0; i < groups.size(); ++i) {
    for (const auto& tasks : groups[i]) {
      std::string name = stepName(pod->type, static_cast<int64_t>(i), tasks);
      if (!names.insert(name).second) return at.error("two steps named '" + name + "'");
      steps.emplace_back(ids(), name, pod->type + "-" + std::to_string(i), tasks);
      instanceOf.push_back(i);
    }
  }
  Result<std::unique_ptr<Strategy>> strategy =
      !phase.steps.empty() && isParallel(phase.strategy)
          ? perInstanceDependencies(instanceOf, phase.strategy == "parallel-canary")
          : phaseStrategyFromName(phase.strategy);
  if (!strategy) return at.error(strategy.error().message());
  return Phase(std::move(phaseId), phase.name, std::move(steps), std::move(strategy).value());
}

}  // namespace

PlanKind planKind(std::string_view planName) {
  if (planName == "deploy") return PlanKind::kDeploy;
  if (planName == "update") return PlanKind::kUpdate;
  return PlanKind::kCustom;
}

std::string stepName(std::string_view podType, int64_t index,
                     const std::vector<std::string>& tasks) {
  std::string out = std::string(podType) + "-" + std::to_string(index) + ":[";
  for (size_t i = 0; i < tasks.size(); ++i) out += (i ? ", " : "") + tasks[i];
  return out + "]";
}

Result<Plan> generatePlan(const ServiceSpec& spec, const PlanSpec& planSpec,
                          const IdGenerator& ids) {
  auto strategy = planStrategyFromName(planSpec.strategy);
  if (!strategy) return strategy.error().withContext("plan '" + planSpec.name + "'");
  std::string planId = ids();
  std::vector<Phase> phases;
  std::set<std::string> names;
  for (const PhaseSpec& phase : planSpec.phases) {
    if (!names.insert(phase.name).second) {
      return Status::invalidArgument("plan '" + planSpec.name + "': duplicate phase '" +
                                     phase.name + "'");
    }
    KEEL_ASSIGN_OR_RETURN(Phase p, generatePhase(spec, planSpec.name, phase, ids));
    phases.push_back(std::move(p));
  }
  Plan plan(std::move(planId), planSpec.name, std::move(phases), std::move(strategy).value());
  if (planKind(planSpec.name) == PlanKind::kCustom) plan.initInterrupted(true);
  return plan;
}

Result<Plan> generateDefaultDeployPlan(const ServiceSpec& spec, const IdGenerator& ids) {
  PlanSpec deploy;
  deploy.name = "deploy";
  for (const PodSpec& pod : spec.pods) {
    PhaseSpec phase;
    phase.name = pod.type;
    phase.pod = pod.type;
    deploy.phases.push_back(std::move(phase));
  }
  return generatePlan(spec, deploy, ids);
}

Result<Plan> generateDeployPlan(const ServiceSpec& spec, const IdGenerator& ids) {
  for (const PlanSpec& p : spec.plans) {
    if (p.name == "deploy") return generatePlan(spec, p, ids);
  }
  return generateDefaultDeployPlan(spec, ids);
}

Result<std::vector<Plan>> generatePlans(const ServiceSpec& spec, const IdGenerator& ids,
                                        bool deploymentCompleted) {
  std::vector<Plan> out;
  auto update = std::find_if(spec.plans.begin(), spec.plans.end(),
                             [](const PlanSpec& p) { return p.name == "update"; });
  if (deploymentCompleted && update != spec.plans.end()) {
    KEEL_ASSIGN_OR_RETURN(Plan plan, generatePlan(spec, *update, ids));
    std::vector<Phase> phases(plan.phases().begin(), plan.phases().end());
    out.emplace_back(plan.id(), "deploy", std::move(phases), plan.strategy().clone());
  } else {
    KEEL_ASSIGN_OR_RETURN(Plan deploy, generateDeployPlan(spec, ids));
    out.push_back(std::move(deploy));
  }
  for (const PlanSpec& p : spec.plans) {
    if (p.name == "deploy" || p.name == "update") continue;
    KEEL_ASSIGN_OR_RETURN(Plan plan, generatePlan(spec, p, ids));
    out.push_back(std::move(plan));
  }
  return out;
}

}  // namespace keel::plan
