// Decode + re-encode of recorded Mesos events (shared/fixtures/mesos-v1),
// and RecordIO framing of the recorded stream head.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "keel/mesos/json.h"
#include "keel/mesos/recordio.h"
#include "testing/paths.h"

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(keel::testing::sharedDir() + "/fixtures/mesos-v1/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void roundTrip(benchmark::State& state, const std::string& name) {
  const std::string text = fixture(name);
  for (auto _ : state) {
    keel::Result<keel::mesos::Event> event = keel::mesos::eventFromJson(text);
    if (!event.has_value()) {
      state.SkipWithError("decode failed");
      break;
    }
    std::string again = keel::mesos::toJson(*event);
    benchmark::DoNotOptimize(again);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_EventOffersDecodeEncode(benchmark::State& state) { roundTrip(state, "event-offers.json"); }
BENCHMARK(BM_EventOffersDecodeEncode);

void BM_EventOffersReservedVolumeDecodeEncode(benchmark::State& state) {
  roundTrip(state, "event-offers-reserved-volume.json");
}
BENCHMARK(BM_EventOffersReservedVolumeDecodeEncode);

void BM_EventUpdateDecodeEncode(benchmark::State& state) {
  roundTrip(state, "event-update-running.json");
}
BENCHMARK(BM_EventUpdateDecodeEncode);

void BM_RecordIoDecodeStreamHead(benchmark::State& state) {
  const std::string stream = fixture("subscribe-stream-head.recordio");
  for (auto _ : state) {
    keel::mesos::RecordIoDecoder decoder;
    auto records = decoder.feed(stream);
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_RecordIoDecodeStreamHead);

}  // namespace

BENCHMARK_MAIN();
