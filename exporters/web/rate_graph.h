// An MRTG-style rate graph as inline SVG: in as a filled area, out as a line, a time axis
// and a rate axis in bit/s (k, M, G), drawn from a HistorySeries point by point (no smoothing:
// each point is one stored sample). Unknown points leave gaps. The <svg> carries
// data-link, data-range and data-points (the number of known points), so tests can tell a
// graph with data from an empty one; data-state when the options give the link's state, and
// data-y-max (the rate axis' top, bit/s) and data-step (seconds per point) to read it back.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/element_state.h"
#include "daemon/history/link_history.h"

namespace lanwatch {

struct GraphOptions {
  int width = 600, height = 160;       // the plot area, in SVG units
  std::optional<double> capacity_bps;  // drawn as a line; the axis reaches it when set
  NotifyLanguage language = NotifyLanguage::kZh;
  bool compact = false;               // the overview's small graph: fewer labels
  std::optional<ElementState> state;  // the link's, as data-state (a link element)
};

std::string RenderRateGraph(const HistorySeries& series, const GraphOptions& options);

}  // namespace lanwatch
