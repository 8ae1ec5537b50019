// ElementState: severity first, then whether something else already explains it (an
// unreachable device on the way, a silence). Folded alerts (flapping, no light) are still told.
#include "daemon/element_state.h"

#include <algorithm>
#include <string>

namespace lanwatch {
namespace {

bool Unreachable(const DeviceStatus* d) { return d != nullptr && d->polled && !d->up; }

// Whether `name`, or a device it is reached through (its parents), is unreachable. Stops at a
// loop in the parents, which the config loader rejects anyway.
bool ReachedThroughUnreachable(std::string_view name, const NetworkStatus& status,
                               const Config& config, bool include_self) {
  std::string current(name);
  for (size_t hops = 0; hops <= config.devices.size() && !current.empty(); ++hops) {
    if ((include_self || hops > 0) && Unreachable(status.FindDevice(current))) return true;
    const DeviceConfig* d = config.FindDevice(current);
    if (d == nullptr) return false;
    current = d->parent;
  }
  return false;
}

bool Active(const AlertRecord& r) {
  return r.phase == AlertPhase::kPending || r.phase == AlertPhase::kFiring;
}

// Held back by something that tells it elsewhere: a silence or an unreachable device. Folded
// alerts ("flapping", "no_light", ...) are told in the alert they folded into: not held back.
bool HeldBack(const AlertRecord& r) {
  return r.suppressed_by.starts_with("silence:") || r.suppressed_by.starts_with("device:");
}

bool IsLinkRule(std::string_view rule) {
  return rule != rule::kCaptureMismatch && rule != rule::kCaptureDrops &&
         rule != rule::kServiceDown && rule != rule::kCertExpiring &&
         rule != rule::kReceiverFailing;
}

// Of the element's own active alerts: whether there are any, and whether every one is held back.
struct OwnAlerts {
  int active = 0, held_back = 0;
  Severity worst = Severity::kOk;
  bool AllHeldBack() const { return active > 0 && held_back == active; }
};

template <typename Match>
OwnAlerts Collect(const AlertingStatus* alerting, Match match) {
  OwnAlerts own;
  if (alerting == nullptr) return own;
  for (const AlertRecord& r : alerting->records) {
    if (!Active(r) || !match(r.key)) continue;
    ++own.active;
    if (HeldBack(r)) ++own.held_back;
    if (r.phase == AlertPhase::kFiring) own.worst = Worse(own.worst, r.severity);
  }
  return own;
}

ElementState FromSeverity(Severity s) {
  switch (s) {
    case Severity::kOk:
      return ElementState::kOk;
    case Severity::kWarning:
      return ElementState::kWarning;
    case Severity::kCritical:
      return ElementState::kCritical;
    case Severity::kUnknown:
      break;
  }
  return ElementState::kUnknown;
}

}  // namespace

std::string_view ToString(ElementState s) {
  switch (s) {
    case ElementState::kOk:
      return "ok";
    case ElementState::kWarning:
      return "warning";
    case ElementState::kCritical:
      return "critical";
    case ElementState::kUnknown:
      return "unknown";
    case ElementState::kSuppressed:
      return "suppressed";
  }
  return "unknown";
}

ElementState LinkElementState(const LinkStatus& link, const NetworkStatus& status,
                              const Config& config, const AlertingStatus* alerting) {
  if (link.severity == Severity::kOk) return ElementState::kOk;
  if (ReachedThroughUnreachable(link.device, status, config, /*include_self=*/true)) {
    return ElementState::kSuppressed;
  }
  OwnAlerts own = Collect(alerting, [&](const AlertKey& k) {
    return k.link == link.name && k.device == link.device && IsLinkRule(k.rule);
  });
  if (own.AllHeldBack()) return ElementState::kSuppressed;
  return FromSeverity(link.severity);
}

ElementState DeviceElementState(const DeviceStatus& device, const NetworkStatus& status,
                                const Config& config, const AlertingStatus* alerting) {
  const bool behind_unreachable =
      ReachedThroughUnreachable(device.name, status, config, /*include_self=*/false);
  OwnAlerts own = Collect(
      alerting, [&](const AlertKey& k) { return k.device == device.name && k.link.empty(); });
  Severity severity = !device.polled ? Severity::kUnknown
                      : !device.up   ? Severity::kCritical
                                     : own.worst;
  if (severity == Severity::kOk) return ElementState::kOk;
  if (behind_unreachable || own.AllHeldBack()) return ElementState::kSuppressed;
  return FromSeverity(severity);
}

ElementState ServiceElementState(const ServiceStatus& service, const NetworkStatus& status,
                                 const Config& config, const AlertingStatus* alerting) {
  if (service.severity == Severity::kOk) return ElementState::kOk;
  if (!service.device.empty() &&
      ReachedThroughUnreachable(service.device, status, config, /*include_self=*/true)) {
    return ElementState::kSuppressed;
  }
  OwnAlerts own = Collect(alerting, [&](const AlertKey& k) {
    return k.link == service.name &&
           (k.rule == rule::kServiceDown || k.rule == rule::kCertExpiring);
  });
  if (own.AllHeldBack()) return ElementState::kSuppressed;
  return FromSeverity(service.severity);
}

}  // namespace lanwatch
