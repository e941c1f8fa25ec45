// ManualClock: a Clock that moves only when a test says so. Thread-safe.
#pragma once

#include <atomic>

#include "keel/clock.h"

namespace keel::testing {

class ManualClock final : public Clock {
 public:
  // Starts at a fixed, recognisable instant (2026-01-01T00:00:00Z).
  ManualClock() : ms_(1767225600000) {}
  explicit ManualClock(TimePoint start) : ms_(toEpochMillis(start)) {}

  TimePoint now() const override { return fromEpochMillis(ms_.load()); }
  void advance(Duration d) { ms_.fetch_add(d.count()); }
  void set(TimePoint t) { ms_.store(toEpochMillis(t)); }

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace keel::testing
