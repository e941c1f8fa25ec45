// What only the durable backend does: reopening, refusing bad files without
// touching them, schema versions, journal mode.
#include "keel/state/sqlite_persister.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "testing/temp_dir.h"

namespace keel::state {
namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Runs SQL on the file with a plain connection, as an outside tool would.
std::string rawQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string out;
  auto collect = [](void* arg, int n, char** values, char**) {
    auto* text = static_cast<std::string*>(arg);
    for (int i = 0; i < n; ++i) *text += (values[i] ? values[i] : "NULL") + std::string(";");
    return 0;
  };
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), collect, &out, &error), SQLITE_OK) << error;
  sqlite3_free(error);
  sqlite3_close(db);
  return out;
}

class SqlitePersisterTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  std::string db_ = dir_.file(kStateDbFileName);
};

TEST_F(SqlitePersisterTest, AReopenedDatabaseKeepsValuesVersionsAndTree) {
  {
    auto p = SqlitePersister::open(db_);
    ASSERT_TRUE(p.has_value()) << p.status();
    ASSERT_TRUE((*p)->set("/Tasks/a/TaskInfo", "info").has_value());
    ASSERT_TRUE((*p)->set("/Tasks/a/TaskInfo", "info2").has_value());
    ASSERT_TRUE((*p)->set("/FrameworkID", "fw").has_value());
  }
  auto p = SqlitePersister::open(db_);
  ASSERT_TRUE(p.has_value()) << p.status();
  Result<Node> info = (*p)->get("/Tasks/a/TaskInfo");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->value, "info2");
  EXPECT_EQ(info->version, 2);
  EXPECT_EQ(*(*p)->children("/"), (std::vector<std::string>{"FrameworkID", "Tasks"}));
  EXPECT_EQ((*p)->path(), db_);
}

TEST_F(SqlitePersisterTest, UsesTheWalJournalAndRecordsItsSchemaVersion) {
  auto p = SqlitePersister::open(db_);
  ASSERT_TRUE(p.has_value()) << p.status();
  EXPECT_EQ(rawQuery(db_, "PRAGMA journal_mode"), "wal;");
  EXPECT_EQ(rawQuery(db_, "SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(kSqliteSchemaVersion) + ";");
  EXPECT_EQ(rawQuery(db_, "PRAGMA application_id"), std::to_string(0x4B45454C) + ";");
}

TEST_F(SqlitePersisterTest, AGarbageFileIsACorruptionNamingItAndIsLeftUntouched) {
  std::string garbage;
  for (int i = 0; i < 8192; ++i) garbage += static_cast<char>((i * 7919) % 251);
  writeFile(db_, garbage);
  auto p = SqlitePersister::open(db_);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.status().code(), StatusCode::kCorruption) << p.status();
  EXPECT_NE(p.status().message().find(db_), std::string::npos) << p.status();
  EXPECT_EQ(readFile(db_), garbage);
  EXPECT_FALSE(std::filesystem::exists(db_ + "-wal"));
}

TEST_F(SqlitePersisterTest, ADamagedPageFailsTheIntegrityCheckAtOpen) {
  {
    auto p = SqlitePersister::open(db_);
    ASSERT_TRUE(p.has_value()) << p.status();
    std::vector<Op> ops;
    for (int i = 0; i < 2000; ++i) {
      ops.push_back(Op::set("/Tasks/task-" + std::to_string(i) + "/TaskStatus",
                            std::string(200, 'a' + i % 26)));
    }
    ASSERT_TRUE((*p)->commit(ops).has_value());
  }
  std::string bytes = readFile(db_);
  ASSERT_GT(bytes.size(), 16u * 4096u);
  for (size_t i = 8 * 4096; i < 12 * 4096; ++i) bytes[i] = static_cast<char>(0xA5);
  writeFile(db_, bytes);
  auto p = SqlitePersister::open(db_);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.status().code(), StatusCode::kCorruption) << p.status();
  EXPECT_NE(p.status().message().find(db_), std::string::npos) << p.status();
  EXPECT_EQ(readFile(db_), bytes);
}

