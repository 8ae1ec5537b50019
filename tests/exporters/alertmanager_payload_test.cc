// What lanwatch POSTs to Alertmanager: the exact label set (it is the alert's identity there),
// RFC 3339 times, and when each alert ends: ahead of now while firing, at its end once
// resolved. The words come from the DescribeFn; here a fake that names what it was asked.
#include "exporters/notify/alertmanager_payload.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "exporters/notify/alertmanager_receiver.h"

namespace lanwatch {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// 2024-03-01 08:30:05.123 UTC.
const WallTime kNow =
    std::chrono::sys_days{std::chrono::year{2024} / 3 / 1} + 8h + 30min + 5s + 123ms;

std::pair<std::string, std::string> FakeDescribe(const AlertNote& note, NotificationKind kind) {
  std::string k = kind == NotificationKind::kResolved   ? "resolved"
                  : kind == NotificationKind::kTest     ? "test"
                  : kind == NotificationKind::kReminder ? "reminder"
                                                        : "firing";
  return {k + " " + note.key.rule + " " + note.key.device, "details of " + note.key.link};
}

AlertmanagerPayloadSettings Settings(std::string dashboard = "http://127.0.0.1:3000/d/lanwatch") {
  AlertmanagerPayloadSettings s;
  s.site = "分局";
  s.dashboard_url = std::move(dashboard);
  s.resend_interval = 60s;
  s.describe = FakeDescribe;
  return s;
}

AlertNote Note(std::string rule, std::string device, std::string link, Severity severity) {
  AlertNote n;
  n.key = {std::move(rule), std::move(device), std::move(link)};
  n.severity = severity;
  n.since = kNow - 10min;
  return n;
}

Notification Of(NotificationKind kind, std::vector<AlertNote> notes) {
  Notification n;
  n.id = "n1";
  n.kind = kind;
  n.device = notes.empty() ? "" : notes.front().key.device;
  n.created_at = kNow;
  n.alerts = std::move(notes);
  return n;
}

json Render(const Notification& n, const AlertmanagerPayloadSettings& s = Settings()) {
  return json::parse(RenderAlertmanagerNotification(n, s, kNow));
}

TEST(AlertmanagerAlertName, IsTheRuleInCamelCase) {
  EXPECT_EQ(AlertmanagerAlertName(rule::kLinkDown), "LinkDown");
  EXPECT_EQ(AlertmanagerAlertName(rule::kLinkSpeed), "LinkSpeedLow");
  EXPECT_EQ(AlertmanagerAlertName(rule::kDeviceUnreachable), "DeviceUnreachable");
  EXPECT_EQ(AlertmanagerAlertName(rule::kReceiverFailing), "ReceiverFailing");
  EXPECT_EQ(AlertmanagerAlertName(kHeartbeatRule), "LanwatchHeartbeat");
  EXPECT_EQ(AlertmanagerAlertName(kTestRule), "LanwatchTest");
  EXPECT_EQ(AlertmanagerAlertName("_odd__name_"), "OddName");
}

TEST(FormatRfc3339Millis, UtcWithMillisecondsCut) {
  EXPECT_EQ(FormatRfc3339Millis(kNow), "2024-03-01T08:30:05.123Z");
  EXPECT_EQ(FormatRfc3339Millis(kNow + 999us), "2024-03-01T08:30:05.123Z");
  EXPECT_EQ(FormatRfc3339Millis(WallTime{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(WallTime{} - 1ms), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339Millis(std::chrono::sys_days{std::chrono::year{2024} / 12 / 31} + 23h +
                                59min + 59s + 7ms),
            "2024-12-31T23:59:59.007Z");
}

TEST(AlertmanagerPayload, FiringLinkAlertHasExactlyItsLabels) {
  json body = Render(Of(NotificationKind::kFiring,
                        {Note(rule::kLinkDown, "核心交换机", "磐基光纤", Severity::kCritical)}));
  ASSERT_TRUE(body.is_array());
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0]["labels"], json({{"alertname", "LinkDown"},
                                     {"severity", "critical"},
                                     {"site", "分局"},
                                     {"device", "核心交换机"},
                                     {"link", "磐基光纤"}}));
  EXPECT_EQ(body[0]["annotations"], json({{"summary", "firing link_down 核心交换机"},
                                          {"description", "details of 磐基光纤"},
                                          {"dashboard", "http://127.0.0.1:3000/d/lanwatch"}}));
  EXPECT_EQ(body[0]["startsAt"], "2024-03-01T08:20:05.123Z");
  EXPECT_EQ(body[0]["generatorURL"], "http://127.0.0.1:3000/d/lanwatch");
}

TEST(AlertmanagerPayload, DeviceAlertHasNoLinkLabel) {
  json body = Render(Of(NotificationKind::kFiring,
                        {Note(rule::kDeviceUnreachable, "router", "", Severity::kWarning)}));
  EXPECT_EQ(body[0]["labels"], json({{"alertname", "DeviceUnreachable"},
                                     {"severity", "warning"},
                                     {"site", "分局"},
                                     {"device", "router"}}));
}

TEST(AlertmanagerPayload, SeverityIsCriticalOrWarning) {
  json body = Render(
      Of(NotificationKind::kFiring, {Note(rule::kLinkNoData, "sw", "a", Severity::kUnknown),
                                     Note(rule::kLinkErrors, "sw", "b", Severity::kWarning),
                                     Note(rule::kLinkDown, "sw", "c", Severity::kCritical)}));
  ASSERT_EQ(body.size(), 3u);
  EXPECT_EQ(body[0]["labels"]["severity"], "warning");
  EXPECT_EQ(body[1]["labels"]["severity"], "warning");
  EXPECT_EQ(body[2]["labels"]["severity"], "critical");
}

TEST(AlertmanagerPayload, FiringAndReminderEndFourResendIntervalsAhead) {
  for (NotificationKind kind : {NotificationKind::kFiring, NotificationKind::kReminder}) {
    json body = Render(Of(kind, {Note(rule::kLinkDown, "sw", "up", Severity::kCritical)}));
    EXPECT_EQ(body[0]["endsAt"], "2024-03-01T08:34:05.123Z");  // now + 4 x 60 s
  }
  AlertmanagerPayloadSettings s = Settings();
  s.resend_interval = 5min;
  json body = Render(
      Of(NotificationKind::kFiring, {Note(rule::kLinkDown, "sw", "up", Severity::kCritical)}), s);
  EXPECT_EQ(body[0]["endsAt"], "2024-03-01T08:50:05.123Z");  // now + 20 min
  json reminder = Render(
      Of(NotificationKind::kReminder, {Note(rule::kLinkDown, "sw", "up", Severity::kCritical)}));
  EXPECT_EQ(reminder[0]["annotations"]["summary"], "reminder link_down sw");
}

TEST(AlertmanagerPayload, ResolvedEndsWhenTheAlertEnded) {
  AlertNote n = Note(rule::kLinkUtilization, "sw", "uplink", Severity::kWarning);
  n.ended = kNow - 30s;
  json body = Render(Of(NotificationKind::kResolved, {n}));
  EXPECT_EQ(body[0]["startsAt"], "2024-03-01T08:20:05.123Z");
  EXPECT_EQ(body[0]["endsAt"], "2024-03-01T08:29:35.123Z");
  EXPECT_EQ(body[0]["labels"]["alertname"], "LinkUtilization");
  EXPECT_EQ(body[0]["annotations"]["summary"], "resolved link_utilization sw");
  // Without an end time it ends now; never before it started (Alertmanager would answer 400
  // to the whole request, and the outbox would retry it forever).
  n.ended.reset();
  EXPECT_EQ(Render(Of(NotificationKind::kResolved, {n}))[0]["endsAt"], "2024-03-01T08:30:05.123Z");
  n.ended = n.since - 1h;
  EXPECT_EQ(Render(Of(NotificationKind::kResolved, {n}))[0]["endsAt"], "2024-03-01T08:20:05.123Z");
}

TEST(AlertmanagerPayload, NoDashboardNoLinkBack) {
  json body = Render(
      Of(NotificationKind::kFiring, {Note(rule::kLinkDown, "sw", "up", Severity::kCritical)}),
      Settings(""));
  EXPECT_FALSE(body[0].contains("generatorURL"));
  EXPECT_FALSE(body[0]["annotations"].contains("dashboard"));
  EXPECT_TRUE(body[0]["annotations"].contains("summary"));
}

TEST(AlertmanagerPayload, NoStartTimeLeavesItToAlertmanager) {
  AlertNote n = Note(rule::kLinkDown, "sw", "up", Severity::kCritical);
  n.since = WallTime{};
  json body = Render(Of(NotificationKind::kFiring, {n}));
  EXPECT_FALSE(body[0].contains("startsAt"));
  EXPECT_EQ(body[0]["endsAt"], "2024-03-01T08:34:05.123Z");
}

TEST(AlertmanagerPayload, TestNotificationIsOneShortLivedLanwatchTestAlert) {
  Notification n = Of(NotificationKind::kTest, {});
  n.device = kSelfDevice;
  json body = Render(n);
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0]["labels"], json({{"alertname", "LanwatchTest"},
                                     {"severity", "warning"},
                                     {"site", "分局"},
                                     {"device", "lanwatch"}}));
  EXPECT_EQ(body[0]["annotations"]["summary"], "test lanwatch_test lanwatch");
  EXPECT_EQ(body[0]["startsAt"], "2024-03-01T08:30:05.123Z");
  EXPECT_EQ(body[0]["endsAt"], "2024-03-01T08:35:05.123Z");  // 5 min later
}

