#include "state/op_rules.h"

#include <string>

#include "keel/state/keys.h"

namespace keel::state::detail {

Status validateOps(const std::vector<Op>& ops, size_t maxTransactionBytes) {
  size_t total = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    Status valid = validatePath(op.path);
    if (valid.isOk() && op.path == "/") valid = Status::invalidArgument("the root is not a node");
    if (valid.isOk() && op.value.size() > kMaxValueBytes) {
      valid =
          Status::invalidArgument("value of " + std::to_string(op.value.size()) +
                                  " bytes exceeds the limit of " + std::to_string(kMaxValueBytes));
    }
    if (!valid.isOk()) return opContext(op, i, valid);
    total += op.path.size() + op.value.size();
  }
  if (total > maxTransactionBytes) {
    return Status::invalidArgument("transaction of " + std::to_string(total) +
                                   " bytes exceeds the limit of " +
                                   std::to_string(maxTransactionBytes));
  }
  return Status::ok();
}

Status checkExpectation(const Op& op, size_t index, const Node* current) {
  const Expect& e = op.expect;
  switch (e.kind) {
    case Expect::Kind::kAny:
      if (current == nullptr && op.kind != Op::Kind::kSet) {
        return opContext(op, index, Status::notFound("no such node"));
      }
      return Status::ok();
    case Expect::Kind::kAbsent:
      if (current != nullptr) {
        return opContext(op, index,
                         Status::conflict("expected no node, found version " +
                                          std::to_string(current->version)));
      }
      return Status::ok();
    case Expect::Kind::kVersion:
      if (current == nullptr || current->version != e.version) {
        std::string found =
            current == nullptr ? "no node" : "version " + std::to_string(current->version);
        return opContext(
            op, index,
            Status::conflict("expected version " + std::to_string(e.version) + ", found " + found));
      }
      return Status::ok();
  }
  return Status::internal("unknown expectation");
}

Status opContext(const Op& op, size_t index, const Status& status) {
  return status.withContext("op " + std::to_string(index) + " (" + describeOp(op) + ")");
}

}  // namespace keel::state::detail
