// PageRoutes: every path of lanwatchd's web server but /metrics and the probes: the status
// page (GET /), a link's history (GET /link/NAME), the stylesheet, and the JSON API:
//   GET /api/v1/status              what `lanwatch check --json` prints (README documents it)
//   GET /api/v1/history/NAME?range=hour|day|week|month|year
//                                   the points a graph is drawn from, in bit/s
// Reads the newest published snapshot at each request; renders with status_page.h. The page's
// language: ?lang=zh|en, else the browser's Accept-Language, else notify.language.
// Thread-safe: civetweb's workers call Handle at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "daemon/alerts/alerting_status.h"
#include "daemon/history/link_history.h"
#include "daemon/network_status.h"
#include "exporters/web/http_exchange.h"

namespace lanwatch {

struct PublishedState {
  std::shared_ptr<const NetworkStatus> status;  // null before the first round
  std::optional<AlertingStatus> alerting;
};

class PageRoutes {
 public:
  // `history` may be null (web.history off, or its directory unusable) and must outlive this.
  PageRoutes(std::function<PublishedState()> published, const LinkHistory* history,
             std::string version, Config config);

  void SetConfig(Config config);  // after a reload
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  std::shared_ptr<const Config> config() const;

  std::function<PublishedState()> published_;
  const LinkHistory* history_;
  std::string version_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Config> config_;
};

// ?lang= first, then the most preferred of zh and en in Accept-Language (q-values honoured;
// zh-CN, zh-TW, en-US count as their language), then the site's.
NotifyLanguage PageLanguage(std::string_view query, std::string_view accept_language,
                            NotifyLanguage site);

// The value of `key` in a query string ("range=day&lang=en"), percent-decoded; "" if absent.
std::string QueryValue(std::string_view query, std::string_view key);

}  // namespace lanwatch
