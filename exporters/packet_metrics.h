// The links' HC packet counters as Prometheus families:
// lanwatch_link_{receive,transmit}_packets_total{link, cast=unicast|multicast|broadcast}.
// Beside the status collector's catalogue rather than in it: both families are always present
// (HELP and TYPE), a series only where the link's agent has that counter.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

#include "daemon/network_status.h"

namespace lanwatch {

// Appends the two packet families for `status`'s links to `families`; returns them.
std::vector<prometheus::MetricFamily> WithPacketFamilies(
    std::vector<prometheus::MetricFamily> families, const NetworkStatus& status);

}  // namespace lanwatch
