#include "exporters/web/page_text.h"

#include <fmt/format.h>

#include <cmath>

#include "config/units.h"
#include "exporters/notify/site_time.h"

namespace lanwatch {
namespace {

constexpr PageWords kZh{
    .html_lang = "zh-CN",
    .title = "网络状态",
    .link_title_suffix = "链路详情",
    .not_found_title = "未找到",
    .back_to_overview = "← 返回总览",
    .updated = "数据时间",
    .refresh_every = "页面每 {} 自动刷新",
    .version = "lanwatch 版本",
    .topology = "网络拓扑",
    .legend = "图例",
    .isp = "运营商",
    .links = "链路",
    .alerts = "当前告警",
    .no_alerts = "当前没有告警。",
    .devices = "设备",
    .services = "业务系统",
    .col_link = "链路",
    .col_kind = "类型",
    .col_port = "设备端口",
    .col_state = "状态",
    .col_in = "入",
    .col_out = "出",
    .col_capacity = "带宽",
    .col_utilization = "利用率",
    .col_errors = "错误 · 丢弃",
    .col_fiber = "光纤",
    .col_far_end = "对端时延 · 丢包",
    .col_last_hour = "最近 1 小时",
    .col_severity = "级别",
    .col_alert = "告警",
    .col_since = "开始时间",
    .col_lasted = "持续",
    .col_note = "备注",
    .col_device = "设备",
    .col_role = "角色",
    .col_address = "地址",
    .col_uptime = "运行时间",
    .col_cpu = "CPU",
    .col_memory = "内存",
    .col_disks = "磁盘",
    .col_service = "系统",
    .col_target = "检查地址",
    .col_response = "响应",
    .col_error = "原因",
    .pending = "观察中",
    .unreachable = "不可达",
    .not_polled = "尚未轮询",
    .down = "断开",
    .up = "在线",
    .none = "无",
    .uplink_verdict = "出口研判",
    .figures = "当前数据",
    .direction = "方向",
    .peak = "峰值",
    .average = "平均",
    .current = "当前",
    .in = "入",
    .out = "出",
    .percentile_title = "95 计费值（按月）",
    .percentile_billed = "计费值（取较大者）",
    .percentile_period = "统计区间",
    .percentile_samples = "5 分钟样本数",
    .percentile_none = "还没有足够的历史数据。",
    .rx = "收",
    .tx = "发",
    .rtt = "时延",
    .loss = "丢包",
    .errors_per_min = "错误",
    .discards_per_s = "丢弃",
    .history_unavailable = "这条链路还没有历史数据。",
};

constexpr PageWords kEn{
    .html_lang = "en",
    .title = "Network status",
    .link_title_suffix = "link",
    .not_found_title = "Not found",
    .back_to_overview = "← Overview",
    .updated = "Data as of",
    .refresh_every = "This page refreshes every {}",
    .version = "lanwatch",
    .topology = "Topology",
    .legend = "Legend",
    .isp = "ISP",
    .links = "Links",
    .alerts = "Active alerts",
    .no_alerts = "No active alerts.",
    .devices = "Devices",
    .services = "Services",
    .col_link = "Link",
    .col_kind = "Kind",
    .col_port = "Device port",
    .col_state = "State",
    .col_in = "In",
    .col_out = "Out",
    .col_capacity = "Capacity",
    .col_utilization = "Utilization",
    .col_errors = "Errors · discards",
    .col_fiber = "Fiber",
    .col_far_end = "Far end RTT · loss",
    .col_last_hour = "Last hour",
    .col_severity = "Severity",
    .col_alert = "Alert",
    .col_since = "Since",
    .col_lasted = "For",
    .col_note = "Note",
    .col_device = "Device",
    .col_role = "Role",
    .col_address = "Address",
    .col_uptime = "Uptime",
    .col_cpu = "CPU",
    .col_memory = "Memory",
    .col_disks = "Disks",
    .col_service = "Service",
    .col_target = "Checked at",
    .col_response = "Response",
    .col_error = "Why",
    .pending = "pending",
    .unreachable = "unreachable",
    .not_polled = "not polled yet",
    .down = "down",
    .up = "up",
    .none = "none",
    .uplink_verdict = "Uplink verdict",
    .figures = "Now",
    .direction = "Direction",
    .peak = "Peak",
    .average = "Average",
    .current = "Current",
    .in = "In",
    .out = "Out",
    .percentile_title = "95th percentile (month)",
    .percentile_billed = "Billed (the higher)",
    .percentile_period = "Period",
    .percentile_samples = "5-minute samples",
    .percentile_none = "Not enough history yet.",
    .rx = "Rx",
    .tx = "Tx",
    .rtt = "RTT",
    .loss = "loss",
    .errors_per_min = "errors",
    .discards_per_s = "discards",
    .history_unavailable = "No history for this link yet.",
};

bool Zh(NotifyLanguage l) { return l == NotifyLanguage::kZh; }

}  // namespace

const PageWords& Words(NotifyLanguage language) { return Zh(language) ? kZh : kEn; }

std::string_view StateWord(ElementState s, NotifyLanguage l) {
  switch (s) {
    case ElementState::kOk:
      return Zh(l) ? "正常" : "ok";
    case ElementState::kWarning:
      return Zh(l) ? "警告" : "warning";
    case ElementState::kCritical:
      return Zh(l) ? "严重" : "critical";
    case ElementState::kUnknown:
      return Zh(l) ? "未知" : "unknown";
    case ElementState::kSuppressed:
      return Zh(l) ? "已抑制" : "suppressed";
  }
  return "";
}

std::string_view SeverityWord(Severity s, NotifyLanguage l) {
  switch (s) {
    case Severity::kOk:
      return Zh(l) ? "正常" : "ok";
    case Severity::kWarning:
      return Zh(l) ? "警告" : "warning";
    case Severity::kCritical:
      return Zh(l) ? "严重" : "critical";
    case Severity::kUnknown:
      break;
  }
  return Zh(l) ? "未知" : "unknown";
}

std::string_view LinkKindWord(std::string_view kind, NotifyLanguage l) {
  if (kind == "uplink") return Zh(l) ? "互联网出口" : "uplink";
  if (kind == "subordinate") return Zh(l) ? "下属单位" : "subordinate unit";
  return Zh(l) ? "其他" : "other";
}

std::string_view DeviceRoleWord(std::string_view role, NotifyLanguage l) {
  if (role == "router") return Zh(l) ? "路由器" : "router";
  if (role == "switch") return Zh(l) ? "交换机" : "switch";
  if (role == "server") return Zh(l) ? "服务器" : "server";
  return Zh(l) ? "其他" : "other";
}

std::string_view FiberWord(FiberState s, NotifyLanguage l) {
  switch (s) {
    case FiberState::kOk:
      return Zh(l) ? "正常" : "ok";
    case FiberState::kDegraded:
      return Zh(l) ? "光衰" : "degraded";
    case FiberState::kNoLight:
      return Zh(l) ? "无光" : "no light";
    case FiberState::kLightButDown:
      return Zh(l) ? "有光但断开" : "light, but down";
    case FiberState::kUnknown:
      break;
  }
  return Zh(l) ? "未知" : "unknown";
}

VerdictWords UplinkVerdictText(UplinkVerdict v, NotifyLanguage l) {
  switch (v) {
    case UplinkVerdict::kOk:
      return Zh(l) ? VerdictWords{"线路和运营商均正常", ""}
                   : VerdictWords{"the line and the ISP answer", ""};
    case UplinkVerdict::kSaturated:
      return Zh(l) ? VerdictWords{"线路已跑满：丢包和延迟来自本单位自己的流量",
                                  "不是运营商的问题，请查是谁占满了带宽"}
                   : VerdictWords{
                         "the line is full: its loss and delay are the bureau's own "
                         "traffic",
                         "not the ISP: find who fills the line"};
    case UplinkVerdict::kIspLoss:
      return Zh(l) ? VerdictWords{"运营商侧丢包", "请联系运营商"}
                   : VerdictWords{"the ISP loses packets", "call the ISP"};
    case UplinkVerdict::kIspDown:
      return Zh(l) ? VerdictWords{"运营商侧中断：路由器正常，外网无响应", "请联系运营商报障"}
                   : VerdictWords{"the ISP is down: the router answers, nothing past it does",
                                  "call the ISP"};
    case UplinkVerdict::kRouterDown:
      return Zh(l) ? VerdictWords{"路由器无响应", "请检查路由器的电源、网线和控制台"}
                   : VerdictWords{"the router does not answer",
                                  "check the router (power, cabling, console)"};
    case UplinkVerdict::kUnknown:
      break;
  }
  return Zh(l) ? VerdictWords{"尚未研判", ""} : VerdictWords{"not judged yet", ""};
}

std::string_view RangeTitle(HistoryRange r, NotifyLanguage l) {
  switch (r) {
    case HistoryRange::kHour:
      return Zh(l) ? "最近 1 小时" : "Last hour";
    case HistoryRange::kDay:
      return Zh(l) ? "最近 1 天" : "Last day";
    case HistoryRange::kWeek:
      return Zh(l) ? "最近 1 周" : "Last week";
    case HistoryRange::kMonth:
      return Zh(l) ? "最近 1 个月" : "Last month";
    case HistoryRange::kYear:
      return Zh(l) ? "最近 1 年" : "Last year";
  }
  return "";
}

std::string RangeResolution(std::chrono::seconds step, NotifyLanguage l) {
  // "5 min", "2 h", "1 day" read better under a graph than a duration's "5m 0s".
  std::string every;
  const long long s = step.count();
  if (s >= 86400 && s % 86400 == 0) {
    every = Zh(l) ? fmt::format("{} 天", s / 86400) : fmt::format("{} day", s / 86400);
  } else if (s >= 3600 && s % 3600 == 0) {
    every = Zh(l) ? fmt::format("{} 小时", s / 3600) : fmt::format("{} h", s / 3600);
  } else if (s >= 60 && s % 60 == 0) {
    every = Zh(l) ? fmt::format("{} 分钟", s / 60) : fmt::format("{} min", s / 60);
  } else {
    every = Zh(l) ? fmt::format("{} 秒", s) : fmt::format("{} s", s);
  }
  return Zh(l) ? fmt::format("每 {}一个点", every) : fmt::format("one point per {}", every);
}

std::string SuppressedWhy(const AlertRecord& r, const AlertingStatus& alerting, NotifyLanguage l) {
  const std::string& why = r.suppressed_by;
  if (why.empty()) return "";
  if (why.starts_with("device:")) {
    std::string device = why.substr(7);
    return Zh(l) ? fmt::format("已抑制：设备 {} 不可达", device)
                 : fmt::format("suppressed: device {} is unreachable", device);
  }
  if (why.starts_with("silence:")) {
    std::string id = why.substr(8);
    for (const Silence& s : alerting.silences) {
      if (std::to_string(s.id) != id) continue;
      std::string until = FormatSiteTime(s.ends, l);
      std::string comment = s.comment.empty() ? "" : (Zh(l) ? "，" : ", ") + s.comment;
      return Zh(l) ? fmt::format("已静默至 {}{}", until, comment)
                   : fmt::format("silenced until {}{}", until, comment);
    }
    return Zh(l) ? fmt::format("已静默（#{}）", id) : fmt::format("silenced (#{})", id);
  }
  if (why == "flapping") return Zh(l) ? "并入链路抖动告警" : "told in the link's flapping alert";
  if (why == "no_light") return Zh(l) ? "并入无光告警" : "told in the no-light alert";
  if (why == "far_end_unreachable") {
    return Zh(l) ? "并入对端不可达告警" : "told in the far end's unreachable alert";
  }
  if (why == "uplink_isp_down") return Zh(l) ? "并入运营商中断告警" : "told in the ISP-down alert";
  return why;
}

std::string RateText(std::optional<double> bps) {
  return bps && std::isfinite(*bps) ? FormatBitRate(*bps) : std::string(kUnknownFigure);
}

std::string PercentText(std::optional<double> ratio) {
  return ratio && std::isfinite(*ratio) ? FormatPercent(*ratio) : std::string(kUnknownFigure);
}

std::string MillisecondsText(std::optional<double> seconds) {
  if (!seconds || !std::isfinite(*seconds)) return std::string(kUnknownFigure);
  return fmt::format("{:.3g} ms", *seconds * 1000);
}

std::string BytesText(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.3g} {}", v, kUnits[u]);
}

std::string DbmText(std::optional<double> dbm) {
  return dbm && std::isfinite(*dbm) ? fmt::format("{:.1f} dBm", *dbm) : std::string(kUnknownFigure);
}

}  // namespace lanwatch
