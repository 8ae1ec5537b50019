// The status page lanwatchd serves on its listen address: the bureau's network at a glance
// (GET /) and one link's history, MRTG-style (GET /link/NAME). Server-rendered HTML with
// inline SVG, no scripts, no external fonts, styles or images (the bureau's server may have no
// Internet, and the Content-Security-Policy allows only the page's own stylesheet); it
// refreshes itself. Every link and device element carries data-link="NAME" or
// data-device="NAME" and data-state="ok|warning|critical|unknown|suppressed"
// (daemon/element_state.h), so scripts and tests can read the page. Pure functions of their
// input: the web server fetches the snapshot and the history, these only render.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "daemon/alerts/alerting_status.h"
#include "daemon/history/link_history.h"
#include "daemon/network_status.h"

namespace lanwatch {

struct PageInput {
  const NetworkStatus& status;
  const Config& config;
  const AlertingStatus* alerting = nullptr;  // null: no alert engine
  NotifyLanguage language = NotifyLanguage::kZh;
  std::chrono::system_clock::time_point now;
  std::string version;  // lanwatchd's, in the footer
  std::chrono::seconds refresh{30};
};

// GET /: the site; the topology (ISP -> uplink -> router -> switch -> units, and the server)
// coloured by state; per link rate in/out against capacity, utilization, errors, the fiber
// verdict with Rx/Tx, the far end's RTT and loss; active alerts with since when; device
// health. `hour` holds the last hour of the links that have history, for their small graph.
std::string RenderOverviewPage(const PageInput& in, const std::vector<HistorySeries>& hour);

// GET /link/NAME: one link's figures and its graphs for every range in `ranges` (hour, day,
// week, month, year as fetched), with peak, average and current, and the month's 95th
// percentile. nullopt when the snapshot has no such link.
std::optional<std::string> RenderLinkPage(const PageInput& in, std::string_view link,
                                          const std::vector<HistorySeries>& ranges,
                                          const std::optional<BillingPercentile>& month95);

// A page that says what was not found (an unknown link), in the page's style.
std::string RenderNotFoundPage(const PageInput& in, std::string_view what);

// The one stylesheet, served at kStyleSheetPath (the CSP allows 'self' styles only).
inline constexpr std::string_view kStyleSheetPath = "/static/lanwatch.css";
std::string_view PageStyleSheet();

}  // namespace lanwatch
