// HTTP to a running `keel cluster` for the CLI (internal to src/cli).
#pragma once

#include <string>

#include "cli/cluster_command.h"
#include "cluster/local/cluster_process.h"
#include "keel/result.h"

namespace keel::cli {

struct ClusterTarget {
  std::string stateDir;
  local::RunningCluster cluster;  // url set
};

// The running cluster of `args`: NotFound naming the state dir and how to
// start one, Unavailable while it is still starting.
Result<ClusterTarget> runningCluster(const ClusterArgs& args);

// One request (GET, POST with a JSON body, DELETE) to the cluster at `url`:
// the body of a 2xx answer; Unavailable when unreachable, FailedPrecondition
// with the code and the cluster's text otherwise.
Result<std::string> clusterRequest(const std::string& url, const std::string& method,
                                   const std::string& path, const std::string& body = "");

}  // namespace keel::cli
