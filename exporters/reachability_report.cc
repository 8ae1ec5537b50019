#include "exporters/reachability_report.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "daemon/uplink_verdict.h"
#include "exporters/text_table.h"

namespace lanwatch {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string Milliseconds(const std::optional<double>& seconds) {
  return seconds ? fmt::format("{:.1f} ms", *seconds * 1000) : "-";
}

double Seconds(std::chrono::microseconds d) { return std::chrono::duration<double>(d).count(); }

// A stage's time is zero when the check did not get that far: null, not 0 s.
json StageSeconds(std::chrono::microseconds d) {
  return d.count() > 0 ? json(Seconds(d)) : json(nullptr);
}

// What the reason word says that the figures do not (uplink_reason).
std::string_view ReasonWords(const std::string& reason) {
  if (reason == uplink_reason::kRouterUnreachable)
    return "the router answers neither SNMP nor echo";
  if (reason == uplink_reason::kPortDown) return "the WAN port is down";
  if (reason == uplink_reason::kPeerAndBeyondLost)
    return "neither the ISP's hop nor the host beyond answers";
  if (reason == uplink_reason::kPeerLost) return "the ISP's hop answers nothing";
  if (reason == uplink_reason::kBeyondLost) return "the host beyond the ISP answers nothing";
  if (reason == uplink_reason::kNoProbes) return "nothing measured yet";
  return "";  // utilization, peer_loss, beyond_loss: the figures say it
}

std::string Iso8601(std::chrono::sys_seconds t) { return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", t); }

}  // namespace

UplinkVerdictWords WordsFor(UplinkVerdict verdict) {
  switch (verdict) {
    case UplinkVerdict::kOk:
      return {"the line and the ISP answer", ""};
    case UplinkVerdict::kSaturated:
      return {"the line is full: its loss and delay are the bureau's own traffic",
              "not the ISP: find who fills the line"};
    case UplinkVerdict::kIspLoss:
      return {"the ISP loses packets", "call the ISP"};
    case UplinkVerdict::kIspDown:
      return {"nothing past the router answers", "call the ISP"};
    case UplinkVerdict::kRouterDown:
      return {"the router does not answer", "check the router (power, cabling, console)"};
    case UplinkVerdict::kUnknown:
      break;
  }
  return {"not judged yet", ""};
}

std::string LossPercent(double ratio) { return fmt::format("{:.3g}%", ratio * 100); }

std::string UplinkLine(const LinkStatus& link) {
  if (!link.uplink) return "";
  const UplinkStatus& u = *link.uplink;
  std::vector<std::string> figures;
  if (std::string_view words = ReasonWords(u.reason); !words.empty()) {
    figures.emplace_back(words);
  }
  if (u.verdict == UplinkVerdict::kSaturated && u.utilization) {
    figures.push_back("utilization " + LossPercent(*u.utilization));
  }
  if (u.verdict == UplinkVerdict::kRouterDown && u.router_loss) {
    figures.push_back("loss to the router " + LossPercent(*u.router_loss));
  }
  if (u.peer_loss) figures.push_back("loss to the ISP " + LossPercent(*u.peer_loss));
  if (u.beyond_loss) {
    figures.push_back((u.peer_loss ? "beyond " : "loss beyond the ISP ") +
                      LossPercent(*u.beyond_loss));
  }
  UplinkVerdictWords words = WordsFor(u.verdict);
  if (figures.empty()) figures.emplace_back(words.meaning);
  std::string line =
      fmt::format("{}: {} ({})", link.name == "uplink" ? "uplink" : "uplink " + link.name,
                  ToString(u.verdict), fmt::join(figures, ", "));
  if (!words.advice.empty()) line += fmt::format(": {}", words.advice);
  return line;
}

std::string RenderReachabilityTable(const std::vector<ProbeTargetStatus>& probes) {
  if (probes.empty()) return "";
  std::vector<std::vector<std::string>> rows = {
      {"TARGET", "LINK", "ROLE", "LOSS", "MIN", "MEDIAN", "MAX", "JITTER"}};
  for (const ProbeTargetStatus& p : probes) {
    const WindowSummary& w = p.window;
    // The count beside the ratio: 100% of 1 probe is not yet 100% of 10.
    std::string loss = p.measured() && w.loss_ratio
                           ? fmt::format("{} ({}/{})", LossPercent(*w.loss_ratio), w.lost, w.sent)
                           : "-";
    rows.push_back({p.target, p.link, p.role, loss, Milliseconds(w.rtt_min_seconds),
                    Milliseconds(w.rtt_median_seconds), Milliseconds(w.rtt_max_seconds),
                    Milliseconds(w.jitter_seconds)});
  }
  return RenderTable(rows);
}

std::string RenderServicesTable(const std::vector<ServiceStatus>& services) {
  if (services.empty()) return "";
  std::vector<std::vector<std::string>> rows = {
      {"SERVICE", "KIND", "TARGET", "STATE", "CODE", "TTFB", "CERT", "ERROR"}};
  for (const ServiceStatus& s : services) {
    const ServiceResult& r = s.last;
    std::string cert = "-";
    if (s.checked && r.cert_days_left) {
      cert = *r.cert_days_left < 0 ? "expired" : fmt::format("{} days", *r.cert_days_left);
    }
    rows.push_back({s.name, s.kind, s.target,
                    !s.checked ? "unknown"
                    : r.up     ? "up"
                               : "DOWN",
                    s.checked && r.status != 0 ? std::to_string(r.status) : "-",
                    s.checked && r.time_to_first_byte.count() > 0
                        ? Milliseconds(Seconds(r.time_to_first_byte))
                        : "-",
                    cert, s.checked ? r.error : ""});
  }
  return RenderTable(rows);
}

json FarEndJson(const LinkStatus& link) {
  if (link.peer.empty()) return nullptr;
  const std::optional<WindowSummary>& w = link.far_end;
  auto figure = [&](std::optional<double> WindowSummary::*field) {
    return w ? Optional((*w).*field) : json(nullptr);
  };
  return {{"peer", link.peer},
          {"sent", w ? json(w->sent) : json(nullptr)},
          {"lost", w ? json(w->lost) : json(nullptr)},
          {"loss_ratio", figure(&WindowSummary::loss_ratio)},
          {"rtt_min_seconds", figure(&WindowSummary::rtt_min_seconds)},
          {"rtt_median_seconds", figure(&WindowSummary::rtt_median_seconds)},
          {"rtt_max_seconds", figure(&WindowSummary::rtt_max_seconds)},
          {"jitter_seconds", figure(&WindowSummary::jitter_seconds)}};
}

json UplinkJson(const LinkStatus& link) {
  if (!link.uplink) return nullptr;
  const UplinkStatus& u = *link.uplink;
  return {{"verdict", ToString(u.verdict)},
          {"reason", u.reason.empty() ? json(nullptr) : json(u.reason)},
          {"explanation", UplinkLine(link)},
          {"peer_loss", Optional(u.peer_loss)},
          {"beyond_loss", Optional(u.beyond_loss)},
          {"router_loss", Optional(u.router_loss)},
          {"peer_rtt_median_seconds", Optional(u.peer_rtt_median_seconds)},
          {"beyond_rtt_median_seconds", Optional(u.beyond_rtt_median_seconds)},
          {"utilization", Optional(u.utilization)}};
}

json ProbesJson(const std::vector<ProbeTargetStatus>& probes) {
  json out = json::array();
  for (const ProbeTargetStatus& p : probes) {
    const WindowSummary& w = p.window;
    json buckets = json::array();
    for (size_t k = 0; k < kRttBucketBounds.size(); ++k) {
      buckets.push_back(
          {{"le_seconds", kRttBucketBounds[k]}, {"count", p.histogram.cumulative[k]}});
    }
    out.push_back({{"target", p.target},
                   {"link", p.link},
                   {"role", p.role},
                   {"window_seconds", std::chrono::duration<double>(p.window_length).count()},
                   {"up", p.measured() ? json(p.up()) : json(nullptr)},
                   {"sent", w.sent},
                   {"lost", w.lost},
                   {"loss_ratio", Optional(w.loss_ratio)},
                   {"rtt_min_seconds", Optional(w.rtt_min_seconds)},
                   {"rtt_median_seconds", Optional(w.rtt_median_seconds)},
                   {"rtt_max_seconds", Optional(w.rtt_max_seconds)},
                   {"jitter_seconds", Optional(w.jitter_seconds)},
                   {"sent_total", p.sent_total},
                   {"lost_total", p.lost_total},
                   {"rtt_histogram",
                    {{"buckets", buckets},
                     {"count", p.histogram.count},
                     {"sum_seconds", p.histogram.sum_seconds}}}});
  }
  return out;
}

json ServicesJson(const std::vector<ServiceStatus>& services) {
  json out = json::array();
  for (const ServiceStatus& s : services) {
    const ServiceResult& r = s.last;
    const bool c = s.checked;  // before the first check, every figure is unknown
    out.push_back(
        {{"name", s.name},
         {"kind", s.kind},
         {"target", s.target},
         {"device", s.device.empty() ? json(nullptr) : json(s.device)},
         {"checked", c},
         {"checked_at",
          c && s.checked_at
              ? json(Iso8601(std::chrono::time_point_cast<std::chrono::seconds>(*s.checked_at)))
              : json(nullptr)},
         {"up", c ? json(r.up) : json(nullptr)},
         {"status_code", c && r.status != 0 ? json(r.status) : json(nullptr)},
         {"error", c && !r.error.empty() ? json(r.error) : json(nullptr)},
         {"connect_seconds", c ? StageSeconds(r.connect_time) : json(nullptr)},
         {"tls_handshake_seconds", c ? StageSeconds(r.tls_handshake_time) : json(nullptr)},
         {"time_to_first_byte_seconds", c ? StageSeconds(r.time_to_first_byte) : json(nullptr)},
         {"total_seconds", c ? json(Seconds(r.total_time)) : json(nullptr)},
         {"cert_not_after",
          c && r.cert_not_after ? json(Iso8601(*r.cert_not_after)) : json(nullptr)},
         {"cert_days_left", c && r.cert_days_left ? json(*r.cert_days_left) : json(nullptr)},
         {"checks_total", s.checks_total},
         {"failures_total", s.failures_total},
         {"status", ToString(s.severity)},
         {"problems", s.problems}});
  }
  return out;
}

}  // namespace lanwatch
