// Clock: the only source of "now" in keel. Everything that waits, times out or
// records a time takes a Clock&; pure functions take `now` instead. Tests use
// ManualClock (src/testing/manual_clock.h) and never sleep.
//
// Times are wall-clock (system_clock) because they are persisted: a deadline
// or a first-failure time must survive a scheduler restart.
#pragma once

#include <chrono>
#include <cstdint>

namespace keel {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe for every implementation.
  virtual TimePoint now() const = 0;
};

// The real time.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
  // A process-wide instance for code that has no injected clock (main()).
  static SystemClock& instance();
};

// Milliseconds since the Unix epoch: the persisted form of a TimePoint.
inline int64_t toEpochMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint fromEpochMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace keel
