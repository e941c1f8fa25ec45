// The operator commands' command line (CLI11): `keel plan list|status|...`,
// `keel pod ...`, `keel endpoints`, `keel state ...`, `keel config ...`,
// `keel debug offers`, each with --url, --service and --json. Parsing only;
// the commands are in cli/operator_commands.h.
#pragma once

#include <CLI/CLI.hpp>

namespace keel::cli {

// Adds the plan subcommands to `plan` (the existing `keel plan`) and the
// other commands to `app`. A command that runs stores its exit status in
// `status`, which must outlive `app`'s parsing.
void addOperatorCommands(CLI::App& app, CLI::App& plan, int& status);

}  // namespace keel::cli
