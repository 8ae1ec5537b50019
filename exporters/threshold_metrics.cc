#include "exporters/threshold_metrics.h"

#include "daemon/alerts/alert.h"

namespace lanwatch {

std::vector<GaugeSample> LinkThresholdSamples(const LinkStatus& link) {
  const LinkThresholds& t = link.thresholds;
  struct Row {
    const char* measure;
    const char* level;
    double value;
  };
  std::vector<Row> rows = {
      {"utilization", "warning", t.utilization_warning},
      {"utilization", "critical", t.utilization_critical},
      {"errors", "warning", t.errors_warning},
      {"errors", "critical", t.errors_critical},
      {"discards", "warning", t.discards_warning},
      {"discards", "critical", t.discards_critical},
      // Degraded is a warning only; no light needs no threshold (the module says so).
      {"fiber_drop_db", "warning", t.fiber_drop_db},
  };
  // Far-end thresholds mean nothing without a peer to probe: no series to clutter a panel.
  if (!link.peer.empty()) {
    rows.push_back({"far_end_loss", "warning", t.far_end_loss_warning});
    rows.push_back({"far_end_loss", "critical", t.far_end_loss_critical});
    rows.push_back({"far_end_rtt_seconds", "warning", t.far_end_rtt_warning});
    rows.push_back({"far_end_rtt_seconds", "critical", t.far_end_rtt_critical});
  }
  std::vector<GaugeSample> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    out.push_back({{{"link", link.name}, {"measure", r.measure}, {"level", r.level}}, r.value});
  }
  return out;
}

std::vector<prometheus::ClientMetric::Label> DeviceTopologyLabels(const DeviceStatus& device) {
  // An empty value is an absent label to Prometheus; written as such, it reads the same in
  // the exposition and in the rules.
  std::vector<prometheus::ClientMetric::Label> labels = {{"device", device.name},
                                                         {"role", device.role}};
  if (!device.parent.empty()) labels.push_back({"parent", device.parent});
  return labels;
}

std::vector<prometheus::ClientMetric::Label> ServiceTopologyLabels(const ServiceStatus& service) {
  return {{"service", service.name},
          {"device", service.device.empty() ? kServicesDevice : service.device}};
}

}  // namespace lanwatch
