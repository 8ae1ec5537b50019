#include "exporters/notify/alertmanager_receiver.h"

#include <fmt/format.h>

#include <utility>

#include "config/text_encoding.h"

namespace lanwatch {
namespace {

// Enough of an error body to tell "at least one label pair required" from a proxy's HTML.
constexpr size_t kBodyStart = 200;

std::string BodyStart(const std::string& body) {
  std::string start = body.substr(0, kBodyStart);
  for (char& c : start) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';  // one log line per failure
  }
  // The cut may split a character (U+FFFD then): a log line, or the outbox's last_error,
  // stays UTF-8.
  return ToValidUtf8(start) + (body.size() > kBodyStart ? "..." : "");
}

std::string AlertsEndpoint(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/api/v2/alerts";
}

}  // namespace

AlertmanagerOptions AlertmanagerOptionsFrom(const Config& config,
                                            std::chrono::milliseconds resend_interval) {
  AlertmanagerOptions options;
  options.urls = config.notify.alertmanager_urls;
  options.payload.site = config.site;
  options.payload.dashboard_url = config.notify.dashboard_url;
  options.payload.resend_interval = resend_interval;
  return options;
}

AlertmanagerReceiver::AlertmanagerReceiver(AlertmanagerOptions options, DescribeFn describe,
                                           NowFn now)
    : options_(std::move(options)), now_(std::move(now)), started_at_(now_()) {
  options_.payload.describe = std::move(describe);
}

std::string AlertmanagerReceiver::Render(const Notification& n) const {
  return RenderAlertmanagerNotification(n, options_.payload, now_());
}

std::optional<std::string> AlertmanagerReceiver::RenderFiring(
    const std::vector<AlertNote>& firing) const {
  return RenderAlertmanagerFiring(firing, options_.payload, now_(), started_at_);
}

std::expected<std::string, Error> AlertmanagerReceiver::Deliver(const std::string& payload) {
  if (options_.urls.empty()) return std::unexpected(Error("no Alertmanager URL configured"));
  std::vector<std::string> took, failed;
  for (const std::string& url : options_.urls) {
    std::string endpoint = AlertsEndpoint(url);
    auto answer = HttpPost(endpoint, payload, options_.http);
    if (!answer) {
      failed.push_back(answer.error().message);
    } else if (answer->status < 200 || answer->status > 299) {
      failed.push_back(
          fmt::format("POST {}: HTTP {}: {}", endpoint, answer->status, BodyStart(answer->body)));
    } else {
      took.push_back(fmt::format("{} (HTTP {})", url, answer->status));
    }
  }
  if (took.empty()) {
    return std::unexpected(
        Error(fmt::format("no Alertmanager took the alerts: {}", fmt::join(failed, "; "))));
  }
  std::string said = fmt::format("accepted by {}", fmt::join(took, ", "));
  if (!failed.empty()) said += fmt::format("; not by the others: {}", fmt::join(failed, "; "));
  return said;
}

}  // namespace lanwatch
