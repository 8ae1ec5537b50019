// How healthy a configured link is: down, saturated, erroring or its device unreachable.
// One function so that `lanwatch check`, the metrics and alert rules all agree.
#pragma once

#include "config/config.h"
#include "exporters/network_status.h"

namespace lanwatch {

// `device` may be null (unknown) and `iface` null (device down or selector matched nothing).
LinkStatus EvaluateLink(const LinkConfig& link, const DeviceStatus* device,
                        const InterfaceStatus* iface);

// The worst of the devices' and links' severities: the Nagios status of the whole network.
Severity OverallSeverity(const NetworkStatus& status);

}  // namespace lanwatch
