// Rules every Persister backend applies the same way, so that they agree on
// the conformance suite: op validation and compare-and-set evaluation.
#pragma once

#include <cstddef>
#include <vector>

#include "keel/state/persister.h"

namespace keel::state::detail {

// InvalidArgument for a bad or root path, an oversized value or transaction
// (more than `maxTransactionBytes` of paths and values).
Status validateOps(const std::vector<Op>& ops, size_t maxTransactionBytes = kMaxTransactionBytes);

// Whether `op`'s expectation holds for the node's current state (`current`
// is null when the node does not exist): Conflict or NotFound otherwise,
// with the op described.
Status checkExpectation(const Op& op, size_t index, const Node* current);

// `status` with "op <index> (<describeOp>)" as context.
Status opContext(const Op& op, size_t index, const Status& status);

}  // namespace keel::state::detail
