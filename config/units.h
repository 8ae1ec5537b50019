// Parsing and printing of the units the IT section writes in configs: bit rates ("10Mbit"),
// durations ("30s"), ratios ("80%"), event rates ("5/min") and decibels ("3dB"). Pure functions,
// thread-safe.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

namespace lanwatch {

// "10Mbit", "10 Mbit/s", "10Mbps", "1.5G", "100000" (bits/s). SI prefixes (k = 1000).
std::expected<double, std::string> ParseBitRate(std::string_view text);

// "500ms", "30s", "5m", "2h", "1d"; a bare number is seconds.
std::expected<std::chrono::milliseconds, std::string> ParseDuration(std::string_view text);

// "80%" or "0.8"; must lie in [0, 1] once converted.
std::expected<double, std::string> ParseRatio(std::string_view text);

// "5/s", "5/min", "5/h"; a bare number is per second. Returns events per second.
std::expected<double, std::string> ParseEventRate(std::string_view text);

// "3dB", "3 dB" or "3": a power difference in decibels, more than 0 and at most 40.
std::expected<double, std::string> ParseDecibels(std::string_view text);

// 9870000 -> "9.87 Mbit/s".
std::string FormatBitRate(double bits_per_second);

// A ratio as a percentage, three significant digits like FormatBitRate: 0.956 -> "95.6%",
// 0.95 -> "95%", 0.0123 -> "1.23%".
std::string FormatPercent(double ratio);

// ASCII case-insensitive equality: unit names, enum values in configs and flags.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// 93784 -> "1d 2h 3m".
std::string FormatDuration(std::chrono::seconds duration);

}  // namespace lanwatch
