#include "cli/run_command.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/launch_settings.h"
#include "cluster/local/cluster_config.h"
#include "cluster/local/cluster_process.h"
#include "keel/config/task_env.h"
#include "keel/scheduler/recovery_env.h"
#include "keel/scheduler/runner.h"
#include "keel/scheduler/update_policy.h"
#include "keel/spec_validate.h"

namespace keel::cli {
namespace {

constexpr std::chrono::seconds kClusterStartDeadline{60};

void printAll(std::ostream& err, const std::vector<spec::Diagnostic>& list) {
  for (const auto& d : list) err << d.toString() << "\n";
}

// The spec, or nullopt after printing why it cannot run (exit 1); the
// update policy and the recovery settings from the same environment
// (keel/scheduler/update_policy.h, recovery_env.h) go into `scheduler`.
std::optional<spec::ServiceSpec> loadRunnableSpec(const SpecInput& input, bool localCluster,
                                                  scheduler::SchedulerOptions& scheduler,
                                                  std::ostream& err) {
  LoadedSpec loaded = loadSpecInput(input);
  size_t n = printLoadDiagnostics(loaded, err);
  if (!loaded.ok()) {
    err << input.specPath << ": invalid (" << n << (n == 1 ? " error" : " errors")
        << "); nothing was started\n";
    return std::nullopt;
  }
  auto unsupported = spec::unsupportedFeatures(
      *loaded.result.spec,
      localCluster ? spec::ClusterCapabilities::localCluster() : spec::ClusterCapabilities::full(),
      spec::SpecSource{input.specPath, &loaded.result.locations});
  printAll(err, unsupported);
  if (!unsupported.empty()) {
    err << input.specPath << ": uses features the " << (localCluster ? "local" : "Mesos")
        << " cluster does not offer; nothing was started\n";
    return std::nullopt;
  }
  Result<scheduler::UpdatePolicy> parsed = scheduler::updatePolicyFromEnv(loaded.env);
  if (!parsed) {
    err << input.specPath << ": " << parsed.error().message() << "; nothing was started\n";
    return std::nullopt;
  }
  scheduler.update = *parsed;
  // ENABLE_AUTOMATIC_POD_REPLACEMENT, PERMANENT_FAILURE_TIMEOUT_SECS, ...
  if (Status s = scheduler::applyRecoveryEnv(loaded.env, scheduler); !s.isOk()) {
    err << input.specPath << ": " << s.message() << "; nothing was started\n";
    return std::nullopt;
  }
  // TASKCFG_<POD>_X / TASKCFG_ALL_X of the scheduler's env reach the tasks as X.
  return config::withRoutedTaskEnv(std::move(*loaded.result.spec), loaded.env);
}

// The running local cluster's master URL, starting one when none runs.
Result<std::string> localMaster(const std::string& selfPath, std::ostream& err) {
  std::string dir = local::defaultStateDir();
  KEEL_ASSIGN_OR_RETURN(std::optional<local::RunningCluster> running,
                        local::findRunningCluster(dir));
  if (running && !running->url.empty()) return running->url;
  err << "keel: starting the local cluster (state dir " << dir << ")\n";
  KEEL_ASSIGN_OR_RETURN(local::RunningCluster started,
                        local::ensureLocalCluster(selfPath, dir, kClusterStartDeadline));
  return started.url;
}

// One scheduler run of `spec` (loaded from `input` into `runner`'s
// scheduler options); sets `restart` when it ended for a SIGHUP (`keel
// update`), after which runRun starts it again from the launch settings it
// stored.
int serveOnce(const SpecInput& input, spec::ServiceSpec spec, scheduler::RunnerOptions runner,
              const RunOptions& options, const std::string& master, bool& restart,
              std::string& stateDir, std::ostream& err) {
  runner.masterUrl = master;
  runner.apiPort = static_cast<uint16_t>(options.port);
  runner.stateDir =
      options.stateDir.empty() ? scheduler::defaultServiceStateDir(spec.name) : options.stateDir;
  runner.restartOnHangup = true;
  LaunchSettings settings{input, master, options.port};
  runner.onServing = [&settings, &runner, &err] {
    Status s = writeLaunchSettings(runner.stateDir, settings);
    if (!s.isOk()) err << "keel run: " << s.message() << " (`keel update` will not find it)\n";
  };
  scheduler::ServiceRunner service(std::move(spec), runner);
  Status status = service.run();
  if (!status.isOk()) {
    err << "keel run: " << status.message() << "\n";
    return kExitInvalid;
  }
  restart = service.restartRequested();
  stateDir = runner.stateDir;
  return kExitOk;
}

}  // namespace

// The spec is checked before anything starts: an invalid one exits 1 with no
// local cluster started and no state written.
int runRun(const SpecInput& input, const RunOptions& options, std::ostream& /*out*/,
           std::ostream& err) {
  if (options.port < 0 || options.port > 65535) {
    err << "keel run: --port must be 0..65535, found " << options.port << "\n";
    return kExitUsage;
  }
  SpecInput current = input;
  scheduler::RunnerOptions runner;
  std::optional<spec::ServiceSpec> spec =
      loadRunnableSpec(current, options.master.empty(), runner.scheduler, err);
  if (!spec) return kExitInvalid;
  std::string master = options.master;
  if (master.empty()) {
    Result<std::string> url = localMaster(options.selfPath, err);
    if (!url) {
      err << "keel run: no local cluster: " << url.error().message()
          << "\n  start one with `keel cluster start`, or give --master URL\n";
      return kExitInvalid;
    }
    master = *url;
  }
  RunOptions runOptions = options;
  for (;;) {
    bool restart = false;
    std::string dir;
    int code = serveOnce(current, std::move(*spec), runner, runOptions, master, restart, dir, err);
    if (code != kExitOk || !restart) return code;
    Result<std::optional<LaunchSettings>> settings = readLaunchSettings(dir);
    if (!settings || !*settings) {
      err << "keel run: restart asked, but no launch settings in " << dir
          << (settings ? "" : ": " + settings.error().message()) << "; stopping\n";
      return kExitInvalid;
    }
    current = (*settings)->input;
    runOptions.stateDir = dir;
    runner = scheduler::RunnerOptions{};
    spec = loadRunnableSpec(current, options.master.empty(), runner.scheduler, err);
    if (!spec) return kExitInvalid;
  }
}

void addRunCommand(CLI::App& app, int& status) {
  auto input = std::make_shared<SpecInput>();
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "run a service's scheduler in the foreground");
  cmd->add_option("spec", input->specPath, "the service spec (svc.yml)")->required();
  cmd->add_option("--env-file", input->envFile, "KEY=VALUE lines to render the spec with");
  cmd->add_option("--options", input->optionsFile, "package options (JSON)");
  cmd->add_option("--package", input->packageDir, "the package directory for --options");
  cmd->add_option("--master", options->master,
                  "Mesos master URL (default: the local cluster, started when needed)");
  cmd->add_option("--port", options->port, "API port (default: any free port)");
  cmd->add_option("--state-dir", options->stateDir,
                  "scheduler state (default: $KEEL_HOME/services/<name>, KEEL_HOME=~/.keel)");
  cmd->callback([input, options, &status] {
    std::error_code ec;
    options->selfPath = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    status = runRun(*input, *options, std::cout, std::cerr);
  });
}

}  // namespace keel::cli
