#include "keel/state/persister.h"

namespace keel::state {

Op Op::set(std::string path, std::string value, Expect expect) {
  Op op;
  op.kind = Kind::kSet;
  op.path = std::move(path);
  op.value = std::move(value);
  op.expect = expect;
  return op;
}

Op Op::erase(std::string path, Expect expect) {
  Op op;
  op.kind = Kind::kErase;
  op.path = std::move(path);
  op.expect = expect;
  return op;
}

Op Op::eraseTree(std::string path, Expect expect) {
  Op op = erase(std::move(path), expect);
  op.recursive = true;
  return op;
}

Op Op::check(std::string path, Expect expect) {
  Op op;
  op.kind = Kind::kCheck;
  op.path = std::move(path);
  op.expect = expect;
  return op;
}

std::string describeOp(const Op& op) {
  switch (op.kind) {
    case Op::Kind::kSet:
      return "set " + op.path;
    case Op::Kind::kErase:
      return (op.recursive ? "erase tree " : "erase ") + op.path;
    case Op::Kind::kCheck:
      return "check " + op.path;
  }
  return "op " + op.path;
}

Result<Version> Persister::set(const std::string& path, std::string value, Expect expect) {
  KEEL_ASSIGN_OR_RETURN(auto versions, commit({Op::set(path, std::move(value), expect)}));
  return versions.front();
}

Status Persister::erase(const std::string& path, Expect expect) {
  return commit({Op::erase(path, expect)}).status();
}

Status Persister::eraseTree(const std::string& path) {
  return commit({Op::eraseTree(path)}).status();
}

}  // namespace keel::state
