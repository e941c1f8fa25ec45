// pollUntil: how tests wait for something another thread or process does.
// Checks `done` every `interval` of real time until it holds or `deadline`
// passes, and returns its last answer; never a fixed sleep.
#pragma once

#include <chrono>
#include <thread>

#include "keel/clock.h"

namespace keel::testing {

template <typename Done>
bool pollUntil(Done done, Duration deadline, Duration interval = std::chrono::milliseconds(10)) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(interval);
  }
  return done();
}

}  // namespace keel::testing
