#include "exporters/web/graph_axis.h"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

namespace lanwatch {

RateAxis NiceRateAxis(double max_bps, int target) {
  RateAxis axis;
  if (!(max_bps > 0) || !std::isfinite(max_bps)) max_bps = 1000;
  double raw = max_bps / std::max(1, target);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  int n = static_cast<int>(std::ceil(max_bps / step - 1e-9));
  axis.top = step * std::max(1, n);
  for (int i = 0; i <= std::max(1, n); ++i) axis.ticks.push_back(step * i);
  return axis;
}

std::string ShortBitRate(double bps) {
  if (bps <= 0) return "0";
  static constexpr struct {
    double factor;
    const char* suffix;
  } kUnits[] = {{1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
  for (const auto& u : kUnits) {
    if (bps >= u.factor || u.factor == 1) return fmt::format("{:g}{}", bps / u.factor, u.suffix);
  }
  return "0";
}

namespace {

using std::chrono::system_clock;

std::tm Local(system_clock::time_point t) {
  std::time_t tt = system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return tm;
}

// Ticks every `every` of local time (a divisor of a day), aligned to local midnight.
std::vector<TimeTick> Regular(system_clock::time_point from, system_clock::time_point to,
                              std::chrono::seconds every, const char* format) {
  std::vector<TimeTick> ticks;
  long offset = Local(from).tm_gmtoff;
  long long from_s =
      std::chrono::duration_cast<std::chrono::seconds>(from.time_since_epoch()).count();
  long long e = every.count();
  long long local = from_s + offset;
  long long first = ((local + e - 1) / e) * e - offset;
  for (auto t = system_clock::time_point(std::chrono::seconds(first)); t <= to; t += every) {
    std::tm tm = Local(t);
    char label[32];
    std::strftime(label, sizeof label, format, &tm);
    ticks.push_back({t, label});
    if (ticks.size() > 64) break;  // a range far longer than its kind: never a flood of labels
  }
  return ticks;
}

std::vector<TimeTick> Monthly(system_clock::time_point from, system_clock::time_point to,
                              int every_months) {
  std::vector<TimeTick> ticks;
  std::tm tm = Local(from);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  for (int i = 0; i < 30; ++i) {
    std::tm copy = tm;
    auto t = system_clock::from_time_t(std::mktime(&copy));
    if (t > to) break;
    if (t >= from && (copy.tm_mon % every_months) == 0) {
      ticks.push_back({t, fmt::format("{}-{:02}", copy.tm_year + 1900, copy.tm_mon + 1)});
    }
    ++tm.tm_mon;
    tm.tm_isdst = -1;
  }
  return ticks;
}

}  // namespace

std::vector<TimeTick> TimeTicks(system_clock::time_point from, system_clock::time_point to,
                                HistoryRange range, bool compact) {
  using namespace std::chrono_literals;
  int c = compact ? 2 : 1;
  switch (range) {
    case HistoryRange::kHour:
      return Regular(from, to, 10min * c, "%H:%M");
    case HistoryRange::kDay:
      return Regular(from, to, 3h * c, "%H:%M");
    case HistoryRange::kWeek:
      return Regular(from, to, 24h * c, "%m-%d");
    case HistoryRange::kMonth:
      return Regular(from, to, 24h * 7, "%m-%d");
    case HistoryRange::kYear:
      return Monthly(from, to, compact ? 3 : 2);
  }
  return {};
}

}  // namespace lanwatch
