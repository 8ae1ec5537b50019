// Renders `lanwatch replay` output: one text line, or one JSON object per line, per interval,
// then a summary. Pure functions.
#pragma once

#include <string>

#include "probes/capture/replay.h"

namespace lanwatch {

std::string RenderIntervalJson(const ReplayInterval& interval, double interval_seconds);
std::string RenderIntervalText(const ReplayInterval& interval, double interval_seconds);
std::string RenderReplaySummaryJson(const ReplaySummary& summary);
std::string RenderReplaySummaryText(const ReplaySummary& summary);

}  // namespace lanwatch
