#include "cli/rollout_plan.h"

#include <algorithm>

#include "keel/plan_generator.h"
#include "keel/plan_status.h"

namespace keel::cli {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Result<plan::Plan> rolloutPlan(const spec::ServiceSpec& to, const config::ConfigDiff& diff) {
  const spec::PlanSpec* update = to.plan("update");
  Result<plan::Plan> generated =
      update != nullptr ? plan::generatePlan(to, *update) : plan::generateDeployPlan(to);
  if (!generated) return generated;
  std::vector<std::string> relaunched = diff.relaunchedInstances();
  std::vector<std::string> added = diff.addedInstances();
  for (plan::Phase& phase : generated->phases()) {
    for (plan::Step& step : phase.steps()) {
      if (contains(relaunched, step.podInstance())) {
        step.setMessage("relaunch with the new task config");
      } else if (contains(added, step.podInstance())) {
        step.setMessage("launch: a new pod instance");
      } else {
        step.forceComplete();
        step.setMessage("unchanged");
      }
    }
  }
  return generated;
}

std::string rolloutText(const plan::Plan& plan) {
  std::string out = plan.name() + " plan (" + plan.strategy().name() +
                    " strategy), as the update would run it:\n";
  for (const plan::Phase& phase : plan.phases()) {
    out += "  phase " + phase.name() + " (" + phase.strategy().name() + " strategy)\n";
    for (const plan::Step& step : phase.steps()) {
      out += "    " + step.name() + "  " + std::string(plan::statusName(step.displayStatus())) +
             "  " + step.message() + "\n";
    }
  }
  return out;
}

}  // namespace keel::cli
