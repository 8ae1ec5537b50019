// The uplink's verdict (UplinkVerdict in network_status.h): who is at fault when the one line
// to the ISP misbehaves. Pure: from the link's status, its router's poll and the probes.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/network_status.h"

namespace lanwatch {

namespace uplink_reason {
inline constexpr const char* kRouterUnreachable = "router_unreachable";  // SNMP and echo fail
inline constexpr const char* kPortDown = "port_down";                    // the WAN port is down
inline constexpr const char* kPeerAndBeyondLost = "peer_and_beyond_lost";
inline constexpr const char* kPeerLost = "peer_lost";      // no beyond configured
inline constexpr const char* kBeyondLost = "beyond_lost";  // the next hop answers, or none
inline constexpr const char* kUtilization = "utilization";
// Full within the last probe window: the window's loss is still the flood's.
inline constexpr const char* kRecentlyFull = "recently_full";
inline constexpr const char* kPeerLoss = "peer_loss";
inline constexpr const char* kBeyondLoss = "beyond_loss";
inline constexpr const char* kNoProbes = "no_probes";  // nothing measured yet
}  // namespace uplink_reason

// `router`: the uplink's device in the snapshot (null: not polled yet); `probes`: the
// snapshot's probe targets (those of this link are used).
// `since_full`: how long ago the line was last seen full (SaturationMemory), if ever; within a
// probe window (`window`) it is still `saturated`.
UplinkStatus JudgeUplink(const LinkConfig& config, const LinkStatus& link,
                         const DeviceStatus* router, const std::vector<ProbeTargetStatus>& probes,
                         std::optional<std::chrono::milliseconds> since_full = std::nullopt,
                         std::chrono::milliseconds window = std::chrono::seconds(10));

// When each uplink was last seen full (utilization at or above its warning), across rounds:
// a flood's own loss stays in the probe window for a window after the flood, and is no ISP's.
class SaturationMemory {
 public:
  using WallClock = std::chrono::system_clock;
  void Note(const std::string& link, WallClock::time_point at) { last_full_[link] = at; }
  std::optional<std::chrono::milliseconds> SinceFull(const std::string& link,
                                                     WallClock::time_point now) const {
    auto it = last_full_.find(link);
    if (it == last_full_.end()) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(now - it->second);
  }

 private:
  std::map<std::string, WallClock::time_point> last_full_;
};

}  // namespace lanwatch
