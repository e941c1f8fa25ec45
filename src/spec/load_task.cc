// Tasks of svc.yml: command, env, checks, configs, resources.
#include <algorithm>
#include <cctype>

#include "load_internal.h"

namespace keel::spec::internal {
namespace {

const std::vector<std::string> kTaskKeys = {"goal",
                                            "essential",
                                            "cmd",
                                            "env",
                                            "labels",
                                            "configs",
                                            "cpus",
                                            "gpus",
                                            "memory",
                                            "ports",
                                            "health-check",
                                            "readiness-check",
                                            "volume",
                                            "volumes",
                                            "resource-set",
                                            "discovery",
                                            "kill-grace-period",
                                            "transport-encryption",
                                            "ipc-mode",
                                            "shm-size",
                                            "resource-limits"};

std::optional<GoalState> parseGoal(const Field& f, DiagnosticSink& sink) {
  std::string text = readString(f, sink).value_or("");
  std::string upper = text;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  if (upper == "RUNNING") return GoalState::kRunning;
  if (upper == "FINISH") return GoalState::kFinish;
  if (upper == "ONCE") return GoalState::kOnce;
  if (upper == "FINISHED") {
    sink.warning(f.path, "goal FINISHED is a legacy alias of FINISH: write FINISH");
    return GoalState::kFinish;
  }
  sink.error(f.path, "expected a goal state RUNNING, FINISH or ONCE, found '" + text + "'");
  return std::nullopt;
}

std::optional<HealthCheckSpec> loadHealthCheck(const Field& f, DiagnosticSink& sink) {
  MapReader m(
      f, sink,
      "a health check (cmd, interval, grace-period, max-consecutive-failures, delay, timeout)");
  HealthCheckSpec hc;
  if (auto c = m.take("cmd")) hc.cmd = readString(*c, sink).value_or("");
  if (auto v = m.take("interval")) hc.intervalS = readNumber(*v, sink, "a number of seconds");
  if (auto v = m.take("grace-period"))
    hc.gracePeriodS = readNumber(*v, sink, "a number of seconds");
  if (auto v = m.take("max-consecutive-failures")) hc.maxConsecutiveFailures = readInt(*v, sink);
  if (auto v = m.take("delay")) hc.delayS = readNumber(*v, sink, "a number of seconds");
  if (auto v = m.take("timeout")) hc.timeoutS = readNumber(*v, sink, "a number of seconds");
  m.warnUnknown(
      {"cmd", "interval", "grace-period", "max-consecutive-failures", "delay", "timeout"});
  if (hc.cmd.empty()) sink.error(f.path, "a health check needs a non-empty `cmd`");
  return hc;
}

std::optional<ReadinessCheckSpec> loadReadinessCheck(const Field& f, DiagnosticSink& sink) {
  MapReader m(f, sink, "a readiness check (cmd, interval, delay, timeout)");
  ReadinessCheckSpec rc;
  if (auto c = m.take("cmd")) rc.cmd = readString(*c, sink).value_or("");
  if (auto v = m.take("interval")) rc.intervalS = readNumber(*v, sink, "a number of seconds");
  if (auto v = m.take("delay")) rc.delayS = readNumber(*v, sink, "a number of seconds");
  if (auto v = m.take("timeout")) rc.timeoutS = readNumber(*v, sink, "a number of seconds");
  m.warnUnknown({"cmd", "interval", "delay", "timeout"});
  if (rc.cmd.empty()) sink.error(f.path, "a readiness check needs a non-empty `cmd`");
  return rc;
}

std::optional<DiscoverySpec> loadDiscovery(const Field& f, DiagnosticSink& sink) {
  MapReader m(f, sink, "discovery (prefix, visibility)");
  DiscoverySpec d;
  if (auto p = m.take("prefix")) d.prefix = readString(*p, sink).value_or("");
  if (auto v = m.take("visibility")) {
    std::string text = readString(*v, sink).value_or("");
    if (text == "FRAMEWORK") {
      d.visibility = DiscoveryVisibility::kFramework;
    } else if (text == "CLUSTER") {
      d.visibility = DiscoveryVisibility::kCluster;
    } else if (text == "EXTERNAL") {
      d.visibility = DiscoveryVisibility::kExternal;
    } else {
      sink.error(v->path,
                 "expected a visibility FRAMEWORK, CLUSTER or EXTERNAL, found '" + text + "'");
    }
  }
  m.warnUnknown({"prefix", "visibility"});
  return d;
}

std::vector<ConfigFileSpec> loadConfigs(const Field& f, LoadContext& ctx) {
  std::vector<ConfigFileSpec> configs;
  MapReader names(f, ctx.sink, "a map of config names to {template, dest}");
  for (auto& [name, cf] : names.takeAll()) {
    MapReader m(cf, ctx.sink, "a config file (template, dest)");
    ConfigFileSpec c;
    c.name = name;
    if (auto t = m.take("template")) c.templatePath = readString(*t, ctx.sink).value_or("");
    if (auto d = m.take("dest")) c.dest = readString(*d, ctx.sink).value_or("");
    m.warnUnknown({"template", "dest"});
    std::string tpath = childPath(cf.path, "template");
    if (c.templatePath.empty()) {
      ctx.sink.error(tpath, "a config needs a `template` file");
    } else if (auto content = ctx.readTemplate(c.templatePath); content) {
      c.content = std::move(*content);
    } else {
      ctx.sink.error(tpath, "cannot read config template '" + c.templatePath +
                                "': " + content.error().message());
    }
    configs.push_back(std::move(c));
  }
  return configs;
}

std::vector<TransportEncryptionSpec> loadTransportEncryption(const Field& f, DiagnosticSink& sink) {
  std::vector<TransportEncryptionSpec> out;
  for (const Field& item : readList(f, sink, "a list of {name, type}")) {
    MapReader m(item, sink, "transport encryption ({name, type})");
    TransportEncryptionSpec te;
    if (auto n = m.take("name")) te.name = readString(*n, sink).value_or("");
    if (te.name.empty()) sink.error(item.path, "transport encryption needs a non-empty `name`");
    if (auto t = m.take("type")) {
      std::string type = readString(*t, sink).value_or("");
      if (type == "KEYSTORE") {
        te.type = TransportEncryptionType::kKeystore;
      } else if (type != "TLS") {
        sink.error(t->path, "expected a type TLS or KEYSTORE, found '" + type + "'");
      }
    } else {
      sink.error(item.path, "transport encryption needs a `type`: TLS or KEYSTORE");
    }
    m.warnUnknown({"name", "type"});
    out.push_back(std::move(te));
  }
  return out;
}

std::map<std::string, std::string> loadEnv(const Field& f, DiagnosticSink& sink) {
  std::map<std::string, std::string> env;
  MapReader m(f, sink, "a map of environment variable names to values");
  for (auto& [key, v] : m.takeAll()) env[key] = readString(v, sink).value_or("");
  return env;
}

std::optional<IpcMode> parseIpcMode(const Field& f, DiagnosticSink& sink) {
  std::string text = readString(f, sink).value_or("");
  if (text == "PRIVATE") return IpcMode::kPrivate;
  if (text == "SHARE_PARENT") return IpcMode::kShareParent;
  sink.error(f.path, "expected an ipc-mode PRIVATE or SHARE_PARENT, found '" + text + "'");
  return std::nullopt;
}

void loadTaskResources(const std::string& name, MapReader& m, const Field& f, LoadContext& ctx,
                       PodSpec& pod, TaskSpec& task) {
  if (auto rs = m.take("resource-set")) task.resourceSet = readString(*rs, ctx.sink).value_or("");
  if (!task.resourceSet.empty()) {
    for (const auto& key : resourceKeys()) {
      if (m.has(key)) {
        m.take(key);
        ctx.sink.error(childPath(f.path, key),
                       "`" + key + "` cannot be combined with `resource-set: " + task.resourceSet +
                           "`: declare it in the resource set");
      }
    }
    return;
  }
  task.resourceSet = name + "-resource-set";
  pod.resourceSets.push_back(loadResources(task.resourceSet, m, f.path, ctx));
}

}  // namespace

void loadTask(const std::string& name, const Field& f, LoadContext& ctx, PodSpec& pod) {
  MapReader m(f, ctx.sink, "a task (a map of task settings)");
  if (!m.isMap()) return;
  TaskSpec task;
  task.name = name;
  if (auto g = m.take("goal")) task.goal = parseGoal(*g, ctx.sink).value_or(GoalState::kRunning);
  if (auto e = m.take("essential")) task.essential = readBool(*e, ctx.sink).value_or(true);
  if (auto c = m.take("cmd")) task.cmd = readString(*c, ctx.sink).value_or("");
  if (auto e = m.take("env")) task.env = loadEnv(*e, ctx.sink);
  if (auto l = m.take("labels"))
    task.labels = parseLabels(readString(*l, ctx.sink).value_or(""), l->path, ctx.sink);
  if (auto c = m.take("configs")) task.configs = loadConfigs(*c, ctx);
  if (auto h = m.take("health-check")) task.healthCheck = loadHealthCheck(*h, ctx.sink);
  if (auto r = m.take("readiness-check")) task.readinessCheck = loadReadinessCheck(*r, ctx.sink);
  if (auto d = m.take("discovery")) task.discovery = loadDiscovery(*d, ctx.sink);
  if (auto k = m.take("kill-grace-period"))
    task.killGracePeriodS = readInt(*k, ctx.sink, "a number of seconds >= 0");
  if (auto t = m.take("transport-encryption"))
    task.transportEncryption = loadTransportEncryption(*t, ctx.sink);
  if (auto i = m.take("ipc-mode")) task.ipcMode = parseIpcMode(*i, ctx.sink);
  if (auto s = m.take("shm-size")) task.shmSizeMb = readInt(*s, ctx.sink, "a size in MB");
  loadTaskResources(name, m, f, ctx, pod, task);
  m.warnUnknown(kTaskKeys);
  pod.tasks.push_back(std::move(task));
}

}  // namespace keel::spec::internal
