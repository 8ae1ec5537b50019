// HistorySeries and HistoryRange, the values LinkHistory hands the status page: what a
// renderer needs of them without the RRD files (link_history.cc keeps those).
#include <algorithm>
#include <cmath>

#include "daemon/history/link_history.h"

namespace lanwatch {

size_t HistorySeries::known_points() const {
  size_t n = std::max(in_bps.size(), out_bps.size()), known = 0;
  for (size_t i = 0; i < n; ++i) {
    bool in_known = i < in_bps.size() && !std::isnan(in_bps[i]);
    bool out_known = i < out_bps.size() && !std::isnan(out_bps[i]);
    if (in_known || out_known) ++known;
  }
  return known;
}

std::string_view ToString(HistoryRange r) {
  switch (r) {
    case HistoryRange::kHour:
      return "hour";
    case HistoryRange::kDay:
      return "day";
    case HistoryRange::kWeek:
      return "week";
    case HistoryRange::kMonth:
      return "month";
    case HistoryRange::kYear:
      return "year";
  }
  return "hour";
}

std::optional<HistoryRange> ParseHistoryRange(std::string_view text) {
  for (HistoryRange r : kAllHistoryRanges) {
    if (ToString(r) == text) return r;
  }
  return std::nullopt;
}

}  // namespace lanwatch
