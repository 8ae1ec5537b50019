#include "daemon/reachability_health.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/units.h"
#include "daemon/alerts/rule.h"
#include "daemon/far_end_silence.h"
#include "daemon/uplink_verdict.h"

namespace lanwatch {
namespace {

void Raise(Severity& severity, std::vector<std::string>& problems, Severity level,
           std::string problem) {
  if (level == Severity::kOk) return;
  severity = Worse(severity, level);
  problems.push_back(std::move(problem));
}

std::string Milliseconds(double seconds) {
  return seconds < 0.01 ? fmt::format("{:.2f} ms", seconds * 1000)
                        : fmt::format("{:.0f} ms", seconds * 1000);
}

// The far end's window against the link's thresholds; only while the port carries traffic
// (a down port is its own, louder problem).
void JudgeFarEnd(LinkStatus& link, const LinkThresholds& t, std::chrono::milliseconds window) {
  if (!link.far_end || !EnoughProbes(*link.far_end) || !link.found || !link.up) return;
  const WindowSummary& w = *link.far_end;
  const double loss = w.loss_ratio.value_or(0);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(window);
  if (FarEndSilent(w)) {
    Raise(link.severity, link.problems, ToSeverity(t.far_end_unreachable_severity),
          w.lost == w.sent ? fmt::format("far end {} does not answer: {} of {} probes lost in {}",
                                         link.peer, w.lost, w.sent, FormatDuration(secs))
                           : fmt::format("far end {} does not answer: the last {} probes lost",
                                         link.peer, w.trailing_lost));
    return;
  }
  if (loss >= t.far_end_loss_warning) {
    Raise(link.severity, link.problems,
          loss >= t.far_end_loss_critical ? Severity::kCritical : Severity::kWarning,
          fmt::format("far end {}: {} of probes lost in {}", link.peer, FormatPercent(loss),
                      FormatDuration(secs)));
  }
  if (w.rtt_median_seconds && *w.rtt_median_seconds >= t.far_end_rtt_warning) {
    Raise(
        link.severity, link.problems,
        *w.rtt_median_seconds >= t.far_end_rtt_critical ? Severity::kCritical : Severity::kWarning,
        fmt::format("far end {}: median round trip {}", link.peer,
                    Milliseconds(*w.rtt_median_seconds)));
  }
}

void ApplyUplinkVerdict(LinkStatus& link, const LinkThresholds& t) {
  const UplinkStatus& u = *link.uplink;
  switch (u.verdict) {
    case UplinkVerdict::kIspDown:
      if (u.reason == uplink_reason::kPortDown) return;  // "wan0 is down" already says it
      Raise(link.severity, link.problems, ToSeverity(t.far_end_unreachable_severity),
            "ISP side down: nothing past the router answers (call the ISP)");
      return;
    case UplinkVerdict::kIspLoss: {
      const bool beyond = u.reason == uplink_reason::kBeyondLoss;
      const double loss = (beyond ? u.beyond_loss : u.peer_loss).value_or(0);
      Raise(link.severity, link.problems,
            loss >= t.far_end_loss_critical ? Severity::kCritical : Severity::kWarning,
            fmt::format("ISP side losing packets: {} to {} (call the ISP)", FormatPercent(loss),
                        beyond ? "the host beyond" : "the ISP's next hop"));
      return;
    }
    case UplinkVerdict::kRouterDown:
    case UplinkVerdict::kSaturated:  // the device and utilization problems say these
    case UplinkVerdict::kOk:
    case UplinkVerdict::kUnknown:
      return;
  }
}

const ProbeTargetStatus* PeerProbe(const NetworkStatus& status, const std::string& link) {
  for (const ProbeTargetStatus& p : status.probes) {
    if (p.link == link && p.role == probe_role::kPeer) return &p;
  }
  return nullptr;
}

}  // namespace

Severity CertSeverity(int days_left, const ServiceConfig& config) {
  const Severity warning = ToSeverity(config.cert_severity);
  if (warning == Severity::kOk) return Severity::kOk;  // cert_severity none: not judged
  if (days_left <= config.cert_critical_days) return Severity::kCritical;
  if (days_left <= config.cert_warning_days) return warning;
  return Severity::kOk;
}

Severity ServiceSeverity(const ServiceStatus& service, const ServiceConfig& config) {
  if (!service.checked) return Severity::kUnknown;
  Severity worst = Severity::kOk;
  if (!service.last.up) worst = Worse(worst, ToSeverity(config.down_severity));
  if (service.target.starts_with("https://") && service.last.cert_days_left) {
    worst = Worse(worst, CertSeverity(*service.last.cert_days_left, config));
  }
  return worst;
}

void ApplyReachability(NetworkStatus& status, const Config& config, SaturationMemory* saturation) {
  for (LinkStatus& link : status.links) {
    const LinkConfig* lc = nullptr;
    for (const LinkConfig& c : config.links) {
      if (c.name == link.name) lc = &c;
    }
    if (!lc) continue;
    link.peer = lc->peer;
    if (const ProbeTargetStatus* p = PeerProbe(status, lc->name); p && !lc->peer.empty()) {
      link.far_end = p->window;
    }
    if (lc->kind == LinkKind::kUplink) {
      const double busier =
          std::max(link.in_utilization.value_or(0), link.out_utilization.value_or(0));
      if (saturation && busier >= lc->thresholds.utilization_warning) {
        saturation->Note(lc->name, status.taken_at);
      }
      link.uplink =
          JudgeUplink(*lc, link, status.FindDevice(lc->device), status.probes,
                      saturation ? saturation->SinceFull(lc->name, status.taken_at) : std::nullopt,
                      config.probes.window);
      ApplyUplinkVerdict(link, lc->thresholds);
    } else {
      JudgeFarEnd(link, lc->thresholds, config.probes.window);
    }
  }
  for (ServiceStatus& s : status.services) {
    const ServiceConfig* sc = nullptr;
    for (const ServiceConfig& c : config.services) {
      if (c.name == s.name) sc = &c;
    }
    if (!sc) continue;
    s.problems.clear();
    s.severity = ServiceSeverity(s, *sc);
    if (!s.checked) continue;
    if (!s.last.up) s.problems.push_back(fmt::format("{} is down: {}", s.name, s.last.error));
    if (s.last.cert_days_left && s.severity != Severity::kOk && s.last.up) {
      s.problems.push_back(
          fmt::format("{}'s certificate expires in {} days", s.name, *s.last.cert_days_left));
    }
  }
}

}  // namespace lanwatch
