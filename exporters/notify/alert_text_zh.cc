// The Chinese wording of alerts, as the IT section of a bureau writes to itself: what is wrong
// where first (下属单位 panji 的光纤链路中断), then the figures, the times, what else it takes
// down, and what usually causes it. Names stay as configured: scripts filter on them.
#include <fmt/format.h>

#include <cstdio>
#include <utility>

#include "config/secret_file.h"
#include "config/units.h"
#include "daemon/fiber_health.h"
#include "daemon/uplink_verdict.h"
#include "exporters/notify/alert_wording.h"
#include "exporters/notify/site_time.h"

namespace lanwatch::wording {
namespace {

constexpr NotifyLanguage kZh = NotifyLanguage::kZh;

std::string DevicePhrase(const Config& config, std::string_view name) {
  const DeviceConfig* d = config.FindDevice(name);
  if (!d) return ZhJoin({"设备", Spaced(name)});
  switch (d->role) {
    case DeviceRole::kRouter:
      return ZhJoin({"路由器", Spaced(name)});
    case DeviceRole::kSwitch:  // the switch at the top of the tree is the core one
      return ZhJoin({d->parent.empty() ? "核心交换机" : "交换机", Spaced(name)});
    case DeviceRole::kServer:
      return ZhJoin({"服务器", Spaced(name)});
    case DeviceRole::kOther:
      break;
  }
  return ZhJoin({"设备", Spaced(name)});
}

std::string LinkPhrase(const LinkConfig* link, std::string_view name) {
  LinkKind kind = link ? link->kind : LinkKind::kOther;
  if (kind == LinkKind::kUplink) return ZhJoin({"出口链路", Spaced(name)});
  if (kind == LinkKind::kSubordinate) return ZhJoin({"下属单位", Spaced(name), "的光纤链路"});
  return ZhJoin({"链路", Spaced(name)});
}

// "网站 portal（http://198.18.1.10/）", "服务 oa（198.18.1.11:8080）".
std::string ServicePhrase(const AlertContext& c) {
  const std::string& name = c.note.key.link;
  if (!c.service) return ZhJoin({"服务", Spaced(name)});
  if (!c.service->url.empty())
    return ZhJoin({"网站", Spaced(name), "（", RedactUrlCredentials(c.service->url), "）"});
  return ZhJoin({"服务", Spaced(name), "（", c.service->tcp, "）"});
}

// What the alert is about, as the first words of its summary.
std::string Target(const AlertContext& c) {
  const AlertKey& key = c.note.key;
  if (IsServiceRule(key.rule)) return ServicePhrase(c);
  if (key.rule == rule::kCaptureMismatch || key.rule == rule::kCaptureDrops) {
    return ZhJoin({"镜像抓包", Spaced(key.link)});
  }
  if (key.rule == rule::kReceiverFailing) return ZhJoin({"告警通道", Spaced(key.link)});
  if (key.link.empty()) return DevicePhrase(c.config, key.device);
  return LinkPhrase(c.link, key.link);
}

// Traffic directions as the port counts them; on the uplink, what people call them.
std::string Direction(const AlertContext& c) {
  bool uplink = c.link && c.link->kind == LinkKind::kUplink;
  if (c.facts().direction == "in") return uplink ? "下行" : "入方向";
  if (c.facts().direction == "out") return uplink ? "上行" : "出方向";
  return "";
}

std::string ReasonOfNoData(std::string_view detail) {
  if (detail == no_rate::kNoCounters) return "设备没有提供该端口的流量计数器";
  if (detail == no_rate::kNotInLastWalk)
    return "SNMP 轮询没有取到该端口（查询被截断或端口已不存在）";
  if (detail == no_rate::kFirstSample) return "刚开始轮询，还没有可比较的读数";
  return std::string(detail);
}

std::string ReasonOfUnreachable(std::string_view detail) {
  if (detail == "timeout") return "SNMP 请求超时，设备没有应答";
  if (detail.empty()) return "";
  return std::string(detail);
}

// A failed check's reason as an IT person says it ("连接被拒绝"); the check's own words where
// there is no better one (they go in full into the details anyway).
std::string ReasonOfServiceDown(std::string_view error) {
  std::string_view reason = ServiceFailure(error);
  static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
      {"connection refused", "连接被拒绝"},
      {"host unreachable", "主机不可达"},
      {"cannot connect", "无法建立连接"},
      {"host not found", "域名解析失败"},
      {"certificate expired", "证书已过期"},
      {"certificate not yet valid", "证书尚未生效"},
      {"certificate name mismatch", "证书与访问地址不符"},
      {"certificate not trusted", "证书不受信任"},
      {"TLS handshake failed", "TLS 握手失败"},
      {"connection closed without an answer", "连接被关闭，没有应答"},
      {"connection broken", "连接中断"},
      {"bad target", "地址配置有误"},
      {"check failed", "检查失败"},
  };
  for (const auto& [english, chinese] : kWords) {
    if (reason == english) return std::string(chinese);
  }
  double seconds = 0;
  if (std::sscanf(std::string(reason).c_str(), "timeout after %lf s", &seconds) == 1) {
    return fmt::format("{:g} 秒内无应答（超时）", seconds);
  }
  long status = 0, low = 0, high = 0;
  if (std::sscanf(std::string(reason).c_str(), "HTTP %ld, expected %ld-%ld", &status, &low,
                  &high) == 3) {
    return fmt::format("返回 HTTP {}（正常应为 {}-{}）", status, low, high);
  }
  return std::string(reason);
}

// The uplink's probe targets that went silent, by the verdict's reason.
std::string SilentPastTheRouter(std::string_view reason) {
  if (reason == uplink_reason::kPeerLost) return "运营商下一跳无响应";
  if (reason == uplink_reason::kBeyondLost) return "外网主机无响应";
  return "运营商下一跳和外网主机均无响应";
}

// Phrases listed with 、: each without the space a trailing name asks for.
std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::vector<std::string_view> trimmed;
  for (std::string_view item : items) {
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    trimmed.push_back(item);
  }
  return fmt::format("{}", fmt::join(trimmed, separator));
}