TEST_F(SqlitePersisterTest, ADirectoryWhereTheFileShouldBeIsAnIoErrorNamingIt) {
  std::filesystem::create_directory(db_);
  auto p = SqlitePersister::open(db_);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.status().code(), StatusCode::kIoError) << p.status();
  EXPECT_NE(p.status().message().find(db_), std::string::npos) << p.status();
  EXPECT_TRUE(std::filesystem::is_directory(db_));
}

TEST_F(SqlitePersisterTest, AMissingParentDirectoryIsAnIoErrorNamingIt) {
  std::string path = dir_.file("missing/state.db");
  auto p = SqlitePersister::open(path);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.status().code(), StatusCode::kIoError) << p.status();
  EXPECT_NE(p.status().message().find(path), std::string::npos) << p.status();
}

TEST_F(SqlitePersisterTest, AnUnreadableOrReadOnlyFileIsAnIoErrorNamingIt) {
  if (geteuid() == 0)
    GTEST_SKIP() << "root reads and writes any file; covered by the directory case";
  ASSERT_TRUE(SqlitePersister::open(db_).has_value());
  for (auto mode : {std::filesystem::perms::none, std::filesystem::perms::owner_read}) {
    std::filesystem::permissions(db_, mode);
    auto p = SqlitePersister::open(db_);
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.status().code(), StatusCode::kIoError) << p.status();
    EXPECT_NE(p.status().message().find(db_), std::string::npos) << p.status();
  }
}

TEST_F(SqlitePersisterTest, AnotherApplicationsDatabaseIsRefusedAndLeftUntouched) {
  rawQuery(db_, "CREATE TABLE photos(id INTEGER PRIMARY KEY); INSERT INTO photos VALUES(1);");
  std::string before = readFile(db_);
  auto p = SqlitePersister::open(db_);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.status().code(), StatusCode::kCorruption) << p.status();
  EXPECT_NE(p.status().message().find("not a keel state database"), std::string::npos);
  EXPECT_EQ(readFile(db_), before);
  EXPECT_EQ(rawQuery(db_, "PRAGMA journal_mode"), "delete;");
}

TEST_F(SqlitePersisterTest, ANewerSchemaVersionIsRefusedClearly) {
  ASSERT_TRUE(SqlitePersister::open(db_).has_value());
  rawQuery(db_, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  auto p = SqlitePersister::open(db_);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.status().code(), StatusCode::kUnsupported) << p.status();
  EXPECT_NE(p.status().message().find("schema version 99"), std::string::npos) << p.status();
  EXPECT_NE(p.status().message().find(db_), std::string::npos) << p.status();
  EXPECT_EQ(rawQuery(db_, "SELECT value FROM meta WHERE key = 'schema_version'"), "99;");
}

TEST_F(SqlitePersisterTest, AMissingSchemaVersionRowIsCorruption) {
  ASSERT_TRUE(SqlitePersister::open(db_).has_value());
  rawQuery(db_, "DELETE FROM meta");
  EXPECT_EQ(SqlitePersister::open(db_).status().code(), StatusCode::kCorruption);
}

TEST_F(SqlitePersisterTest, AnEmptyFileIsInitialisedAsANewStore) {
  writeFile(db_, "");
  auto p = SqlitePersister::open(db_);
  ASSERT_TRUE(p.has_value()) << p.status();
  EXPECT_TRUE((*p)->set("/a", "v").has_value());
}

TEST_F(SqlitePersisterTest, TwoConnectionsToOneFileSeeEachOthersCommits) {
  auto first = SqlitePersister::open(db_);
  auto second = SqlitePersister::open(db_);
  ASSERT_TRUE(first.has_value() && second.has_value());
  ASSERT_TRUE((*first)->set("/a", "1").has_value());
  EXPECT_EQ((*second)->set("/a", "x", Expect::atVersion(2)).status().code(), StatusCode::kConflict);
  EXPECT_TRUE((*second)->set("/a", "2", Expect::atVersion(1)).has_value());
  EXPECT_EQ((*first)->get("/a")->value, "2");
}

}  // namespace
}  // namespace keel::state
