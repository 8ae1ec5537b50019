#include "exporters/notify/receivers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "exporters/notify/alert_text.h"
#include "exporters/notify/alertmanager_receiver.h"
#include "exporters/notify/smtp_receiver.h"

namespace lanwatch {

std::vector<std::unique_ptr<Receiver>> MakeReceivers(const Config& config) {
  std::vector<std::unique_ptr<Receiver>> out;
  if (!config.notify.email.url.empty()) out.push_back(std::make_unique<EmailReceiver>(config));
  if (!config.notify.alertmanager_urls.empty()) {
    // Alertmanager's annotations say what the email says.
    auto describe = [config](const AlertNote& note, NotificationKind kind) {
      AlertText text = DescribeAlert(note, kind, config);
      return std::pair{text.summary, fmt::format("{}", fmt::join(text.details, "\n"))};
    };
    out.push_back(
        std::make_unique<AlertmanagerReceiver>(AlertmanagerOptionsFrom(config), describe));
  }
  return out;
}

}  // namespace lanwatch
