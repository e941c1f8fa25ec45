// bench_log: the API server's access-log line per request ("GET
// /v1/plans/deploy status=202 ms=0.31", component "http", level info), as
// api_server.cc builds it (one string, then logLine) against building it
// through LogMessage's streams and fields (as it did before), from 1 and 8
// threads at once. Run with stderr sent to a file:
//   build/bench/bench_log 2>/tmp/bench_log.txt
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "keel/log.h"

namespace {

const std::string kMethod = "GET";
const std::string kTarget = "/v1/plans/deploy";

void BM_AccessLogThroughStreams(benchmark::State& state) {
  for (auto _ : state) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.2f", 0.31);
    (keel::LogMessage(keel::LogLevel::kInfo, "http") << kMethod << ' ' << kTarget)
        .field("status", 202)
        .field("ms", std::string_view(ms));
  }
}

void BM_AccessLogDirect(benchmark::State& state) {
  for (auto _ : state) {
    char tail[64];
    int n = std::snprintf(tail, sizeof tail, " status=%d ms=%.2f", 202, 0.31);
    std::string line;
    line.reserve(kMethod.size() + 1 + kTarget.size() + static_cast<size_t>(n));
    line.append(kMethod).append(1, ' ').append(kTarget).append(tail, static_cast<size_t>(n));
    keel::logLine(keel::LogLevel::kInfo, "http", line);
  }
}

BENCHMARK(BM_AccessLogThroughStreams)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK(BM_AccessLogDirect)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
