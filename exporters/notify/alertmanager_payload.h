// The JSON body of Alertmanager's API v2 `POST /api/v2/alerts`, rendered from lanwatch's
// notifications. Pure: no I/O, no clock of its own (`now` is a parameter); thread-safe.
//
// Each alert carries a small, bounded label set: its identity in Alertmanager (routing,
// grouping, silences, inhibition) is
//   alertname  the rule in CamelCase (link_down -> LinkDown)
//   severity   critical | warning ("none" for the heartbeat)
//   site       Config::site, so one Alertmanager can serve several sites
//   device     the root-cause device (kSelfDevice for lanwatch's own alerts)
//   link       the link, capture or receiver; absent for device rules
// and the words in annotations (summary, description, dashboard). Measured values never
// become labels: a label that changes makes a new alert.
//
// Time: like Prometheus, a firing alert's endsAt lies 4 resend intervals ahead, so that
// Alertmanager resolves it by itself if lanwatchd dies; RenderAlertmanagerFiring is re-sent
// every resend interval to keep it up. A resolved alert's endsAt is when it ended.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/alerts/alert.h"

namespace lanwatch {

// The words of one alert: (summary, description), in the site's language. Wired to
// DescribeAlert (exporters/notify/alert_text.h): summary, and details joined by newlines.
using DescribeFn =
    std::function<std::pair<std::string, std::string>(const AlertNote&, NotificationKind)>;

// The rule of the always-firing alert that says lanwatchd is alive, and of a test message.
inline constexpr const char* kHeartbeatRule = "lanwatch_heartbeat";  // LanwatchHeartbeat
inline constexpr const char* kTestRule = "lanwatch_test";            // LanwatchTest

struct AlertmanagerPayloadSettings {
  std::string site = "lanwatch";  // the `site` label
  std::string dashboard_url;      // `dashboard` annotation and generatorURL; empty: neither
  // How often the firing alerts are re-sent (OutboxDispatcher's resend_interval). A firing
  // alert's endsAt is 4 of them ahead: one lost resend, or two, do not resolve it.
  std::chrono::milliseconds resend_interval{60'000};
  // How long a test alert stays active in Alertmanager: long enough for its group_wait and a
  // look at the UI, short enough that nobody has to resolve it.
  std::chrono::milliseconds test_lifetime{300'000};
  DescribeFn describe;  // unset: empty summary and description
};

// "link_down" -> "LinkDown": each part between underscores capitalised (ASCII), joined.
std::string AlertmanagerAlertName(std::string_view rule);

// RFC 3339 in UTC with milliseconds, as Alertmanager prints them: "2024-03-01T08:30:05.123Z".
// Sub-millisecond parts are cut (floor), also before 1970.
std::string FormatRfc3339Millis(WallTime t);

// One notification (kFiring, kReminder, kResolved, kTest) as a JSON array: one alert per
// note, firing or resolved by the notification's kind. A test notification is one
// LanwatchTest alert, active for `test_lifetime`, whatever its notes.
std::string RenderAlertmanagerNotification(const Notification& n,
                                           const AlertmanagerPayloadSettings& settings,
                                           WallTime now);

// Every firing alert, plus the LanwatchHeartbeat alert (labels alertname, severity "none",
// site; startsAt `alive_since`) that never resolves while lanwatchd runs: route it to a
// dead man's switch to learn that lanwatchd, its host or the way to Alertmanager is down.
std::string RenderAlertmanagerFiring(const std::vector<AlertNote>& firing,
                                     const AlertmanagerPayloadSettings& settings, WallTime now,
                                     WallTime alive_since);

}  // namespace lanwatch
