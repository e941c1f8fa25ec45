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
#include "keel/mesos/resources.h"

namespace keel::offer::detail {

// Fixed-point arithmetic, reservations and volumes: keel/mesos/resources.h.
using mesos::millisToScalar;
using mesos::scalarToMillis;

// "0.5", "32", "0.125".
std::string formatAmount(int64_t millis);
// "[31000-31100,31200-31200]"; "[]" when empty.
std::string formatRanges(std::span<const mesos::Value::Range> ranges);

// The current reservation's label `key`, viewed in place; "" when absent.
std::string_view reservationLabel(const mesos::Resource& resource, std::string_view key);
std::string_view resourceId(const mesos::Resource& resource);
std::string_view persistenceId(const mesos::Resource& resource);

// Unreserved `name` of `millis` thousandths / port `port`, allocated to `role`.
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
