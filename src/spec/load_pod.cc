// Pods of svc.yml: count, placement, resource sets, volumes, networks,
// rlimits, secrets, host and external volumes, container settings, tasks.
#include "load_internal.h"

namespace keel::spec::internal {
namespace {

const std::vector<std::string> kPodKeys = {"count",
                                           "allow-decommission",
                                           "placement",
                                           "uris",
                                           "rlimits",
                                           "volume",
                                           "volumes",
                                           "resource-sets",
                                           "pre-reserved-role",
                                           "secrets",
                                           "host-volumes",
                                           "external-volumes",
                                           "image",
                                           "networks",
                                           "share-pid-namespace",
                                           "seccomp-unconfined",
                                           "seccomp-profile-name",
                                           "ipc-mode",
                                           "shm-size",
                                           "tasks"};

std::vector<RLimitSpec> loadRLimits(const Field& f, DiagnosticSink& sink) {
  std::vector<RLimitSpec> out;
  MapReader names(f, sink, "a map of RLIMIT_* names to {soft, hard}");
  for (auto& [name, lf] : names.takeAll()) {
    MapReader m(lf, sink, "an rlimit (soft, hard)");
    RLimitSpec r;
    r.name = name;
    if (auto s = m.take("soft")) r.soft = readInt(*s, sink, "an integer (-1: unlimited)");
    if (auto h = m.take("hard")) r.hard = readInt(*h, sink, "an integer (-1: unlimited)");
    m.warnUnknown({"soft", "hard"});
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<NetworkSpec> loadNetworks(const Field& f, DiagnosticSink& sink) {
  std::vector<NetworkSpec> out;
  MapReader names(f, sink, "a map of network names to networks");
  for (auto& [name, nf] : names.takeAll()) {
    MapReader m(nf, sink, "a network (labels, host-ports, container-ports)");
    NetworkSpec n;
    n.name = name;
    if (auto l = m.take("labels"))
      n.labels = parseLabels(readString(*l, sink).value_or(""), l->path, sink);
    if (auto h = m.take("host-ports"))
      n.hostPorts = readIntList(*h, sink).value_or(std::vector<int64_t>{});
    if (auto c = m.take("container-ports")) {
      n.containerPorts = readIntList(*c, sink).value_or(std::vector<int64_t>{});
    }
    m.warnUnknown({"labels", "host-ports", "container-ports"});
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<SecretSpec> loadSecrets(const Field& f, DiagnosticSink& sink) {
  std::vector<SecretSpec> out;
  MapReader names(f, sink, "a map of secret names to {secret, env-key, file}");
  for (auto& [name, sf] : names.takeAll()) {
    MapReader m(sf, sink, "a secret (secret, env-key, file)");
    SecretSpec s;
    s.name = name;
    if (auto v = m.take("secret")) s.secretPath = readString(*v, sink).value_or("");
    if (auto v = m.take("env-key")) s.envKey = readString(*v, sink).value_or("");
    if (auto v = m.take("file")) s.filePath = readString(*v, sink).value_or("");
    m.warnUnknown({"secret", "env-key", "file"});
    // As dcos-commons: without env-key and file, the secret goes to a file named by its path.
    if (s.envKey.empty() && s.filePath.empty()) s.filePath = s.secretPath;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<HostVolumeSpec> loadHostVolumes(const Field& f, DiagnosticSink& sink) {
  std::vector<HostVolumeSpec> out;
  MapReader names(f, sink, "a map of host volume names to {host-path, container-path, mode}");
  for (auto& [name, hf] : names.takeAll()) {
    MapReader m(hf, sink, "a host volume (host-path, container-path, mode)");
    HostVolumeSpec h;
    h.name = name;
    if (auto v = m.take("host-path")) h.hostPath = readString(*v, sink).value_or("");
    if (auto v = m.take("container-path")) h.containerPath = readString(*v, sink).value_or("");
    if (auto v = m.take("mode")) {
      std::string mode = readString(*v, sink).value_or("");
      if (mode == "RO") {
        h.mode = HostVolumeMode::kReadOnly;
      } else if (mode != "RW") {
        sink.error(v->path, "expected a mode RW or RO, found '" + mode + "'");
      }
    }
    m.warnUnknown({"host-path", "container-path", "mode"});
    if (h.hostPath.empty()) sink.error(hf.path, "a host volume needs a non-empty `host-path`");
    if (h.containerPath.empty())
      sink.error(hf.path, "a host volume needs a non-empty `container-path`");
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<ExternalVolumeSpec> loadExternalVolumes(const Field& f, DiagnosticSink& sink) {
  static const std::vector<std::string> keys = {"type",        "volume-name",    "volume-mode",
                                                "driver-name", "driver-options", "container-path"};
  std::vector<ExternalVolumeSpec> out;
  MapReader names(f, sink, "a map of external volume names to external volumes");
  for (auto& [name, ef] : names.takeAll()) {
    MapReader m(ef, sink, "an external volume");
    ExternalVolumeSpec e;
    e.name = name;
    std::string* targets[] = {&e.type,       &e.volumeName,    &e.volumeMode,
                              &e.driverName, &e.driverOptions, &e.containerPath};
    for (size_t i = 0; i < keys.size(); ++i) {
      if (auto v = m.take(keys[i])) *targets[i] = readString(*v, sink).value_or("");
    }
    m.warnUnknown(keys);
    if (e.type != "DOCKER") {
      sink.error(childPath(ef.path, "type"),
                 "expected an external volume type DOCKER, found '" + e.type + "'");
    }
    out.push_back(std::move(e));
  }
  return out;
}

void loadResourceSets(const Field& f, LoadContext& ctx, PodSpec& pod) {
  MapReader names(f, ctx.sink, "a map of resource set names to resource sets");
  for (auto& [id, rf] : names.takeAll()) {
    MapReader m(rf, ctx.sink,
                "a resource set (cpus, gpus, memory, ports, volume/volumes, resource-limits)");
    if (!m.isMap()) continue;
    pod.resourceSets.push_back(loadResources(id, m, rf.path, ctx));
    m.warnUnknown(resourceKeys());
  }
}

void loadContainerSettings(MapReader& m, DiagnosticSink& sink, PodSpec& pod) {
  if (auto v = m.take("image")) pod.image = readString(*v, sink).value_or("");
  if (auto v = m.take("networks")) pod.networks = loadNetworks(*v, sink);
  if (auto v = m.take("rlimits")) pod.rlimits = loadRLimits(*v, sink);
  if (auto v = m.take("share-pid-namespace"))
    pod.sharePidNamespace = readBool(*v, sink).value_or(false);
  if (auto v = m.take("seccomp-unconfined"))
    pod.seccompUnconfined = readBool(*v, sink).value_or(false);
  if (auto v = m.take("seccomp-profile-name"))
    pod.seccompProfileName = readString(*v, sink).value_or("");
  if (auto v = m.take("ipc-mode")) {
    std::string mode = readString(*v, sink).value_or("");
    if (mode == "PRIVATE") {
      pod.ipcMode = IpcMode::kPrivate;
    } else if (mode == "SHARE_PARENT") {
      pod.ipcMode = IpcMode::kShareParent;  // rejected by validation, with the reason
    } else {
      sink.error(v->path, "expected a pod ipc-mode PRIVATE, found '" + mode + "'");
    }
  }
  if (auto v = m.take("shm-size")) pod.shmSizeMb = readInt(*v, sink, "a size in MB");
}

}  // namespace

PodSpec loadPod(const std::string& type, const Field& f, LoadContext& ctx) {
  PodSpec pod;
  pod.type = type;
  MapReader m(f, ctx.sink, "a pod (a map of pod settings)");
  if (!m.isMap()) return pod;
  if (auto v = m.take("count")) {
    pod.count = readInt(*v, ctx.sink, "a number of instances >= 0").value_or(0);
  } else {
    ctx.sink.error(f.path, "missing `count`: how many instances of pod '" + type + "' to run");
  }
  if (auto v = m.take("allow-decommission"))
    pod.allowDecommission = readBool(*v, ctx.sink).value_or(false);
  if (auto v = m.take("placement")) pod.placement = readString(*v, ctx.sink).value_or("");
  if (auto v = m.take("uris"))
    pod.uris = readStringList(*v, ctx.sink).value_or(std::vector<std::string>{});
  if (auto v = m.take("pre-reserved-role"))
    pod.preReservedRole = readString(*v, ctx.sink).value_or("*");
  if (auto v = m.take("secrets")) pod.secrets = loadSecrets(*v, ctx.sink);
  if (auto v = m.take("host-volumes")) pod.hostVolumes = loadHostVolumes(*v, ctx.sink);
  if (auto v = m.take("external-volumes")) pod.externalVolumes = loadExternalVolumes(*v, ctx.sink);
  loadContainerSettings(m, ctx.sink, pod);
  pod.volumes = loadVolumes(m, f.path, ctx);
  if (auto v = m.take("resource-sets")) loadResourceSets(*v, ctx, pod);
  if (auto v = m.take("tasks")) {
    MapReader tasks(*v, ctx.sink, "a map of task names to tasks");
    for (auto& [name, tf] : tasks.takeAll()) loadTask(name, tf, ctx, pod);
  }
  if (pod.tasks.empty())
    ctx.sink.error(f.path, "pod '" + type + "' has no `tasks`: declare at least one");
  m.warnUnknown(kPodKeys);
  return pod;
}

}  // namespace keel::spec::internal
