#include "state/sqlite_schema.h"

#include <string>

namespace keel::state::detail {
namespace {

constexpr const char* kCreateSchema =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE nodes(path BLOB NOT NULL UNIQUE, parent BLOB NOT NULL,"
    " value BLOB NOT NULL, version INTEGER NOT NULL);"
    "CREATE INDEX nodes_by_parent ON nodes(parent, path);";

Result<long long> queryNumber(SqliteDb& db, const char* sql) {
  KEEL_ASSIGN_OR_RETURN(std::string text, db.queryText(sql));
  try {
    return std::stoll(text);
  } catch (const std::exception&) {
    return Status::corruption("state database " + db.path() + ": \"" + sql + "\" returned \"" +
                              text + "\"");
  }
}

// Empty (new) or keel's; anything else is refused before any write.
Result<bool> identify(SqliteDb& db) {
  KEEL_ASSIGN_OR_RETURN(long long appId, queryNumber(db, "PRAGMA application_id"));
  KEEL_ASSIGN_OR_RETURN(long long tables, queryNumber(db, "SELECT count(*) FROM sqlite_master"));
  if (appId == kKeelApplicationId) return false;
  if (appId == 0 && tables == 0) return true;
  return Status::corruption(db.path() + " is not a keel state database (application_id " +
                            std::to_string(appId) + ", " + std::to_string(tables) +
                            " schema objects); keel leaves it untouched");
}

Status setPragmas(SqliteDb& db, const SqliteOptions& options) {
  KEEL_ASSIGN_OR_RETURN(std::string mode, db.queryText("PRAGMA journal_mode=WAL"));
  if (mode != "wal") {
    return Status::ioError("state database " + db.path() +
                           ": cannot switch to WAL journal mode (got \"" + mode + "\")");
  }
  return db.exec(options.durability == Durability::kFull ? "PRAGMA synchronous=FULL"
                                                         : "PRAGMA synchronous=NORMAL");
}

Status checkIntegrity(SqliteDb& db) {
  KEEL_ASSIGN_OR_RETURN(std::string verdict, db.queryText("PRAGMA quick_check"));
  if (verdict == "ok") return Status::ok();
  return Status::corruption("state database " + db.path() +
                            " failed its integrity check: " + verdict);
}

Status createSchema(SqliteDb& db) {
  KEEL_RETURN_IF_ERROR(db.exec(kCreateSchema));
  std::string insert = "INSERT INTO meta(key, value) VALUES('schema_version', '" +
                       std::to_string(kSqliteSchemaVersion) + "')";
  KEEL_RETURN_IF_ERROR(db.exec(insert.c_str()));
  std::string appId = "PRAGMA application_id=" + std::to_string(kKeelApplicationId);
  return db.exec(appId.c_str());
}

Status checkSchemaVersion(SqliteDb& db) {
  KEEL_ASSIGN_OR_RETURN(std::string text,
                        db.queryText("SELECT value FROM meta WHERE key = 'schema_version'"));
  if (text.empty()) {
    return Status::corruption("state database " + db.path() + " has no schema_version row");
  }
  KEEL_ASSIGN_OR_RETURN(
      long long version,
      queryNumber(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'"));
  if (version > kSqliteSchemaVersion) {
    return Status::unsupported("state database " + db.path() + " has schema version " +
                               std::to_string(version) + ", newer than this keel supports (" +
                               std::to_string(kSqliteSchemaVersion) +
                               "); run a newer keel or restore a backup");
  }
  if (version < 1 || std::to_string(version) != text) {
    return Status::corruption("state database " + db.path() + " has a bad schema version \"" +
                              text + "\"");
  }
  return Status::ok();
}

// Creates the schema of a new database, or checks the version of an existing
// one, inside one write transaction.
Status createOrCheckSchema(SqliteDb& db) {
  KEEL_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  Result<long long> tables = queryNumber(db, "SELECT count(*) FROM sqlite_master");
  Status status = tables.status();
  if (status.isOk()) status = *tables == 0 ? createSchema(db) : checkSchemaVersion(db);
  if (status.isOk()) return db.exec("COMMIT");
  if (sqlite3_get_autocommit(db.handle()) == 0) (void)db.exec("ROLLBACK");
  return status;
}

}  // namespace

Status prepareStateDatabase(SqliteDb& db, const SqliteOptions& options) {
  sqlite3_busy_timeout(db.handle(), static_cast<int>(options.busyTimeout.count()));
  KEEL_ASSIGN_OR_RETURN(bool fresh, identify(db));
  KEEL_RETURN_IF_ERROR(setPragmas(db, options));
  if (!fresh) KEEL_RETURN_IF_ERROR(checkIntegrity(db));
  return createOrCheckSchema(db);
}

}  // namespace keel::state::detail
