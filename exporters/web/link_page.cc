// GET /link/NAME: one link's figures now, its graphs MRTG-style (hour, day, week, month, year)
// with peak, average and current under each, and the month's 95th percentile as it is billed.
// Also the not-found page, in the same frame.
#include <fmt/format.h>

#include <algorithm>

#include "exporters/notify/site_time.h"
#include "exporters/web/page_frame.h"
#include "exporters/web/page_text.h"
#include "exporters/web/rate_graph.h"
#include "exporters/web/status_page.h"

namespace lanwatch {
namespace {

void Row(HtmlWriter& w, std::string_view label, std::string_view value) {
  w.Open("tr");
  w.Element("th", label);
  w.Element("td", value);
  w.Close();
}

void Figures(HtmlWriter& w, const PageInput& in, const LinkStatus& link, ElementState state) {
  const PageWords& words = Words(in.language);
  LinkFigureText f = LinkFigures(link, in.language);
  w.Open("section", {{"class", "card"},
                     {"id", "figures"},
                     {"data-link", link.name},
                     {"data-state", ToString(state)}});
  w.Open("h2");
  w.Text(words.figures);
  w.Text(" ");
  StateBadge(w, state, in.language);
  w.Close();
  if (std::string verdict = UplinkVerdictLine(link, in.language); !verdict.empty()) {
    w.Element("p", {{"class", "verdict-inline " + StateClass(state)}},
              in.language == NotifyLanguage::kZh
                  ? fmt::format("{}：{}", words.uplink_verdict, verdict)
                  : fmt::format("{}: {}", words.uplink_verdict, verdict));
  }
  w.Open("table", {{"class", "facts"}});
  Row(w, words.col_kind, LinkKindWord(link.kind, in.language));
  Row(w, words.col_port, fmt::format("{} {}", link.device, link.interface));
  Row(w, words.col_in, f.in);
  Row(w, words.col_out, f.out);
  Row(w, words.col_capacity, f.capacity);
  Row(w, words.col_utilization, f.utilization);
  Row(w, words.col_errors, f.errors);
  Row(w, words.col_fiber,
      f.fiber_levels.empty() ? f.fiber : fmt::format("{} · {}", f.fiber, f.fiber_levels));
  Row(w, words.col_far_end, f.far_end);
  w.Close();
  // The daemon words its problems in English (lanwatch check); in Chinese the alerts say it.
  if (!link.problems.empty() && in.language == NotifyLanguage::kEn) {
    w.Open("ul", {{"class", "problems"}});
    for (const std::string& p : link.problems) w.Element("li", p);
    w.Close();
  }
  w.Close();
}

void Percentile(HtmlWriter& w, const PageInput& in, const std::optional<BillingPercentile>& p) {
  const PageWords& words = Words(in.language);
  w.Open("section", {{"class", "card"}, {"id", "percentile"}});
  w.Element("h2", words.percentile_title);
  if (!p || p->samples == 0) {
    w.Element("p", {{"class", "quiet"}}, words.percentile_none);
    w.Close();
    return;
  }
  w.Open("table", {{"class", "facts"}, {"data-samples", std::to_string(p->samples)}});
  Row(w, words.in, RateText(p->in_bps));
  Row(w, words.out, RateText(p->out_bps));
  w.Open("tr", {{"class", "billed"}});
  w.Element("th", words.percentile_billed);
  w.Element("td", RateText(p->billed_bps));
  w.Close();
  Row(w, words.percentile_period,
      fmt::format("{} – {}", FormatSiteTime(p->from, in.language),
                  FormatSiteTime(p->to, in.language)));
  Row(w, words.percentile_samples, std::to_string(p->samples));
  w.Close();
  w.Close();
}

void GraphLegend(HtmlWriter& w, const PageWords& words, bool capacity) {
  w.Open("ul", {{"class", "graph-legend"}});
  w.Open("li").Element("span", {{"class", "key key-in"}}, "").Text(words.in).Close();
  w.Open("li").Element("span", {{"class", "key key-out"}}, "").Text(words.out).Close();
  if (capacity) {
    w.Open("li").Element("span", {{"class", "key key-capacity"}}, "").Text(words.col_capacity);
    w.Close();
  }
  w.Close();
}

void Graph(HtmlWriter& w, const PageInput& in, const LinkStatus& link, ElementState state,
           const HistorySeries& s) {
  const PageWords& words = Words(in.language);
  w.Open("section", {{"class", "card graph-card"}, {"id", std::string(ToString(s.range))}});
  w.Open("h2");
  w.Text(RangeTitle(s.range, in.language));
  if (s.step.count() > 0) {
    w.Element("span", {{"class", "resolution"}}, RangeResolution(s.step, in.language));
  }
  w.Close();
  w.Open("div", {{"class", "graph-wrap"}});
  w.Raw(RenderRateGraph(s, GraphOptions{.width = 1000,
                                        .height = 180,
                                        .capacity_bps = link.capacity_bps,
                                        .language = in.language,
                                        .state = state}));
  w.Close();
  GraphLegend(w, words, link.capacity_bps.has_value());
  w.Open("table", {{"class", "mrtg"}});
  w.Open("thead").Open("tr");
  for (std::string_view h : {words.direction, words.peak, words.average, words.current}) {
    w.Element("th", h);
  }
  w.Close().Close();
  w.Open("tbody");
  for (auto [label, figures] : {std::pair{words.in, &s.in}, std::pair{words.out, &s.out}}) {
    w.Open("tr");
    w.Element("th", label);
    w.Element("td", {{"class", "num"}}, RateText(figures->peak));
    w.Element("td", {{"class", "num"}}, RateText(figures->average));
    w.Element("td", {{"class", "num"}}, RateText(figures->current));
    w.Close();
  }
  w.Close().Close().Close();  // tbody, table, section
}

}  // namespace

std::optional<std::string> RenderLinkPage(const PageInput& in, std::string_view name,
                                          const std::vector<HistorySeries>& ranges,
                                          const std::optional<BillingPercentile>& month95) {
  auto it = std::find_if(in.status.links.begin(), in.status.links.end(),
                         [&](const LinkStatus& l) { return l.name == name; });
  if (it == in.status.links.end()) return std::nullopt;
  const LinkStatus& link = *it;
  const PageWords& words = Words(in.language);
  ElementState state = LinkElementState(link, in.status, in.config, in.alerting);
  HtmlWriter w;
  std::string heading = fmt::format("{} {}", link.name, words.link_title_suffix);
  BeginPage(w, in, fmt::format("{} · {}", heading, in.status.site), heading);
  w.Element("a", {{"class", "back"}, {"href", "/"}}, words.back_to_overview);
  Figures(w, in, link, state);
  Percentile(w, in, month95);
  if (ranges.empty()) w.Element("p", {{"class", "quiet"}}, words.history_unavailable);
  for (const HistorySeries& s : ranges) Graph(w, in, link, state, s);
  return EndPage(w, in);
}

std::string RenderNotFoundPage(const PageInput& in, std::string_view what) {
  const PageWords& words = Words(in.language);
  HtmlWriter w;
  BeginPage(w, in, words.not_found_title, words.not_found_title);
  w.Element("a", {{"class", "back"}, {"href", "/"}}, words.back_to_overview);
  w.Open("section", {{"class", "card"}});
  w.Element("p", what);
  w.Close();
  return EndPage(w, in);
}

}  // namespace lanwatch
