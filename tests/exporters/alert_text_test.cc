// The words of alerts in Chinese and English: one wording per rule for firing, resolved and
// reminder; names as configured; figures with their units; times in the site's zone.
#include "exporters/notify/alert_text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "config/text_encoding.h"
#include "daemon/fiber_health.h"
#include "daemon/uplink_verdict.h"
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
    AddLink("大同", LinkKind::kSubordinate, "core-switch", "unit-datong", 100e6);
    config_.links[0].peer = "198.18.0.1";
    config_.links[0].beyond = "198.18.9.9";
    ServiceConfig web;
    web.name = "portal";
    web.url = "http://198.18.1.10/";
    web.device = "server";
    config_.services.push_back(web);
    ServiceConfig oa;
    oa.name = "oa";
    oa.tcp = "198.18.1.11:8080";
    config_.services.push_back(oa);
    ServiceConfig secure;
    secure.name = "mail";
    secure.url = "https://198.18.1.12/";
    config_.services.push_back(secure);
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

TEST_F(AlertText, FarEndUnreachableSaysEveryProbeWasLost) {
  AlertNote n = Note(rule::kFarEndUnreachable, "core-switch", "大同");
  n.facts.value = 1.0;
  n.facts.unit = "ratio";
  n.facts.detail = "198.18.1.101";
  n.facts.window_seconds = 10;
  n.facts.samples = 10;
  n.facts.interface = "unit-datong";
  n.facts.supersedes = {rule::kFarEndLoss};
  n.peak = 1.0;
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary,
            "对端不可达：下属单位 大同 的光纤链路对端 198.18.1.101 无响应（10 秒内 10 个探测包全部"
            "丢失）");
  EXPECT_TRUE(Has(zh, "端口：核心交换机 core-switch 的 unit-datong 口")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "对端丢包告警（far_end_loss）已并入本告警")) << Dump(zh);
  lanwatch::AlertText en = En(n);
  EXPECT_EQ(en.summary,
            "Unit 大同's fiber link: far end 198.18.1.101 does not answer (all 10 probes lost in "
            "10s)");
  EXPECT_TRUE(Has(en, "The far end's loss alert (far_end_loss) is folded into this one."))
      << Dump(en);
  n.ended = kSince + minutes(3);
  lanwatch::AlertText back = Zh(n, NotificationKind::kResolved);
  EXPECT_EQ(back.summary,
            "对端已恢复：下属单位 大同 的光纤链路对端 198.18.1.101 重新有响应（不可达 3 分钟）");
  for (const std::string& line : back.details) {
    EXPECT_EQ(line.find("期间峰值"), std::string::npos) << "every probe lost is no peak: " << line;
  }
  EXPECT_EQ(En(n, NotificationKind::kResolved).summary,
            "Unit 大同's fiber link: far end 198.18.1.101 answers again after 3m 0s unreachable");
  EXPECT_EQ(Zh(n, NotificationKind::kReminder).summary,
            "对端仍不可达：下属单位 大同 的光纤链路对端 198.18.1.101 无响应");
}

TEST_F(AlertText, FarEndLossOverTheWindowAndItsPolicerHint) {
  AlertNote n = Note(rule::kFarEndLoss, "core-switch", "大同");
  n.facts.value = 0.2;
  n.facts.threshold = 0.2;
  n.facts.unit = "ratio";
  n.facts.detail = "198.18.1.101";
  n.facts.window_seconds = 10;
  n.facts.samples = 10;
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "下属单位 大同 的光纤链路对端丢包 20%（10 秒内）");
  EXPECT_TRUE(Has(zh, "对端丢包：20%（告警阈值 20%）")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "探测：10 秒内发出 10 个，丢失 2 个（对端 198.18.1.101）")) << Dump(zh);
  EXPECT_NE(Dump(zh).find("限速"), std::string::npos) << Dump(zh);
  lanwatch::AlertText en = En(n);
  EXPECT_EQ(en.summary, "Unit 大同's fiber link: far end loses 20% of probes (over 10s)");
  EXPECT_TRUE(Has(en, "Probes: 2 lost of 10 sent in 10s (far end 198.18.1.101)")) << Dump(en);
  n.ended = kSince + minutes(5);
  n.peak = 0.35;
  lanwatch::AlertText back = Zh(n, NotificationKind::kResolved);
  EXPECT_EQ(back.summary, "下属单位 大同 的光纤链路对端丢包已恢复正常（期间峰值 35%）");
  EXPECT_TRUE(Has(back, "期间峰值：35%")) << Dump(back);
}

