// Semantic validation of a ServiceSpec, and the list of declared features a
// cluster does not offer.
//
// Both are pure functions of their inputs: thread-safe, no I/O. They never
// stop at the first problem: every finding is returned, in spec order.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "keel/spec.h"

namespace keel::spec {

// One finding about a spec: where it is and what is wrong.
struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string file;  // empty: not from a file (C++ builders, JSON)
  int line = 0;      // 1-based; 0: unknown
  int column = 0;    // 1-based; 0: unknown
  std::string path;  // key path, e.g. "pods.data.tasks.node.volume.size"
  std::string message;

  // "svc.yml:12:9: pods.data.tasks.node.volume.size: expected a number of MB
  // greater than 0, found 'abc'". Parts that are unknown are left out; a
  // warning reads "svc.yml:3:5: warning: pods.x.foo: ...".
  std::string toString() const;
  bool isError() const { return severity == Severity::kError; }
  bool operator==(const Diagnostic&) const = default;
};

// Key path -> 1-based (line, column) of the key in the rendered YAML. Paths
// use '.' between map keys and "[i]" for list elements:
// "pods.hello.tasks.server.ports.http.port", "plans.deploy.phases.p.steps[0]".
using KeyLocations = std::map<std::string, std::pair<int, int>>;

// Where a spec came from, so diagnostics can point at lines. Both members may
// be empty (a spec built in C++).
struct SpecSource {
  std::string file;
  const KeyLocations* locations = nullptr;
};

// Every rule a loaded or built spec must satisfy (all errors):
// name non-empty without "__"; pod count >= 0; every resource set used by a
// task has cpus > 0 (and memory/gpus >= 0); volume sizes > 0; advertised port
// names unique across the service; discovery prefixes unique across pods;
// tasks reference existing resource sets; resource limits >= requests;
// kill-grace-period >= 0; label keys/values non-empty; image non-empty when
// given; network port mappings only on "mesos-bridge" and host/container port
// lists of equal length; ipc-mode/shm-size rules; seccomp-unconfined xor
// seccomp-profile-name; rlimit names from the RLIMIT_* list, soft <= hard,
// both set or both unset; config templates present with a dest.
// Plans referring to unknown pods are NOT reported here (plan generation
// reports them).
std::vector<Diagnostic> validateServiceSpec(const ServiceSpec& spec);
std::vector<Diagnostic> validateServiceSpec(const ServiceSpec& spec, const SpecSource& source);

// What a cluster can run. A declared feature the cluster does not offer is
// reported by unsupportedFeatures(), never dropped silently.
struct ClusterCapabilities {
  bool dockerImages = true;
  bool virtualNetworks = true;
  bool gpus = true;
  bool secrets = true;
  bool transportEncryption = true;
  bool externalVolumes = true;
  bool seccomp = true;
  bool sharePidNamespace = true;
  bool ipcAndShm = true;
  bool volumeProfiles = true;

  // keel's own single-machine cluster: tasks run as host processes, so none
  // of the container features above are offered.
  static ClusterCapabilities localCluster();
  // A DC/OS-like Mesos cluster: everything is offered.
  static ClusterCapabilities full();
};

// One error per use of a feature the cluster lacks, e.g.
// "svc.yml:5:5: pods.hello.image: Docker images are unsupported on this
// cluster (...); remove `image` or run on a Mesos cluster with ...".
std::vector<Diagnostic> unsupportedFeatures(const ServiceSpec& spec,
                                            const ClusterCapabilities& caps);
std::vector<Diagnostic> unsupportedFeatures(const ServiceSpec& spec,
                                            const ClusterCapabilities& caps,
                                            const SpecSource& source);

// The resource limit names accepted under a pod's `rlimits:` (RLIMIT_AS ...
// RLIMIT_STACK, as Mesos' RLimitInfo defines them).
const std::vector<std::string>& validRLimitNames();

}  // namespace keel::spec
