// Result<T>: a value or the Status that explains why there is none. Shaped
// like std::expected<T, Status>: has_value(), value(), error(), operator*.
//
// Accessing value() of a failed Result, or error() of a successful one, is a
// broken invariant and aborts with the Status printed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "keel/status.h"

namespace keel {

namespace detail {
[[noreturn]] void resultAccessFailed(const Status& status);
[[noreturn]] void resultErrorOfValue();
}  // namespace detail

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Status>, "use Status for Result<void>");

 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Status error) : v_(std::in_place_index<1>, std::move(error)) {  // NOLINT: implicit
    if (std::get<1>(v_).isOk())
      detail::resultAccessFailed(Status::internal("Result from OK Status"));
  }
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, Status> &&
           !std::is_same_v<std::decay_t<U>, Result<T>> && !std::is_same_v<std::decay_t<U>, T>)
      Result(U&& value)
      : v_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  bool isOk() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    check();
    return std::get<0>(v_);
  }
  const T& value() const& {
    check();
    return std::get<0>(v_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : T(std::forward<U>(fallback));
  }

  const Status& error() const {
    if (has_value()) detail::resultErrorOfValue();
    return std::get<1>(v_);
  }
  // The error, or OK when there is a value.
  Status status() const { return has_value() ? Status::ok() : std::get<1>(v_); }

 private:
  void check() const {
    if (!has_value()) detail::resultAccessFailed(std::get<1>(v_));
  }
  std::variant<T, Status> v_;
};

}  // namespace keel

#define KEEL_CONCAT_INNER_(a, b) a##b
#define KEEL_CONCAT_(a, b) KEEL_CONCAT_INNER_(a, b)

// KEEL_ASSIGN_OR_RETURN(auto x, f()); declares x from a Result, or returns its
// Status from the enclosing function.
#define KEEL_ASSIGN_OR_RETURN(lhs, expr) \
  KEEL_ASSIGN_OR_RETURN_IMPL_(KEEL_CONCAT_(keel_result_, __LINE__), lhs, expr)
#define KEEL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.has_value()) return tmp.error();         \
  lhs = std::move(tmp).value()
