#include "daemon/reachability.h"

#include "config/listen_address.h"

namespace lanwatch {

std::vector<ProbeTargetSpec> ProbeTargets(const Config& config) {
  std::vector<ProbeTargetSpec> targets;
  for (const LinkConfig& link : config.links) {
    if (!link.peer.empty()) targets.push_back({link.peer, link.name, probe_role::kPeer});
    if (link.kind != LinkKind::kUplink) continue;
    if (!link.beyond.empty()) targets.push_back({link.beyond, link.name, probe_role::kBeyond});
    // The router itself, so that "router down" is not only "its SNMP agent is down".
    const DeviceConfig* router = config.FindDevice(link.device);
    if ((!link.peer.empty() || !link.beyond.empty()) && router && IsIpLiteral(router->address)) {
      std::string address = router->address;  // "[2001:db8::1]" is probed as 2001:db8::1
      if (address.starts_with('[') && address.ends_with(']')) {
        address = address.substr(1, address.size() - 2);
      }
      targets.push_back({address, link.name, probe_role::kRouter});
    }
  }
  return targets;
}

ReachabilityMonitor::ReachabilityMonitor(std::vector<ProbeTargetSpec> targets,
                                         const ProbeSettings& settings)
    : targets_(std::move(targets)), settings_(settings) {
  for (const ProbeTargetSpec& t : targets_) {
    windows_.try_emplace(t.address, std::chrono::duration_cast<Clock::duration>(settings.window));
  }
}

ReachabilityMonitor::~ReachabilityMonitor() { prober_.reset(); }

std::expected<std::unique_ptr<ReachabilityMonitor>, Error> ReachabilityMonitor::Open(
    const Config& config) {
  auto monitor = std::make_unique<ReachabilityMonitor>(ProbeTargets(config), config.probes);
  if (monitor->targets_.empty()) return monitor;
  std::vector<IcmpTarget> targets;
  for (const auto& [address, window] : monitor->windows_) {
    targets.push_back({address, config.probes.interval});
  }
  IcmpProberOptions options;
  options.timeout = config.probes.timeout;
  switch (config.probes.mode) {
    case ProbeSocketMode::kAuto:
      options.mode = IcmpProberOptions::Mode::kAuto;
      break;
    case ProbeSocketMode::kDatagram:
      options.mode = IcmpProberOptions::Mode::kDatagram;
      break;
    case ProbeSocketMode::kRaw:
      options.mode = IcmpProberOptions::Mode::kRaw;
      break;
  }
  auto prober = IcmpProber::Open(targets, options);
  if (!prober) {
    return std::unexpected(prober.error().context(
        "echo probes of " + std::to_string(targets.size()) + " targets not started"));
  }
  monitor->prober_ = std::move(*prober);
  return monitor;
}

void ReachabilityMonitor::Start() {
  if (prober_) prober_->Start([this](const ProbeResult& result) { Record(result); });
}

std::string ReachabilityMonitor::mode() const { return prober_ ? prober_->mode() : ""; }

void ReachabilityMonitor::Record(const ProbeResult& result) {
  std::lock_guard lock(mutex_);
  auto window = windows_.find(result.target);
  if (window == windows_.end()) return;
  // An ICMP error (unreachable) is a lost probe, as for ping's loss figure.
  std::optional<std::chrono::nanoseconds> rtt;
  if (result.outcome == ProbeOutcome::kReply) rtt = result.rtt;
  window->second.Add(result.sent_steady, rtt);
}

std::vector<ProbeTargetStatus> ReachabilityMonitor::Snapshot(
    std::optional<Clock::time_point> at) const {
  std::vector<ProbeTargetStatus> out;
  out.reserve(targets_.size());
  std::lock_guard lock(mutex_);
  const Clock::time_point now = at.value_or(Clock::now());
  for (const ProbeTargetSpec& t : targets_) {
    const ProbeWindow& window = windows_.find(t.address)->second;
    ProbeTargetStatus s;
    s.target = t.address;
    s.link = t.link;
    s.role = t.role;
    s.window = window.Summary(now);
    s.window_length = settings_.window;
    s.sent_total = window.sent_total();
    s.lost_total = window.lost_total();
    s.histogram = window.histogram();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace lanwatch
