// data-store: the tutorial's service as a keel program. Reads its
// configuration from the environment (METADATA_COUNT, DATA_COUNT, ...),
// builds the service spec with keel's C++ API and runs its scheduler
// (keel::scheduler::ServiceRunner, the same as `keel run`) until SIGINT or
// SIGTERM.
//
//   data-store [--preview] [--master URL] [--port N] [--state-dir DIR]
//
// --preview prints the deploy plan and exits. Without --master the running
// local cluster is used (`keel cluster start`); MESOS_MASTER works too.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "cluster/local/cluster_config.h"
#include "cluster/local/cluster_process.h"
#include "data_store_spec.h"
#include "keel/config/task_env.h"
#include "keel/env_file.h"
#include "keel/plan_generator.h"
#include "keel/plan_json.h"
#include "keel/scheduler/recovery_env.h"
#include "keel/scheduler/runner.h"
#include "keel/scheduler/update_policy.h"

namespace {

struct Args {
  bool preview = false;
  std::string master;
  int port = 0;
  std::string stateDir;
};

bool parseArgs(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool hasValue = i + 1 < argc;
    if (a == "--preview") {
      args.preview = true;
    } else if (a == "--master" && hasValue) {
      args.master = argv[++i];
    } else if (a == "--port" && hasValue) {
      args.port = std::atoi(argv[++i]);
    } else if (a == "--state-dir" && hasValue) {
      args.stateDir = argv[++i];
    } else {
      std::cerr << "usage: data-store [--preview] [--master URL] [--port N] [--state-dir DIR]\n";
      return false;
    }
  }
  if (args.master.empty()) {
    if (const char* env = std::getenv("MESOS_MASTER"); env && *env) args.master = env;
  }
  return true;
}

int preview(const keel::spec::ServiceSpec& spec) {
  auto plan = keel::plan::generateDeployPlan(spec);
  if (!plan) {
    std::cerr << "data-store: " << plan.error().message() << "\n";
    return 1;
  }
  std::cout << "data-store: service spec built from the environment\n"
            << keel::plan::planTree(*plan) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parseArgs(argc, argv, args)) return 2;
  auto env = keel::processEnvironment();
  auto spec = datastore::serviceSpec(env);
  if (!spec) {
    std::cerr << "data-store: " << spec.error().message() << "\n";
    return 1;
  }
  if (args.preview) return preview(*spec);
  if (args.master.empty()) {
    auto running = keel::local::findRunningCluster(keel::local::defaultStateDir());
    if (!running || !*running || (*running)->url.empty()) {
      std::cerr << "data-store: no local cluster is running; start one with `keel cluster "
                   "start`, or give --master URL\n";
      return 1;
    }
    args.master = (*running)->url;
  }
  auto policy = keel::scheduler::updatePolicyFromEnv(env);
  if (!policy) {
    std::cerr << "data-store: " << policy.error().message() << "\n";
    return 1;
  }
  keel::scheduler::RunnerOptions options;
  // ENABLE_AUTOMATIC_POD_REPLACEMENT, PERMANENT_FAILURE_TIMEOUT_SECS, ...
  if (keel::Status s = keel::scheduler::applyRecoveryEnv(env, options.scheduler); !s.isOk()) {
    std::cerr << "data-store: " << s.message() << "\n";
    return 1;
  }
  options.scheduler.update = *policy;
  options.masterUrl = args.master;
  options.apiPort = static_cast<uint16_t>(args.port);
  options.stateDir = args.stateDir;
  keel::scheduler::ServiceRunner runner(keel::config::withRoutedTaskEnv(std::move(*spec), env),
                                        options);
  keel::Status status = runner.run();
  if (!status.isOk()) {
    std::cerr << "data-store: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
