// Resource sets, volumes, ports and labels of svc.yml.
#include <cctype>

#include "load_internal.h"

namespace keel::spec::internal {
namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::optional<VolumeSpec> loadVolume(const std::string& name, const Field& f, LoadContext& ctx) {
  MapReader m(f, ctx.sink, "a volume (path, type, size, profiles)");
  if (!m.isMap()) return std::nullopt;
  VolumeSpec v;
  v.name = name;
  if (auto p = m.take("path")) v.path = readString(*p, ctx.sink).value_or("");
  if (auto t = m.take("type")) {
    std::string type = readString(*t, ctx.sink).value_or("");
    if (type == "ROOT") {
      v.type = VolumeType::kRoot;
    } else if (type == "MOUNT") {
      v.type = VolumeType::kMount;
    } else {
      ctx.sink.error(t->path, "expected a volume type ROOT or MOUNT, found '" + type + "'");
    }
  } else {
    ctx.sink.error(f.path, "missing volume `type`: expected ROOT or MOUNT");
  }
  if (auto s = m.take("size")) {
    v.sizeMb =
        static_cast<double>(readInt(*s, ctx.sink, "a number of MB greater than 0").value_or(0));
  }
  if (auto p = m.take("profiles"))
    v.profiles = readStringList(*p, ctx.sink).value_or(std::vector<std::string>{});
  m.warnUnknown({"path", "type", "size", "profiles"});
  return v;
}

std::optional<ResourceLimit> loadLimit(const Field& f, DiagnosticSink& sink) {
  auto text = readString(f, sink);
  if (!text) return std::nullopt;
  if (*text == "unlimited") return ResourceLimit{true, 0};
  auto n = parseNumber(*text);
  if (!n || *n < 0) {
    sink.error(f.path, "expected a number >= 0 or \"unlimited\", found '" + *text + "'");
    return std::nullopt;
  }
  return ResourceLimit{false, *n};
}

std::optional<ResourceLimits> loadLimits(const Field& f, DiagnosticSink& sink) {
  MapReader m(f, sink, "resource limits (cpus, memory)");
  ResourceLimits limits;
  if (auto c = m.take("cpus")) limits.cpus = loadLimit(*c, sink);
  if (auto mem = m.take("memory")) limits.memory = loadLimit(*mem, sink);
  m.warnUnknown({"cpus", "memory"});
  return limits;
}

std::vector<PortRange> loadRanges(const Field& f, DiagnosticSink& sink) {
  std::vector<PortRange> ranges;
  for (const Field& item : readList(f, sink, "a list of port ranges ({begin, end})")) {
    MapReader m(item, sink, "a port range ({begin, end})");
    PortRange r;
    if (auto b = m.take("begin")) r.begin = readInt(*b, sink, "a port number");
    if (auto e = m.take("end")) r.end = readInt(*e, sink, "a port number");
    m.warnUnknown({"begin", "end"});
    ranges.push_back(r);
  }
  return ranges;
}

std::optional<VipSpec> loadVip(const Field& f, const std::string& portName, DiagnosticSink& sink) {
  MapReader m(f, sink, "a VIP (port, prefix)");
  VipSpec vip;
  if (auto p = m.take("port")) vip.port = readInt(*p, sink, "a port number").value_or(0);
  if (auto p = m.take("prefix")) vip.prefix = readString(*p, sink).value_or("");
  if (vip.prefix.empty()) vip.prefix = portName;
  m.warnUnknown({"port", "prefix"});
  return vip;
}

PortSpec loadPort(const std::string& name, const Field& f, DiagnosticSink& sink) {
  MapReader m(f, sink, "a port (port, env-key, advertise, vip, ranges)");
  PortSpec port;
  port.name = name;
  if (auto p = m.take("port"))
    port.port = readInt(*p, sink, "a port number (0 for dynamic)").value_or(0);
  if (auto e = m.take("env-key")) port.envKey = readString(*e, sink).value_or("");
  if (auto a = m.take("advertise")) port.advertise = readBool(*a, sink).value_or(false);
  if (auto v = m.take("vip")) port.vip = loadVip(*v, name, sink);
  if (auto r = m.take("ranges")) port.ranges = loadRanges(*r, sink);
  m.warnUnknown({"port", "env-key", "advertise", "vip", "ranges"});
  return port;
}

// An explicit cpus/memory must be > 0 (dcos-commons rejects zero scalars);
// an invalid value is reported here and left at 0 in the model.
double positiveScalar(const Field& f, DiagnosticSink& sink, const char* expected) {
  auto v = readNumber(f, sink, expected);
  if (v && *v <= 0) {
    sink.error(f.path, std::string("expected ") + expected + ", found '" + f.node.Scalar() + "'");
    return 0;
  }
  return v.value_or(0);
}

}  // namespace

std::string joinAllowed(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::vector<VolumeSpec> loadVolumes(MapReader& m, const std::string& path, LoadContext& ctx) {
  std::vector<VolumeSpec> volumes;
  auto single = m.take("volume");
  auto many = m.take("volumes");
  if (single && many) {
    ctx.sink.error(many->path, "both 'volume' and 'volumes' are given: use one of them");
  }
  if (single && !single->node.IsNull()) {
    if (auto v = loadVolume("", *single, ctx)) volumes.push_back(std::move(*v));
  }
  if (many) {
    MapReader names(*many, ctx.sink, "a map of volume names to volumes");
    for (auto& [name, f] : names.takeAll()) {
      if (auto v = loadVolume(name, f, ctx)) volumes.push_back(std::move(*v));
    }
  }
  (void)path;
  return volumes;
}

ResourceSetSpec loadResources(const std::string& id, MapReader& m, const std::string& path,
                              LoadContext& ctx) {
  ResourceSetSpec rs;
  rs.id = id;
  if (auto c = m.take("cpus"))
    rs.cpus = positiveScalar(*c, ctx.sink, "a number of cpus greater than 0");
  if (auto g = m.take("gpus")) {
    auto v = readNumber(*g, ctx.sink, "a number of gpus >= 0");
    if (v && *v < 0)
      ctx.sink.error(g->path, "expected a number of gpus >= 0, found '" + g->node.Scalar() + "'");
    rs.gpus = v && *v > 0 ? *v : 0;
  }
  if (auto mem = m.take("memory"))
    rs.memoryMb = positiveScalar(*mem, ctx.sink, "a number of MB greater than 0");
  if (auto p = m.take("ports")) {
    MapReader ports(*p, ctx.sink, "a map of port names to ports");
    for (auto& [name, f] : ports.takeAll()) rs.ports.push_back(loadPort(name, f, ctx.sink));
  }
  rs.volumes = loadVolumes(m, path, ctx);
  if (auto l = m.take("resource-limits")) rs.limits = loadLimits(*l, ctx.sink);
  return rs;
}

std::vector<std::pair<std::string, std::string>> parseLabels(const std::string& text,
                                                             const std::string& path,
                                                             DiagnosticSink& sink) {
  std::vector<std::pair<std::string, std::string>> labels;
  if (text.empty()) return labels;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string item =
        text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
    size_t colon = item.find(':');
    if (colon == std::string::npos || trim(item.substr(0, colon)).empty()) {
      sink.error(path, "expected labels as comma-separated key:value pairs (k1:v1,k2:v2), found '" +
                           text + "'");
      return {};
    }
    labels.emplace_back(item.substr(0, colon), item.substr(colon + 1));
  }
  return labels;
}

}  // namespace keel::spec::internal
