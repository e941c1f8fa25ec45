// Identifiers: random UUIDs (version 4) for plan elements, configs, tasks and
// reservations.
#pragma once

#include <cstdint>
#include <string>

namespace keel {

// A random RFC 4122 version-4 UUID in canonical lowercase form. Thread-safe;
// a forked child draws ids of its own, not its parent's next ones.
std::string randomUuid();

// A deterministic version-4-shaped UUID from a seed: tests and simulation.
std::string seededUuid(uint64_t seed);

bool isUuid(const std::string& text);

}  // namespace keel
