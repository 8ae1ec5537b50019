// The uplink's verdict (UplinkVerdict in network_status.h): who is at fault when the one line
// to the ISP misbehaves. Pure: from the link's status, its router's poll and the probes.
#pragma once

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
inline constexpr const char* kPeerLoss = "peer_loss";
inline constexpr const char* kBeyondLoss = "beyond_loss";
inline constexpr const char* kNoProbes = "no_probes";  // nothing measured yet
}  // namespace uplink_reason

// `router`: the uplink's device in the snapshot (null: not polled yet); `probes`: the
// snapshot's probe targets (those of this link are used).
UplinkStatus JudgeUplink(const LinkConfig& config, const LinkStatus& link,
                         const DeviceStatus* router, const std::vector<ProbeTargetStatus>& probes);

}  // namespace lanwatch
