// Durable task-status writes per second on the SQLite state store, beside
// the hardware's floor: a write + fsync loop on a plain file in the same
// directory, measured in the same run.
//
// The files live under $KEEL_BENCH_DIR, else /var/tmp (on disk, not tmpfs:
// fsync must reach the device for the numbers to mean anything).
//
//   BM_FsyncBaseline               one 300-byte append + fsync per iteration
//   BM_SqliteStatusOneAtATime/F|N  one status per transaction (FULL | NORMAL)
//   BM_SqliteStatusGrouped/G/F|N   G statuses per transaction
// items_per_second is status writes (or fsynced appends) per second.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "keel/check.h"
#include "keel/state/sqlite_persister.h"
#include "keel/state/task_store.h"

namespace keel::state {
namespace {

constexpr int kTasks = 1000;

// A fresh directory on disk, removed afterwards.
class BenchDir {
 public:
  BenchDir() {
    const char* base = std::getenv("KEEL_BENCH_DIR");
    std::string pattern = std::string(base != nullptr ? base : "/var/tmp") + "/keel-bench-XXXXXX";
    KEEL_CHECK(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~BenchDir() { std::filesystem::remove_all(path_); }
  std::string file(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TaskStatus about the size of the scheduler's JSON.
std::string statusJson(int task, int64_t n) {
  std::string json = R"({"task_id":{"value":"data-)" + std::to_string(task) +
                     R"(-node__6a1f3e2c-9b1d-4a55-8e0f-2c3d4e5f6a7b"},"state":"TASK_RUNNING",)"
                     R"("source":"SOURCE_EXECUTOR","agent_id":{"value":"agent-1"},)"
                     R"("timestamp":)" +
                     std::to_string(1700000000 + n) +
                     R"(,"healthy":true,"uuid":"c2FtcGxlLXV1aWQ="})";
  return json;
}

void BM_FsyncBaseline(benchmark::State& state) {
  BenchDir dir;
  int fd = ::open(dir.file("baseline").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  KEEL_CHECK(fd >= 0);
  std::string record = statusJson(0, 0);
  for (auto _ : state) {
    KEEL_CHECK(::write(fd, record.data(), record.size()) == static_cast<ssize_t>(record.size()));
    KEEL_CHECK(::fsync(fd) == 0);
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FsyncBaseline)->UseRealTime()->MinTime(2.0);

std::unique_ptr<SqlitePersister> openStore(const BenchDir& dir, int64_t full) {
  SqliteOptions options;
  options.durability = full != 0 ? Durability::kFull : Durability::kNormal;
  auto p = SqlitePersister::open(dir.file(kStateDbFileName), options);
  KEEL_CHECK(p.has_value());
  std::vector<TaskWrite> all;
  for (int t = 0; t < kTasks; ++t)
    all.push_back({"data-" + std::to_string(t) + "-node", "{}", "{}", std::nullopt});
  KEEL_CHECK(TaskStore(**p).write(all).isOk());
  return std::move(p).value();
}

void BM_SqliteStatusOneAtATime(benchmark::State& state) {
  BenchDir dir;
  auto persister = openStore(dir, state.range(0));
  TaskStore tasks(*persister);
  int64_t n = 0;
  for (auto _ : state) {
    int task = static_cast<int>(n % kTasks);
    KEEL_CHECK(
        tasks.putStatus("data-" + std::to_string(task) + "-node", statusJson(task, n)).isOk());
    ++n;
  }
  state.SetItemsProcessed(n);
}
BENCHMARK(BM_SqliteStatusOneAtATime)->ArgName("full")->Arg(1)->Arg(0)->UseRealTime()->MinTime(2.0);

void BM_SqliteStatusGrouped(benchmark::State& state) {
  BenchDir dir;
  auto persister = openStore(dir, state.range(1));
  TaskStore tasks(*persister);
  const int group = static_cast<int>(state.range(0));
  int64_t n = 0;
  std::vector<TaskWrite> batch;
  for (auto _ : state) {
    batch.clear();
    for (int i = 0; i < group; ++i, ++n) {
      int task = static_cast<int>(n % kTasks);
      batch.push_back({"data-" + std::to_string(task) + "-node", std::nullopt, statusJson(task, n),
                       std::nullopt});
    }
    KEEL_CHECK(tasks.write(batch).isOk());
  }
  state.SetItemsProcessed(n);
}
BENCHMARK(BM_SqliteStatusGrouped)
    ->ArgNames({"group", "full"})
    ->Args({10, 1})
    ->Args({100, 1})
    ->Args({100, 0})
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace
}  // namespace keel::state

BENCHMARK_MAIN();