struct Words {
  std::string summary;
  std::vector<std::string> figures;
  std::string hint;  // firing and reminders only
};

Words Describe(const AlertContext& c) {
  const AlertFacts& f = c.facts();
  const std::string target = Target(c);
  const std::string value = Figure(c, f.value).value_or("");
  const std::string threshold = Figure(c, f.threshold).value_or("");
  const std::string lasted = c.lasted ? FormatElapsed(*c.lasted, kZh) : "";
  const std::string& rule = c.rule();
  auto pick = [&](std::string firing, std::string resolved, std::string reminder) {
    return std::move(c.resolved() ? resolved : c.reminder() ? reminder : firing);
  };
  auto in_brackets = [](const std::string& s) { return s.empty() ? s : "（" + s + "）"; };
  auto against = [&](const std::string& label) {
    if (value.empty()) return std::string();
    return threshold.empty() ? fmt::format("{}：{}", label, value)
                             : fmt::format("{}：{}（告警阈值 {}）", label, value, threshold);
  };
  Words w;

  if (rule == rule::kLinkDown) {
    w.summary =
        pick(ZhJoin({target, "中断"}),
             lasted.empty() ? ZhJoin({target, "已恢复"}) : ZhJoin({target, "已恢复，中断", lasted}),
             ZhJoin({target, "仍处于中断状态"}));
    bool uplink = c.link && c.link->kind == LinkKind::kUplink;
    w.hint = uplink ? "请向运营商报障，并检查路由器 WAN 口、光模块和光纤"
                    : "请联系对端单位确认设备是否通电，并检查光模块、跳线和光纤";
  } else if (rule == rule::kLinkFlapping) {
    std::string window = FormatElapsed(FlapWindow(c), kZh);
    std::string times = value.empty() ? "" : fmt::format("{}内通断 {} 次", window, value);
    w.summary = pick(ZhJoin({target, "频繁通断", in_brackets(times)}),
                     lasted.empty() ? ZhJoin({target, "已稳定，不再通断"})
                                    : ZhJoin({target, "已稳定，不再通断（抖动持续 ", lasted, "）"}),
                     ZhJoin({target, "仍在频繁通断", in_brackets(times)}));
    if (!times.empty()) {
      w.figures.push_back(threshold.empty()
                              ? fmt::format("通断次数：{}", times)
                              : fmt::format("通断次数：{}（阈值 {} 次）", times, threshold));
    }
    w.hint = "多为光模块或跳线接触不良、光衰过大，或对端设备反复重启";
  } else if (rule == rule::kLinkUtilization) {
    std::string direction = Direction(c);
    std::string now = ZhJoin({direction, value});
    w.summary = pick(
        ZhJoin({target, "带宽占用过高", in_brackets(now)}),
        ZhJoin({target, "带宽占用已回落",
                in_brackets(Figure(c, c.note.peak) ? "期间峰值 " + *Figure(c, c.note.peak) : "")}),
        ZhJoin({target, "带宽占用仍然过高", in_brackets(now)}));
    if (auto rate = RateOfRatio(f, f.value)) {
      w.figures.push_back(ZhJoin({direction.empty() ? "流量" : direction + "流量", "：", *rate,
                                  "，带宽 ", FormatBitRate(*f.capacity_bps), "，占用 ", value,
                                  threshold.empty() ? "" : "（告警阈值 " + threshold + "）"}));
    } else if (!value.empty()) {
      w.figures.push_back(against(ZhJoin({direction, "带宽占用"})));
    }
    w.hint = c.link && c.link->kind == LinkKind::kUplink
                 ? "出口带宽接近上限，上网和对外业务会变慢；可在状态页查看流量排行，找出占用大户"
                 : "链路接近满负荷，业务会变慢；可在状态页查看是哪台主机在大量传输";
  } else if (rule == rule::kLinkErrors) {
    w.summary =
        pick(ZhJoin({target, "出现错包", in_brackets(value)}), ZhJoin({target, "错包已消失"}),
             ZhJoin({target, "仍有错包", in_brackets(value)}));
    w.figures.push_back(against("错包（收+发）"));
    w.hint = "常见原因：光模块老化或收光功率偏低、光纤或跳线脏污弯折、两端双工设置不一致";
  } else if (rule == rule::kLinkDiscards) {
    w.summary =
        pick(ZhJoin({target, "丢弃报文", in_brackets(value)}), ZhJoin({target, "已不再丢弃报文"}),
             ZhJoin({target, "仍在丢弃报文", in_brackets(value)}));
    w.figures.push_back(against("丢弃报文（收+发）"));
    w.hint = "通常是端口拥塞或缓存不足，常与带宽占用过高同时出现";
  } else if (rule == rule::kLinkSpeed) {
    w.summary = pick(ZhJoin({target, "端口速率降为", value,
                             in_brackets(threshold.empty() ? "" : "应为 " + threshold)}),
                     ZhJoin({target, "端口速率已恢复", threshold.empty() ? "" : "为 " + threshold}),
                     ZhJoin({target, "端口速率仍为", value,
                             in_brackets(threshold.empty() ? "" : "应为 " + threshold)}));
    if (!value.empty() && !threshold.empty()) {
      w.figures.push_back(fmt::format("端口速率：{}，应为 {}", value, threshold));
    }
    w.hint = "多为光模块、跳线或自动协商问题，对端端口也要检查";
  } else if (rule == rule::kLinkNoData) {
    w.summary = pick(ZhJoin({target, "读不到流量数据"}), ZhJoin({target, "的流量数据已恢复"}),
                     ZhJoin({target, "仍读不到流量数据"}));
    if (f.unit == "seconds" && !value.empty()) w.figures.push_back("已有 " + value + "没有读数");
    if (!f.detail.empty()) w.figures.push_back("原因：" + ReasonOfNoData(f.detail));
    w.hint = "在此期间，这条链路的带宽占用和错包告警都无法判断";
  } else if (rule == rule::kCaptureMismatch) {
    std::string other =
        c.link ? ZhJoin({"与", LinkPhrase(c.link, c.link->name), "的 SNMP 流量"}) : "与 SNMP 流量";
    w.summary = pick(
        ZhJoin({target, other, "不一致", in_brackets(value.empty() ? "" : "相差 " + value)}),
        ZhJoin({target, other, "已一致"}),
        ZhJoin({target, other, "仍不一致", in_brackets(value.empty() ? "" : "相差 " + value)}));
    w.figures.push_back(against("两者相差"));
    w.hint = "交换机的端口镜像（SPAN）配置可能被改动，或抓包主机在丢包";
  } else if (rule == rule::kFiberDegraded) {
    w.summary =
        pick(ZhJoin({target, "光衰过大", in_brackets(value.empty() ? "" : "收光 " + value)}),
             ZhJoin({target, "收光功率已恢复正常"}),
             ZhJoin({target, "光衰仍然过大", in_brackets(value.empty() ? "" : "收光 " + value)}));
    if (f.detail == fiber_reason::kBelowBaseline && !value.empty()) {
      w.figures.push_back(
          threshold.empty()
              ? fmt::format("收光功率：{}，明显低于平时水平", value)
              : fmt::format("收光功率：{}（低于 {} 即告警，比平时低 {:.0f} dB 以上）", value,
                            threshold,
                            (c.link ? c.link->thresholds : LinkThresholds{}).fiber_drop_db));
    } else if (f.detail == fiber_reason::kBelowLowWarning) {
      w.figures.push_back(against("收光功率（低于光模块自身的告警下限）"));
    } else if (f.detail == fiber_reason::kErrorsRising) {
      w.figures.push_back("端口错包在增加");
    }
    w.hint =
        "光纤还通，但在变差：请清洁光模块和跳线接头，检查跳线是否弯折、光模块是否老化，"
        "以免发展成中断";
  } else if (rule == rule::kFiberNoLight) {
    w.summary =
        pick(ZhJoin({target, "无光：光纤中断或对端激光器关闭"}),
             lasted.empty() ? ZhJoin({target, "已恢复，重新收到光信号"})
                            : ZhJoin({target, "已恢复，重新收到光信号（无光 ", lasted, "）"}),
             ZhJoin({target, "仍然无光"}));
    if (!c.resolved()) {
      w.figures.push_back("收光功率：无光（光模块收不到对端的光）");
    } else if (f.value && *f.value > kNoLightDbm && !value.empty()) {
      w.figures.push_back("收光功率：已恢复到 " + value);
    }
    w.hint = c.link && c.link->kind == LinkKind::kUplink
                 ? "请向运营商报障：多为光缆被挖断或运营商设备断电"
                 : "多为光纤被挖断、跳线被拔，或对端单位的交换机、光模块断电；"
                   "请先电话联系对端单位确认设备是否通电";
  } else if (rule == rule::kFarEndUnreachable) {
    std::string far_end = ZhJoin({target, "对端", Spaced(f.detail)});
    std::string window = FormatElapsed(ProbeWindow(c), kZh);
    auto probes = Probes(c);
    // Silent for seconds is unreachable before the whole window is lost (far_end_silence.h).
    std::string all_lost = !probes ? fmt::format("{}内探测包全部丢失", window)
                           : probes->lost >= probes->sent
                               ? fmt::format("{}内 {} 个探测包全部丢失", window, probes->sent)
                               : fmt::format("{}内 {} 个探测包丢失 {} 个，最近的全部丢失", window,
                                             probes->sent, probes->lost);
    w.summary = pick(ZhJoin({"对端不可达：", far_end, "无响应（", all_lost, "）"}),
                     lasted.empty()
                         ? ZhJoin({"对端已恢复：", far_end, "重新有响应"})
                         : ZhJoin({"对端已恢复：", far_end, "重新有响应（不可达 ", lasted, "）"}),
                     ZhJoin({"对端仍不可达：", far_end, "无响应"}));
    w.hint =
        "端口仍是通的，但对端设备不回应：多为对端交换机或路由器死机、断电，或中间的光电"
        "转换器故障；请先电话联系对端单位确认";
  } else if (rule == rule::kFarEndLoss) {
    std::string window = FormatElapsed(ProbeWindow(c), kZh);
    std::string now = value.empty() ? "" : ZhJoin({value, "（", window, "内）"});
    w.summary = pick(ZhJoin({target, "对端丢包", now}),
                     ZhJoin({target, "对端丢包已恢复正常",
                             in_brackets(c.note.peak && Figure(c, c.note.peak)
                                             ? "期间峰值 " + *Figure(c, c.note.peak)
                                             : "")}),
                     ZhJoin({target, "对端仍在丢包", now}));
    w.figures.push_back(against("对端丢包"));
    if (auto probes = Probes(c)) {
      w.figures.push_back(ZhJoin(
          {fmt::format("探测：{}内发出 {} 个，丢失 {} 个", window, probes->sent, probes->lost),
           f.detail.empty() ? "" : "（对端 " + f.detail + "）"}));
    }
    w.hint =
        "常见原因：光纤或光模块劣化、链路拥塞、对端设备负载过高。注意：交换机对发往自身地址的 "
        "ICMP 有限速，丢包也可能只是对端的限速，不一定是链路问题";
  } else if (rule == rule::kFarEndLatency) {
    std::string now = value.empty() ? "" : ZhJoin({value, "（中位数）"});
    w.summary = pick(ZhJoin({target, "对端时延", now}),
                     ZhJoin({target, "对端时延已恢复正常",
                             in_brackets(c.note.peak && Figure(c, c.note.peak)
                                             ? "期间峰值 " + *Figure(c, c.note.peak)
                                             : "")}),
                     ZhJoin({target, "对端时延仍然偏高", now}));
    w.figures.push_back(against("时延中位数"));
    if (!f.detail.empty()) w.figures.push_back(ZhJoin({"对端地址：", Spaced(f.detail)}));
    w.hint = "时延升高多为链路拥塞或对端设备负载过高，可对照该链路的带宽占用查看";
  } else if (rule == rule::kUplinkIspDown) {
    std::string silent = SilentPastTheRouter(f.detail);
    w.summary = pick(
        ZhJoin({"运营商侧中断：", target, "的路由器正常，", silent,
                " — 请联系运营商（报障电话见合同）"}),
        lasted.empty() ? ZhJoin({"运营商侧已恢复：", target, "重新连通外网"})
                       : ZhJoin({"运营商侧已恢复：", target, "重新连通外网（中断 ", lasted, "）"}),
        ZhJoin({"运营商侧仍中断：", target, silent, " — 请联系运营商（报障电话见合同）"}));
    if (c.link && !c.link->peer.empty() && f.detail != uplink_reason::kBeyondLost) {
      w.figures.push_back(ZhJoin({"运营商下一跳：", Spaced(c.link->peer), "（无响应）"}));
    }
    if (c.link && !c.link->beyond.empty() && f.detail != uplink_reason::kPeerLost) {
      w.figures.push_back(ZhJoin({"外网主机：", Spaced(c.link->beyond), "（无响应）"}));
    }
    w.hint =
        "路由器和出口端口都正常，问题在运营商一侧：请拨打合同上的报障电话，报上线路编号和"
        "中断开始时间";
  } else if (rule == rule::kUplinkIspLoss) {
    w.summary = pick(ZhJoin({target, "运营商侧丢包", value, " — 请联系运营商"}),
                     ZhJoin({target, "运营商侧丢包已恢复正常",
                             in_brackets(c.note.peak && Figure(c, c.note.peak)
                                             ? "期间峰值 " + *Figure(c, c.note.peak)
                                             : "")}),
                     ZhJoin({target, "运营商侧仍在丢包", value, " — 请联系运营商"}));
    w.figures.push_back(against("丢包"));
    if (f.detail == uplink_reason::kPeerLoss) w.figures.push_back("丢包位置：到运营商下一跳");
    if (f.detail == uplink_reason::kBeyondLoss) w.figures.push_back("丢包位置：到外网主机");
    w.hint =
        "出口带宽并未占满，丢包不是本单位流量造成的：请联系运营商报障（报障电话见合同），"
        "说明丢包比例和开始时间";
  } else if (rule == rule::kServiceDown) {
    std::string reason = ReasonOfServiceDown(f.detail);
    std::string why = reason.empty() ? "" : " — " + reason;
    w.summary = pick(ZhJoin({"服务不可用：", target, why}),
                     lasted.empty() ? ZhJoin({"服务已恢复：", target})
                                    : ZhJoin({"服务已恢复：", target, "，中断", lasted}),
                     ZhJoin({"服务仍不可用：", target, why}));
    if (!c.resolved() && f.value) w.figures.push_back(fmt::format("HTTP 状态码：{:.0f}", *f.value));
    if (!c.resolved() && !f.detail.empty()) w.figures.push_back("检查结果：" + f.detail);
    if (c.service && !c.service->device.empty()) {
      w.figures.push_back(ZhJoin({"所在设备：", DevicePhrase(c.config, c.service->device)}));
    }
    w.hint = "请检查服务器上的服务进程是否在运行、端口是否被防火墙拦截，以及服务器负载";
  } else if (rule == rule::kCertExpiring) {
    std::string day = CertExpiryDay(c);
    bool expired = f.value && *f.value < 0;
    std::string left;  // "还有 5 天（2026-12-06 到期）", "已于 2026-11-28 过期（3 天前）"
    if (f.value && expired) {
      std::string ago = fmt::format("{:.0f} 天前", -*f.value);
      left = day.empty() ? "已过期（" + ago + "）" : ZhJoin({"已于", day, "过期（", ago, "）"});
    } else if (f.value) {
      left = ZhJoin({"还有", value, day.empty() ? "" : "（" + day + " 到期）"});
    }
    w.summary =
        pick(ZhJoin({expired ? "证书已过期：" : "证书即将过期：", target, "的证书", left}),
             ZhJoin({"证书已更新：", target, "的证书", f.value ? ZhJoin({"还有", value}) : ""}),
             ZhJoin({expired ? "证书仍已过期：" : "证书仍即将过期：", target, "的证书", left}));
    if (c.service) {
      w.figures.push_back(fmt::format("告警阈值：{} 天内到期告警，{} 天内为严重",
                                      c.service->cert_warning_days, c.service->cert_critical_days));
    }
    w.hint = "请在到期前更新服务器上的证书；过期后浏览器会拦截访问，客户端也会连接失败";
  } else if (rule == rule::kDeviceUnreachable) {
    w.summary = pick(ZhJoin({target, "无法访问"}),
                     lasted.empty() ? ZhJoin({target, "已恢复访问"})
                                    : ZhJoin({target, "已恢复访问，中断", lasted}),
                     ZhJoin({target, "仍无法访问"}));
    if (std::string reason = ReasonOfUnreachable(f.detail); !reason.empty()) {
      w.figures.push_back("原因：" + reason);
    }
    w.hint = "请检查设备电源、上联网线或光纤，以及设备是否死机";
  } else if (rule == rule::kDeviceRebooted) {
    w.summary = pick(ZhJoin({target, "发生重启"}), ZhJoin({target, "的重启告警已结束"}),
                     ZhJoin({target, "曾发生重启"}));
    if (f.unit == "seconds" && !value.empty()) w.figures.push_back("重启后已运行：" + value);
    w.hint = "如不是计划内重启，请检查供电（UPS）和设备日志";
  } else if (rule == rule::kCaptureDrops) {
    w.summary = pick(ZhJoin({target, "丢包", value}), ZhJoin({target, "已不再丢包"}),
                     ZhJoin({target, "仍在丢包", value}));
    w.figures.push_back(against("丢包比例"));
    w.hint = "抓包主机负载过高或抓包缓冲区（buffer_mib）偏小；在此期间抓包统计偏低";
  } else if (rule == rule::kReceiverFailing) {
    w.summary = pick(ZhJoin({target, "发送失败，告警发不出去"}), ZhJoin({target, "已恢复发送"}),
                     ZhJoin({target, "仍发送失败"}));
    if (f.unit == "seconds" && !value.empty()) w.figures.push_back("已连续失败：" + value);
    if (!f.detail.empty()) w.figures.push_back("最近一次错误：" + f.detail);
    w.hint = "没发出的告警都保存在队列里，通道恢复后会补发";
  } else {
    w.summary = pick(ZhJoin({target, "告警：", rule}), ZhJoin({target, "告警已恢复：", rule}),
                     ZhJoin({target, "告警仍未恢复：", rule}));
    w.figures.push_back(against("数值"));
  }
  std::erase(w.figures, "");
  return w;
}

}  // namespace

