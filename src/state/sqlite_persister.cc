#include "keel/state/sqlite_persister.h"

#include <sys/stat.h>

#include <optional>

#include "keel/state/keys.h"
#include "state/op_rules.h"
#include "state/sqlite_db.h"
#include "state/sqlite_schema.h"

namespace keel::state {
namespace {

// Statement texts double as cache keys (by address), so each lives once here.
constexpr const char* kGet = "SELECT value, version FROM nodes WHERE path = ?1";
constexpr const char* kPut =
    "INSERT INTO nodes(path, parent, value, version) VALUES(?1, ?2, ?3, ?4)"
    " ON CONFLICT(path) DO UPDATE SET value = excluded.value, version = excluded.version";
constexpr const char* kEnsure =
    "INSERT OR IGNORE INTO nodes(path, parent, value, version) VALUES(?1, ?2, x'', 1)";
constexpr const char* kDelete = "DELETE FROM nodes WHERE path = ?1";
constexpr const char* kDeleteRange = "DELETE FROM nodes WHERE path >= ?1 AND path < ?2";
constexpr const char* kHasChildren = "SELECT 1 FROM nodes WHERE parent = ?1 LIMIT 1";
constexpr const char* kChildren = "SELECT path FROM nodes WHERE parent = ?1 ORDER BY path";
constexpr const char* kBegin = "BEGIN IMMEDIATE";
constexpr const char* kCommit = "COMMIT";
constexpr const char* kRollback = "ROLLBACK";

Status checkOpenablePath(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Status::ok();  // created on open
  if (!S_ISREG(st.st_mode)) {
    return Status::ioError("state database " + path + " exists but is not a regular file");
  }
  return Status::ok();
}

}  // namespace

struct SqlitePersister::Impl {
  std::unique_ptr<detail::SqliteDb> db;

  Status runCached(const char* sql) {
    KEEL_ASSIGN_OR_RETURN(auto stmt, db->prepare(sql));
    return stmt->run();
  }

  Result<std::optional<Node>> read(const std::string& path) {
    KEEL_ASSIGN_OR_RETURN(auto stmt, db->prepare(kGet));
    stmt->bind(1, path);
    KEEL_ASSIGN_OR_RETURN(bool row, stmt->step());
    if (!row) return std::optional<Node>();
    return std::optional<Node>(Node{stmt->columnBytes(0), stmt->columnInt(1)});
  }

  // Creates missing ancestors, deepest first; stops at the first that
  // exists, since every stored node's parent is stored.
  Status ensureParents(const std::string& path) {
    for (std::string p = parentPath(path); p != "/"; p = parentPath(p)) {
      KEEL_ASSIGN_OR_RETURN(auto stmt, db->prepare(kEnsure));
      stmt->bind(1, p).bind(2, parentPath(p));
      KEEL_RETURN_IF_ERROR(stmt->run());
      if (sqlite3_changes(db->handle()) == 0) break;
    }
    return Status::ok();
  }

  Result<Version> put(const Op& op, const std::optional<Node>& current) {
    KEEL_RETURN_IF_ERROR(ensureParents(op.path));
    Version version = current.has_value() ? current->version + 1 : 1;
    KEEL_ASSIGN_OR_RETURN(auto stmt, db->prepare(kPut));
    stmt->bind(1, op.path).bind(2, parentPath(op.path)).bind(3, op.value).bind(4, version);
    KEEL_RETURN_IF_ERROR(stmt->run());
    return version;
  }

  Status remove(const Op& op, size_t index) {
    std::string prefix = op.path + "/";
    if (!op.recursive) {
      KEEL_ASSIGN_OR_RETURN(auto probe, db->prepare(kHasChildren));
      probe->bind(1, op.path);
      KEEL_ASSIGN_OR_RETURN(bool hasChild, probe->step());
      if (hasChild) {
        return detail::opContext(op, index, Status::failedPrecondition("node has children"));
      }
    } else {
      std::string end = prefix;
      end.back() = '/' + 1;
      KEEL_ASSIGN_OR_RETURN(auto range, db->prepare(kDeleteRange));
      range->bind(1, prefix).bind(2, end);
      KEEL_RETURN_IF_ERROR(range->run());
    }
    KEEL_ASSIGN_OR_RETURN(auto stmt, db->prepare(kDelete));
    stmt->bind(1, op.path);
    return stmt->run();
  }

