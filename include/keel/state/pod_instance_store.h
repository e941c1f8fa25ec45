// PodInstanceStore: one durable record per pod instance ("data-0") under
// /PodInstances/<pod-instance>: the scheduler's incarnation number and
// permanent-failure mark of the instance (keel/scheduler/scheduler.h). The
// value is the scheduler's to encode; this store keeps it as bytes.
//
// Pod instance names: non-empty, at most kMaxNameBytes bytes, any bytes
// (encoded, keys.h). Otherwise InvalidArgument.
//
// Thread-safety: as the Persister. Failure behaviour: the Persister's errors
// with the pod instance as context.
#pragma once

#include <map>
#include <string>

#include "keel/state/persister.h"

namespace keel::state {

class PodInstanceStore {
 public:
  explicit PodInstanceStore(Persister& persister) : persister_(persister) {}

  // Creates or overwrites the record of `podInstance`.
  Status put(const std::string& podInstance, const std::string& value);
  // Removes the record; OK when it is not stored (idempotent).
  Status erase(const std::string& podInstance);
  // Every stored record, by pod instance; empty when there is none.
  Result<std::map<std::string, std::string>> list();

 private:
  Persister& persister_;
};

}  // namespace keel::state
