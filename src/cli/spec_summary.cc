#include "cli/spec_summary.h"

#include <sstream>

namespace keel::cli {
namespace {

void printResources(std::ostream& out, const spec::ResourceSetSpec& rs) {
  out << rs.cpus << " cpus, " << rs.memoryMb << " MB";
  if (rs.gpus > 0) out << ", " << rs.gpus << " gpus";
  for (const auto& port : rs.ports) {
    out << ", port " << port.name << "="
        << (port.port == 0 ? "dynamic" : std::to_string(port.port));
  }
  for (const auto& v : rs.volumes) {
    out << ", volume " << v.path << " " << v.sizeMb << " MB " << spec::volumeTypeName(v.type);
  }
}

void printTask(std::ostream& out, const spec::PodSpec& pod, const spec::TaskSpec& task) {
  out << "    task " << task.name << " (" << spec::goalStateName(task.goal)
      << (task.essential ? "" : ", non-essential") << "): ";
  if (const spec::ResourceSetSpec* rs = pod.resourceSet(task.resourceSet)) {
    printResources(out, *rs);
  }
  if (task.healthCheck) out << ", health check";
  if (task.readinessCheck) out << ", readiness check";
  out << "\n";
}

}  // namespace

std::string specSummary(const spec::ServiceSpec& spec) {
  std::ostringstream out;
  out << "service " << spec.name << " (principal " << spec.scheduler.principal << ", user "
      << spec.scheduler.user << ")\n";
  for (const auto& pod : spec.pods) {
    out << "  pod " << pod.type << " x" << pod.count;
    if (!pod.placement.empty()) out << ", placement " << pod.placement;
    if (pod.allowDecommission) out << ", allow-decommission";
    out << "\n";
    for (const auto& task : pod.tasks) printTask(out, pod, task);
  }
  if (spec.plans.empty()) {
    out << "  plans: deploy (default: one serial phase per pod)\n";
  } else {
    out << "  plans:";
    for (const auto& plan : spec.plans) out << " " << plan.name << " (" << plan.strategy << ")";
    out << "\n";
  }
  return out.str();
}

}  // namespace keel::cli
