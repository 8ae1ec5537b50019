// The words of alerts in Chinese and English: one wording per rule for firing, resolved and
// reminder; names as configured; figures with their units; times in the site's zone.
#include "exporters/notify/alert_text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "config/text_encoding.h"
#include "daemon/fiber_health.h"
#include "exporters/notify/alert_wording.h"
#include "exporters/notify/site_time.h"

namespace lanwatch {
namespace {

using std::chrono::minutes;

const WallTime kSince =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(13) + minutes(35);

class AlertText : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_tz_ = tz;
    ASSERT_TRUE(UseSiteTimezone("Asia/Shanghai"));
    config_.site = "市商务局";
    AddDevice("core-switch", DeviceRole::kSwitch, "");
    AddDevice("router", DeviceRole::kRouter, "core-switch");
    AddDevice("server", DeviceRole::kServer, "core-switch");
    AddDevice("access-3f", DeviceRole::kSwitch, "core-switch");
    AddLink("uplink", LinkKind::kUplink, "router", "wan0", 10e6);
    AddLink("panji", LinkKind::kSubordinate, "core-switch", "unit-panji", 100e6);
    AddLink("电信", LinkKind::kUplink, "router", "wan1", 10e6);
    CaptureConfig capture;
    capture.name = "span";
    capture.interface = "eth1";
    capture.link = "uplink";
    config_.captures.push_back(capture);
  }
  void TearDown() override {
    if (saved_tz_) {
      setenv("TZ", saved_tz_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  void AddDevice(const char* name, DeviceRole role, const char* parent) {
    DeviceConfig d;
    d.name = name;
    d.role = role;
    d.parent = parent;
    config_.devices.push_back(d);
  }
  void AddLink(const char* name, LinkKind kind, const char* device, const char* port,
               double capacity) {
    LinkConfig l;
    l.name = name;
    l.kind = kind;
    l.device = device;
    l.interface.value = port;
    l.capacity_bps = capacity;
    config_.links.push_back(l);
  }
  static AlertNote Note(const char* rule, const char* device, const char* link,
                        Severity severity = Severity::kCritical) {
    AlertNote n;
    n.key = {rule, device, link};
    n.severity = severity;
    n.since = kSince;
    return n;
  }
  lanwatch::AlertText Zh(const AlertNote& n, NotificationKind kind = NotificationKind::kFiring) {
    config_.notify.language = NotifyLanguage::kZh;
    return DescribeAlert(n, kind, config_);
  }
  lanwatch::AlertText En(const AlertNote& n, NotificationKind kind = NotificationKind::kFiring) {
    config_.notify.language = NotifyLanguage::kEn;
    return DescribeAlert(n, kind, config_);
  }
  static bool Has(const lanwatch::AlertText& t, std::string_view line) {
    for (const std::string& d : t.details) {
      if (d == line) return true;
    }
    return false;
  }
  static std::string Dump(const lanwatch::AlertText& t) {
    std::string out = t.summary + "\n";
    for (const std::string& d : t.details) out += "  " + d + "\n";
    return out;
  }

  Config config_;
  std::optional<std::string> saved_tz_;
};

TEST_F(AlertText, SubordinateLinkDownAndBack) {
  AlertNote n = Note(rule::kLinkDown, "core-switch", "panji");
  lanwatch::AlertText firing = Zh(n);
  EXPECT_EQ(firing.summary, "下属单位 panji 的光纤链路中断");
  EXPECT_TRUE(Has(firing, "端口：核心交换机 core-switch 的 unit-panji 口")) << Dump(firing);
  EXPECT_TRUE(Has(firing, "开始时间：2026-12-01 21:35:00")) << Dump(firing);
  n.ended = kSince + minutes(12);
  lanwatch::AlertText resolved = Zh(n, NotificationKind::kResolved);
  EXPECT_EQ(resolved.summary, "下属单位 panji 的光纤链路已恢复，中断 12 分钟");
  EXPECT_TRUE(Has(resolved, "恢复时间：2026-12-01 21:47:00")) << Dump(resolved);
  EXPECT_EQ(En(n).summary, "Unit panji's fiber link is down");
  EXPECT_EQ(En(n, NotificationKind::kResolved).summary,
            "Unit panji's fiber link is back up after 12m 0s down");
  EXPECT_EQ(Zh(n, NotificationKind::kReminder).summary, "下属单位 panji 的光纤链路仍处于中断状态");
}

TEST_F(AlertText, UplinkAndDeviceRoles) {
  EXPECT_EQ(Zh(Note(rule::kLinkDown, "router", "uplink")).summary, "出口链路 uplink 中断");
  EXPECT_EQ(Zh(Note(rule::kLinkDown, "router", "电信")).summary, "出口链路 电信 中断");
  EXPECT_EQ(En(Note(rule::kLinkDown, "router", "uplink")).summary,
            "The uplink uplink (to the ISP) is down");
  EXPECT_EQ(Zh(Note(rule::kDeviceUnreachable, "core-switch", "")).summary,
            "核心交换机 core-switch 无法访问");
  EXPECT_EQ(Zh(Note(rule::kDeviceUnreachable, "access-3f", "")).summary,
            "交换机 access-3f 无法访问");
  EXPECT_EQ(Zh(Note(rule::kDeviceUnreachable, "router", "")).summary, "路由器 router 无法访问");
  EXPECT_EQ(Zh(Note(rule::kDeviceUnreachable, "server", "")).summary, "服务器 server 无法访问");
  EXPECT_EQ(Zh(Note(rule::kDeviceUnreachable, "unknown", "")).summary, "设备 unknown 无法访问");
  EXPECT_EQ(En(Note(rule::kDeviceUnreachable, "core-switch", "")).summary,
            "Core switch core-switch is unreachable");
}

TEST_F(AlertText, UtilizationInPercentAndBitRates) {
  AlertNote n = Note(rule::kLinkUtilization, "router", "uplink");
  n.facts.value = 0.96;
  n.facts.threshold = 0.95;
  n.facts.capacity_bps = 10e6;
  n.facts.unit = "ratio";
  n.facts.direction = "in";
  n.peak = 0.981;
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "出口链路 uplink 带宽占用过高（下行 96%）");
  EXPECT_TRUE(Has(zh, "下行流量：9.6 Mbit/s，带宽 10 Mbit/s，占用 96%（告警阈值 95%）"))
      << Dump(zh);
  lanwatch::AlertText en = En(n);
  EXPECT_TRUE(Has(en, "Download: 9.6 Mbit/s of 10 Mbit/s (96%, threshold 95%)")) << Dump(en);
  n.ended = kSince + minutes(25);
  lanwatch::AlertText resolved = Zh(n, NotificationKind::kResolved);
  EXPECT_EQ(resolved.summary, "出口链路 uplink 带宽占用已回落（期间峰值 98.1%）");
  EXPECT_TRUE(Has(resolved, "期间峰值：98.1%（9.81 Mbit/s）")) << Dump(resolved);
  EXPECT_TRUE(Has(resolved, "持续时间：25 分钟")) << Dump(resolved);
}

TEST_F(AlertText, ErrorsPerMinuteDiscardsPerSecond) {
  AlertNote errors = Note(rule::kLinkErrors, "core-switch", "panji", Severity::kWarning);
  errors.facts.value = 0.2;
  errors.facts.threshold = 1.0 / 60;
  errors.facts.unit = "per_second";
  EXPECT_EQ(Zh(errors).summary, "下属单位 panji 的光纤链路出现错包（12 个/分钟）");
  EXPECT_TRUE(Has(Zh(errors), "错包（收+发）：12 个/分钟（告警阈值 1 个/分钟）"))
      << Dump(Zh(errors));
  EXPECT_TRUE(Has(En(errors), "Errors (in+out): 12/min (threshold 1/min)")) << Dump(En(errors));
  AlertNote discards = Note(rule::kLinkDiscards, "core-switch", "panji", Severity::kWarning);
  discards.facts.value = 15;
  discards.facts.threshold = 10;
  discards.facts.unit = "per_second";
  EXPECT_EQ(Zh(discards).summary, "下属单位 panji 的光纤链路丢弃报文（15 个/秒）");
  EXPECT_EQ(En(discards).summary, "Unit panji's fiber link is discarding packets (15/s)");
}

TEST_F(AlertText, FlappingSupersedesLinkDown) {
  AlertNote n = Note(rule::kLinkFlapping, "core-switch", "panji", Severity::kWarning);
  n.facts.value = 8;
  n.facts.threshold = 6;
  n.facts.unit = "changes";
  n.facts.supersedes = {rule::kLinkDown};
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "下属单位 panji 的光纤链路频繁通断（10 分钟内通断 8 次）");
  EXPECT_TRUE(Has(zh, "该链路的中断告警（link_down）已并入本告警，抖动期间不再逐次通知"))
      << Dump(zh);
  EXPECT_EQ(En(n).summary, "Unit panji's fiber link is flapping (8 changes in 10m 0s)");
}

TEST_F(AlertText, NoLightSaysWhatItMeansAndFoldsTheDownAlert) {
  AlertNote n = Note(rule::kFiberNoLight, "core-switch", "panji");
  n.facts.value = kNoLightDbm;
  n.facts.unit = "dBm";
  n.facts.supersedes = {rule::kLinkDown};
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "下属单位 panji 的光纤链路无光：光纤中断或对端激光器关闭");
  EXPECT_TRUE(Has(zh, "收光功率：无光（光模块收不到对端的光）")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "该链路的中断告警（link_down）已并入本告警")) << Dump(zh);
  EXPECT_EQ(En(n).summary, "Unit panji's fiber link: no light: fiber cut or far-end laser off");
  // Mended: the light it has again, never "no light".
  n.ended = kSince + minutes(3);
  n.facts.value = -8.6;
  lanwatch::AlertText back = Zh(n, NotificationKind::kResolved);
  EXPECT_EQ(back.summary, "下属单位 panji 的光纤链路已恢复，重新收到光信号（无光 3 分钟）");
  EXPECT_TRUE(Has(back, "收光功率：已恢复到 -8.6 dBm")) << Dump(back);
  EXPECT_FALSE(Has(back, "收光功率：无光（光模块收不到对端的光）")) << Dump(back);
}

