#include "cli/commands.h"
#include "keel/plan_generator.h"
#include "keel/plan_json.h"

namespace keel::cli {
namespace {

Result<plan::Plan> planNamed(const spec::ServiceSpec& spec, const std::string& name) {
  if (name == "deploy") return plan::generateDeployPlan(spec);
  if (const spec::PlanSpec* declared = spec.plan(name)) return plan::generatePlan(spec, *declared);
  std::string known = "deploy";
  for (const auto& p : spec.plans) {
    if (p.name != "deploy") known += ", " + p.name;
  }
  return Status::notFound("plan '" + name + "' is not in " + spec.name + "; plans: " + known);
}

}  // namespace

int runPlanPreview(const SpecInput& input, const std::string& planName, bool json,
                   std::ostream& out, std::ostream& err) {
  LoadedSpec loaded = loadSpecInput(input);
  for (const auto& d : loaded.inputErrors) err << d.toString() << "\n";
  for (const auto& d : loaded.result.warnings) err << d.toString() << "\n";
  for (const auto& d : loaded.result.errors) err << d.toString() << "\n";
  if (!loaded.ok()) {
    err << input.specPath << ": invalid; no plan to show\n";
    return kExitInvalid;
  }
  Result<plan::Plan> plan = planNamed(*loaded.result.spec, planName);
  if (!plan) {
    err << input.specPath << ": " << plan.error().message() << "\n";
    return kExitInvalid;
  }
  out << (json ? plan::planToJson(*plan, 2) : plan::planTree(*plan)) << "\n";
  return kExitOk;
}

}  // namespace keel::cli
