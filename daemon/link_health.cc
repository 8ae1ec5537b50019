#include "daemon/link_health.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "config/units.h"

namespace lanwatch {
namespace {

void Raise(LinkStatus& link, Severity severity, std::string problem) {
  link.severity = Worse(link.severity, severity);
  link.problems.push_back(std::move(problem));
}

// Words for a no_rate_reason, for the IT section rather than for a label.
std::string NoRateWords(std::string_view reason) {
  if (reason == no_rate::kFirstSample) return "no rate yet (first sample)";
  if (reason == no_rate::kNoCounters) return "no rate: the agent has no octet counters for it";
  if (reason == no_rate::kNotInLastWalk) return "no rate: missing from the last, incomplete poll";
  if (reason == discontinuity::kAmbiguousWraps)
    return "no rate: 32-bit counters read too far apart to tell how often they wrapped";
  return fmt::format("no rate this interval ({})", reason.empty() ? "unknown" : reason);
}

}  // namespace

OperState ClassifyOperStatus(int s) {
  switch (s) {
    case 1:
      return OperState::kUp;
    case 3:
      return OperState::kTesting;
    case 2:
    case 5:
    case 6:
    case 7:
      return OperState::kDown;
    default:
      return OperState::kUnknown;
  }
}

LinkStatus EvaluateLink(const LinkConfig& link, const DeviceStatus* device,
                        const InterfaceStatus* iface) {
  LinkStatus out;
  out.name = link.name;
  out.kind = std::string(ToString(link.kind));
  out.device = link.device;
  out.interface = link.interface.value;
  out.thresholds = link.thresholds;
  out.capacity_bps = link.capacity_bps;
  out.severity = Severity::kOk;
  if (!device || !device->polled) {
    Raise(out, Severity::kUnknown, fmt::format("{} not polled yet", link.device));
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
  if (!out.capacity_bps && iface->speed_bps > 0) {
    out.capacity_bps = static_cast<double>(iface->speed_bps);
  }
  out.in_bps = iface->receive_bps;
  out.out_bps = iface->transmit_bps;
  out.errors_per_second = iface->errors_per_second;
  out.discards_per_second = iface->discards_per_second;
  if (auto packets = device->packets.find(iface->index); packets != device->packets.end()) {
    out.packets = packets->second;
  }
  if (out.capacity_bps && *out.capacity_bps > 0) {
    if (out.in_bps) out.in_utilization = *out.in_bps / *out.capacity_bps;
    if (out.out_bps) out.out_utilization = *out.out_bps / *out.capacity_bps;
  }
  switch (ClassifyOperStatus(iface->oper_status)) {
    case OperState::kUp:
      break;
    case OperState::kDown:
      // Shut on purpose: worth knowing, not an outage.
      if (!out.admin_up) {
        Raise(out, Severity::kWarning, fmt::format("{} is administratively down", iface->name));
      } else {
        Raise(out, Severity::kCritical,
              iface->oper_status == 2
                  ? fmt::format("{} is down", iface->name)
                  : fmt::format("{} is down (ifOperStatus {})", iface->name, iface->oper_status));
      }
      return out;
    case OperState::kTesting:
      Raise(out, Severity::kWarning, fmt::format("{} is in test mode", iface->name));
      return out;
    case OperState::kUnknown:
      Raise(out, Severity::kUnknown,
            fmt::format("{}: the agent reports its state as unknown ({})", iface->name,
                        iface->oper_status));
      return out;
  }
  // Up, but blind: say so rather than OK.
  if (!out.in_bps || !out.out_bps)
    Raise(out, Severity::kUnknown, NoRateWords(iface->no_rate_reason));
  const LinkThresholds& t = link.thresholds;
  double peak = std::max(out.in_utilization.value_or(0), out.out_utilization.value_or(0));
  if (out.capacity_bps && (peak >= t.utilization_critical || peak >= t.utilization_warning)) {
    Raise(out, peak >= t.utilization_critical ? Severity::kCritical : Severity::kWarning,
          fmt::format("utilization {:.0f}% of {}", peak * 100, FormatBitRate(*out.capacity_bps)));
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

void ApplyFiberVerdict(LinkStatus& link) {
  const FiberStatus& f = link.fiber;
  switch (f.state) {
    case FiberState::kOk:
    case FiberState::kUnknown:
      return;
    case FiberState::kNoLight:
      Raise(link, Severity::kCritical, "no light: fiber cut or far-end laser off");
      return;
    case FiberState::kLightButDown:
      Raise(link, Severity::kCritical,
            "light arrives but the link is down: our transmit fiber, or the far port is off");
      return;
    case FiberState::kDegraded:
      break;
  }
  std::string rx = f.rx_dbm ? fmt::format("Rx {:.1f} dBm", *f.rx_dbm) : "Rx";
  if (f.reason == fiber_reason::kBelowBaseline && f.baseline_dbm && f.rx_dbm) {
    Raise(link, Severity::kWarning,
          fmt::format("fiber degraded: {}, {:.1f} dB below its usual {:.1f} dBm", rx,
                      *f.baseline_dbm - *f.rx_dbm, *f.baseline_dbm));
  } else if (f.reason == fiber_reason::kBelowLowWarning && f.rx_low_warning_dbm) {
    Raise(link, Severity::kWarning,
          fmt::format("fiber degraded: {}, below the module's low warning {:.1f} dBm", rx,
                      *f.rx_low_warning_dbm));
  } else {
    Raise(link, Severity::kWarning, "fiber degraded: errors rising");
  }
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
  for (const ServiceStatus& s : status.services) worst = Worse(worst, s.severity);
  return worst;
}

}  // namespace lanwatch
