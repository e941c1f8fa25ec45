// `keel run <svc.yml>`: validates the spec, finds (or starts) the master,
// then runs the service's scheduler in the foreground until SIGINT/SIGTERM.
#pragma once

#include <ostream>
#include <string>

#include "cli/spec_input.h"

namespace CLI {
class App;
}

namespace keel::cli {

struct RunOptions {
  std::string master;    // empty: the local cluster (found running, or started)
  int port = 0;          // API port; 0: any free port
  std::string stateDir;  // empty: $KEEL_HOME/services/<name>
  std::string selfPath;  // this keel binary (to start `keel cluster run`)
};

// Exit status: 0 after a clean stop, 1 for an invalid spec (nothing is
// started then) or a scheduler that could not start or failed, 2 usage.
int runRun(const SpecInput& input, const RunOptions& options, std::ostream& out, std::ostream& err);

// Adds the `run` subcommand to `app`; its exit status goes to `status`.
void addRunCommand(CLI::App& app, int& status);

}  // namespace keel::cli
