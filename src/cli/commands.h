// The `keel` subcommands, as functions of their parsed arguments, writing to
// the given streams and returning the process exit status:
//   0 success, 1 the input is invalid or the operation failed, 2 usage error.
#pragma once

#include <ostream>
#include <string>

#include "cli/spec_input.h"

namespace keel::cli {

enum ExitCode { kExitOk = 0, kExitInvalid = 1, kExitUsage = 2 };

// Which cluster a spec is checked against: "local" (keel's own, the default)
// or "mesos" (a full Mesos/DC/OS cluster that offers container features).
struct TargetCluster {
  std::string kind = "local";
};

// `keel validate`: prints every error and warning, then a summary of the spec.
int runValidate(const SpecInput& input, const TargetCluster& cluster, std::ostream& out,
                std::ostream& err);

// `keel plan preview`: prints the plan the scheduler would run (default
// "deploy") as a tree, or as the /v1/plans JSON with json=true.
int runPlanPreview(const SpecInput& input, const std::string& plan, bool json, std::ostream& out,
                   std::ostream& err);

}  // namespace keel::cli