TEST(AlertmanagerPayload, FiringSetEndsWithTheHeartbeat) {
  std::vector<AlertNote> firing = {Note(rule::kLinkDown, "sw", "up", Severity::kCritical),
                                   Note(rule::kDeviceRebooted, "ap", "", Severity::kWarning)};
  json body = json::parse(RenderAlertmanagerFiring(firing, Settings(), kNow, kNow - 1h));
  ASSERT_EQ(body.size(), 3u);
  EXPECT_EQ(body[0]["labels"]["alertname"], "LinkDown");
  EXPECT_EQ(body[0]["endsAt"], "2024-03-01T08:34:05.123Z");
  EXPECT_EQ(body[1]["labels"]["alertname"], "DeviceRebooted");
  const json& heartbeat = body[2];
  EXPECT_EQ(heartbeat["labels"],
            json({{"alertname", "LanwatchHeartbeat"}, {"severity", "none"}, {"site", "分局"}}));
  EXPECT_EQ(heartbeat["startsAt"], "2024-03-01T07:30:05.123Z");
  EXPECT_EQ(heartbeat["endsAt"], "2024-03-01T08:34:05.123Z");
  EXPECT_NE(heartbeat["annotations"]["summary"].get<std::string>().find("分局"), std::string::npos);

  json alone = json::parse(RenderAlertmanagerFiring({}, Settings(), kNow, kNow));
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0]["labels"]["alertname"], "LanwatchHeartbeat");
}

