// The words of an alert, in the site's language: one line that says what is wrong where, and
// the lines with the figures. Email and Alertmanager annotations say the same things.
// Devices and links keep their configured names in both languages.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/alerts/alert.h"

namespace lanwatch {

struct AlertText {
  std::string summary;               // e.g. "下属单位 panji 的光纤链路中断"
  std::vector<std::string> details;  // figures, since when, what else is affected
};

AlertText DescribeAlert(const AlertNote& note, NotificationKind kind, const Config& config);
// In `language` rather than notify.language: the status page follows the browser's.
AlertText DescribeAlert(const AlertNote& note, NotificationKind kind, const Config& config,
                        NotifyLanguage language);

}  // namespace lanwatch
