// Internal helpers of keel_offer: fixed-point amounts, reservations and
// labels of Mesos resources, and reason formatting.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "keel/mesos/resource.h"

namespace keel::offer::detail {

inline int64_t toMillis(double value) { return std::llround(value * 1000.0); }
inline double fromMillis(int64_t millis) { return static_cast<double>(millis) / 1000.0; }
// "0.5", "32", "0.125".
std::string formatAmount(int64_t millis);
// "[31000-31100,31200-31200]"; "[]" when empty.
std::string formatRanges(std::span<const mesos::Value::Range> ranges);

// The role of the resource's current reservation; "" when unreserved.
std::string_view reservationRole(const mesos::Resource& resource);
// The current reservation (refinement stack top or legacy); nullptr if none.
const mesos::Resource::ReservationInfo* currentReservation(const mesos::Resource& resource);
// The current reservation's label `key`; "" when absent.
std::string_view reservationLabel(const mesos::Resource& resource, std::string_view key);
std::string_view resourceId(const mesos::Resource& resource);
std::string_view persistenceId(const mesos::Resource& resource);
bool isMountDisk(const mesos::Resource& resource);

mesos::Resource scalarResource(std::string_view name, int64_t millis, std::string_view role);
mesos::Resource portResource(uint64_t port, std::string_view role);

// Appends the arguments' text to `out`: strings, string_views, C strings,
// chars and integers.
inline void appendOne(std::string& out, std::string_view s) { out.append(s); }
inline void appendOne(std::string& out, char c) { out.push_back(c); }
template <typename T>
requires std::is_integral_v<T>
void appendOne(std::string& out, T value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;
  out.append(buf, end);
}
template <typename... Args>
std::string strCat(const Args&... args) {
  std::string out;
  (appendOne(out, args), ...);
  return out;
}

}  // namespace keel::offer::detail
