// Validation of resource sets, volumes, ports and resource limits.
#include <set>
#include <sstream>

#include "validate_internal.h"

namespace keel::spec::internal {
namespace {

std::string num(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string volumePath(const std::string& parent, const VolumeSpec& v) {
  return v.name.empty() ? parent + ".volume" : parent + ".volumes." + v.name;
}

void validatePort(const PortSpec& p, const std::string& path, DiagnosticSink& sink) {
  if (p.port < 0 || p.port > 65535) {
    sink.error(path + ".port", "expected a port number 0-65535 (0: dynamic), found '" +
                                   std::to_string(p.port) + "'");
  }
  if (p.vip && (p.vip->port < 1 || p.vip->port > 65535)) {
    sink.error(path + ".vip.port",
               "expected a VIP port 1-65535, found '" + std::to_string(p.vip->port) + "'");
  }
  for (size_t i = 0; i < p.ranges.size(); ++i) {
    const PortRange& r = p.ranges[i];
    std::string rp = path + ".ranges[" + std::to_string(i) + "]";
    bool outside = (r.begin && (*r.begin < 0 || *r.begin > 65535)) ||
                   (r.end && (*r.end < 0 || *r.end > 65535));
    if (outside) sink.error(rp, "port range ends must be within 0-65535");
    if (r.begin && r.end && *r.begin > *r.end) {
      sink.error(rp, "port range begins after it ends: " + std::to_string(*r.begin) + " > " +
                         std::to_string(*r.end));
    }
  }
}

void validateLimit(const std::optional<ResourceLimit>& limit, double request, const char* what,
                   const std::string& taskName, const std::string& path, DiagnosticSink& sink) {
  if (!limit || limit->unlimited) return;
  if (limit->value < request) {
    sink.error(path, std::string("the ") + what + " resource-limits for task '" + taskName + "', " +
                         num(limit->value) + ", is less than the requested amount, " +
                         num(request) + ": a limit must be >= the request, or \"unlimited\"");
  }
}

}  // namespace

void validateVolume(const VolumeSpec& v, const std::string& parent, DiagnosticSink& sink) {
  std::string path = volumePath(parent, v);
  if (v.sizeMb <= 0) {
    sink.error(path + ".size",
               "expected a volume size in MB greater than 0, found '" + num(v.sizeMb) + "'");
  }
  if (v.path.empty()) sink.error(path + ".path", "a volume needs a non-empty `path`");
  if (!v.profiles.empty() && v.type != VolumeType::kMount) {
    sink.error(path + ".profiles",
               "volume profiles apply to MOUNT volumes only; this volume is ROOT");
  }
}

void validateResourceSet(const PodSpec& pod, const ResourceSetSpec& rs, DiagnosticSink& sink) {
  std::string path = resourceSetPath(pod, rs, sink.locations());
  // As dcos-commons, a set reserving only ports may leave cpus out; one
  // that reserves memory, gpus or disk runs a process and needs cpus.
  bool needsCpus = rs.memoryMb > 0 || rs.gpus > 0 || !rs.volumes.empty();
  if (rs.cpus < 0 || (rs.cpus == 0 && needsCpus)) {
    sink.error(path + ".cpus",
               "expected a number of cpus greater than 0, found '" + num(rs.cpus) + "'");
  }
  if (rs.gpus < 0)
    sink.error(path + ".gpus", "expected a number of gpus >= 0, found '" + num(rs.gpus) + "'");
  if (rs.memoryMb < 0) {
    sink.error(path + ".memory",
               "expected a number of MB greater than 0, found '" + num(rs.memoryMb) + "'");
  }
  std::set<int64_t> fixedPorts;
  for (const auto& p : rs.ports) {
    validatePort(p, path + ".ports." + p.name, sink);
    if (p.port > 0 && !fixedPorts.insert(p.port).second) {
      sink.error(path + ".ports." + p.name,
                 "multiple ports with value " + std::to_string(p.port) +
                     " in one resource set: each fixed port can be reserved once");
    }
  }
  for (const auto& v : rs.volumes) validateVolume(v, path, sink);
  for (const auto& task : pod.tasks) {
    if (task.resourceSet != rs.id || !rs.limits) continue;
    validateLimit(rs.limits->cpus, rs.cpus, "cpus", task.name, path + ".resource-limits.cpus",
                  sink);
    validateLimit(rs.limits->memory, rs.memoryMb, "memory", task.name,
                  path + ".resource-limits.memory", sink);
  }
}

std::string podPath(const PodSpec& pod) { return "pods." + pod.type; }

std::string taskPath(const PodSpec& pod, const TaskSpec& task) {
  return podPath(pod) + ".tasks." + task.name;
}

std::string resourceSetPath(const PodSpec& pod, const ResourceSetSpec& rs,
                            const KeyLocations& locations) {
  std::string declared = podPath(pod) + ".resource-sets." + rs.id;
  if (locations.count(declared) != 0) return declared;
  for (const auto& t : pod.tasks) {
    if (t.resourceSet == rs.id && rs.id == t.name + "-resource-set") return taskPath(pod, t);
  }
  return declared;
}

}  // namespace keel::spec::internal
