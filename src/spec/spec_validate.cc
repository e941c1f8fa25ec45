#include "keel/spec_validate.h"

#include <map>
#include <set>

#include "keel/placement.h"
#include "validate_internal.h"

namespace keel::spec {
namespace {

using internal::DiagnosticSink;
using internal::podPath;

void validateName(const ServiceSpec& spec, DiagnosticSink& sink) {
  if (spec.name.empty()) {
    sink.error("name", "missing required `name`: the service name");
  } else if (spec.name.find("__") != std::string::npos) {
    sink.error("name", "service names may not contain double underscores ('__'), found '" +
                           spec.name + "'");
  }
}

void validateUniqueNames(const PodSpec& pod, DiagnosticSink& sink) {
  std::set<std::string> tasks, sets;
  for (const auto& t : pod.tasks) {
    if (!tasks.insert(t.name).second)
      sink.error(internal::taskPath(pod, t), "duplicate task name '" + t.name + "'");
  }
  for (const auto& r : pod.resourceSets) {
    if (!sets.insert(r.id).second) {
      sink.error(internal::resourceSetPath(pod, r, sink.locations()),
                 "duplicate resource set '" + r.id +
                     "' (a task's inline resources are named <task>-resource-set)");
    }
  }
}

void validatePod(const PodSpec& pod, DiagnosticSink& sink) {
  std::string path = podPath(pod);
  if (pod.count < 0) {
    sink.error(path + ".count",
               "expected a number of instances >= 0, found '" + std::to_string(pod.count) + "'");
  }
  if (auto placement = parsePlacement(pod.placement); !placement) {
    sink.error(path + ".placement", placement.error().message());
  }
  validateUniqueNames(pod, sink);
  for (const auto& v : pod.volumes) internal::validateVolume(v, path, sink);
  for (const auto& rs : pod.resourceSets) internal::validateResourceSet(pod, rs, sink);
  for (const auto& t : pod.tasks) internal::validateTask(pod, t, sink);
  internal::validatePodContainer(pod, sink);
  for (const auto& s : pod.secrets) {
    if (s.secretPath.empty())
      sink.error(path + ".secrets." + s.name, "a secret needs a non-empty `secret` path");
  }
}

// dcos-commons: advertised port names are endpoint names, unique per service.
void validateAdvertisedPorts(const ServiceSpec& spec, DiagnosticSink& sink) {
  std::map<std::string, std::string> seen;  // name -> path of first use
  for (const auto& pod : spec.pods) {
    for (const auto& rs : pod.resourceSets) {
      std::string rsPath = internal::resourceSetPath(pod, rs, sink.locations());
      for (const auto& p : rs.ports) {
        if (!p.advertise) continue;
        std::string path = rsPath + ".ports." + p.name;
        auto [it, fresh] = seen.emplace(p.name, path);
        if (!fresh) {
          sink.error(
              path,
              "duplicate advertised port name '" + p.name + "' (also at " + it->second +
                  "): advertised ports are endpoints and need names unique across the service");
        }
      }
    }
  }
}

void validateDiscoveryPrefixes(const ServiceSpec& spec, DiagnosticSink& sink) {
  std::map<std::string, std::string> owner;  // prefix -> pod type
  for (const auto& pod : spec.pods) {
    for (const auto& t : pod.tasks) {
      if (!t.discovery || t.discovery->prefix.empty()) continue;
      auto [it, fresh] = owner.emplace(t.discovery->prefix, pod.type);
      if (!fresh && it->second != pod.type) {
        sink.error(internal::taskPath(pod, t) + ".discovery.prefix",
                   "tasks in different pods cannot share DNS names: prefix '" +
                       t.discovery->prefix + "' is also used in pod '" + it->second + "'");
      }
    }
  }
}

}  // namespace

std::string Diagnostic::toString() const {
  std::string out;
  if (!file.empty()) out += file + ":";
  if (line > 0) out += std::to_string(line) + ":";
  if (line > 0 && column > 0) out += std::to_string(column) + ":";
  if (!out.empty()) out += " ";
  if (severity == Severity::kWarning) out += "warning: ";
  if (!path.empty()) out += path + ": ";
  return out + message;
}

const std::vector<std::string>& validRLimitNames() {
  static const std::vector<std::string> names = {
      "RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",        "RLIMIT_DATA",
      "RLIMIT_FSIZE",  "RLIMIT_LOCKS",  "RLIMIT_MEMLOCK",    "RLIMIT_MSGQUEUE",
      "RLIMIT_NICE",   "RLIMIT_NOFILE", "RLIMIT_NPROC",      "RLIMIT_RSS",
      "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK"};
  return names;
}

std::vector<Diagnostic> validateServiceSpec(const ServiceSpec& spec) {
  return validateServiceSpec(spec, {});
}

std::vector<Diagnostic> validateServiceSpec(const ServiceSpec& spec, const SpecSource& source) {
  DiagnosticSink sink(source.file, source.locations);
  validateName(spec, sink);
  std::set<std::string> types;
  for (const auto& pod : spec.pods) {
    if (!types.insert(pod.type).second)
      sink.error(podPath(pod), "duplicate pod type '" + pod.type + "'");
    validatePod(pod, sink);
  }
  validateAdvertisedPorts(spec, sink);
  validateDiscoveryPrefixes(spec, sink);
  std::vector<Diagnostic> out = std::move(sink.errors());
  for (auto& w : sink.warnings()) out.push_back(std::move(w));
  return out;
}

}  // namespace keel::spec
