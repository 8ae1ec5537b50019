// The one-shot health check behind `lanwatch check`: two polling rounds `sample` apart, the
// same loop as the daemon, and a snapshot with rates and severities.
#pragma once

#include <chrono>

#include "config/config.h"
#include "daemon/network_status.h"

namespace lanwatch {

// Devices unreachable in the first round are not asked again, so that with every device
// down the check returns within timeout x (retries + 1) plus a little.
NetworkStatus RunHealthCheck(const Config& config, std::chrono::milliseconds sample);

}  // namespace lanwatch
