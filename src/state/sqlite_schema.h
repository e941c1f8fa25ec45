// Opening a keel state database: identification, pragmas, integrity check,
// schema creation and version check. Never writes to a file it has not
// identified as empty or as keel's.
#pragma once

#include "keel/state/sqlite_persister.h"
#include "state/sqlite_db.h"

namespace keel::state::detail {

// "KEEL" in the SQLite header's application_id field.
inline constexpr int kKeelApplicationId = 0x4B45454C;

// Brings a freshly opened connection to a usable, verified state (see
// sqlite_persister.h for the errors).
Status prepareStateDatabase(SqliteDb& db, const SqliteOptions& options);

}  // namespace keel::state::detail