TEST(AlertmanagerPayload, ChineseStaysUtf8AndBadBytesBecomeReplacementCharacters) {
  std::string text = RenderAlertmanagerNotification(
      Of(NotificationKind::kFiring,
         {Note(rule::kLinkDown, "核心", "\xba\xcb", Severity::kCritical)}),  // GBK bytes
      Settings(), kNow);
  EXPECT_NE(text.find("\"device\":\"核心\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"link\":\"\xef\xbf\xbd\xef\xbf\xbd\""), std::string::npos) << text;
}

TEST(AlertmanagerReceiver, RendersWithItsClockAndOptions) {
  Config config;
  config.site = "bureau";
  config.notify.dashboard_url = "http://127.0.0.1:3000/";
  config.notify.alertmanager_urls = {"http://127.0.0.1:9093"};
  AlertmanagerOptions options = AlertmanagerOptionsFrom(config, 30s);
  EXPECT_EQ(options.urls, config.notify.alertmanager_urls);
  WallTime now = kNow - 1h;  // at construction: the heartbeat's start
  AlertmanagerReceiver receiver(options, FakeDescribe, [&] { return now; });
  now = kNow;
  EXPECT_EQ(receiver.name(), "alertmanager");
  json body = json::parse(receiver.Render(
      Of(NotificationKind::kFiring, {Note(rule::kLinkDown, "sw", "up", Severity::kCritical)})));
  EXPECT_EQ(body[0]["labels"]["site"], "bureau");
  EXPECT_EQ(body[0]["endsAt"], "2024-03-01T08:32:05.123Z");  // now + 4 x 30 s
  EXPECT_EQ(body[0]["generatorURL"], "http://127.0.0.1:3000/");
  auto firing = receiver.RenderFiring({});
  ASSERT_TRUE(firing.has_value());
  EXPECT_EQ(json::parse(*firing)[0]["startsAt"], "2024-03-01T07:30:05.123Z");
}

TEST(AlertmanagerReceiver, NoUrlIsAnError) {
  AlertmanagerReceiver receiver({}, FakeDescribe);
  auto r = receiver.Deliver("[]");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "no Alertmanager URL configured");
}

}  // namespace
}  // namespace lanwatch
