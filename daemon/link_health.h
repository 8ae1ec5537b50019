// How healthy a configured link is: down, saturated, erroring, blind (no rate), or its
// device unreachable. One function so that `lanwatch check`, the metrics and alert rules
// all agree.
#pragma once

#include "config/config.h"
#include "daemon/network_status.h"

namespace lanwatch {

// What ifOperStatus means for a link that should carry traffic. up(1) is up. down(2),
// dormant(5), notPresent(6) and lowerLayerDown(7) carry nothing: a fiber that is "dormant"
// or whose transceiver is "notPresent" is as cut as one that says down. testing(3) carries
// no user traffic but is someone's deliberate act: a warning. unknown(4): UNKNOWN.
enum class OperState { kUp, kDown, kTesting, kUnknown };
OperState ClassifyOperStatus(int if_oper_status);

// `device` may be null (unknown) and `iface` null (device down or selector matched nothing).
LinkStatus EvaluateLink(const LinkConfig& link, const DeviceStatus* device,
                        const InterfaceStatus* iface);

// Adds what `link.fiber` says (already judged) to the link's severity and problems: a
// degraded fiber is a warning; no light and light-but-down explain a link that is down.
void ApplyFiberVerdict(LinkStatus& link);

// The worst of the devices', links' and services' severities, by Rank(): the whole network.
Severity OverallSeverity(const NetworkStatus& status);

}  // namespace lanwatch
