#include "keel/clock.h"

namespace keel {

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

}  // namespace keel