AlertText WordInChinese(const AlertContext& c) {
  Words w = Describe(c);
  AlertText t{w.summary, w.figures};
  const AlertNote& n = c.note;
  if (std::string port = PortName(c); !port.empty() && !n.key.link.empty() && !c.capture) {
    t.details.push_back(
        ZhJoin({"端口：", DevicePhrase(c.config, n.key.device), "的", Spaced(port), "口"}));
  } else if (c.capture) {
    t.details.push_back(ZhJoin({"抓包网卡：", Spaced(c.capture->interface)}));
  }
  bool event = n.key.rule == rule::kDeviceRebooted;  // a moment, not a state that began
  t.details.push_back((event ? "发生时间：" : "开始时间：") + FormatSiteTime(n.since, kZh));
  if (c.resolved() && n.ended) {
    t.details.push_back("恢复时间：" + FormatSiteTime(*n.ended, kZh));
    if (c.lasted) t.details.push_back("持续时间：" + FormatElapsed(*c.lasted, kZh));
  }
  if (c.resolved() && n.peak && TellsPeak(n.key.rule)) {
    std::string peak = *Figure(c, n.peak);
    if (auto rate = RateOfRatio(n.facts, n.peak)) peak += "（" + *rate + "）";
    t.details.push_back("期间峰值：" + peak);
  }
  const AlertFacts& f = n.facts;
  if (!f.affected_devices.empty()) {
    std::vector<std::string> devices;
    for (const std::string& d : f.affected_devices) devices.push_back(DevicePhrase(c.config, d));
    t.details.push_back(
        fmt::format("受影响的设备（{} 台）：{}", devices.size(), Join(devices, "、")));
  }
  if (!f.affected_links.empty()) {
    t.details.push_back(fmt::format("受影响的链路（{} 条）：{}", f.affected_links.size(),
                                    Join(f.affected_links, "、")));
  }
  if (!c.resolved() && (!f.affected_devices.empty() || !f.affected_links.empty())) {
    t.details.push_back(
        ZhJoin({"它们的告警先不单独发送，待", Spaced(n.key.device), "恢复后再判断"}));
  }
  for (const std::string& superseded : n.facts.supersedes) {
    if (superseded == rule::kLinkDown && n.key.rule == rule::kFiberNoLight) {
      t.details.push_back("该链路的中断告警（link_down）已并入本告警");
    } else if (superseded == rule::kLinkDown) {
      t.details.push_back("该链路的中断告警（link_down）已并入本告警，抖动期间不再逐次通知");
    } else if (superseded == rule::kFarEndLoss) {
      t.details.push_back("对端丢包告警（far_end_loss）已并入本告警");
    } else if (superseded == rule::kUplinkIspLoss) {
      t.details.push_back("运营商侧丢包告警（uplink_isp_loss）已并入本告警");
    } else {
      t.details.push_back(ZhJoin({"已并入本告警：", Spaced(superseded)}));
    }
  }
  if (!c.resolved() && !w.hint.empty()) t.details.push_back("建议：" + w.hint);
  return t;
}

}  // namespace lanwatch::wording
