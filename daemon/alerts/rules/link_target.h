// What the link rules share: finding each configured link's status and interface in the
// snapshot, and judging a measured value against warning/critical thresholds with hysteresis.
#pragma once

#include <functional>
#include <optional>

#include "daemon/alerts/rule.h"

namespace lanwatch {

// One configured link as the rules see it this round.
struct LinkTarget {
  const LinkConfig& config;
  const LinkStatus& status;
  const DeviceStatus* device;    // null: not in the snapshot
  const InterfaceStatus* iface;  // null: device down or no such interface
  // The device answered and the interface is there: link rules can judge it.
  bool measurable() const { return device && device->up && iface; }
};

// Calls `each` for every configured link that has a status in the snapshot.
void ForEachLink(const RuleInput& in, const std::function<void(const LinkTarget&)>& each);

// An observation for `rule` on the link, judged = false and level OK.
Observation LinkObservation(const LinkTarget& link, const char* rule);

// Judges `value` against warning and critical: the level it reaches, and whether it still
// holds above the clear line (`clear` of the warning threshold: a margin below, or a ratio).
struct ThresholdJudgement {
  double warning, critical;
  double clear_line;  // below it a firing alert resolves
};
void Judge(Observation& o, double value, const ThresholdJudgement& t);

// The `for` of a far end's (or the uplink's ISP side's) loss, held at least one probe window:
// after a cut is mended, a flap ends or a flood stops, the window still holds the outage's lost
// probes for a window's length, which are no news of their own.
std::chrono::milliseconds FarEndLossHold(std::chrono::milliseconds configured,
                                         const Config& config);
// The `for` of an unreachable far end, held at least one poll interval: a port cut between two
// polls loses every probe at once, and the next poll sees the port down, whose alert tells it.
std::chrono::milliseconds FarEndUnreachableHold(std::chrono::milliseconds configured,
                                                const Config& config);

}  // namespace lanwatch
