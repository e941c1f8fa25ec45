// SqlitePersister: the embedded, durable Persister. One SQLite file, by
// convention <state-dir>/state.db (kStateDbFileName), opened through the
// sqlite3 C API with prepared statements cached per connection.
//
// Durability: WAL journal with synchronous=FULL (the default kFull). In WAL
// mode, NORMAL syncs the log only at checkpoints, so a commit acknowledged to
// the scheduler could vanish on power loss, and the scheduler would then act
// (launch, kill, unreserve) on state that no longer exists after a reboot.
// FULL fsyncs the log on every commit: an OK from commit() survives power
// loss. Either mode is crash-safe (atomic) for process crashes. kNormal
// exists for benchmarks and throwaway stores only.
//
// Every commit() is one BEGIN IMMEDIATE ... COMMIT transaction.
//
// Opening never overwrites or "repairs" anything: a file that is not a
// SQLite database, fails the integrity check, or is another application's
// database is a Corruption error naming the file; a schema newer than this
// build knows is Unsupported; a path that cannot be opened (a directory, a
// missing parent directory) is an IoError naming it.
//
// Single writer: SQLite itself tolerates several connections, but keel runs
// one scheduler per state directory; hold a StateDirLock (state_dir_lock.h)
// before opening.
//
// Thread-safety: all methods may be called concurrently; one connection,
// serialized by a mutex.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "keel/state/persister.h"

namespace keel::state {

inline constexpr const char* kStateDbFileName = "state.db";

// The database layout version this build writes and reads.
inline constexpr int kSqliteSchemaVersion = 1;

enum class Durability { kFull, kNormal };

struct SqliteOptions {
  Durability durability = Durability::kFull;
  // How long to wait for another connection's write lock before Unavailable.
  std::chrono::milliseconds busyTimeout{5000};
  // The largest commit() accepted (sum of path and value sizes).
  // kMaxTransactionBytes keeps a store portable to ZooKeeper; a store that
  // only ever lives in SQLite (the local cluster's checkpoint) may raise it
  // so that a large save stays one atomic transaction.
  size_t maxTransactionBytes = kMaxTransactionBytes;
};

class SqlitePersister final : public Persister {
 public:
  // Opens (creating when missing) the database at `dbPath`.
  static Result<std::unique_ptr<SqlitePersister>> open(const std::string& dbPath,
                                                       SqliteOptions options = {});
  ~SqlitePersister() override;
  SqlitePersister(const SqlitePersister&) = delete;
  SqlitePersister& operator=(const SqlitePersister&) = delete;

  const std::string& path() const;

  Result<Node> get(const std::string& path) override;
  Result<std::vector<std::string>> children(const std::string& path) override;
  Result<std::vector<Version>> commit(const std::vector<Op>& ops) override;

 private:
  struct Impl;
  explicit SqlitePersister(std::unique_ptr<Impl> impl);

  std::mutex mu_;
  std::unique_ptr<Impl> impl_;
  size_t maxTransactionBytes_ = kMaxTransactionBytes;
};

}  // namespace keel::state
