// The `keel` subcommands, as functions of their parsed arguments, writing to
// the given streams and returning the process exit status:
//   0 success, 1 the input is invalid or the operation failed, 2 usage error.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "cli/spec_input.h"
#include "keel/clock.h"

namespace keel::cli {

enum ExitCode { kExitOk = 0, kExitInvalid = 1, kExitUsage = 2 };

// Which cluster a spec is checked against: "local" (keel's own, the default)
// or "mesos" (a full Mesos/DC/OS cluster that offers container features).
struct TargetCluster {
  std::string kind = "local";
};

// `keel validate`: prints every error and warning, then a summary of the spec.
int runValidate(const SpecInput& input, const TargetCluster& cluster, std::ostream& out,
                std::ostream& err);

// `keel plan preview`: prints the plan the scheduler would run (default
// "deploy") as a tree, or as the /v1/plans JSON with json=true.
int runPlanPreview(const SpecInput& input, const std::string& plan, bool json, std::ostream& out,
                   std::ostream& err);

// `keel update preview`: what a configuration update would do to a running
// service, before it is applied. The new svc.yml is checked against the old
// configuration (a svc.yml rendered with its own env, or a configuration JSON
// as the scheduler stores it and GET /v1/configurations/<id> returns) with
// keel/config/config_validation.h, and the difference is shown with
// keel/config/config_diff.h: which pod instances would be relaunched, added
// or decommissioned, and what changed.
//
// TASKCFG_* variables of each svc.yml's environment are routed into its tasks'
// env first (keel/config/task_env.h), as the scheduler stores them; a stored
// JSON configuration is used as it is.
struct UpdatePreviewArgs {
  SpecInput input;              // the new svc.yml and its environment
  std::string from;             // the old svc.yml, or a stored configuration (JSON)
  std::string fromEnvFile;      // env file of an old svc.yml; empty: input.envFile
  std::string fromOptionsFile;  // package options of an old svc.yml; empty: input.optionsFile
  bool json = false;            // print {"valid", "errors", "diff"} as JSON
};

// Exit status: 0 when the update is valid (the diff is printed, possibly "no
// changes"); 1 when either configuration cannot be read or loaded, or the
// update is refused (every validation error is printed to `err`, or in the
// JSON on `out`).
int runUpdatePreview(const UpdatePreviewArgs& args, std::ostream& out, std::ostream& err);

// `keel update --options F` (or `--env-file F`): a configuration update of a
// service that `keel run` runs. From its launch settings (<state dir>/
// launch.json, cli/launch_settings.h) the svc.yml is loaded with F in place
// of the options (env file) it runs with: F is checked first (options
// against the package's config.json, the update policy's variables), then
// the change against the running scheduler's target configuration (the
// validators of `keel update preview`). Anything invalid or refused: every
// error printed, exit 1, nothing changed. Otherwise the config diff is
// printed, F is copied into the state directory and recorded in the launch
// settings, the scheduler gets SIGHUP and `keel run` restarts it with them
// (as a restart with a changed environment), and the command returns once
// the scheduler serves the new target (exit 1 when it does not within
// `timeout`). The state directory: --state-dir, else
// $KEEL_HOME/services/<--service>, else the only service with launch
// settings.
struct UpdateArgs {
  std::string optionsFile;
  std::string envFile;
  std::string service;
  std::string stateDir;
  Duration timeout = std::chrono::seconds(60);
};
int runUpdate(const UpdateArgs& args, std::ostream& out, std::ostream& err);

}  // namespace keel::cli