  Result<Version> apply(const Op& op, size_t index) {
    KEEL_ASSIGN_OR_RETURN(std::optional<Node> current, read(op.path));
    KEEL_RETURN_IF_ERROR(
        detail::checkExpectation(op, index, current.has_value() ? &*current : nullptr));
    switch (op.kind) {
      case Op::Kind::kSet:
        return put(op, current);
      case Op::Kind::kErase:
        KEEL_RETURN_IF_ERROR(remove(op, index));
        return Version{0};
      case Op::Kind::kCheck:
        return current.has_value() ? current->version : Version{0};
    }
    return Status::internal("unknown op kind");
  }

  void rollback() {
    if (sqlite3_get_autocommit(db->handle()) == 0) (void)runCached(kRollback);
  }

  Result<std::vector<Version>> commit(const std::vector<Op>& ops) {
    std::vector<Version> versions;
    if (ops.empty()) return versions;
    KEEL_RETURN_IF_ERROR(runCached(kBegin));
    for (size_t i = 0; i < ops.size(); ++i) {
      Result<Version> applied = apply(ops[i], i);
      if (!applied.has_value()) {
        rollback();
        return applied.error();
      }
      versions.push_back(*applied);
    }
    Status committed = runCached(kCommit);
    if (!committed.isOk()) {
      rollback();
      return committed.withContext("commit outcome unknown, re-read before retrying");
    }
    return versions;
  }
};

SqlitePersister::SqlitePersister(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlitePersister::~SqlitePersister() = default;

Result<std::unique_ptr<SqlitePersister>> SqlitePersister::open(const std::string& dbPath,
                                                               SqliteOptions options) {
  KEEL_RETURN_IF_ERROR(checkOpenablePath(dbPath));
  auto impl = std::make_unique<Impl>();
  KEEL_ASSIGN_OR_RETURN(impl->db, detail::SqliteDb::open(dbPath, /*create=*/true));
  KEEL_RETURN_IF_ERROR(detail::prepareStateDatabase(*impl->db, options));
  std::unique_ptr<SqlitePersister> persister(new SqlitePersister(std::move(impl)));
  persister->maxTransactionBytes_ = options.maxTransactionBytes;
  return persister;
}

const std::string& SqlitePersister::path() const { return impl_->db->path(); }

Result<Node> SqlitePersister::get(const std::string& path) {
  KEEL_RETURN_IF_ERROR(validatePath(path));
  if (path == "/") return Status::invalidArgument("the root holds no value");
  std::lock_guard lock(mu_);
  KEEL_ASSIGN_OR_RETURN(std::optional<Node> node, impl_->read(path));
  if (!node.has_value()) return Status::notFound("no state node " + path);
  return *std::move(node);
}

Result<std::vector<std::string>> SqlitePersister::children(const std::string& path) {
  KEEL_RETURN_IF_ERROR(validatePath(path));
  std::lock_guard lock(mu_);
  if (path != "/") {
    KEEL_ASSIGN_OR_RETURN(std::optional<Node> node, impl_->read(path));
    if (!node.has_value()) return Status::notFound("no state node " + path);
  }
  KEEL_ASSIGN_OR_RETURN(auto stmt, impl_->db->prepare(kChildren));
  stmt->bind(1, path);
  std::vector<std::string> names;
  while (true) {
    KEEL_ASSIGN_OR_RETURN(bool row, stmt->step());
    if (!row) break;
    names.emplace_back(lastSegment(stmt->columnBytes(0)));
  }
  return names;
}

Result<std::vector<Version>> SqlitePersister::commit(const std::vector<Op>& ops) {
  KEEL_RETURN_IF_ERROR(detail::validateOps(ops, maxTransactionBytes_));
  std::lock_guard lock(mu_);
  return impl_->commit(ops);
}

}  // namespace keel::state
