#include "exporters/web/page_frame.h"

#include <fmt/format.h>

#include <cmath>

#include "config/units.h"
#include "exporters/notify/site_time.h"
#include "exporters/web/page_text.h"

namespace lanwatch {

void BeginPage(HtmlWriter& w, const PageInput& in, std::string_view title,
               std::string_view heading) {
  const PageWords& words = Words(in.language);
  const std::string refresh = std::to_string(std::max<long long>(1, in.refresh.count()));
  w.Raw("<!DOCTYPE html>\n");
  w.Open("html", {{"lang", words.html_lang}});
  w.Open("head");
  w.Void("meta", {{"charset", "utf-8"}});
  w.Void("meta", {{"http-equiv", "refresh"}, {"content", refresh}});
  w.Void("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
  w.Element("title", title);
  w.Void("link", {{"rel", "stylesheet"}, {"href", kStyleSheetPath}});
  w.Close();  // head
  w.Open("body");
  w.Open("header", {{"class", "top"}});
  w.Open("div", {{"class", "brand"}});
  w.Element("span", {{"class", "site"}}, in.status.site.empty() ? in.config.site : in.status.site);
  w.Element("h1", heading);
  w.Close();
  w.Element(
      "div", {{"class", "asof"}},
      fmt::format("{} {}", words.updated,
                  FormatSiteTime(in.status.taken_at != WallTime{} ? in.status.taken_at : in.now,
                                 in.language)));
  w.Close();  // header
  w.Open("main");
}

std::string EndPage(HtmlWriter& w, const PageInput& in) {
  const PageWords& words = Words(in.language);
  w.Close();  // main
  w.Open("footer");
  std::string every = FormatElapsed(in.refresh, in.language);
  w.Text(fmt::format(fmt::runtime(words.refresh_every), every));
  if (!in.version.empty()) w.Text(fmt::format(" · {} {}", words.version, in.version));
  w.Close();
  return w.Finish();
}

std::string StateClass(ElementState s) { return fmt::format("st-{}", ToString(s)); }

void StateBadge(HtmlWriter& w, ElementState s, NotifyLanguage language) {
  w.Element("span", {{"class", "badge " + StateClass(s)}}, StateWord(s, language));
}

std::string LinkHref(std::string_view link) { return "/link/" + UrlEncodePathSegment(link); }

LinkFigureText LinkFigures(const LinkStatus& link, NotifyLanguage language) {
  const PageWords& words = Words(language);
  const bool zh = language == NotifyLanguage::kZh;
  LinkFigureText t;
  t.in = RateText(link.in_bps);
  t.out = RateText(link.out_bps);
  t.capacity = RateText(link.capacity_bps);
  if (link.in_utilization || link.out_utilization) {
    t.utilization =
        fmt::format("{} / {}", PercentText(link.in_utilization), PercentText(link.out_utilization));
  } else {
    t.utilization = kUnknownFigure;
  }
  if (link.errors_per_second || link.discards_per_second) {
    // Errors per minute (their thresholds are 1/min), discards per second: as the rules judge.
    auto rate = [](std::optional<double> v, double scale, const char* unit) {
      return v ? fmt::format("{:.3g}{}", *v * scale, unit) : std::string(kUnknownFigure);
    };
    t.errors = fmt::format("{} · {}", rate(link.errors_per_second, 60, zh ? "/分" : "/min"),
                           rate(link.discards_per_second, 1, zh ? "/秒" : "/s"));
  } else {
    t.errors = kUnknownFigure;
  }
  const FiberStatus& f = link.fiber;
  if (f.state == FiberState::kUnknown && !f.rx_dbm && !f.tx_dbm) {
    t.fiber = kUnknownFigure;
  } else {
    t.fiber = FiberWord(f.state, language);
    auto level = [](std::optional<double> dbm) {
      return dbm ? fmt::format("{:.1f}", *dbm) : std::string(kUnknownFigure);
    };
    t.fiber_levels =
        fmt::format("{} {} / {} {} dBm", words.rx, level(f.rx_dbm), words.tx, level(f.tx_dbm));
  }
  if (link.far_end && link.far_end->sent > 0) {
    std::string loss = PercentText(link.far_end->loss_ratio);
    t.far_end =
        link.far_end->rtt_median_seconds
            ? fmt::format("{} · {}", MillisecondsText(link.far_end->rtt_median_seconds), loss)
            : loss;
  } else {
    t.far_end = kUnknownFigure;
  }
  return t;
}

std::string UplinkVerdictLine(const LinkStatus& link, NotifyLanguage language) {
  if (!link.uplink) return "";
  VerdictWords v = UplinkVerdictText(link.uplink->verdict, language);
  std::string line(v.meaning);
  if (link.uplink->verdict == UplinkVerdict::kSaturated && link.uplink->utilization) {
    std::string percent = FormatPercent(*link.uplink->utilization);
    line += language == NotifyLanguage::kZh ? fmt::format("（利用率 {}）", percent)
                                            : fmt::format(" (utilization {})", percent);
  }
  if (!v.advice.empty()) line += fmt::format(" — {}", v.advice);
  return line;
}

void StateLegend(HtmlWriter& w, NotifyLanguage language) {
  w.Open("ul", {{"class", "legend"}});
  for (ElementState s : {ElementState::kOk, ElementState::kWarning, ElementState::kCritical,
                         ElementState::kUnknown, ElementState::kSuppressed}) {
    w.Open("li");
    w.Element("span", {{"class", "swatch " + StateClass(s)}}, "");
    w.Text(StateWord(s, language));
    w.Close();
  }
  w.Close();
}

}  // namespace lanwatch
