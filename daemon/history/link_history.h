// LinkHistory: every link's in/out rates over time, kept as MRTG taught network admins to read
// them: one RRDtool file per link under STATE_DIR/history/, constant in size however long
// lanwatchd runs, readable with `rrdtool fetch` and `rrdtool graph`. The poll loop hands it
// each round's rates (Record never touches the disk); a thread of its own writes them, each
// update on the file's step grid (RRDtool would interpolate an unaligned one). Fetch and
// MonthPercentile read for the status page. Thread-safe.
//
// Each file has two GAUGE data sources, `in` and `out` (bit/s, the rates lanwatch measured
// over each poll interval), a step equal to the poll interval, and AVERAGE archives for the
// last hour at poll resolution, 31 days of 5-minute averages (the day graph and the 95th
// percentile), 30-minute averages for a week, 2-hour for a month and daily for a year, with
// MAX archives beside the longer ones for each range's peak.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/error.h"

namespace lanwatch {

// The graphs MRTG draws, each with its own resolution: hour (poll interval), day (5 min),
// week (30 min), month (2 h), year (1 day).
enum class HistoryRange { kHour, kDay, kWeek, kMonth, kYear };
inline constexpr HistoryRange kAllHistoryRanges[] = {HistoryRange::kHour, HistoryRange::kDay,
                                                     HistoryRange::kWeek, HistoryRange::kMonth,
                                                     HistoryRange::kYear};
std::string_view ToString(HistoryRange r);  // "hour", "day", "week", "month", "year"
std::optional<HistoryRange> ParseHistoryRange(std::string_view text);

// One link's rates over the poll interval that ended at the Record call's `at`; nullopt where
// there is no rate (first poll, a discontinuity, the device unreachable): stored as unknown.
struct LinkRates {
  std::string link;
  std::optional<double> in_bps, out_bps;
};

// A range's figures, as MRTG prints under each graph.
struct RateFigures {
  std::optional<double> peak;     // the highest poll-resolution sample in the range
  std::optional<double> average;  // over the known points of the range
  std::optional<double> current;  // the newest known point
};

// One range of one link, one point per `step`; point i covers [start + i*step, start +
// (i+1)*step). NaN: unknown (no poll then, lanwatchd not running, no rate).
struct HistorySeries {
  std::string link;
  HistoryRange range = HistoryRange::kHour;
  std::chrono::seconds step{0};
  std::chrono::system_clock::time_point start;
  std::vector<double> in_bps, out_bps;
  RateFigures in, out;
  size_t known_points() const;  // points where in or out is known
};

// The 95th percentile of the 5-minute averages over the last 30 days, as transit and ISP
// bills are read: the top 5 % of the samples are dropped, the highest left is the figure.
struct BillingPercentile {
  std::optional<double> in_bps, out_bps;
  std::optional<double> billed_bps;  // the higher of the two: what an ISP bills on
  int samples = 0;                   // 5-minute averages known in the period
  std::chrono::system_clock::time_point from, to;
};

class LinkHistory {
 public:
  // Keeps files in `dir` (created if missing). `step`: the poll interval, in whole seconds
  // (at least 1 s).
  static std::expected<std::unique_ptr<LinkHistory>, Error> Open(std::string dir,
                                                                 std::chrono::seconds step);
  ~LinkHistory();  // writes what is queued, then stops the writer thread
  LinkHistory(const LinkHistory&) = delete;
  LinkHistory& operator=(const LinkHistory&) = delete;

  void Start();  // the writer thread; until then Record only queues
  // Queues one round's rates, measured over the poll interval that ended at `at`. Never
  // blocks on the disk; a full queue drops the oldest round and counts it.
  void Record(std::chrono::system_clock::time_point at, std::vector<LinkRates> rates);
  // A new poll interval (config reload). A file whose step differs is rebuilt with the new
  // step at its next write, filled from the old one (rrdtool create --source), so its
  // history carries over at the resolution it was kept in.
  void SetStep(std::chrono::seconds step);
  // Blocks until everything recorded before the call is on disk (tests, shutdown).
  void Flush();

  // `range` of `link` up to `now`. A link with no file yet: an Error saying so.
  std::expected<HistorySeries, Error> Fetch(std::string_view link, HistoryRange range,
                                            std::chrono::system_clock::time_point now) const;
  std::expected<BillingPercentile, Error> MonthPercentile(
      std::string_view link, std::chrono::system_clock::time_point now) const;
  // The file `link` is kept in. Link names are any UTF-8; the file name is ASCII (bytes
  // outside [A-Za-z0-9_.-] percent-encoded), so `rrdtool` and shells take it as it is.
  std::string FileFor(std::string_view link) const;

  struct Stats {
    uint64_t updates_total = 0;  // rounds of one link written
    uint64_t skipped_total = 0;  // a round in a step already written (a sub-second interval)
    uint64_t dropped_total = 0;  // rounds dropped from a full queue
    uint64_t errors_total = 0;   // failed writes (the disk, a file not RRD)
    std::string last_error;
  };
  Stats stats() const;

 private:
  struct Impl;
  explicit LinkHistory(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lanwatch
