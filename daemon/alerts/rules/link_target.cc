#include "daemon/alerts/rules/link_target.h"

#include <algorithm>

#include "daemon/network_state.h"

namespace lanwatch {

void ForEachLink(const RuleInput& in, const std::function<void(const LinkTarget&)>& each) {
  for (const LinkConfig& config : in.config.links) {
    const LinkStatus* status = nullptr;
    for (const LinkStatus& l : in.status.links) {
      if (l.name == config.name) status = &l;
    }
    if (!status) continue;
    const DeviceStatus* device = in.status.FindDevice(config.device);
    const InterfaceStatus* iface =
        device && device->up ? FindInterface(*device, config.interface) : nullptr;
    each(LinkTarget{config, *status, device, iface});
  }
}

Observation LinkObservation(const LinkTarget& link, const char* rule) {
  Observation o;
  o.key = {rule, link.config.device, link.config.name};
  o.judged = false;
  if (link.iface) o.facts.interface = link.iface->name;
  o.facts.capacity_bps = link.status.capacity_bps;
  return o;
}

void Judge(Observation& o, double value, const ThresholdJudgement& t) {
  o.judged = true;
  o.facts.value = value;
  if (value >= t.critical) {
    o.level = Severity::kCritical;
    o.facts.threshold = t.critical;
  } else if (value >= t.warning) {
    o.level = Severity::kWarning;
    o.facts.threshold = t.warning;
  } else {
    o.level = Severity::kOk;
    o.facts.threshold = t.warning;
  }
  o.holds = value >= t.clear_line && value > 0;
}

std::chrono::milliseconds FarEndLossHold(std::chrono::milliseconds configured,
                                         const Config& config) {
  return std::max(configured, config.probes.window);
}

std::chrono::milliseconds FarEndUnreachableHold(std::chrono::milliseconds configured,
                                                const Config& config) {
  return std::max(configured, config.poll_interval);
}

}  // namespace lanwatch
