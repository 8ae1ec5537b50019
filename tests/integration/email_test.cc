// Email notifications end to end: rendered by EmailReceiver, delivered by libcurl to a real
// SMTP server on loopback (aiosmtpd, tests/agents/smtp_sink.py), read back by Python's email
// package the way a mail client reads them. No mocks: outages are the server answering 451 or
// 554, or no server at all.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "exporters/notify/email_message.h"
#include "exporters/notify/site_time.h"
#include "exporters/notify/smtp_receiver.h"
#include "tests/support/agents.h"
#include "tests/support/smtp_sink.h"

namespace lanwatch {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using testing::ParseMail;
using testing::SmtpSink;
using testing::SmtpSinkOptions;

// 2026-12-01 13:35:00 UTC: 21:35:00 at the bureau (Asia/Shanghai, +08:00).
const WallTime kSince =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(13) + minutes(35);

DeviceConfig Device(std::string name, DeviceRole role, std::string parent = "") {
  DeviceConfig d;
  d.name = std::move(name);
  d.role = role;
  d.address = "127.0.0.1";
  d.parent = std::move(parent);
  return d;
}

LinkConfig Link(std::string name, LinkKind kind, std::string device, double capacity_bps) {
  LinkConfig l;
  l.name = std::move(name);
  l.kind = kind;
  l.device = std::move(device);
  l.interface.value = kind == LinkKind::kUplink ? "wan0" : "unit-" + l.name;
  l.capacity_bps = capacity_bps;
  return l;
}

Config Bureau(NotifyLanguage language, const std::string& url) {
  Config c;
  c.site = language == NotifyLanguage::kZh ? "市商务局" : "Municipal Commerce Bureau";
  c.devices = {Device("core-switch", DeviceRole::kSwitch),
               Device("router", DeviceRole::kRouter, "core-switch"),
               Device("server", DeviceRole::kServer, "core-switch")};
  c.links.push_back(Link("uplink", LinkKind::kUplink, "router", 10e6));
  for (const char* unit :
       {"datong", "tianjiaan", "xiejiaji", "bagongshan", "panji", "maoji", "fengtai"}) {
    c.links.push_back(Link(unit, LinkKind::kSubordinate, "core-switch", 100e6));
  }
  c.notify.language = language;
  c.notify.timezone = "Asia/Shanghai";
  c.notify.dashboard_url = "http://127.0.0.1:9731/status";
  c.notify.email.url = url;
  c.notify.email.from = "lanwatch <lanwatch@bureau.example>";
  c.notify.email.to = {"it@bureau.example", "network@bureau.example"};
  return c;
}

AlertNote PanjiDown() {
  AlertNote n;
  n.key = {rule::kLinkDown, "core-switch", "panji"};
  n.severity = Severity::kCritical;
  n.since = kSince;
  n.facts.interface = "unit-panji";
  return n;
}

Notification Firing(std::string id, std::vector<AlertNote> alerts) {
  Notification n;
  n.id = std::move(id);
  n.kind = NotificationKind::kFiring;
  n.device = alerts.front().key.device;
  n.created_at = alerts.front().since + std::chrono::seconds(5);
  n.alerts = std::move(alerts);
  return n;
}

Notification Resolved(std::string id, const Notification& firing, minutes lasted) {
  Notification n = firing;
  n.id = std::move(id);
  n.kind = NotificationKind::kResolved;
  n.in_reply_to = {firing.id};
  for (AlertNote& a : n.alerts) a.ended = a.since + lasted;
  n.created_at = n.alerts.front().since + lasted + std::chrono::seconds(5);
  return n;
}

bool Contains(const json& j, const std::string& key, std::string_view needle) {
  return j[key].get<std::string>().find(needle) != std::string::npos;
}

// What every message must be, whatever it says.
void ExpectWellFormed(const json& m) {
  EXPECT_TRUE(m["seven_bit"]) << "8-bit bytes on the wire";
  EXPECT_EQ(m["bare_lf"], 0);
  EXPECT_EQ(m["bare_cr"], 0);
  EXPECT_LE(m["max_line"].get<int>(), 78);
  EXPECT_TRUE(m["defects"].empty()) << m["defects"].dump();
  EXPECT_TRUE(m["body_utf8_strict"]);
  EXPECT_EQ(m["mime_version"], "1.0");
  EXPECT_EQ(m["content_type"], "text/plain");
  EXPECT_EQ(m["charset"], "utf-8");
  EXPECT_EQ(m["transfer_encoding"], "base64");
  EXPECT_EQ(m["auto_submitted"], "auto-generated");
  for (const auto& [header, count] : m["header_counts"].items()) {
    EXPECT_EQ(count, 1) << header << " appears " << count << " times";
  }
  for (const std::string header : {"from", "to", "subject", "date", "message-id"}) {
    EXPECT_TRUE(m["header_counts"].contains(header)) << "no " << header;
  }
  for (const json& line : m["subject_raw"]) {  // RFC 2047: 76 with encoded-words, else 78
    std::string text = line;
    EXPECT_LE(text.size(), text.find("=?") == std::string::npos ? 78u : 76u) << text;
  }
}

class EmailDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_tz_ = tz ? std::optional<std::string>(tz) : std::nullopt;
    ASSERT_TRUE(UseSiteTimezone("Asia/Shanghai"));
  }
  void TearDown() override {
    if (saved_tz_) {
      setenv("TZ", saved_tz_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

  std::optional<std::string> saved_tz_;
};

TEST_F(EmailDelivery, ChineseFiringAndResolvedThreadUnderEachOther) {
  SmtpSink sink;
  EmailReceiver email(Bureau(NotifyLanguage::kZh, sink.url()));
  Notification firing = Firing("n1.panji", {PanjiDown()});
  Notification resolved = Resolved("n2.panji", firing, minutes(12));

  auto first = email.Deliver(email.Render(firing));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, "250 2.0.0 Ok: queued as 0001.eml");
  auto second = email.Deliver(email.Render(resolved));
  ASSERT_TRUE(second) << second.error().message;
  auto files = sink.WaitForMessages(2);
  ASSERT_EQ(files.size(), 2u) << sink.Log();

  json f = ParseMail(files[0]);
  ExpectWellFormed(f);
  EXPECT_EQ(f["subject"], "【严重】市商务局：下属单位 panji 的光纤链路中断");
  EXPECT_EQ(f["from"], "lanwatch <lanwatch@bureau.example>");
  EXPECT_EQ(f["to"], "it@bureau.example, network@bureau.example");
  EXPECT_EQ(f["message_id"], "<n1.panji@bureau.example>");
  EXPECT_EQ(f["date_iso"], "2026-12-01T21:35:05+08:00");
  EXPECT_EQ(f["in_reply_to"], "");
  EXPECT_EQ(f["x_lanwatch_kind"], "firing");
  EXPECT_TRUE(Contains(f, "body", "站点：市商务局\n")) << f["body"];
  EXPECT_TRUE(Contains(f, "body", "【严重】下属单位 panji 的光纤链路中断\n")) << f["body"];
  EXPECT_TRUE(Contains(f, "body", "端口：核心交换机 core-switch 的 unit-panji 口")) << f["body"];
  EXPECT_TRUE(Contains(f, "body", "开始时间：2026-12-01 21:35:00")) << f["body"];
  EXPECT_TRUE(Contains(f, "body", "状态页：http://127.0.0.1:9731/status")) << f["body"];

  json r = ParseMail(files[1]);
  ExpectWellFormed(r);
  EXPECT_EQ(r["subject"], "【已恢复】市商务局：下属单位 panji 的光纤链路已恢复，中断 12 分钟");
  EXPECT_EQ(r["message_id"], "<n2.panji@bureau.example>");
  EXPECT_EQ(r["in_reply_to"], f["message_id"]);
  EXPECT_EQ(r["references"], f["message_id"]);
  EXPECT_TRUE(Contains(r, "body", "恢复时间：2026-12-01 21:47:00")) << r["body"];
  EXPECT_TRUE(Contains(r, "body", "持续时间：12 分钟")) << r["body"];
}

TEST_F(EmailDelivery, EnglishUtilizationWithFiguresAndPeak) {
  SmtpSink sink;
  EmailReceiver email(Bureau(NotifyLanguage::kEn, sink.url()));
  AlertNote busy;
  busy.key = {rule::kLinkUtilization, "router", "uplink"};
  busy.severity = Severity::kCritical;
  busy.since = kSince;
  busy.facts.value = 0.96;
  busy.facts.threshold = 0.95;
  busy.facts.capacity_bps = 10e6;
  busy.facts.unit = "ratio";
  busy.facts.direction = "in";
  busy.facts.interface = "wan0";
  busy.peak = 0.98;
  Notification firing = Firing("util.1", {busy});
  ASSERT_TRUE(email.Deliver(email.Render(firing)));
  ASSERT_TRUE(email.Deliver(email.Render(Resolved("util.2", firing, minutes(25)))));
  auto files = sink.WaitForMessages(2);
  ASSERT_EQ(files.size(), 2u) << sink.Log();

  json f = ParseMail(files[0]);
  ExpectWellFormed(f);
  EXPECT_EQ(f["subject"],
            "[CRITICAL] Municipal Commerce Bureau: The uplink uplink (to the ISP) is near "
            "capacity (96% download)");
  EXPECT_TRUE(Contains(f, "body", "Download: 9.6 Mbit/s of 10 Mbit/s (96%, threshold 95%)"))
      << f["body"];
  EXPECT_TRUE(Contains(f, "body", "Port: wan0 on router router")) << f["body"];
  EXPECT_TRUE(Contains(f, "body", "Since: 2026-12-01 21:35:00 CST")) << f["body"];

  json r = ParseMail(files[1]);
  ExpectWellFormed(r);
  EXPECT_EQ(r["subject"],
            "[RESOLVED] Municipal Commerce Bureau: The uplink uplink (to the ISP) is back below "
            "its utilization threshold (peak 98%)");
  EXPECT_TRUE(Contains(r, "body", "Peak: 98% (9.8 Mbit/s)")) << r["body"];
  EXPECT_TRUE(Contains(r, "body", "Lasted: 25m 0s")) << r["body"];
  EXPECT_EQ(r["in_reply_to"], "<util.1@bureau.example>");
}

TEST_F(EmailDelivery, CoreSwitchOutageIsOneMailMostSevereFirst) {
  SmtpSink sink;
  EmailReceiver email(Bureau(NotifyLanguage::kZh, sink.url()));
  AlertNote errors;
  errors.key = {rule::kLinkErrors, "core-switch", "panji"};
  errors.severity = Severity::kWarning;
  errors.since = kSince;
  errors.facts.value = 0.2;  // 12/min
  errors.facts.threshold = 10.0 / 60;
  errors.facts.unit = "per_second";
  AlertNote down;
  down.key = {rule::kDeviceUnreachable, "core-switch", ""};
  down.severity = Severity::kCritical;
  down.since = kSince;
  down.facts.detail = "timeout";
  down.facts.affected_devices = {"router", "server"};
  down.facts.affected_links = {"uplink",     "datong", "tianjiaan", "xiejiaji",
                               "bagongshan", "panji",  "maoji",     "fengtai"};
  ASSERT_TRUE(email.Deliver(email.Render(Firing("outage.1", {errors, down}))));
  auto files = sink.WaitForMessages(1);
  ASSERT_EQ(files.size(), 1u) << sink.Log();

  json m = ParseMail(files[0]);
  ExpectWellFormed(m);
  EXPECT_EQ(
      m["subject"],
      "【严重】市商务局：核心交换机 core-switch 无法访问（另有 2 台设备、8 条链路受影响，另有 1 "
      "条告警）");
  std::string body = m["body"];
  size_t outage = body.find("【严重】核心交换机 core-switch 无法访问");
  size_t panji = body.find("【警告】下属单位 panji 的光纤链路出现错包（12 个/分钟）");
  ASSERT_NE(outage, std::string::npos) << body;
  ASSERT_NE(panji, std::string::npos) << body;
  EXPECT_LT(outage, panji) << "the most severe comes first";
  EXPECT_NE(body.find("受影响的设备（2 台）：路由器 router、服务器 server"), std::string::npos)
      << body;
  EXPECT_NE(body.find("受影响的链路（8 条）：uplink、datong、tianjiaan"), std::string::npos)
      << body;
  EXPECT_NE(body.find("原因：SNMP 请求超时，设备没有应答"), std::string::npos) << body;
  EXPECT_NE(body.find("错包（收+发）：12 个/分钟（告警阈值 10 个/分钟）"), std::string::npos)
      << body;
}

TEST_F(EmailDelivery, TheSamePayloadTwiceIsTheSameMessage) {
  SmtpSink sink;
  EmailReceiver email(Bureau(NotifyLanguage::kZh, sink.url()));
  std::string payload = email.Render(Firing("again.1", {PanjiDown()}));
  ASSERT_TRUE(email.Deliver(payload));
  ASSERT_TRUE(email.Deliver(payload));  // a resend after a lost reply
  auto files = sink.WaitForMessages(2);
  ASSERT_EQ(files.size(), 2u) << sink.Log();
  EXPECT_EQ(testing::ReadFile(files[0]), testing::ReadFile(files[1]));
  EXPECT_EQ(ParseMail(files[0])["message_id"], "<again.1@bureau.example>");
  EXPECT_EQ(ParseMail(files[1])["message_id"], "<again.1@bureau.example>");
}

TEST_F(EmailDelivery, LongChineseSubjectAndForeignBytesDecodeExactly) {
  SmtpSink sink;
  Config config = Bureau(NotifyLanguage::kZh, sink.url());
  config.site = "某某市商务局（市政府第三办公区）网络运维监控中心";
  // A link named with a character outside the BMP (4 UTF-8 bytes) and one whose name holds
  // GBK bytes (a config or device that is not UTF-8): neither may break the message.
  LinkConfig odd = Link("𠀋石桥分局", LinkKind::kSubordinate, "core-switch", 100e6);
  config.links.push_back(odd);
  EmailReceiver email(config);
  AlertNote a = PanjiDown();
  a.key.link = odd.name;
  AlertNote b = PanjiDown();
  b.key.link = "\xba\xcb\xd0\xc4";  // 核心 in GBK
  Notification n = Firing("long.1", {a, b});
  ASSERT_TRUE(email.Deliver(email.Render(n)));
  auto files = sink.WaitForMessages(1);
  ASSERT_EQ(files.size(), 1u) << sink.Log();

  json m = ParseMail(files[0]);
  ExpectWellFormed(m);
  EXPECT_EQ(m["subject"], ComposeEmail(n, config).subject);
  EXPECT_EQ(m["subject"],
            "【严重】某某市商务局（市政府第三办公区）网络运维监控中心：下属单位 𠀋石桥分局 "
            "的光纤链路中断（另有 1 条告警）");
  EXPECT_GE(m["subject_raw"].size(), 4u) << "split into several encoded-words";
  EXPECT_NE(m["body"].get<std::string>().find("【严重】链路 \xef\xbf\xbd\xef\xbf\xbd"),
            std::string::npos)
      << "GBK bytes become U+FFFD: " << m["body"];
}

TEST_F(EmailDelivery, ServerAnswering451IsAnErrorWithTheCodeThenItRecovers) {
  SmtpSinkOptions options;
  options.fail_first = 1;
  options.fail_code = 451;
  SmtpSink sink(options);
  EmailReceiver email(Bureau(NotifyLanguage::kZh, sink.url()));
  std::string payload = email.Render(Firing("busy.1", {PanjiDown()}));
  auto refused = email.Deliver(payload);
  ASSERT_FALSE(refused) << *refused;
  EXPECT_NE(refused.error().message.find("SMTP 451"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("temporary"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("4.3.0 Try again later"), std::string::npos)
      << refused.error().message;
  EXPECT_TRUE(sink.Messages().empty());

  auto retried = email.Deliver(payload);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
}

TEST_F(EmailDelivery, ServerRefusing554WhileAFlagFileExists) {
  testing::TempDir dir;
  std::string flag = dir.Write("outage", "");
  SmtpSinkOptions options;
  options.fail_while = flag;
  options.fail_code = 554;
  SmtpSink sink(options);
  EmailReceiver email(Bureau(NotifyLanguage::kEn, sink.url()));
  std::string payload = email.Render(Firing("flag.1", {PanjiDown()}));
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto refused = email.Deliver(payload);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("SMTP 554 refused"), std::string::npos)
        << refused.error().message;
  }
  std::filesystem::remove(flag);
  auto delivered = email.Deliver(payload);
  ASSERT_TRUE(delivered) << delivered.error().message;
  EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
}

TEST_F(EmailDelivery, NoServerListeningIsAClearErrorAtOnce) {
  int port = testing::FreeTcpPort();  // nothing listens there
  EmailReceiver email(Bureau(NotifyLanguage::kZh, fmt::format("smtp://127.0.0.1:{}", port)),
                      SmtpTimeouts{std::chrono::seconds(2), std::chrono::seconds(5)});
  auto start = std::chrono::steady_clock::now();
  auto result = email.Deliver(email.Render(Firing("nobody.1", {PanjiDown()})));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  const std::string& why = result.error().message;
  EXPECT_NE(why.find(fmt::format("smtp://127.0.0.1:{}", port)), std::string::npos) << why;
  EXPECT_NE(why.find("onnect"), std::string::npos) << why;  // "Couldn't connect", "connect to"
  EXPECT_LT(took, std::chrono::seconds(2)) << why;
}

TEST_F(EmailDelivery, PasswordIsReadFromItsFileAndNeverInAnError) {
  SmtpSinkOptions options;
  options.auth_user = "lanwatch";
  options.auth_password = "right-Pass-42";
  SmtpSink sink(options);
  testing::TempDir dir;
  Config config = Bureau(NotifyLanguage::kZh, sink.url());
  config.notify.email.username = "lanwatch";
  config.notify.email.password_file = dir.Write("wrong", "Wr0ng-s3cret-XYZ\n");
  std::string payload;
  {
    EmailReceiver email(config);
    payload = email.Render(Firing("auth.1", {PanjiDown()}));
    auto denied = email.Deliver(payload);
    ASSERT_FALSE(denied) << *denied;
    EXPECT_NE(denied.error().message.find("535"), std::string::npos) << denied.error().message;
    EXPECT_EQ(denied.error().message.find("Wr0ng-s3cret-XYZ"), std::string::npos)
        << denied.error().message;
    EXPECT_EQ(denied.error().message.find("s3cret"), std::string::npos);
  }
  {
    config.notify.email.password_file = dir.path() + "/missing";
    EmailReceiver email(config);
    auto missing = email.Deliver(payload);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("cannot read password_file " + dir.path() + "/missing"),
              std::string::npos)
        << missing.error().message;
  }
  {
    config.notify.email.password_file = dir.Write("right", "right-Pass-42\n");
    EmailReceiver email(config);
    auto accepted = email.Deliver(payload);
    ASSERT_TRUE(accepted) << accepted.error().message;
    EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
  }
  EXPECT_EQ(sink.Log().find("right-Pass-42"), std::string::npos);
}

