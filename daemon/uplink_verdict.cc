#include "daemon/uplink_verdict.h"

#include <algorithm>

#include "daemon/far_end_silence.h"

namespace lanwatch {
namespace {

const ProbeTargetStatus* FindProbe(const std::vector<ProbeTargetStatus>& probes,
                                   const std::string& link, std::string_view role) {
  for (const ProbeTargetStatus& p : probes) {
    if (p.link == link && p.role == role) return &p;
  }
  return nullptr;
}

// Too few outcomes (a window just begun, a one-shot check) make no loss figure to judge by.
std::optional<double> Loss(const ProbeTargetStatus* p) {
  return p && EnoughProbes(p->window) ? p->window.loss_ratio : std::nullopt;
}

// Answers nothing now (far_end_silence.h).
bool Dark(const ProbeTargetStatus* p) { return p && FarEndSilent(p->window); }

}  // namespace

UplinkStatus JudgeUplink(const LinkConfig& config, const LinkStatus& link,
                         const DeviceStatus* router, const std::vector<ProbeTargetStatus>& probes,
                         std::optional<std::chrono::milliseconds> since_full,
                         std::chrono::milliseconds window) {
  const ProbeTargetStatus* router_probe = FindProbe(probes, config.name, probe_role::kRouter);
  const ProbeTargetStatus* peer = FindProbe(probes, config.name, probe_role::kPeer);
  const ProbeTargetStatus* beyond = FindProbe(probes, config.name, probe_role::kBeyond);
  UplinkStatus out;
  out.router_loss = Loss(router_probe);
  out.peer_loss = Loss(peer);
  out.beyond_loss = Loss(beyond);
  if (peer && peer->measured()) out.peer_rtt_median_seconds = peer->window.rtt_median_seconds;
  if (beyond && beyond->measured()) {
    out.beyond_rtt_median_seconds = beyond->window.rtt_median_seconds;
  }
  if (link.in_utilization || link.out_utilization) {
    out.utilization = std::max(link.in_utilization.value_or(0), link.out_utilization.value_or(0));
  }
  auto say = [&out](UplinkVerdict verdict, const char* reason) {
    out.verdict = verdict;
    out.reason = reason;
    return out;
  };

  // A router that answers echo but not SNMP is up: its agent is what failed.
  const bool router_silent = router && router->polled && !router->up;
  if (router_silent && (!router_probe || Dark(router_probe))) {
    return say(UplinkVerdict::kRouterDown, uplink_reason::kRouterUnreachable);
  }
  if (link.found && link.admin_up && !link.up) {
    return say(UplinkVerdict::kIspDown, uplink_reason::kPortDown);
  }
  const LinkThresholds& t = config.thresholds;
  // A full line drops and delays packets by itself, seconds of them in a row under a flood:
  // the bureau's own traffic, not the ISP. And for a window after it was last full, the
  // window's loss is still the flood's.
  if (out.utilization && *out.utilization >= t.utilization_warning) {
    return say(UplinkVerdict::kSaturated, uplink_reason::kUtilization);
  }
  if (since_full && *since_full < window) {
    return say(UplinkVerdict::kSaturated, uplink_reason::kRecentlyFull);
  }
  // Nothing past the ISP answers: the host beyond dark (whatever the next hop says: its
  // network is what the bureau pays for), or, without one, the next hop. A next hop that
  // ignores echo while the host beyond answers is the ISP's policy, not an outage.
  if (Dark(beyond)) {
    return say(UplinkVerdict::kIspDown,
               Dark(peer) ? uplink_reason::kPeerAndBeyondLost : uplink_reason::kBeyondLost);
  }
  if (!beyond && Dark(peer)) return say(UplinkVerdict::kIspDown, uplink_reason::kPeerLost);
  // The path's loss is the host beyond's where it is probed (end to end); the next hop's
  // alone only without one (routers rate-limit echo to themselves).
  if (out.beyond_loss && *out.beyond_loss >= t.far_end_loss_warning) {
    return say(UplinkVerdict::kIspLoss, uplink_reason::kBeyondLoss);
  }
  if (!beyond && out.peer_loss && *out.peer_loss >= t.far_end_loss_warning) {
    return say(UplinkVerdict::kIspLoss, uplink_reason::kPeerLoss);
  }
  const bool measured = (peer && peer->measured()) || (beyond && beyond->measured());
  if (!measured && !out.utilization) return say(UplinkVerdict::kUnknown, uplink_reason::kNoProbes);
  out.verdict = UplinkVerdict::kOk;
  return out;
}

}  // namespace lanwatch
