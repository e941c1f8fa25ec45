// A person-readable summary of a ServiceSpec, for `keel validate`.
#pragma once

#include <string>

#include "keel/spec.h"

namespace keel::cli {

// Lines like
//   service data-store (principal data-store-principal, user root)
//     pod meta-data x2, placement [["@type", "AVOID", "meta-data"]]
//       task node (RUNNING): 0.1 cpus, 64 MB, volume meta-data-container-path 64 MB ROOT
std::string specSummary(const spec::ServiceSpec& spec);

}  // namespace keel::cli
