// Where a test or benchmark binary finds the tree it was built from: the
// source directory, the build directory and ../shared (the compat corpus and
// the Mesos fixtures).
//
// Resolved at run time from the running binary's location (the nearest
// directory above it holding CMakeCache.txt), not baked in at compile time,
// so that objects compiled in different checkouts are identical and a
// compiler cache serves every worktree. Thread-safe (resolved once). Aborts
// with a message when the binary does not sit inside a CMake build tree.
#pragma once

#include <string>

namespace keel::testing {

// The CMake build directory holding the running binary.
const std::string& binaryDir();
// The source tree that build directory was configured from.
const std::string& sourceDir();
// The shared/ folder (CMake cache variable KEEL_SHARED_DIR).
const std::string& sharedDir();

}  // namespace keel::testing
