// AlertmanagerReceiver: lanwatch's alerts pushed to Prometheus Alertmanager (API v2), for
// sites that already route, silence and page with one. Renders with alertmanager_payload.h
// and POSTs to every configured Alertmanager. Not thread-safe: one dispatcher thread calls
// it (Receiver's contract); Render and RenderFiring are const and safe to call concurrently.
#pragma once

#include <chrono>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "daemon/alerts/receiver.h"
#include "exporters/notify/alertmanager_payload.h"
#include "exporters/notify/http_post.h"

namespace lanwatch {

struct AlertmanagerOptions {
  // Base URLs of the Alertmanagers, e.g. http://127.0.0.1:9093 (a path prefix is kept, for
  // one behind a reverse proxy); each gets POST URL/api/v2/alerts.
  std::vector<std::string> urls;
  AlertmanagerPayloadSettings payload;  // site, dashboard, resend interval (describe unused)
  HttpPostOptions http;                 // connect 5 s, total 10 s, per Alertmanager
};

// The options a Config asks for: notify.alertmanager_urls, site, notify.dashboard_url.
// `resend_interval` is the dispatcher's (OutboxDispatcher).
AlertmanagerOptions AlertmanagerOptionsFrom(
    const Config& config, std::chrono::milliseconds resend_interval = std::chrono::minutes(1));

class AlertmanagerReceiver : public Receiver {
 public:
  using NowFn = std::function<WallTime()>;

  // `describe` words each alert (summary, description); `now` is the wall clock (a seam for
  // tests). The heartbeat's startsAt is now() at construction: lanwatchd alive since.
  AlertmanagerReceiver(
      AlertmanagerOptions options, DescribeFn describe,
      NowFn now = [] { return std::chrono::system_clock::now(); });

  std::string_view name() const override { return "alertmanager"; }
  std::string Render(const Notification& n) const override;
  std::optional<std::string> RenderFiring(const std::vector<AlertNote>& firing) const override;

  // POSTs to every Alertmanager, one after the other. In a cluster each instance must get
  // the alerts (they gossip silences and what was notified, not alerts), but one that took
  // them is enough for the notification to go out: success when at least one answered 2xx,
  // the answer naming which took them and which did not. Otherwise an Error listing each
  // URL's failure (HTTP code and the start of the body, or why no answer came).
  std::expected<std::string, Error> Deliver(const std::string& payload) override;

 private:
  AlertmanagerOptions options_;
  NowFn now_;
  WallTime started_at_;
};

}  // namespace lanwatch
