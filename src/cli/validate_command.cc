#include "cli/commands.h"
#include "cli/spec_summary.h"
#include "keel/spec_validate.h"

namespace keel::cli {
namespace {

void printAll(std::ostream& err, const std::vector<spec::Diagnostic>& list) {
  for (const auto& d : list) err << d.toString() << "\n";
}

spec::ClusterCapabilities capabilitiesOf(const TargetCluster& cluster) {
  return cluster.kind == "mesos" ? spec::ClusterCapabilities::full()
                                 : spec::ClusterCapabilities::localCluster();
}

}  // namespace

int runValidate(const SpecInput& input, const TargetCluster& cluster, std::ostream& out,
                std::ostream& err) {
  if (cluster.kind != "local" && cluster.kind != "mesos") {
    err << "keel validate: --cluster must be 'local' or 'mesos', found '" << cluster.kind << "'\n";
    return kExitUsage;
  }
  LoadedSpec loaded = loadSpecInput(input);
  size_t n = printLoadDiagnostics(loaded, err);
  if (!loaded.ok()) {
    err << input.specPath << ": invalid (" << n << (n == 1 ? " error" : " errors") << ")\n";
    return kExitInvalid;
  }
  const spec::ServiceSpec& spec = *loaded.result.spec;
  auto unsupported = spec::unsupportedFeatures(
      spec, capabilitiesOf(cluster), spec::SpecSource{input.specPath, &loaded.result.locations});
  printAll(err, unsupported);
  if (!unsupported.empty()) {
    err << input.specPath << ": valid, but uses " << unsupported.size()
        << (unsupported.size() == 1 ? " feature" : " features") << " the " << cluster.kind
        << " cluster does not offer\n";
    return kExitInvalid;
  }
  out << input.specPath << ": valid\n" << specSummary(spec);
  return kExitOk;
}

}  // namespace keel::cli
