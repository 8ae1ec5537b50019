// OptionalDouble: a std::optional<double> in 8 bytes, not 16, absent being a NaN, which none
// of the figures kept in one is (rates, times: from counted increments over a positive
// interval, or a clock). Each port's status has five; a city's network has hundreds of
// thousands of ports. Reads and converts like a std::optional<double>; a NaN stored in it
// reads back as absent.
#pragma once

#include <limits>
#include <optional>

namespace lanwatch {

class OptionalDouble {
 public:
  constexpr OptionalDouble() = default;
  constexpr OptionalDouble(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as optional
  constexpr OptionalDouble(double value) : value_(value) {}  // NOLINT(google-explicit-constructor)
  constexpr OptionalDouble(
      const std::optional<double>& value)  // NOLINT(google-explicit-constructor)
      : value_(value ? *value : kAbsent) {}
  constexpr operator std::optional<double>() const {  // NOLINT(google-explicit-constructor)
    return has_value() ? std::optional<double>(value_) : std::nullopt;
  }

  constexpr bool has_value() const { return value_ == value_; }  // NaN alone differs from itself
  constexpr explicit operator bool() const { return has_value(); }
  constexpr double operator*() const { return value_; }
  constexpr double value_or(double otherwise) const { return has_value() ? value_ : otherwise; }
  constexpr void reset() { value_ = kAbsent; }

  friend constexpr bool operator==(const OptionalDouble& a, const OptionalDouble& b) {
    return a.has_value() == b.has_value() && (!a.has_value() || a.value_ == b.value_);
  }
  friend constexpr bool operator==(const OptionalDouble& a, std::nullopt_t) {
    return !a.has_value();
  }
  // Not std::optional's template, which would take an empty one as unequal to an absent one.
  friend constexpr bool operator==(const OptionalDouble& a, const std::optional<double>& b) {
    return a == OptionalDouble(b);
  }

 private:
  static constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();
  double value_ = kAbsent;
};

}  // namespace lanwatch
