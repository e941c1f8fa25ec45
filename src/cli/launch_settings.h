// LaunchSettings: how `keel run` started a service's scheduler, kept in
// <state dir>/launch.json (keel/scheduler/runner.h, kLaunchFileName) while
// it serves, so that `keel update --options F` / `--env-file F` can check a
// new environment against the same svc.yml and package and have the
// scheduler restart with it (SIGHUP: `keel run` reads this file again).
//
// Paths are absolute. Written atomically (temporary file, then rename).
// Thread-safety: free functions over files; no shared state.
#pragma once

#include <optional>
#include <string>

#include "cli/spec_input.h"
#include "keel/result.h"

namespace keel::cli {

struct LaunchSettings {
  SpecInput input;     // spec, env file, options, package dir (absolute)
  std::string master;  // the master URL the scheduler was given
  int port = 0;        // the API port asked for (0: any)
};

// nullopt when the file does not exist; Corruption naming the file when it
// is not launch settings.
Result<std::optional<LaunchSettings>> readLaunchSettings(const std::string& stateDir);
Status writeLaunchSettings(const std::string& stateDir, const LaunchSettings& settings);

// `text` written to `path` through a temporary file and a rename.
Status writeFileAtomically(const std::string& path, const std::string& text);

// `path` made absolute (empty stays empty).
std::string absolutePath(const std::string& path);

}  // namespace keel::cli
