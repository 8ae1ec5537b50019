#include "daemon/link_health.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/units.h"

namespace lanwatch {
namespace {

// Severity's values are Nagios exit codes; as urgency, CRITICAL outranks UNKNOWN.
int Urgency(Severity s) {
  switch (s) {
    case Severity::kOk:
      return 0;
    case Severity::kWarning:
      return 1;
    case Severity::kUnknown:
      return 2;
    case Severity::kCritical:
      return 3;
  }
  return 3;
}

Severity Worse(Severity a, Severity b) { return Urgency(a) >= Urgency(b) ? a : b; }

void Raise(LinkStatus& link, Severity severity, std::string problem) {
  link.severity = Worse(link.severity, severity);
  link.problems.push_back(std::move(problem));
}

}  // namespace

LinkStatus EvaluateLink(const LinkConfig& link, const DeviceStatus* device,
                        const InterfaceStatus* iface) {
  LinkStatus out;
  out.name = link.name;
  out.kind = std::string(ToString(link.kind));
  out.device = link.device;
  out.interface = link.interface.value;
  out.severity = Severity::kOk;
  if (!device || !device->polled) {
    out.severity = Severity::kUnknown;
    out.problems.push_back(fmt::format("{} not polled yet", link.device));
    return out;
  }
  if (!device->up) {
    Raise(out, Severity::kCritical, fmt::format("{} unreachable: {}", link.device, device->error));
    return out;
  }
  if (!iface) {
    Raise(out, Severity::kCritical,
          fmt::format("no interface with {} '{}' on {}", ToString(link.interface.key),
                      link.interface.value, link.device));
    return out;
  }
  out.found = true;
  out.interface = iface->name;
  out.up = iface->oper_up;
  out.admin_up = iface->admin_up;
  out.speed_bps = iface->speed_bps;
  out.capacity_bps = link.capacity_bps.value_or(static_cast<double>(iface->speed_bps));
  out.in_bps = iface->receive_bps;
  out.out_bps = iface->transmit_bps;
  out.errors_per_second = iface->errors_per_second;
  if (out.capacity_bps > 0) {
    if (out.in_bps) out.in_utilization = *out.in_bps / out.capacity_bps;
    if (out.out_bps) out.out_utilization = *out.out_bps / out.capacity_bps;
  }
  if (!out.up) {
    Raise(out, Severity::kCritical,
          fmt::format("{} is down{}", iface->name, out.admin_up ? "" : " (administratively)"));
    return out;
  }
  const LinkThresholds& t = link.thresholds;
  double peak = std::max(out.in_utilization.value_or(0), out.out_utilization.value_or(0));
  if (peak >= t.utilization_critical || peak >= t.utilization_warning) {
    Raise(out, peak >= t.utilization_critical ? Severity::kCritical : Severity::kWarning,
          fmt::format("utilization {:.0f}% of {}", peak * 100, FormatBitRate(out.capacity_bps)));
  }
  if (out.errors_per_second) {
    double e = *out.errors_per_second;
    if (e >= t.errors_critical || (e >= t.errors_warning && e > 0)) {
      Raise(out, e >= t.errors_critical ? Severity::kCritical : Severity::kWarning,
            fmt::format("{:.2f} errors/s", e));
    }
  }
  return out;
}

Severity OverallSeverity(const NetworkStatus& status) {
  Severity worst = Severity::kOk;
  for (const DeviceStatus& d : status.devices) {
    if (!d.polled)
      worst = Worse(worst, Severity::kUnknown);
    else if (!d.up)
      worst = Worse(worst, Severity::kCritical);
  }
  for (const LinkStatus& l : status.links) worst = Worse(worst, l.severity);
  return worst;
}

}  // namespace lanwatch