TEST_F(AlertText, DegradedLightAgainstItsUsualLevel) {
  AlertNote n = Note(rule::kFiberDegraded, "core-switch", "panji", Severity::kWarning);
  n.facts.value = -9.1;
  n.facts.threshold = -8.0;
  n.facts.unit = "dBm";
  n.facts.detail = fiber_reason::kBelowBaseline;
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "下属单位 panji 的光纤链路光衰过大（收光 -9.1 dBm）");
  EXPECT_TRUE(Has(zh, "收光功率：-9.1 dBm（低于 -8.0 dBm 即告警，比平时低 3 dB 以上）"))
      << Dump(zh);
  EXPECT_EQ(En(n).summary, "Unit panji's fiber link's light is weakening (Rx -9.1 dBm)");
}

TEST_F(AlertText, SpeedNoDataCaptureAndReceiver) {
  AlertNote speed = Note(rule::kLinkSpeed, "core-switch", "panji", Severity::kWarning);
  speed.facts.value = 100e6;
  speed.facts.threshold = 1e9;
  speed.facts.unit = "bps";
  EXPECT_EQ(Zh(speed).summary, "下属单位 panji 的光纤链路端口速率降为 100 Mbit/s（应为 1 Gbit/s）");
  EXPECT_EQ(En(speed).summary, "Unit panji's fiber link runs at 100 Mbit/s instead of 1 Gbit/s");

  AlertNote blind = Note(rule::kLinkNoData, "core-switch", "panji", Severity::kWarning);
  blind.facts.detail = no_rate::kNotInLastWalk;
  EXPECT_EQ(Zh(blind).summary, "下属单位 panji 的光纤链路读不到流量数据");
  EXPECT_TRUE(Has(Zh(blind), "原因：SNMP 轮询没有取到该端口（查询被截断或端口已不存在）"));

  AlertNote mismatch = Note(rule::kCaptureMismatch, "lanwatch", "span", Severity::kWarning);
  mismatch.facts.value = 0.35;
  mismatch.facts.threshold = 0.2;
  mismatch.facts.unit = "ratio";
  EXPECT_EQ(Zh(mismatch).summary, "镜像抓包 span 与出口链路 uplink 的 SNMP 流量不一致（相差 35%）");
  EXPECT_TRUE(Has(Zh(mismatch), "抓包网卡：eth1")) << Dump(Zh(mismatch));

  AlertNote drops = Note(rule::kCaptureDrops, "lanwatch", "span", Severity::kWarning);
  drops.facts.value = 0.025;
  drops.facts.unit = "ratio";
  EXPECT_EQ(Zh(drops).summary, "镜像抓包 span 丢包 2.5%");

  AlertNote receiver = Note(rule::kReceiverFailing, kSelfDevice, "email", Severity::kWarning);
  receiver.facts.detail = "SMTP 451 deferred";
  EXPECT_EQ(Zh(receiver).summary, "告警通道 email 发送失败，告警发不出去");
  EXPECT_TRUE(Has(Zh(receiver), "最近一次错误：SMTP 451 deferred"));
  EXPECT_EQ(En(receiver).summary, "The email receiver cannot deliver notifications");

  AlertNote reboot = Note(rule::kDeviceRebooted, "router", "", Severity::kWarning);
  reboot.facts.value = 180;
  reboot.facts.unit = "seconds";
  EXPECT_EQ(Zh(reboot).summary, "路由器 router 发生重启");
  EXPECT_TRUE(Has(Zh(reboot), "重启后已运行：3 分钟")) << Dump(Zh(reboot));
  EXPECT_TRUE(Has(Zh(reboot), "发生时间：2026-12-01 21:35:00")) << Dump(Zh(reboot));
  EXPECT_TRUE(Has(En(reboot), "At: 2026-12-01 21:35:00 CST")) << Dump(En(reboot));
}

