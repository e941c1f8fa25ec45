// SqliteDb: a thin owner of one sqlite3 connection for SqlitePersister:
// statement cache, error mapping to Status (always naming the file), and
// scoped use of a cached statement. Not thread-safe: the caller serializes.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "keel/result.h"
#include "keel/status.h"

namespace keel::state::detail {

class SqliteDb;

// A cached prepared statement in use; resets it and clears its bindings when
// it goes out of scope so the cache can hand it out again.
class Statement {
 public:
  Statement(SqliteDb& db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view bytes);  // as a BLOB
  Statement& bind(int index, int64_t value);

  // Steps once: true on a row, false when done; an error Status otherwise.
  Result<bool> step();
  // Steps to completion, ignoring rows.
  Status run();

  std::string columnBytes(int column) const;
  int64_t columnInt(int column) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  // Opens the file (creating it when `create`); IoError naming it otherwise.
  static Result<std::unique_ptr<SqliteDb>> open(const std::string& path, bool create);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

  // A cached statement for `sql` (prepared on first use).
  Result<std::unique_ptr<Statement>> prepare(const char* sql);
  // Runs one or more statements without caching (setup, pragmas).
  Status exec(const char* sql);
  // The first column of the first row of `sql` as text ("" when no row).
  Result<std::string> queryText(const char* sql);

  // Maps a SQLite result code to a Status naming the file: Corruption for
  // CORRUPT/NOTADB, Unavailable for BUSY/LOCKED, IoError for I/O, space,
  // permission and open failures, Internal otherwise.
  Status error(int rc, std::string_view during) const;

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace keel::state::detail
