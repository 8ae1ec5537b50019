// The device rules: unreachable (with everything that cannot be seen while it is down), and
// rebooted.
#include <map>
#include <set>

#include "daemon/alerts/rule.h"

namespace lanwatch {
namespace {

// Devices reached through `device` (its children, theirs, ...), in config order.
std::vector<const DeviceConfig*> Descendants(const Config& config, const std::string& device) {
  std::vector<const DeviceConfig*> out;
  std::set<std::string> below{device};
  for (bool grew = true; grew;) {
    grew = false;
    for (const DeviceConfig& d : config.devices) {
      if (!d.parent.empty() && below.contains(d.parent) && !below.contains(d.name)) {
        below.insert(d.name);
        grew = true;
      }
    }
  }
  for (const DeviceConfig& d : config.devices) {
    if (d.name != device && below.contains(d.name)) out.push_back(&d);
  }
  return out;
}

class DeviceUnreachableRule final : public AlertRule {
 public:
  std::string_view name() const override { return rule::kDeviceUnreachable; }

  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    for (const DeviceConfig& config : in.config.devices) {
      Observation o;
      o.key = {rule::kDeviceUnreachable, config.name, ""};
      o.hold_for = config.alerts.unreachable_for;
      const DeviceStatus* d = in.status.FindDevice(config.name);
      o.judged = d && d->polled;
      if (o.judged && !d->up) {
        o.level = ToSeverity(config.alerts.unreachable_severity);
        o.holds = o.level != Severity::kOk;
        o.facts.detail = d->error;
        std::vector<const DeviceConfig*> hidden = Descendants(in.config, config.name);
        std::set<std::string> devices{config.name};
        for (const DeviceConfig* h : hidden) {
          o.facts.affected_devices.push_back(h->name);
          devices.insert(h->name);
        }
        for (const LinkConfig& l : in.config.links) {
          if (devices.contains(l.device)) o.facts.affected_links.push_back(l.name);
        }
      }
      out.push_back(std::move(o));
    }
  }
};

// A reboot: the host's clock (hrSystemUptime) restarted, or, on a device without one, the
// agent's uptime did (the agent is then most likely the device's own OS). An agent restart on
// a device whose host clock carried on is only the agent: nothing to tell.
class DeviceRebootedRule final : public AlertRule {
 public:
  std::string_view name() const override { return rule::kDeviceRebooted; }

  void Evaluate(const RuleInput& in, std::vector<Observation>& out) override {
    std::map<std::string, uint64_t> counts;
    for (const DeviceConfig& config : in.config.devices) {
      const DeviceStatus* d = in.status.FindDevice(config.name);
      if (!d || !d->polled) continue;
      uint64_t reboots = d->discontinuities.value(discontinuity::kDeviceReboot);
      if (!d->host_clock) reboots += d->discontinuities.value(discontinuity::kAgentRestart);
      counts[config.name] = reboots;
      auto before = last_.find(config.name);
      Observation o;
      o.key = {rule::kDeviceRebooted, config.name, ""};
      o.event = true;
      if (before != last_.end() && reboots > before->second) {
        o.level = ToSeverity(config.alerts.reboot_severity);
        o.holds = o.level != Severity::kOk;
        if (d->uptime_seconds) {
          o.facts.value = *d->uptime_seconds;
          o.facts.unit = "seconds";
        }
        o.facts.detail = d->host_clock ? "host_clock" : "agent_clock";
      }
      out.push_back(std::move(o));
    }
    last_ = std::move(counts);
  }

 private:
  std::map<std::string, uint64_t> last_;  // reboots seen, by device
};

}  // namespace

std::unique_ptr<AlertRule> MakeDeviceUnreachableRule() {
  return std::make_unique<DeviceUnreachableRule>();
}
std::unique_ptr<AlertRule> MakeDeviceRebootedRule() {
  return std::make_unique<DeviceRebootedRule>();
}

}  // namespace lanwatch