TEST_F(AlertText, FarEndLatencyInMillisecondsAsAMedian) {
  AlertNote n = Note(rule::kFarEndLatency, "core-switch", "大同", Severity::kWarning);
  n.facts.value = 0.052;
  n.facts.threshold = 0.05;
  n.facts.unit = "seconds";
  n.facts.detail = "198.18.1.101";
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "下属单位 大同 的光纤链路对端时延 52 ms（中位数）");
  EXPECT_TRUE(Has(zh, "时延中位数：52 ms（告警阈值 50 ms）")) << Dump(zh);
  EXPECT_EQ(En(n).summary, "Unit 大同's fiber link: far-end round trip 52 ms (median)");
  n.ended = kSince + minutes(5);
  n.peak = 0.0804;
  EXPECT_TRUE(Has(Zh(n, NotificationKind::kResolved), "期间峰值：80.4 ms"))
      << Dump(Zh(n, NotificationKind::kResolved));
}

TEST_F(AlertText, IspDownSaysTheRouterIsFineAndToCallTheIsp) {
  AlertNote n = Note(rule::kUplinkIspDown, "router", "uplink");
  n.facts.value = 1.0;
  n.facts.unit = "ratio";
  n.facts.detail = uplink_reason::kPeerAndBeyondLost;
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary,
            "运营商侧中断：出口链路 uplink 的路由器正常，运营商下一跳和外网主机均无响应 — "
            "请联系运营商（报障电话见合同）");
  EXPECT_TRUE(Has(zh, "运营商下一跳：198.18.0.1（无响应）")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "外网主机：198.18.9.9（无响应）")) << Dump(zh);
  lanwatch::AlertText en = En(n);
  EXPECT_EQ(en.summary,
            "ISP side down on the uplink uplink (to the ISP): the router is fine, but neither the "
            "ISP's next hop nor the host beyond answers — call the ISP (the fault line is in the "
            "contract)");
  n.facts.detail = uplink_reason::kPeerLost;
  EXPECT_EQ(Zh(n, NotificationKind::kReminder).summary,
            "运营商侧仍中断：出口链路 uplink 运营商下一跳无响应 — 请联系运营商（报障电话见合同）");
  EXPECT_FALSE(Has(Zh(n), "外网主机：198.18.9.9（无响应）")) << "beyond was not what went dark";
  n.ended = kSince + minutes(12);
  EXPECT_EQ(Zh(n, NotificationKind::kResolved).summary,
            "运营商侧已恢复：出口链路 uplink 重新连通外网（中断 12 分钟）");
  EXPECT_EQ(En(n, NotificationKind::kResolved).summary,
            "ISP side of the uplink uplink (to the ISP) is back after 12m 0s down");
}

TEST_F(AlertText, IspLossAdvisesCallingTheIsp) {
  AlertNote n = Note(rule::kUplinkIspLoss, "router", "uplink", Severity::kWarning);
  n.facts.value = 0.18;
  n.facts.threshold = 0.05;
  n.facts.unit = "ratio";
  n.facts.detail = uplink_reason::kBeyondLoss;
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "出口链路 uplink 运营商侧丢包 18% — 请联系运营商");
  EXPECT_TRUE(Has(zh, "丢包：18%（告警阈值 5%）")) << Dump(zh);
  EXPECT_TRUE(Has(zh, "丢包位置：到外网主机")) << Dump(zh);
  EXPECT_NE(Dump(zh).find("建议：出口带宽并未占满"), std::string::npos) << Dump(zh);
  EXPECT_EQ(En(n).summary, "ISP side loses 18% on the uplink uplink (to the ISP) — call the ISP");
}