TEST_F(AlertText, UnreachableDeviceListsWhatElseIsAffected) {
  AlertNote n = Note(rule::kDeviceUnreachable, "core-switch", "");
  n.facts.detail = "timeout";
  n.facts.affected_devices = {"router", "server"};
  n.facts.affected_links = {"uplink", "panji"};
  lanwatch::AlertText zh = Zh(n);
  EXPECT_TRUE(Has(zh, "原因：SNMP 请求超时，设备没有应答")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "受影响的设备（2 台）：路由器 router、服务器 server")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "受影响的链路（2 条）：uplink、panji")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "它们的告警先不单独发送，待 core-switch 恢复后再判断")) << Dump(zh);
  lanwatch::AlertText en = En(n);
  EXPECT_TRUE(Has(en, "Devices affected (2): router router, server server")) << Dump(en);
}

// Every rule, every kind, both languages: a summary that names the target, tidy text.
TEST_F(AlertText, EveryRuleEveryKindBothLanguages) {
  const char* rules[] = {rule::kLinkDown,       rule::kLinkFlapping,    rule::kLinkUtilization,
                         rule::kLinkErrors,     rule::kLinkDiscards,    rule::kLinkSpeed,
                         rule::kLinkNoData,     rule::kCaptureMismatch, rule::kDeviceUnreachable,
                         rule::kDeviceRebooted, rule::kCaptureDrops,    rule::kReceiverFailing,
                         rule::kFiberDegraded,  rule::kFiberNoLight,    "some_future_rule"};
  for (const char* r : rules) {
    std::string_view name = r;
    bool device_rule = name == rule::kDeviceUnreachable || name == rule::kDeviceRebooted;
    bool capture_rule = name == rule::kCaptureMismatch || name == rule::kCaptureDrops;
    AlertNote n = Note(r, device_rule ? "router" : "core-switch",
                       device_rule                      ? ""
                       : capture_rule                   ? "span"
                       : name == rule::kReceiverFailing ? "email"
                                                        : "panji");
    n.ended = kSince + minutes(3);
    n.facts.value = 0.5;
    n.facts.threshold = 0.4;
    n.facts.unit = "ratio";
    n.peak = 0.6;
    const std::string target = device_rule ? "router" : n.key.link;
    for (auto kind :
         {NotificationKind::kFiring, NotificationKind::kResolved, NotificationKind::kReminder}) {
      for (const lanwatch::AlertText& t : {Zh(n, kind), En(n, kind)}) {
        EXPECT_NE(t.summary.find(target), std::string::npos) << r << ": " << t.summary;
        EXPECT_FALSE(t.details.empty()) << r;
        for (const std::string& line : std::vector<std::string>{t.summary}) {
          EXPECT_TRUE(IsValidUtf8(line));
          EXPECT_EQ(line.find("  "), std::string::npos) << r << ": '" << line << "'";
          EXPECT_NE(line.back(), ' ') << r << ": '" << line << "'";
          EXPECT_EQ(line.find("{}"), std::string::npos) << r;
        }
        for (const std::string& line : t.details) {
          EXPECT_FALSE(line.empty()) << r;
          EXPECT_NE(line.back(), ' ') << r << ": '" << line << "'";
          EXPECT_NE(line.front(), ' ') << r << ": '" << line << "'";
        }
      }
    }
  }
}

TEST(ZhJoin, SpacesBetweenHanAndLatinAndAroundNames) {
  using wording::Spaced;
  using wording::ZhJoin;
  EXPECT_EQ(ZhJoin({"中断", "12", "分钟"}), "中断 12 分钟");
  EXPECT_EQ(ZhJoin({"下属单位", Spaced("石桥"), "的光纤链路"}), "下属单位 石桥 的光纤链路");
  EXPECT_EQ(ZhJoin({ZhJoin({"出口链路", Spaced("电信")}), "中断"}), "出口链路 电信 中断");
  EXPECT_EQ(ZhJoin({"端口：", Spaced("wan0")}), "端口：wan0 ");  // DescribeAlert trims the end
  EXPECT_EQ(ZhJoin({"（", Spaced("a"), "）"}), "（a）");
  EXPECT_EQ(ZhJoin({"链路", Spaced("")}), "链路 ");
}

}  // namespace
}  // namespace lanwatch