TEST_F(EmailDelivery, StarttlsRequiredButNotOfferedSendsNothing) {
  SmtpSink sink;  // no TLS: it does not offer STARTTLS
  Config config = Bureau(NotifyLanguage::kEn, sink.url());
  config.notify.email.starttls = true;
  EmailReceiver email(config);
  auto result = email.Deliver(email.Render(Firing("tls.1", {PanjiDown()})));
  ASSERT_FALSE(result) << *result;
  EXPECT_NE(result.error().message.find(sink.url()), std::string::npos) << result.error().message;
  EXPECT_TRUE(sink.Messages().empty());
}

// `lanwatch notify --test` as the IT section runs it after editing the config.
class EmailCli : public ::testing::Test {
 protected:
  std::string WriteConfig(const std::string& email_section) {
    return dir_.Write("lanwatch.yaml", fmt::format(R"(site: 市商务局
devices:
  - {{name: core-switch, role: switch, address: 127.0.0.1}}
notify:
  language: zh
  timezone: Asia/Shanghai
{}
)",
                                                   email_section));
  }
  static testing::CommandResult NotifyTest(const std::string& config) {
    return testing::RunCommand(
        fmt::format("{} notify --test -c {}", testing::LanwatchBinary(), config));
  }
  testing::TempDir dir_;
};