TEST_F(AlertText, ServiceDownNamesTheSiteAndWhy) {
  AlertNote n = Note(rule::kServiceDown, "server", "portal");
  n.facts.detail = "connection refused (curl 7: Failed to connect to 198.18.1.10 port 80)";
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary, "服务不可用：网站 portal（http://198.18.1.10/）— 连接被拒绝");
  EXPECT_TRUE(Has(zh, "检查结果：" + n.facts.detail)) << Dump(zh);
  EXPECT_TRUE(Has(zh, "所在设备：服务器 server")) << Dump(zh);
  for (const std::string& line : zh.details) {
    EXPECT_EQ(line.find("端口："), std::string::npos) << "a service has no port: " << line;
  }
  EXPECT_EQ(En(n).summary,
            "Service down: web site portal (http://198.18.1.10/) — connection refused");
  n.facts.detail = "HTTP 503, expected 200-399";
  n.facts.value = 503;
  EXPECT_EQ(Zh(n).summary,
            "服务不可用：网站 portal（http://198.18.1.10/）— 返回 HTTP 503（正常应为 200-399）");
  EXPECT_TRUE(Has(Zh(n), "HTTP 状态码：503")) << Dump(Zh(n));
  n.ended = kSince + minutes(3);
  n.peak = 503;
  lanwatch::AlertText back = Zh(n, NotificationKind::kResolved);
  EXPECT_EQ(back.summary, "服务已恢复：网站 portal（http://198.18.1.10/），中断 3 分钟");
  EXPECT_FALSE(Has(back, "期间峰值：503")) << Dump(back);

  AlertNote tcp = Note(rule::kServiceDown, kServicesDevice, "oa");
  tcp.facts.detail = "timeout after 5 s (curl 28: Connection timed out after 5001 milliseconds)";
  EXPECT_EQ(Zh(tcp).summary, "服务不可用：服务 oa（198.18.1.11:8080）— 5 秒内无应答（超时）");
  EXPECT_EQ(En(tcp).summary, "Service down: service oa (198.18.1.11:8080) — timeout after 5 s");
}

TEST_F(AlertText, CertificateExpiringWithItsDay) {
  AlertNote n = Note(rule::kCertExpiring, kServicesDevice, "mail", Severity::kCritical);
  n.facts.value = 5;
  n.facts.threshold = 7;
  n.facts.unit = "days";
  n.facts.detail = "2026-12-06T04:00:00Z";  // noon in Shanghai
  lanwatch::AlertText zh = Zh(n);
  EXPECT_EQ(zh.summary,
            "证书即将过期：网站 mail（https://198.18.1.12/）的证书还有 5 天（2026-12-06 到期）");
  EXPECT_TRUE(Has(zh, "告警阈值：21 天内到期告警，7 天内为严重")) << Dump(zh);
  EXPECT_EQ(En(n).summary,
            "Certificate expiring: web site mail (https://198.18.1.12/)'s certificate has 5 days "
            "left (expires 2026-12-06)");
  n.facts.detail = "2026-12-05T20:00:00Z";  // already the 6th in Shanghai
  EXPECT_NE(Zh(n).summary.find("2026-12-06 到期"), std::string::npos) << Zh(n).summary;
  n.facts.value = -3;
  EXPECT_EQ(Zh(n).summary,
            "证书已过期：网站 mail（https://198.18.1.12/）的证书已于 2026-12-06 过期（3 天前）");
  EXPECT_EQ(En(n).summary,
            "Certificate expired: web site mail (https://198.18.1.12/)'s certificate expired on "
            "2026-12-06 (3 days ago)");
  n.ended = kSince + minutes(60);
  n.facts.value = 90;
  n.peak = -3;
  lanwatch::AlertText back = Zh(n, NotificationKind::kResolved);
  EXPECT_EQ(back.summary, "证书已更新：网站 mail（https://198.18.1.12/）的证书还有 90 天");
  EXPECT_FALSE(Has(back, "期间峰值：-3 天")) << Dump(back);
}

// Every rule, every kind, both languages: a summary that names the target, tidy text.
TEST_F(AlertText, EveryRuleEveryKindBothLanguages) {
  const char* rules[] = {rule::kLinkDown,       rule::kLinkFlapping,    rule::kLinkUtilization,
                         rule::kLinkErrors,     rule::kLinkDiscards,    rule::kLinkSpeed,
                         rule::kLinkNoData,     rule::kCaptureMismatch, rule::kDeviceUnreachable,
                         rule::kDeviceRebooted, rule::kCaptureDrops,    rule::kReceiverFailing,
                         rule::kFiberDegraded,  rule::kFiberNoLight,    rule::kFarEndUnreachable,
                         rule::kFarEndLoss,     rule::kFarEndLatency,   rule::kUplinkIspDown,
                         rule::kUplinkIspLoss,  rule::kServiceDown,     rule::kCertExpiring,
                         "some_future_rule"};
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
