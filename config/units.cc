#include "config/units.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace lanwatch {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "12.5 Mbit" into 12.5 and "Mbit". Fails on a missing or negative number.
std::expected<std::pair<double, std::string_view>, std::string> SplitNumber(std::string_view text) {
  std::string_view s = Trim(text);
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data()) {
    return std::unexpected(fmt::format("'{}' does not start with a number", text));
  }
  if (!std::isfinite(value) || value < 0) {
    return std::unexpected(fmt::format("'{}' must be a finite number, not negative", text));
  }
  return std::pair{value, Trim(std::string_view(end, s.data() + s.size() - end))};
}

}  // namespace

std::expected<double, std::string> ParseBitRate(std::string_view text) {
  auto split = SplitNumber(text);
  if (!split) return std::unexpected(split.error());
  auto [value, unit] = *split;
  double scale = 1;
  if (!unit.empty()) {
    switch (unit.front()) {
      case 'k':
      case 'K':
        scale = 1e3;
        unit.remove_prefix(1);
        break;
      case 'M':
        scale = 1e6;
        unit.remove_prefix(1);
        break;
      case 'G':
      case 'g':
        scale = 1e9;
        unit.remove_prefix(1);
        break;
      case 'T':
      case 't':
        scale = 1e12;
        unit.remove_prefix(1);
        break;
      default:
        break;
    }
  }
  static constexpr std::array<std::string_view, 6> kBitUnits = {"",      "bit", "bps",
                                                                "bit/s", "b/s", "bits"};
  for (std::string_view accepted : kBitUnits) {
    if (EqualsIgnoreCase(unit, accepted)) return value * scale;
  }
  return std::unexpected(fmt::format(
      "'{}' is not a bit rate (write it like 10Mbit, 100 Mbit/s, 1Gbps or 512kbit)", text));
}

std::expected<std::chrono::milliseconds, std::string> ParseDuration(std::string_view text) {
  auto split = SplitNumber(text);
  if (!split) return std::unexpected(split.error());
  auto [value, unit] = *split;
  static constexpr std::array<std::pair<std::string_view, double>, 7> kUnits = {
      {{"ms", 1},
       {"", 1000},
       {"s", 1000},
       {"m", 60'000},
       {"min", 60'000},
       {"h", 3'600'000},
       {"d", 86'400'000}}};
  for (auto [name, ms] : kUnits) {
    if (unit == name) return std::chrono::milliseconds(std::llround(value * ms));
  }
  return std::unexpected(
      fmt::format("'{}' is not a duration (write it like 500ms, 30s, 5m, 2h or 1d)", text));
}

std::expected<double, std::string> ParseRatio(std::string_view text) {
  auto split = SplitNumber(text);
  if (!split) return std::unexpected(split.error());
  auto [value, unit] = *split;
  if (unit == "%")
    value /= 100;
  else if (!unit.empty())
    return std::unexpected(fmt::format("'{}' is not a ratio (80% or 0.8)", text));
  if (value > 1) return std::unexpected(fmt::format("'{}' is more than 100%", text));
  return value;
}

std::expected<double, std::string> ParseEventRate(std::string_view text) {
  auto split = SplitNumber(text);
  if (!split) return std::unexpected(split.error());
  auto [value, unit] = *split;
  if (unit.empty() || unit == "/s") return value;
  if (unit == "/m" || unit == "/min") return value / 60;
  if (unit == "/h") return value / 3600;
  return std::unexpected(
      fmt::format("'{}' is not a rate (write it like 5/s, 10/min or 1/h)", text));
}

std::expected<double, std::string> ParseDecibels(std::string_view text) {
  auto split = SplitNumber(text);
  if (!split) return std::unexpected(split.error());
  auto [value, unit] = *split;
  if (!unit.empty() && !EqualsIgnoreCase(unit, "dB")) {
    return std::unexpected(fmt::format("'{}' is not a power difference (write it like 3dB)", text));
  }
  if (value <= 0 || value > 40) {
    return std::unexpected(fmt::format("'{}' must be more than 0 dB and at most 40 dB", text));
  }
  return value;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string FormatBitRate(double bits_per_second) {
  static constexpr std::array<std::string_view, 5> kPrefixes = {"", "k", "M", "G", "T"};
  size_t i = 0;
  double v = bits_per_second;
  while (std::fabs(v) >= 1000 && i + 1 < kPrefixes.size()) {
    v /= 1000;
    ++i;
  }
  return fmt::format("{:.3g} {}bit/s", v, kPrefixes[i]);
}

std::string FormatPercent(double ratio) { return fmt::format("{:.3g}%", ratio * 100); }

std::string FormatDuration(std::chrono::seconds duration) {
  long long s = duration.count();
  long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
  if (d > 0) return fmt::format("{}d {}h {}m", d, h, m);
  if (h > 0) return fmt::format("{}h {}m", h, m);
  if (m > 0) return fmt::format("{}m {}s", m, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace lanwatch
