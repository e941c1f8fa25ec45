// Declared features a cluster does not offer: one diagnostic per use.
#include "keel/spec_validate.h"
#include "validate_internal.h"

namespace keel::spec {
namespace {

using internal::DiagnosticSink;

constexpr const char* kWhy =
    " are unsupported on this cluster (keel's local cluster runs tasks as host processes)";

class Reporter {
 public:
  explicit Reporter(DiagnosticSink& sink) : sink_(sink) {}
  void use(bool offered, const std::string& path, const std::string& feature,
           const std::string& remedy) {
    if (!offered)
      sink_.error(path,
                  feature + kWhy + "; " + remedy + ", or run on a Mesos cluster that offers them");
  }

 private:
  DiagnosticSink& sink_;
};

void volumeProfiles(const ClusterCapabilities& caps, const std::vector<VolumeSpec>& volumes,
                    const std::string& parent, Reporter& r) {
  for (const auto& v : volumes) {
    if (v.profiles.empty()) continue;
    std::string path =
        (v.name.empty() ? parent + ".volume" : parent + ".volumes." + v.name) + ".profiles";
    r.use(caps.volumeProfiles, path, "volume profiles", "remove `profiles`");
  }
}

void podFeatures(const PodSpec& pod, const ClusterCapabilities& caps, DiagnosticSink& sink,
                 Reporter& r) {
  std::string path = internal::podPath(pod);
  if (pod.image) r.use(caps.dockerImages, path + ".image", "Docker images", "remove `image`");
  for (const auto& n : pod.networks) {
    r.use(caps.virtualNetworks, path + ".networks." + n.name, "virtual networks",
          "remove `networks`");
  }
  for (const auto& s : pod.secrets)
    r.use(caps.secrets, path + ".secrets." + s.name, "secrets", "remove `secrets`");
  for (const auto& e : pod.externalVolumes) {
    r.use(caps.externalVolumes, path + ".external-volumes." + e.name, "external volumes",
          "remove `external-volumes`");
  }
  if (pod.seccompUnconfined) {
    r.use(caps.seccomp, path + ".seccomp-unconfined", "seccomp settings",
          "remove `seccomp-unconfined`");
  }
  if (!pod.seccompProfileName.empty()) {
    r.use(caps.seccomp, path + ".seccomp-profile-name", "seccomp settings",
          "remove `seccomp-profile-name`");
  }
  if (pod.sharePidNamespace) {
    r.use(caps.sharePidNamespace, path + ".share-pid-namespace", "shared PID namespaces",
          "remove `share-pid-namespace`");
  }
  if (pod.ipcMode) r.use(caps.ipcAndShm, path + ".ipc-mode", "IPC modes", "remove `ipc-mode`");
  if (pod.shmSizeMb)
    r.use(caps.ipcAndShm, path + ".shm-size", "shared memory sizes", "remove `shm-size`");
  volumeProfiles(caps, pod.volumes, path, r);
  for (const auto& rs : pod.resourceSets) {
    std::string rsPath = internal::resourceSetPath(pod, rs, sink.locations());
    if (rs.gpus > 0) r.use(caps.gpus, rsPath + ".gpus", "GPUs", "remove `gpus`");
    volumeProfiles(caps, rs.volumes, rsPath, r);
  }
  for (const auto& t : pod.tasks) {
    std::string tp = internal::taskPath(pod, t);
    if (!t.transportEncryption.empty()) {
      r.use(caps.transportEncryption, tp + ".transport-encryption",
            "TLS certificates (transport-encryption)", "remove `transport-encryption`");
    }
    if (t.ipcMode) r.use(caps.ipcAndShm, tp + ".ipc-mode", "IPC modes", "remove `ipc-mode`");
    if (t.shmSizeMb)
      r.use(caps.ipcAndShm, tp + ".shm-size", "shared memory sizes", "remove `shm-size`");
  }
}

}  // namespace

ClusterCapabilities ClusterCapabilities::localCluster() {
  ClusterCapabilities c;
  c.dockerImages = c.virtualNetworks = c.gpus = c.secrets = c.transportEncryption = false;
  c.externalVolumes = c.seccomp = c.sharePidNamespace = c.ipcAndShm = c.volumeProfiles = false;
  return c;
}

ClusterCapabilities ClusterCapabilities::full() { return ClusterCapabilities{}; }

std::vector<Diagnostic> unsupportedFeatures(const ServiceSpec& spec,
                                            const ClusterCapabilities& caps) {
  return unsupportedFeatures(spec, caps, {});
}

std::vector<Diagnostic> unsupportedFeatures(const ServiceSpec& spec,
                                            const ClusterCapabilities& caps,
                                            const SpecSource& source) {
  DiagnosticSink sink(source.file, source.locations);
  Reporter reporter(sink);
  for (const auto& pod : spec.pods) podFeatures(pod, caps, sink, reporter);
  return std::move(sink.errors());
}

}  // namespace keel::spec
