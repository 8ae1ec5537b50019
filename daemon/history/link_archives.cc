#include "daemon/history/link_archives.h"

#include <fmt/format.h>

namespace lanwatch {
namespace {

using std::chrono::seconds;
constexpr seconds kHour{3600}, kDay{86400};

// An archive of `cf` with rows of `row` seconds reaching back at least `span`.
std::string Archive(const char* cf, seconds row, seconds span, seconds step) {
  long polls = PollsPerRow(row, step);
  long row_seconds = polls * step.count();
  long rows = (span.count() + row_seconds - 1) / row_seconds;
  return fmt::format("RRA:{}:0.5:{}:{}", cf, polls, rows);
}

}  // namespace

long PollsPerRow(seconds row, seconds step) {
  long polls = (row.count() + step.count() / 2) / step.count();
  return polls < 1 ? 1 : polls;
}

std::vector<std::string> LinkArchiveDefinitions(seconds step) {
  const long heartbeat = 2 * step.count();
  return {
      fmt::format("DS:in:GAUGE:{}:0:U", heartbeat),
      fmt::format("DS:out:GAUGE:{}:0:U", heartbeat),
      Archive("AVERAGE", step, kHour, step),
      Archive("AVERAGE", seconds(300), 31 * kDay, step),
      Archive("MAX", seconds(300), kDay, step),
      Archive("AVERAGE", seconds(1800), 7 * kDay, step),
      Archive("MAX", seconds(1800), 7 * kDay, step),
      Archive("AVERAGE", seconds(7200), 31 * kDay, step),
      Archive("MAX", seconds(7200), 31 * kDay, step),
      Archive("AVERAGE", kDay, 365 * kDay, step),
      Archive("MAX", kDay, 365 * kDay, step),
  };
}

RangeWindow WindowOf(HistoryRange range, seconds step) {
  switch (range) {
    case HistoryRange::kHour:
      return {step, kHour};
    case HistoryRange::kDay:
      return {seconds(300), kDay};
    case HistoryRange::kWeek:
      return {seconds(1800), 7 * kDay};
    case HistoryRange::kMonth:
      return {seconds(7200), 31 * kDay};
    case HistoryRange::kYear:
      return {kDay, 365 * kDay};
  }
  return {step, kHour};
}

}  // namespace lanwatch