TEST_F(EmailCli, NotifyTestSendsOneMailAndPrintsTheAnswer) {
  SmtpSink sink;
  auto r = NotifyTest(WriteConfig(fmt::format(R"(  email:
    url: {}
    from: "网络监控 <lanwatch@bureau.example>"
    to: [it@bureau.example])",
                                              sink.url())));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("250 2.0.0 Ok: queued as 0001.eml"), std::string::npos) << r.output;
  auto files = sink.WaitForMessages(1);
  ASSERT_EQ(files.size(), 1u) << sink.Log();
  json m = ParseMail(files[0]);
  ExpectWellFormed(m);
  EXPECT_EQ(m["subject"], "【测试】市商务局：lanwatch 测试邮件");
  EXPECT_EQ(m["from"], "网络监控 <lanwatch@bureau.example>");
  EXPECT_EQ(m["x_lanwatch_kind"], "test");
  EXPECT_TRUE(Contains(m, "body", "这是一封测试邮件")) << m["body"];
  EXPECT_TRUE(Contains(m, "body", "邮件服务器：" + sink.url())) << m["body"];
}

TEST_F(EmailCli, NotifyTestSaysWhenNoEmailIsConfigured) {
  auto r = NotifyTest(WriteConfig("  dashboard_url: http://127.0.0.1:9731/"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no email is configured"), std::string::npos) << r.output;
}

TEST_F(EmailCli, NotifyTestPrintsTheRefusalAndFails) {
  SmtpSinkOptions options;
  options.fail_first = 5;
  options.fail_code = 554;
  SmtpSink sink(options);
  auto r = NotifyTest(WriteConfig(fmt::format(R"(  email:
    url: {}
    from: lanwatch@bureau.example
    to: it@bureau.example)",
                                              sink.url())));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("NOT sent"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("SMTP 554"), std::string::npos) << r.output;
  EXPECT_TRUE(sink.Messages().empty());
}

}  // namespace
}  // namespace lanwatch
