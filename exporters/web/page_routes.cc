#include "exporters/web/page_routes.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

#include "config/units.h"
#include "daemon/link_health.h"
#include "exporters/check_report.h"
#include "exporters/web/status_page.h"

namespace lanwatch {
namespace {

using Clock = std::chrono::system_clock;

constexpr std::string_view kLinkPrefix = "/link/";
constexpr std::string_view kHistoryPrefix = "/api/v1/history/";

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() &&
               std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out +=
          static_cast<char>(std::strtol(std::string(text.substr(i + 1, 2)).c_str(), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

HttpResponse Json(int status, const nlohmann::json& body) {
  // Device names and descriptions may hold anything: replace what is not UTF-8 rather than
  // throw (the snapshot's text is UTF-8 already; this is the last line).
  return HttpResponse{status, "application/json; charset=utf-8",
                      body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"};
}

nlohmann::json Rate(std::optional<double> v) { return v ? nlohmann::json(*v) : nullptr; }

nlohmann::json SeriesJson(const HistorySeries& s) {
  auto points = [](const std::vector<double>& values) {
    nlohmann::json out = nlohmann::json::array();
    for (double v : values)
      out.push_back(std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v));
    return out;
  };
  auto figures = [](const RateFigures& f) {
    return nlohmann::json{
        {"peak", Rate(f.peak)}, {"average", Rate(f.average)}, {"current", Rate(f.current)}};
  };
  return {{"link", s.link},
          {"range", ToString(s.range)},
          {"step_seconds", s.step.count()},
          {"start",
           std::chrono::duration_cast<std::chrono::seconds>(s.start.time_since_epoch()).count()},
          {"in_bps", points(s.in_bps)},
          {"out_bps", points(s.out_bps)},
          {"in", figures(s.in)},
          {"out", figures(s.out)}};
}

}  // namespace

std::string QueryValue(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (PercentDecode(pair.substr(0, eq)) == key) {
      return eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1));
    }
  }
  return "";
}

NotifyLanguage PageLanguage(std::string_view query, std::string_view accept_language,
                            NotifyLanguage site) {
  const std::string asked = QueryValue(query, "lang");
  if (EqualsIgnoreCase(asked, "zh")) return NotifyLanguage::kZh;
  if (EqualsIgnoreCase(asked, "en")) return NotifyLanguage::kEn;
  // "en-US,en;q=0.9,zh-CN;q=0.8": the highest q wins, the first on a tie.
  std::optional<NotifyLanguage> best;
  double best_q = 0;
  while (!accept_language.empty()) {
    const size_t comma = accept_language.find(',');
    std::string_view item = accept_language.substr(0, comma);
    accept_language = comma == std::string_view::npos ? "" : accept_language.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const size_t semicolon = item.find(';');
    std::string_view tag = item.substr(0, semicolon);
    double q = 1;
    if (semicolon != std::string_view::npos) {
      std::string_view params = item.substr(semicolon + 1);
      if (const size_t at = params.find("q="); at != std::string_view::npos) {
        q = std::strtod(std::string(params.substr(at + 2)).c_str(), nullptr);
      }
    }
    const std::string_view primary = tag.substr(0, tag.find('-'));
    std::optional<NotifyLanguage> language;
    if (EqualsIgnoreCase(primary, "zh")) language = NotifyLanguage::kZh;
    if (EqualsIgnoreCase(primary, "en")) language = NotifyLanguage::kEn;
    if (language && q > best_q) {
      best = language;
      best_q = q;
    }
  }
  return best.value_or(site);
}

PageRoutes::PageRoutes(std::function<PublishedState()> published, const LinkHistory* history,
                       std::string version, Config config)
    : published_(std::move(published)),
      history_(history),
      version_(std::move(version)),
      config_(std::make_shared<const Config>(std::move(config))) {}

void PageRoutes::SetConfig(Config config) {
  auto shared = std::make_shared<const Config>(std::move(config));
  std::lock_guard lock(mutex_);
  config_ = std::move(shared);
}

std::shared_ptr<const Config> PageRoutes::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

HttpResponse PageRoutes::Handle(const HttpRequest& request) const {
  const std::string& path = request.path;
  if (path == kStyleSheetPath) {
    return HttpResponse{200, "text/css; charset=utf-8", std::string(PageStyleSheet())};
  }
  const std::shared_ptr<const Config> cfg = config();
  const PublishedState state = published_();
  const NotifyLanguage language =
      PageLanguage(request.query, request.accept_language, cfg->notify.language);
  if (!state.status) {
    const bool zh = language == NotifyLanguage::kZh;
    if (path.starts_with("/api/")) {
      return Json(503, {{"error", "first poll pending"}});
    }
    return HttpResponse{503, "text/plain; charset=utf-8",
                        zh ? "lanwatchd 正在进行第一轮轮询，请稍后刷新。\n"
                           : "lanwatchd is polling for the first time; reload in a moment.\n"};
  }
  const NetworkStatus& status = *state.status;
  if (path == "/api/v1/status") {
    return HttpResponse{200, "application/json; charset=utf-8",
                        RenderJsonReport(status, OverallSeverity(status))};
  }
  const Clock::time_point now = Clock::now();
  if (path.starts_with(kHistoryPrefix)) {
    const std::string link = path.substr(kHistoryPrefix.size());
    const std::string range_text = QueryValue(request.query, "range");
    const std::optional<HistoryRange> range =
        ParseHistoryRange(range_text.empty() ? "hour" : range_text);
    if (!range) return Json(404, {{"error", "range must be hour, day, week, month or year"}});
    if (!history_) return Json(404, {{"error", "history is off (web.history)"}});
    auto series = history_->Fetch(link, *range, now);
    if (!series) return Json(404, {{"error", series.error().message}});
    return Json(200, SeriesJson(*series));
  }
  PageInput input{status,
                  *cfg,
                  state.alerting ? &*state.alerting : nullptr,
                  language,
                  now,
                  version_,
                  std::chrono::duration_cast<std::chrono::seconds>(cfg->web.refresh)};
  if (path == "/") {
    std::vector<HistorySeries> hour;
    if (history_) {
      for (const LinkStatus& link : status.links) {
        if (auto series = history_->Fetch(link.name, HistoryRange::kHour, now)) {
          hour.push_back(std::move(*series));
        }
      }
    }
    return HttpResponse{200, "text/html; charset=utf-8", RenderOverviewPage(input, hour)};
  }
  if (path.starts_with(kLinkPrefix)) {
    const std::string link = path.substr(kLinkPrefix.size());
    std::vector<HistorySeries> ranges;
    std::optional<BillingPercentile> month95;
    if (history_) {
      for (HistoryRange range : kAllHistoryRanges) {
        if (auto series = history_->Fetch(link, range, now)) ranges.push_back(std::move(*series));
      }
      if (auto p = history_->MonthPercentile(link, now)) month95 = *p;
    }
    if (auto page = RenderLinkPage(input, link, ranges, month95)) {
      return HttpResponse{200, "text/html; charset=utf-8", std::move(*page)};
    }
    return HttpResponse{404, "text/html; charset=utf-8", RenderNotFoundPage(input, link)};
  }
  return HttpResponse{404, "text/html; charset=utf-8", RenderNotFoundPage(input, path)};
}

}  // namespace lanwatch
