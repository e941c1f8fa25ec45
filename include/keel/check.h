// KEEL_CHECK: aborts the process when an invariant does not hold. Used for
// bugs, never for bad input (that is a Status).
#pragma once

namespace keel::detail {
[[noreturn]] void checkFailed(const char* file, int line, const char* expr, const char* msg);
}

#define KEEL_CHECK(cond)                                                     \
  do {                                                                       \
    if (!(cond)) ::keel::detail::checkFailed(__FILE__, __LINE__, #cond, ""); \
  } while (0)

#define KEEL_CHECK_MSG(cond, msg)                                             \
  do {                                                                        \
    if (!(cond)) ::keel::detail::checkFailed(__FILE__, __LINE__, #cond, msg); \
  } while (0)
