// Folds the probes and service checks into the snapshot the daemon decides on: each link's
// far end (`far_end`), the uplink's verdict, and their weight in the link's severity and
// problems ("far end 198.18.1.101: 20% lost over 10 s"). Called on every snapshot, after
// status.probes and status.services are filled.
#pragma once

#include "config/config.h"
#include "daemon/network_status.h"
#include "daemon/uplink_verdict.h"

namespace lanwatch {

// `saturation`: when each uplink was last full, kept across calls (the daemon's); null for a
// one-shot judgement.
void ApplyReachability(NetworkStatus& status, const Config& config,
                       SaturationMemory* saturation = nullptr);

// The worst a service's last check says, against its config: critical (or its
// down_severity) when down, the cert levels when its certificate expires soon.
Severity ServiceSeverity(const ServiceStatus& service, const ServiceConfig& config);

// How near expiry `days_left` is against the service's cert_* settings: critical from
// cert_critical_days, cert_severity from cert_warning_days; OK when cert_severity is none.
Severity CertSeverity(int days_left, const ServiceConfig& config);

}  // namespace lanwatch
