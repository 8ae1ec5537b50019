// RrdFile: the few librrd calls LinkHistory makes, each a function returning a value or an
// Error, with everything librrd allocates freed before it returns. Only librrd's thread-safe
// `_r` calls are used and no at-style time is ever parsed (rrdthreads(1)); librrd keeps its
// error text per thread and prints nothing itself. The functions are thread-compatible: two
// calls on one file from two threads must be serialised by the caller (LinkHistory's mutex).
// <rrd.h> stays inside rrd_file.cc, which loads librrd on the first call (a config without
// links never maps it); each call fails with a clear Error when the library is missing.
#pragma once

#include <chrono>
#include <ctime>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "config/error.h"

namespace lanwatch {

struct RrdHeader {
  std::chrono::seconds step{0};
  time_t last_update = 0;
  std::vector<std::string> data_sources;  // DS names, in file order
};
// rrd_info_r: fails on a missing file and on one that is not an RRD.
std::expected<RrdHeader, Error> ReadRrdHeader(const std::string& path);

// rrd_create_r2 into `path` (librrd writes a temporary file next to it and renames it into
// place). `definitions`: "DS:..." and "RRA:..." arguments. With `source`, the new file is
// prefilled from that RRD (rrdtool create --source): matching DS names and archives.
std::expected<void, Error> CreateRrd(const std::string& path, std::chrono::seconds step,
                                     time_t last_update,
                                     const std::vector<std::string>& definitions,
                                     const std::optional<std::string>& source);

// rrd_update_r with many "TIME:V1:V2" arguments in one call (one open, one lock).
std::expected<void, Error> UpdateRrd(const std::string& path,
                                     const std::vector<std::string>& updates);

// rrd_fetch_r. Row i covers (start + i*step, start + (i+1)*step]; NaN is unknown. librrd
// returns one row past `end` that rrdtool fetch never prints; it is left out here too.
struct RrdFetched {
  time_t start = 0, end = 0;
  std::chrono::seconds step{0};
  std::vector<std::string> data_sources;
  std::vector<double> values;  // row-major: rows() x data_sources.size()
  size_t rows() const { return data_sources.empty() ? 0 : values.size() / data_sources.size(); }
  double at(size_t row, size_t ds) const { return values[row * data_sources.size() + ds]; }
};
std::expected<RrdFetched, Error> FetchRrd(const std::string& path, const char* consolidation,
                                          time_t start, time_t end, std::chrono::seconds step);

}  // namespace lanwatch
