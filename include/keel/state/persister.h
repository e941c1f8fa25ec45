// Persister: the storage abstraction under keel's state (tasks, configs,
// framework ID, properties, plan overrides).
//
// The model is ZooKeeper-shaped: a tree of nodes addressed by absolute paths
// such as "/Tasks/data-0-node/TaskInfo". Every node holds a value (bytes, a
// std::string, possibly empty) and a version. A node is created with version 1
// and its version grows by exactly 1 on every write to it; when it is deleted
// and created again it starts over at 1. Writing a node creates its missing
// ancestors (empty value, version 1) and leaves existing ancestors untouched;
// deleting a node never deletes its ancestors. The root "/" always exists and
// holds no value: it can be listed but not read, written or deleted.
//
// Paths: start with '/', '/'-separated segments of printable ASCII without
// spaces ('!'..'~'), no empty segment, no "." or "..", no trailing '/', at
// most kMaxPathBytes bytes. Stores build paths with encodeSegment()
// (keys.h), so a task or plan name can never escape its subtree.
//
// Writes go through commit(): a list of operations applied atomically, in
// order (later ops see the effects of earlier ones), all or nothing. Each op
// can carry an expectation (compare-and-set): any, absent, or an exact
// version. Failures, for the first op that fails (nothing is applied):
//   - Conflict: a lost compare-and-set (expected absent but the node exists,
//     or expected version v but the node is missing or has another version);
//   - NotFound: an unconditional erase or check of a missing node;
//   - FailedPrecondition: a non-recursive erase of a node with children;
//   - InvalidArgument: a bad path, the root, a value over kMaxValueBytes or a
//     transaction over kMaxTransactionBytes (checked before anything runs);
//   - IoError / Corruption / Unavailable: the backend failed; the message
//     names the file or server. Nothing was applied, except when the failure
//     struck the final commit step itself, where the outcome is unknown
//     (the message says so): re-read before retrying.
// A commit that returned OK is durable (it survives a crash of the process
// and, for the SQLite backend, a power loss).
//
// Thread-safety: every method of every backend may be called from several
// threads at once; each call is atomic (linearizable) with respect to the
// others. Reads of several nodes by separate calls are not a snapshot.
//
// ZooKeeper readiness (what a ZK backend must do to pass
// persister_conformance_test.cc unchanged):
//   - Root the tree at a chroot ("/dcos-service-<name>" with '/' -> "__"),
//     created on open; "/" here maps to that node.
//   - version = ZK Stat.version + 1 (ZK starts at 0); Expect::absent() maps to
//     create, Expect::atVersion(v) to setData/delete/check with v - 1, and ZK
//     NoNode/BadVersion/NodeExists under an expectation map to Conflict.
//   - commit() becomes one multi(): before building it, read which ancestors
//     are missing and prepend create ops for them; if the multi fails with
//     NodeExists on such a create (a racing writer made it), rebuild and
//     retry. An unconditional set becomes create-or-setData the same way
//     (read first, then setData with the read version, retry on BadVersion).
//   - Recursive erase: list the subtree, delete leaves first in the same
//     multi; retry if a child appeared (NotEmpty) meanwhile.
//   - The size limits below fit the default jute.maxbuffer (1 MiB); a ZK
//     backend must not split a commit into several multis (atomicity).
//   - ConnectionLoss/SessionExpired map to Unavailable; after ConnectionLoss
//     during a multi the outcome is unknown: re-read before retrying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "keel/result.h"
#include "keel/status.h"

namespace keel::state {

using Version = int64_t;

inline constexpr size_t kMaxPathBytes = 4096;
// Fits ZooKeeper's default 1 MiB request limit with room for the envelope.
inline constexpr size_t kMaxValueBytes = 1'000'000;
// Sum of path and value sizes over all ops of one commit().
inline constexpr size_t kMaxTransactionBytes = 1'000'000;

struct Node {
  std::string value;
  Version version = 0;
};

// A compare-and-set condition on the node an op addresses.
struct Expect {
  enum class Kind { kAny, kAbsent, kVersion };
  Kind kind = Kind::kAny;
  Version version = 0;

  static Expect any() { return {}; }
  static Expect absent() { return {Kind::kAbsent, 0}; }
  static Expect atVersion(Version v) { return {Kind::kVersion, v}; }
};

struct Op {
  enum class Kind { kSet, kErase, kCheck };
  Kind kind = Kind::kCheck;
  std::string path;
  std::string value;  // kSet only
  Expect expect;
  bool recursive = false;  // kErase only

  // Creates or overwrites the node. Expect::any() never fails on the node.
  static Op set(std::string path, std::string value, Expect expect = Expect::any());
  // Deletes the node, which must exist (any) and have no children.
  static Op erase(std::string path, Expect expect = Expect::any());
  // Deletes the node and its whole subtree; the expectation is on the node.
  static Op eraseTree(std::string path, Expect expect = Expect::any());
  // Writes nothing; fails the commit unless the expectation holds. With
  // Expect::any() it requires that the node exists.
  static Op check(std::string path, Expect expect = Expect::any());
};

// Human-readable "set /a/b" for messages.
std::string describeOp(const Op& op);

class Persister {
 public:
  virtual ~Persister() = default;

  // The node at `path`; NotFound when there is none.
  virtual Result<Node> get(const std::string& path) = 0;

  // Names (last segments) of the direct children of `path`, sorted bytewise;
  // NotFound when `path` does not exist.
  virtual Result<std::vector<std::string>> children(const std::string& path) = 0;

  // Applies `ops` atomically (see the file comment). Returns one version per
  // op: the node's new version for kSet, its current version for kCheck (0
  // when it was expected absent), 0 for kErase. An empty list is OK and does nothing.
  virtual Result<std::vector<Version>> commit(const std::vector<Op>& ops) = 0;

  // One-op conveniences over commit().
  Result<Version> set(const std::string& path, std::string value, Expect expect = Expect::any());
  Status erase(const std::string& path, Expect expect = Expect::any());
  Status eraseTree(const std::string& path);
};

}  // namespace keel::state
