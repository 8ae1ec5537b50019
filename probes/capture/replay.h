// Replays a capture file (pcap or pcapng, any timestamp resolution, several interfaces) into
// per-interval traffic figures, as `lanwatch replay` prints them. Intervals start at the first
// packet and run `interval` long; only intervals with packets are reported, so a file that
// spans years (or has no timestamps at all) allocates nothing per empty interval. A packet
// that goes back in time, or whose time is out of range (before 1678 or after 2262), is
// counted in the current interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "probes/capture/traffic_meter.h"

namespace lanwatch {

struct ReplayInterval {
  int64_t start_ns = 0;  // since the epoch
  TrafficReport report;
};

struct ReplayOptions {
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
  std::vector<Cidr> local_networks = DefaultLocalNetworks();
  size_t top_n = 5;
};

struct ReplaySummary {
  TrafficReport whole;   // the whole file, with its top talkers
  uint64_t records = 0;  // packets read
  // The first record's time and the latest one, since the epoch (0 when none had one).
  int64_t first_ns = 0, last_ns = 0;
  // Records whose time int64 nanoseconds cannot hold (a crafted pcapng's if_tsoffset or
  // if_tsresol): counted, in the current interval, and left out of first/last.
  uint64_t untimed_records = 0;
  uint64_t intervals = 0;  // reported (non-empty) intervals
  // Set when the file could not be read to its end: says which record, and why. The figures
  // above cover everything before it.
  std::optional<std::string> error;
};

ReplaySummary ReplayCaptureFile(const std::string& path, const ReplayOptions& options,
                                const std::function<void(const ReplayInterval&)>& on_interval);

}  // namespace lanwatch
