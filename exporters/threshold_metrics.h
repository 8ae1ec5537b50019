// What the Prometheus side needs to judge as lanwatch does: each link's own alert thresholds
// (lanwatch_link_threshold) and each device's place in the topology
// (lanwatch_device_topology_info, lanwatch_service_info). Dashboards draw the thresholds; the rules
// in deploy/prometheus compare with them and join the parent into every alert, so that
// Alertmanager's inhibition can follow the topology. Plain functions of a snapshot.
#pragma once

#include <prometheus/client_metric.h>

#include <vector>

#include "daemon/network_status.h"

namespace lanwatch {

struct GaugeSample {
  std::vector<prometheus::ClientMetric::Label> labels;
  double value = 0;
};

// {link, measure, level}: measure utilization (ratio), errors and discards (per second),
// fiber_drop_db (dB below the baseline, warning only), and for a link with a peer
// far_end_loss (ratio) and far_end_rtt_seconds; level warning or critical.
std::vector<GaugeSample> LinkThresholdSamples(const LinkStatus& link);

// {device, role, parent}: present for every configured device, reachable or not (a join
// must still work while the device is down); parent is absent for a device at the root.
std::vector<prometheus::ClientMetric::Label> DeviceTopologyLabels(const DeviceStatus& device);

// {service, device}: the device that serves it, else "services", as lanwatch's own service
// alerts are keyed and grouped.
std::vector<prometheus::ClientMetric::Label> ServiceTopologyLabels(const ServiceStatus& service);

}  // namespace lanwatch
