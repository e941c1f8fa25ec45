#include "keel/spec_loader.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "keel/mustache.h"
#include "load_internal.h"

namespace keel::spec {
namespace {

using internal::Field;
using internal::MapReader;

Result<std::string> readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound("cannot open " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::ioError("cannot read " + path);
  return buf.str();
}

internal::TemplateReader defaultTemplateReader(const std::string& specFile) {
  std::filesystem::path dir = std::filesystem::path(specFile).parent_path();
  return [dir](const std::string& path) -> Result<std::string> {
    std::filesystem::path p(path);
    return readWholeFile((p.is_absolute() || dir.empty() ? p : dir / p).string());
  };
}

void render(std::string_view text, const LoadOptions& options, internal::DiagnosticSink& sink,
            LoadResult& result) {
  std::vector<MissingVariable> missing;
  auto rendered = renderMustacheWithLines(text, options.env, &missing);
  if (!rendered) {
    sink.error("", rendered.error().message());
    return;
  }
  for (const auto& m : missing) {
    std::string message = "template variable {{" + m.name + "}} is not set; it renders empty";
    if (options.strictRendering) {
      sink.errorAt(m.line, 0, "", message + " (strict rendering)");
    } else {
      sink.warnings().push_back(
          Diagnostic{Diagnostic::Severity::kWarning, sink.file(), m.line, 0, "", message});
    }
  }
  result.rendered = std::move(*rendered);
}

void loadScheduler(const Field& f, internal::DiagnosticSink& sink, SchedulerSpec& scheduler) {
  MapReader m(f, sink, "scheduler settings (principal, zookeeper, user)");
  if (auto v = m.take("principal"))
    scheduler.principal = internal::readString(*v, sink).value_or("");
  if (auto v = m.take("zookeeper"))
    scheduler.zookeeper = internal::readString(*v, sink).value_or("");
  if (auto v = m.take("user")) scheduler.user = internal::readString(*v, sink).value_or("");
  m.warnUnknown({"principal", "zookeeper", "user"});
}

void applyDefaults(ServiceSpec& spec) {
  if (spec.scheduler.principal.empty()) spec.scheduler.principal = spec.name + "-principal";
  if (spec.scheduler.user.empty()) spec.scheduler.user = "root";
  if (spec.scheduler.zookeeper.empty()) spec.scheduler.zookeeper = "master.mesos:2181";
}

ServiceSpec mapService(const YAML::Node& root, internal::LoadContext& ctx) {
  ServiceSpec spec;
  MapReader m(Field{root, ""}, ctx.sink, "a service spec (a map with name, pods, ...)");
  if (auto v = m.take("name")) spec.name = internal::readString(*v, ctx.sink).value_or("");
  if (auto v = m.take("web-url")) spec.webUrl = internal::readString(*v, ctx.sink).value_or("");
  if (auto v = m.take("scheduler")) loadScheduler(*v, ctx.sink, spec.scheduler);
  if (auto v = m.take("pods")) {
    MapReader pods(*v, ctx.sink, "a map of pod names to pods");
    for (auto& [type, pf] : pods.takeAll()) spec.pods.push_back(internal::loadPod(type, pf, ctx));
    if (pods.isMap() && spec.pods.empty())
      ctx.sink.warning("pods", "`pods` is empty: the service runs nothing");
  } else if (m.isMap()) {
    ctx.sink.warning("", "no `pods`: the service runs nothing");
  }
  if (auto v = m.take("plans")) spec.plans = internal::loadPlans(*v, ctx);
  m.warnUnknown({"name", "web-url", "scheduler", "pods", "plans"});
  applyDefaults(spec);
  return spec;
}

void parseAndMap(const LoadOptions& options, const std::string& fileName,
                 internal::DiagnosticSink& sink, LoadResult& result) {
  YAML::Node root;
  try {
    root = YAML::Load(result.rendered);
  } catch (const YAML::Exception& e) {
    sink.errorAt(e.mark.line + 1, e.mark.column + 1, "", "invalid YAML: " + e.msg);
    return;
  }
  internal::TemplateReader reader =
      options.readTemplate ? options.readTemplate : defaultTemplateReader(fileName);
  internal::LoadContext ctx{sink, reader};
  ServiceSpec spec = mapService(root, ctx);
  std::set<std::string> reported;
  for (const auto& e : sink.errors()) reported.insert(e.path);
  for (auto& d : validateServiceSpec(spec, SpecSource{fileName, &result.locations})) {
    if (d.isError() && reported.count(d.path) != 0) continue;  // one error per key
    (d.isError() ? sink.errors() : sink.warnings()).push_back(std::move(d));
  }
  if (sink.errors().empty()) result.spec = std::move(spec);
}

}  // namespace

LoadResult loadServiceSpecText(std::string_view text, const std::string& fileName,
                               const LoadOptions& options) {
  LoadResult result;
  internal::DiagnosticSink sink(fileName, &result.locations);
  render(text, options, sink, result);
  if (sink.errors().empty()) parseAndMap(options, fileName, sink, result);
  result.errors = std::move(sink.errors());
  result.warnings = std::move(sink.warnings());
  if (!result.errors.empty()) result.spec.reset();
  return result;
}

LoadResult loadServiceSpecFile(const std::string& path, const LoadOptions& options) {
  auto text = readWholeFile(path);
  if (!text) {
    LoadResult result;
    result.errors.push_back(
        Diagnostic{Diagnostic::Severity::kError, path, 0, 0, "", text.error().message()});
    return result;
  }
  return loadServiceSpecText(*text, path, options);
}

}  // namespace keel::spec
