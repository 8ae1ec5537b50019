#include "exporters/notify/alertmanager_payload.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace lanwatch {
namespace {

// ordered_json: the body reads in the order written (labels, annotations, times), which is
// what a person reading a captured payload or the outbox wants; Alertmanager does not care.
using Json = nlohmann::ordered_json;

std::string_view SeverityLabel(Severity s) {
  // Rules raise warning or critical (AlertSeverity); anything else is worth no more than a
  // warning, and the label must stay within the two values routes are written for.
  return s == Severity::kCritical ? "critical" : "warning";
}

Json Labels(std::string_view rule, std::string_view severity, const std::string& site,
            const std::string& device, const std::string& link) {
  // Empty values are left out: Alertmanager (like Prometheus) treats an empty label as
  // absent, and a route matching `link=""` should mean "no link".
  Json labels = Json::object();
  labels["alertname"] = AlertmanagerAlertName(rule);
  labels["severity"] = severity;
  if (!site.empty()) labels["site"] = site;
  if (!device.empty()) labels["device"] = device;
  if (!link.empty()) labels["link"] = link;
  return labels;
}

Json Annotations(const std::string& summary, const std::string& description,
                 const AlertmanagerPayloadSettings& settings) {
  Json annotations = Json::object();
  if (!summary.empty()) annotations["summary"] = summary;
  if (!description.empty()) annotations["description"] = description;
  if (!settings.dashboard_url.empty()) annotations["dashboard"] = settings.dashboard_url;
  return annotations;
}

// The times and the link back. Alertmanager rejects the whole request (400) when an endsAt
// lies before its startsAt, and a rejected payload would be retried from the outbox forever:
// endsAt is never earlier than startsAt.
void SetTimes(Json& alert, WallTime starts, WallTime ends,
              const AlertmanagerPayloadSettings& settings) {
  if (starts != WallTime{}) {
    alert["startsAt"] = FormatRfc3339Millis(starts);
    ends = std::max(ends, starts);
  }  // else Alertmanager takes the time it received it
  alert["endsAt"] = FormatRfc3339Millis(ends);
  if (!settings.dashboard_url.empty()) alert["generatorURL"] = settings.dashboard_url;
}

Json NoteAlert(const AlertNote& note, NotificationKind kind,
               const AlertmanagerPayloadSettings& settings, WallTime now) {
  auto [summary, description] =
      settings.describe ? settings.describe(note, kind) : std::pair<std::string, std::string>{};
  Json alert;
  alert["labels"] = Labels(note.key.rule, SeverityLabel(note.severity), settings.site,
                           note.key.device, note.key.link);
  alert["annotations"] = Annotations(summary, description, settings);
  WallTime ends = kind == NotificationKind::kResolved ? note.ended.value_or(now)
                                                      : now + 4 * settings.resend_interval;
  SetTimes(alert, note.since, ends, settings);
  return alert;
}

Json TestAlert(const Notification& n, const AlertmanagerPayloadSettings& settings, WallTime now) {
  AlertNote note;
  note.key = {kTestRule, n.device.empty() ? std::string(kSelfDevice) : n.device, ""};
  note.severity = Severity::kWarning;  // where real warnings go: the test proves that way
  note.since = now;
  auto [summary, description] = settings.describe ? settings.describe(note, NotificationKind::kTest)
                                                  : std::pair<std::string, std::string>{};
  Json alert;
  alert["labels"] =
      Labels(note.key.rule, SeverityLabel(note.severity), settings.site, note.key.device, "");
  alert["annotations"] = Annotations(summary, description, settings);
  SetTimes(alert, now, now + settings.test_lifetime, settings);
  return alert;
}

Json HeartbeatAlert(const AlertmanagerPayloadSettings& settings, WallTime now,
                    WallTime alive_since) {
  Json alert;
  alert["labels"] = Labels(kHeartbeatRule, "none", settings.site, "", "");
  // Read by whoever writes the Alertmanager config, not by the IT section: not localised.
  alert["annotations"] = Annotations(
      fmt::format("lanwatchd of site {} is running", settings.site),
      "Always firing while lanwatchd runs and reaches this Alertmanager. Route it to a "
      "dead man's switch: its absence means lanwatchd, its host or the network path is down.",
      settings);
  SetTimes(alert, alive_since, now + 4 * settings.resend_interval, settings);
  return alert;
}

std::string Dump(const Json& body) {
  // UTF-8 as is (device names are often Chinese; escapes would only make the outbox harder to
  // read). Invalid bytes become U+FFFD instead of an exception: names are decoded at the
  // source, and one stray byte must not stop every alert.
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string AlertmanagerAlertName(std::string_view rule) {
  std::string name;
  bool start = true;
  for (char c : rule) {
    if (c == '_') {
      start = true;
      continue;
    }
    name += start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    start = false;
  }
  return name;
}

std::string FormatRfc3339Millis(WallTime t) {
  using namespace std::chrono;
  auto ms = floor<milliseconds>(t);
  auto day = floor<days>(ms);
  year_month_day ymd(day);
  hh_mm_ss hms(ms - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

std::string RenderAlertmanagerNotification(const Notification& n,
                                           const AlertmanagerPayloadSettings& settings,
                                           WallTime now) {
  Json body = Json::array();
  if (n.kind == NotificationKind::kTest) {
    body.push_back(TestAlert(n, settings, now));
  } else {
    for (const AlertNote& note : n.alerts) body.push_back(NoteAlert(note, n.kind, settings, now));
  }
  return Dump(body);
}

std::string RenderAlertmanagerFiring(const std::vector<AlertNote>& firing,
                                     const AlertmanagerPayloadSettings& settings, WallTime now,
                                     WallTime alive_since) {
  Json body = Json::array();
  for (const AlertNote& note : firing) {
    body.push_back(NoteAlert(note, NotificationKind::kFiring, settings, now));
  }
  body.push_back(HeartbeatAlert(settings, now, alive_since));
  return Dump(body);
}

}  // namespace lanwatch
