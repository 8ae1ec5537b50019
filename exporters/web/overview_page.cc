// GET /: the whole site on one page, most urgent first: the uplink's verdict, the topology,
// the active alerts, then each link, device and service with its figures.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

#include "config/units.h"
#include "exporters/notify/alert_text.h"
#include "exporters/notify/site_time.h"
#include "exporters/web/page_frame.h"
#include "exporters/web/page_text.h"
#include "exporters/web/rate_graph.h"
#include "exporters/web/status_page.h"
#include "exporters/web/topology_svg.h"

namespace lanwatch {
namespace {

void UplinkBanners(HtmlWriter& w, const PageInput& in) {
  const PageWords& words = Words(in.language);
  for (const LinkStatus& link : in.status.links) {
    if (!link.uplink) continue;
    ElementState state = LinkElementState(link, in.status, in.config, in.alerting);
    w.Open("div", {{"class", "verdict " + StateClass(state)},
                   {"data-link", link.name},
                   {"data-state", ToString(state)},
                   {"data-verdict", ToString(link.uplink->verdict)}});
    w.Element("span", {{"class", "verdict-label"}},
              fmt::format(fmt::runtime(in.language == NotifyLanguage::kZh ? "{}（{}）" : "{} ({})"),
                          words.uplink_verdict, link.name));
    w.Element("span", {{"class", "verdict-text"}}, UplinkVerdictLine(link, in.language));
    w.Close();
  }
}

void Topology(HtmlWriter& w, const PageInput& in) {
  const PageWords& words = Words(in.language);
  w.Open("section", {{"class", "card"}, {"id", "topology"}});
  w.Element("h2", words.topology);
  w.Open("div", {{"class", "topology-wrap"}});
  w.Raw(RenderTopologySvg(in));
  w.Close();
  StateLegend(w, in.language);
  w.Close();
}

bool Active(const AlertRecord& r) {
  return r.phase == AlertPhase::kPending || r.phase == AlertPhase::kFiring;
}

void Alerts(HtmlWriter& w, const PageInput& in) {
  const PageWords& words = Words(in.language);
  std::vector<const AlertRecord*> active;
  if (in.alerting) {
    for (const AlertRecord& r : in.alerting->records) {
      if (Active(r)) active.push_back(&r);
    }
  }
  // Firing before pending, critical before warning, the oldest first.
  std::stable_sort(active.begin(), active.end(), [](const AlertRecord* a, const AlertRecord* b) {
    auto key = [](const AlertRecord* r) {
      return std::tuple(r->phase != AlertPhase::kFiring, -Rank(r->severity),
                        r->phase == AlertPhase::kFiring ? r->firing_since : r->pending_since);
    };
    return key(a) < key(b);
  });
  w.Open("section", {{"class", "card"}, {"id", "alerts"}});
  const char* count = in.language == NotifyLanguage::kZh ? "{}（{}）" : "{} ({})";
  w.Element("h2", active.empty() ? std::string(words.alerts)
                                 : fmt::format(fmt::runtime(count), words.alerts, active.size()));
  if (active.empty()) {
    w.Element("p", {{"class", "quiet"}}, words.no_alerts);
    w.Close();
    return;
  }
  w.Open("table", {{"class", "alerts"}});
  w.Open("thead").Open("tr");
  for (std::string_view h :
       {words.col_severity, words.col_alert, words.col_since, words.col_lasted, words.col_note}) {
    w.Element("th", h);
  }
  w.Close().Close();
  w.Open("tbody");
  for (const AlertRecord* r : active) {
    const WallTime since = r->phase == AlertPhase::kFiring ? r->firing_since : r->pending_since;
    AlertNote note{r->key, r->severity, since, std::nullopt, r->peak, r->facts};
    std::string summary =
        DescribeAlert(note, NotificationKind::kFiring, in.config, in.language).summary;
    const bool held = !r->suppressed_by.empty();
    const std::string severity_class =
        r->severity == Severity::kCritical ? "sev-critical" : "sev-warning";
    w.Open("tr", {{"class", held ? severity_class + " held" : severity_class},
                  {"data-alert", r->key.rule},
                  {"data-severity", ToString(r->severity)},
                  {"data-phase", ToString(r->phase)}});
    w.Open("td");
    w.Element("span", {{"class", "badge " + severity_class}},
              SeverityWord(r->severity, in.language));
    if (r->phase == AlertPhase::kPending) {
      w.Element("span", {{"class", "badge pending"}}, words.pending);
    }
    w.Close();
    w.Element("td", summary);
    w.Element("td", {{"class", "num"}}, FormatSiteTime(since, in.language));
    w.Element("td", {{"class", "num"}},
              FormatElapsed(std::chrono::duration_cast<std::chrono::seconds>(in.now - since),
                            in.language));
    w.Element("td", held ? SuppressedWhy(*r, *in.alerting, in.language) : "");
    w.Close();
  }
  w.Close().Close().Close();  // tbody, table, section
}

const HistorySeries* FindSeries(const std::vector<HistorySeries>& all, std::string_view link) {
  auto it =
      std::find_if(all.begin(), all.end(), [&](const HistorySeries& s) { return s.link == link; });
  return it == all.end() ? nullptr : &*it;
}

void Links(HtmlWriter& w, const PageInput& in, const std::vector<HistorySeries>& hour) {
  const PageWords& words = Words(in.language);
  w.Open("section", {{"class", "card"}, {"id", "links"}});
  w.Element("h2", words.links);
  w.Open("div", {{"class", "scroll"}});
  w.Open("table", {{"class", "links"}});
  w.Open("thead").Open("tr");
  for (std::string_view h : {words.col_link, words.col_state, words.col_in, words.col_out,
                             words.col_capacity, words.col_utilization, words.col_errors,
                             words.col_fiber, words.col_far_end, words.col_last_hour}) {
    w.Element("th", h);
  }
  w.Close().Close();
  w.Open("tbody");
  for (const LinkStatus& link : in.status.links) {
    ElementState state = LinkElementState(link, in.status, in.config, in.alerting);
    LinkFigureText f = LinkFigures(link, in.language);
    w.Open("tr", {{"data-link", link.name}, {"data-state", ToString(state)}});
    w.Open("td", {{"class", "name"}});
    w.Element("a", {{"href", LinkHref(link.name)}}, link.name);
    // The kind only where it is not one of many alike: the topology shows the rest.
    std::string port = fmt::format("{} {}", link.device, link.interface);
    w.Element("div", {{"class", "sub"}},
              link.kind == "subordinate"
                  ? port
                  : fmt::format("{} · {}", LinkKindWord(link.kind, in.language), port));
    w.Close();
    w.Open("td");
    StateBadge(w, state, in.language);
    w.Close();
    for (const std::string* cell : {&f.in, &f.out, &f.capacity, &f.utilization, &f.errors}) {
      w.Element("td", {{"class", "num"}}, *cell);
    }
    w.Open("td", {{"class", "fiber"}});
    w.Text(f.fiber);
    if (!f.fiber_levels.empty()) w.Element("div", {{"class", "sub"}}, f.fiber_levels);
    w.Close();
    w.Element("td", {{"class", "num"}}, f.far_end);
    w.Open("td", {{"class", "spark"}});
    if (const HistorySeries* s = FindSeries(hour, link.name)) {
      w.Open("a", {{"href", LinkHref(link.name)}});
      w.Raw(RenderRateGraph(*s, GraphOptions{.width = 140,
                                             .height = 40,
                                             .capacity_bps = link.capacity_bps,
                                             .language = in.language,
                                             .compact = true,
                                             .state = state}));
      w.Close();
    } else {
      w.Text(kUnknownFigure);
    }
    w.Close();
    w.Close();  // tr
  }
  w.Close().Close().Close().Close();  // tbody, table, div, section
}

std::string CpuText(const HostSample& h) {
  if (h.cpu_load_percent.empty()) return std::string(kUnknownFigure);
  double sum = std::accumulate(h.cpu_load_percent.begin(), h.cpu_load_percent.end(), 0.0);
  return FormatPercent(sum / static_cast<double>(h.cpu_load_percent.size()) / 100);
}

std::string MemoryText(const HostSample& h, NotifyLanguage language) {
  if (!h.memory_total_bytes || *h.memory_total_bytes == 0 || !h.memory_available_bytes) {
    return std::string(kUnknownFigure);
  }
  uint64_t total = *h.memory_total_bytes;
  uint64_t used = total - std::min(total, *h.memory_available_bytes);
  std::string percent = FormatPercent(static_cast<double>(used) / static_cast<double>(total));
  return language == NotifyLanguage::kZh
             ? fmt::format("{} / {}（{}）", BytesText(used), BytesText(total), percent)
             : fmt::format("{} / {} ({})", BytesText(used), BytesText(total), percent);
}

std::vector<std::string> DiskTexts(const HostSample& h, NotifyLanguage language) {
  std::vector<std::string> out;
  for (const StorageSample& s : h.storage) {
    if (s.kind != StorageSample::Kind::kDisk || s.size_bytes == 0) continue;
    std::string used =
        FormatPercent(static_cast<double>(s.used_bytes) / static_cast<double>(s.size_bytes));
    out.push_back(
        language == NotifyLanguage::kZh
            ? fmt::format("{} 已用 {}（共 {}）", s.description, used, BytesText(s.size_bytes))
            : fmt::format("{} {} used of {}", s.description, used, BytesText(s.size_bytes)));
  }
  return out;
}

void Devices(HtmlWriter& w, const PageInput& in) {
  const PageWords& words = Words(in.language);
  w.Open("section", {{"class", "card"}, {"id", "devices"}});
  w.Element("h2", words.devices);
  w.Open("div", {{"class", "scroll"}});
  w.Open("table", {{"class", "devices"}});
  w.Open("thead").Open("tr");
  for (std::string_view h : {words.col_device, words.col_state, words.col_address, words.col_uptime,
                             words.col_cpu, words.col_memory, words.col_disks}) {
    w.Element("th", h);
  }
  w.Close().Close();
  w.Open("tbody");
  for (const DeviceStatus& d : in.status.devices) {
    ElementState state = DeviceElementState(d, in.status, in.config, in.alerting);
    w.Open("tr", {{"data-device", d.name}, {"data-state", ToString(state)}});
    w.Open("td", {{"class", "name"}});
    w.Element("strong", d.name);
    std::string sub(DeviceRoleWord(d.role, in.language));
    if (!d.sys_name.empty() && d.sys_name != d.name) sub += " · " + d.sys_name;
    w.Element("div", {{"class", "sub"}}, sub);
    w.Close();
    w.Open("td");
    StateBadge(w, state, in.language);
    if (d.polled && !d.up) {
      w.Element("div", {{"class", "sub"}},
                d.error.empty() ? std::string(words.unreachable) : d.error);
    } else if (!d.polled) {
      w.Element("div", {{"class", "sub"}}, words.not_polled);
    }
    w.Close();
    w.Element("td", {{"class", "num"}}, d.address);
    w.Element("td", {{"class", "num"}},
              // A device that does not answer has no uptime now: its last one would mislead.
              d.up && d.uptime_seconds
                  ? FormatElapsed(std::chrono::seconds(static_cast<long long>(*d.uptime_seconds)),
                                  in.language)
                  : std::string(kUnknownFigure));
    if (d.up && d.host) {
      w.Element("td", {{"class", "num"}}, CpuText(*d.host));
      w.Element("td", {{"class", "num"}}, MemoryText(*d.host, in.language));
      w.Open("td");
      std::vector<std::string> disks = DiskTexts(*d.host, in.language);
      if (disks.empty()) w.Text(kUnknownFigure);
      for (const std::string& disk : disks) w.Element("div", disk);
      w.Close();
    } else {
      for (int i = 0; i < 3; ++i) w.Element("td", {{"class", "num"}}, kUnknownFigure);
    }
    w.Close();
  }
  w.Close().Close().Close().Close();
}

void Services(HtmlWriter& w, const PageInput& in) {
  if (in.status.services.empty()) return;
  const PageWords& words = Words(in.language);
  w.Open("section", {{"class", "card"}, {"id", "services"}});
  w.Element("h2", words.services);
  w.Open("div", {{"class", "scroll"}});
  w.Open("table", {{"class", "services"}});
  w.Open("thead").Open("tr");
  for (std::string_view h : {words.col_service, words.col_state, words.col_target,
                             words.col_response, words.col_error}) {
    w.Element("th", h);
  }
  w.Close().Close();
  w.Open("tbody");
  for (const ServiceStatus& s : in.status.services) {
    ElementState state = ServiceElementState(s, in.status, in.config, in.alerting);
    w.Open("tr", {{"data-service", s.name}, {"data-state", ToString(state)}});
    w.Element("td", {{"class", "name"}}, s.name);
    w.Open("td");
    StateBadge(w, state, in.language);
    w.Close();
    w.Element("td", {{"class", "num"}}, s.target);
    std::string response(kUnknownFigure);
    if (s.checked && s.last.up) {
      response = fmt::format("{:.0f} ms", s.last.total_time.count() / 1000.0);
      if (s.last.status != 0) response = fmt::format("{} · {}", s.last.status, response);
    }
    w.Element("td", {{"class", "num"}}, response);
    // The judged problems say it with the figures; the check's own error when there are none.
    std::string why =
        s.problems.empty() ? s.last.error : fmt::format("{}", fmt::join(s.problems, "; "));
    w.Element("td", why);
    w.Close();
  }
  w.Close().Close().Close().Close();
}

}  // namespace

std::string RenderOverviewPage(const PageInput& in, const std::vector<HistorySeries>& hour) {
  const PageWords& words = Words(in.language);
  HtmlWriter w;
  std::string site = in.status.site.empty() ? in.config.site : in.status.site;
  BeginPage(w, in, fmt::format("{} · {}", site, words.title), words.title);
  UplinkBanners(w, in);
  Topology(w, in);
  Alerts(w, in);
  Links(w, in, hour);
  Devices(w, in);
  Services(w, in);
  return EndPage(w, in);
}

}  // namespace lanwatch
