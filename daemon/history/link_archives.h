// The layout of one link's RRD file, MRTG's archives on the poll interval's grid: what
// rrdtool create is given, and which archive each graph range reads. Sizes (bytes per file,
// measured with this layout): 242,592 at a 1 s step (the hour at poll resolution alone is
// 3600 rows: over the 200 KB budget), 196,512 at 5 s, 190,752 at 10 s, 186,912 at 30 s,
// 185,952 at 60 s. Almost all of it is the 31 days of 5-minute averages the month's 95th
// percentile is read from (8928 rows x 2 data sources x 8 bytes).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "daemon/history/link_history.h"

namespace lanwatch {

// "DS:in:GAUGE:..." "DS:out:..." and the "RRA:..." definitions for a file of `step`:
//   hour   AVERAGE, 1 step (its own max), 1 hour
//   5 min  AVERAGE for 31 days (the day graph, the 95th percentile), MAX for 1 day
//   30 min AVERAGE and MAX for 7 days
//   2 h    AVERAGE and MAX for 31 days
//   1 day  AVERAGE and MAX for 365 days
// A row of R seconds holds round(R / step) polls (at least one): the nominal resolution
// exactly when the step divides it (1, 2, 3, 5, 10, 15, 20, 30, 60 s ... do), else the
// nearest whole number of polls. Data sources: GAUGE bit/s, min 0, no max, heartbeat two
// steps (a gap of more than two polls is unknown, never invented). xff 0.5: a consolidated
// row is known when at least half its polls are.
std::vector<std::string> LinkArchiveDefinitions(std::chrono::seconds step);

// The resolution a range is read at (the hour: the file's step) and how far back it reaches.
struct RangeWindow {
  std::chrono::seconds resolution{0};
  std::chrono::seconds span{0};
};
RangeWindow WindowOf(HistoryRange range, std::chrono::seconds step);

// Polls per consolidated row of `row_seconds` at `step`: round(row / step), at least 1.
long PollsPerRow(std::chrono::seconds row, std::chrono::seconds step);

}  // namespace lanwatch
