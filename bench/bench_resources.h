// Hand-built offer resources for benchmarks that drive a Scheduler without a
// cluster.
#pragma once

#include <string>

#include "keel/mesos/resource.h"

namespace keel::bench {

// An unreserved scalar resource allocated to `role`, as offered to it.
inline mesos::Resource allocatedScalar(const char* name, double value, const std::string& role) {
  mesos::Resource r;
  r.name = name;
  r.scalar = mesos::Value::Scalar{value};
  r.allocationInfo = mesos::Resource::AllocationInfo{role};
  return r;
}

}  // namespace keel::bench
