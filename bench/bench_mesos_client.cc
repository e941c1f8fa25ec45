// MesosClient against an in-process fake master on loopback: calls per second
// (one HTTP exchange each, on its own connection) and events per second from
// the RecordIO stream to the listener (recorded UPDATE events, 16 KiB chunks).
#include <benchmark/benchmark.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "cluster/mesos/client_fake_master.h"
#include "keel/mesos/client.h"
#include "testing/paths.h"

namespace {

using keel::mesos::MesosClient;
using keel::mesos::MesosClientConfig;
using keel::mesos::MesosClientListener;
using keel::mesos::testing::FakeMaster;

std::string fixture(const std::string& name) {
  std::ifstream in(keel::testing::sharedDir() + "/fixtures/mesos-v1/" + name, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::unique_ptr<MesosClient> subscribedClient(FakeMaster& master, MesosClientListener listener) {
  MesosClientConfig config;
  config.masterUrl = master.url();
  config.framework = keel::mesos::defaultFrameworkInfo("bench", "root", {"bench-role"});
  auto client = MesosClient::create(config, std::move(listener)).value();
  client->start();
  while (client->state() != keel::mesos::ConnectionState::kSubscribed) std::this_thread::yield();
  return client;
}

void BM_CallRoundTrip(benchmark::State& state) {
  FakeMaster master;
  auto client = subscribedClient(master, {});
  for (auto _ : state) {
    keel::Status status = client->revive();
    if (!status.isOk()) {
      state.SkipWithError(status.toString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CallRoundTrip)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_EventDelivery(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  const std::string update = fixture("event-update-running.json");
  FakeMaster master;
  master.setChunkSizes({16384});
  std::atomic<int64_t> updates{0};
  MesosClientListener listener;
  listener.onEvent = [&](const keel::mesos::Event& event) {
    if (event.type == keel::mesos::Event::Type::kUpdate) ++updates;
  };
  auto client = subscribedClient(master, std::move(listener));
  int64_t target = 0;
  for (auto _ : state) {
    target += batch;
    for (int i = 0; i < batch; ++i) master.push(update);
    while (updates.load() < target) std::this_thread::yield();
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.SetBytesProcessed(state.iterations() * batch * static_cast<int64_t>(update.size()));
}
BENCHMARK(BM_EventDelivery)->Arg(1000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
