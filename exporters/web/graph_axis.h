// The axes of the status page's rate graphs: rate ticks at 1, 2, 5 x 10^n bit/s with short
// labels ("500k", "2.5M", "1G"), and time ticks on the site's clock (localtime: the process's
// zone is the site's, notify/site_time.h) at boundaries a person reads (every 10 minutes,
// every 3 hours, midnights, the first of each month). Pure functions.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "daemon/history/link_history.h"

namespace lanwatch {

struct RateAxis {
  double top = 1;             // the axis' highest value, bit/s; at least the data's
  std::vector<double> ticks;  // 0 first, up to top
};
// An axis for values up to `max_bps` (0 or less: a token 1 kbit/s axis), about `target` ticks.
RateAxis NiceRateAxis(double max_bps, int target = 4);

// "0", "500k", "2.5M", "10M", "1G": tick labels, in bit/s.
std::string ShortBitRate(double bps);

struct TimeTick {
  std::chrono::system_clock::time_point at;
  std::string label;
};
// Ticks inside [from, to] for a graph of `range`; `compact` keeps about half of them.
std::vector<TimeTick> TimeTicks(std::chrono::system_clock::time_point from,
                                std::chrono::system_clock::time_point to, HistoryRange range,
                                bool compact);

}  // namespace lanwatch
