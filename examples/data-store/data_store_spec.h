// The data-store service of the tutorial, built with keel's C++ API.
#pragma once

#include <map>
#include <string>

#include "keel/result.h"
#include "keel/spec.h"

namespace datastore {

// Builds the spec from the scheduler's configuration, read as the tutorial
// reads it: METADATA_{COUNT,CPU,MEM,DISK,URI} and DATA_{COUNT,CPU,MEM,DISK,URI},
// and the optional <TIER>_ALLOW_DECOMMISSION (true/false, default false: the
// svc.yml says `allow-decommission: {{DATA_ALLOW_DECOMMISSION}}`).
// A missing or malformed variable is an InvalidArgument naming it.
keel::Result<keel::spec::ServiceSpec> serviceSpec(const std::map<std::string, std::string>& env);

}  // namespace datastore
