// `lanwatch check --explain`: per rule and target, the value, the threshold, and why it is OK
// or not. A one-shot check has no history: it judges the instant and says which rules the
// daemon would hold for their `for`; given the daemon's state (records), it says how long
// each has held.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "daemon/alerts/alert.h"
#include "daemon/alerts/alert_store.h"

namespace lanwatch {

struct ExplainInput {
  std::vector<Observation> observations;
  std::vector<AlertRecord> records;  // the daemon's, when its state was read; else empty
  bool with_state = false;
  std::vector<Silence> silences;
  // What the engine holds back this instant, and why (AlertRecord::suppressed_by).
  std::map<AlertKey, std::string> suppressed;
  WallTime now{};
};

std::string RenderAlertExplanation(const ExplainInput& in);

// One alert figure in words: "97%", "9.6 Mbit/s", "0.20/s", "5 changes", "12s".
std::string FormatAlertValue(double value, const std::string& unit);

}  // namespace lanwatch
