// bench_http_server: the API server over a fake scheduler holding the
// data-store deploy plan scaled to --steps steps, while a simulated deploy
// moves one step one status further every --deploy-interval-ms (PENDING ->
// PREPARED -> STARTING -> STARTED -> COMPLETE, then the next step; the plan
// restarts when complete), bumping the state version each time as the
// scheduler does. bench/http_wrk.sh drives it with wrk.
//
// --log-level info adds the API server's access log line per request (to
// stderr), as a scheduler logs by default; the default, warn, leaves it out.
// Prints "port=<n>" on stdout once listening; stops on SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "http/fake_scheduler_api.h"
#include "keel/check.h"
#include "keel/http/api_server.h"
#include "keel/http/executor.h"
#include "keel/log.h"
#include "keel/plan_generator.h"
#include "testing/paths.h"

namespace {

using keel::http::EventLoop;
using keel::http::FakeSchedulerApi;

struct Args {
  int steps = 1000;
  int port = 0;
  int threads = 8;
  int deployIntervalMs = 10;  // 0: the plan never changes
  // "warn": no line per request; "info": the access log line per request,
  // as a scheduler logs by default.
  keel::LogLevel logLevel = keel::LogLevel::kWarn;
};

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    int v = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--steps")) a.steps = v;
    if (!std::strcmp(argv[i], "--port")) a.port = v;
    if (!std::strcmp(argv[i], "--threads")) a.threads = v;
    if (!std::strcmp(argv[i], "--deploy-interval-ms")) a.deployIntervalMs = v;
    if (!std::strcmp(argv[i], "--log-level") && !keel::parseLogLevel(argv[i + 1], &a.logLevel)) {
      std::fprintf(stderr, "unknown --log-level %s\n", argv[i + 1]);
      std::exit(2);
    }
  }
  return a;
}

// One status transition of the first unfinished step, on the owner thread.
void advanceDeploy(FakeSchedulerApi& api) {
  keel::plan::Plan& plan = *api.findPlan("deploy");
  for (keel::plan::Phase& phase : plan.phases()) {
    for (keel::plan::Step& step : phase.steps()) {
      keel::Status s;
      switch (step.status()) {
        case keel::plan::ElementStatus::kComplete:
          continue;
        case keel::plan::ElementStatus::kPending:
          s = step.markPrepared();
          break;
        case keel::plan::ElementStatus::kPrepared:
          s = step.markStarting();
          break;
        case keel::plan::ElementStatus::kStarting:
          s = step.markStarted();
          break;
        default:
          s = step.markComplete();
          break;
      }
      KEEL_CHECK(s.isOk());
      api.bumpVersion();
      return;
    }
  }
  plan.restart();
  api.bumpVersion();
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parseArgs(argc, argv);
  keel::setLogLevel(args.logLevel);
  auto spec = keel::http::loadDataStoreSpec(
      keel::testing::sourceDir(),
      {{"METADATA_COUNT", "2"}, {"DATA_COUNT", std::to_string(args.steps - 2)}});
  if (!spec) {
    std::fprintf(stderr, "%s\n", spec.status().toString().c_str());
    return 1;
  }
  auto deploy = keel::plan::generateDeployPlan(*spec);
  if (!deploy) {
    std::fprintf(stderr, "%s\n", deploy.status().toString().c_str());
    return 1;
  }
  FakeSchedulerApi api("data-store");
  api.addTasksFromPlan(*deploy, {{4388, 4388}});
  api.addPlan(std::move(*deploy));
  api.addPlan(keel::http::emptyRecoveryPlan(keel::plan::randomIds()));

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // inherited by every thread below

  EventLoop loop;
  std::thread owner([&] { loop.run(); });
  keel::http::ServerOptions options;
  options.port = static_cast<uint16_t>(args.port);
  options.threads = static_cast<size_t>(args.threads);
  auto server = keel::http::ApiServer::start(options, loop, api);
  if (!server) {
    std::fprintf(stderr, "%s\n", server.status().toString().c_str());
    loop.stop();
    owner.join();
    return 1;
  }
  std::atomic<bool> running{true};
  std::thread deployer([&] {
    while (args.deployIntervalMs > 0 && running) {
      std::this_thread::sleep_for(std::chrono::milliseconds(args.deployIntervalMs));
      loop.post([&api] { advanceDeploy(api); });
    }
  });
  std::printf("port=%u steps=%d threads=%d deploy-interval-ms=%d log-level=%s\n", (*server)->port(),
              args.steps, args.threads, args.deployIntervalMs,
              keel::logEnabled(keel::LogLevel::kInfo) ? "info" : "warn");
  std::fflush(stdout);

  int sig = 0;
  sigwait(&signals, &sig);
  running = false;
  deployer.join();
  (*server)->stop();
  loop.stop();
  owner.join();
  return 0;
}
