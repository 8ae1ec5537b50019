// ElementState: the colour of a link or a device on the status page, and what its
// `data-state` attribute says to scripts and tests. Severity says how bad it is; the alerts
// say whether someone has already been told why, elsewhere.
#pragma once

#include <string_view>

#include "config/config.h"
#include "daemon/alerts/alerting_status.h"
#include "daemon/network_status.h"

namespace lanwatch {

// kSuppressed: not OK, but explained by something else: the device it is on, or a device it is
// reached through, is unreachable (the device's alert tells it), or every alert of its own is
// silenced. Folded alerts (flapping, no light) are still told, so they never make a
// suppressed element.
enum class ElementState { kOk, kWarning, kCritical, kUnknown, kSuppressed };
std::string_view ToString(ElementState s);  // "ok", "warning", "critical", "unknown", "suppressed"

// `alerting` may be null (no alert engine, `lanwatch check`): then only severity and
// reachability decide.
ElementState LinkElementState(const LinkStatus& link, const NetworkStatus& status,
                              const Config& config, const AlertingStatus* alerting);
ElementState DeviceElementState(const DeviceStatus& device, const NetworkStatus& status,
                                const Config& config, const AlertingStatus* alerting);
// A service (`services:`): its severity, suppressed while the device that serves it (or one it
// is reached through) is unreachable, or when each of its alerts is silenced.
ElementState ServiceElementState(const ServiceStatus& service, const NetworkStatus& status,
                                 const Config& config, const AlertingStatus* alerting);

}  // namespace lanwatch
