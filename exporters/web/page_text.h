// The status page's words, in Chinese (as an IT section in a Chinese bureau says them) and in
// English. Names of devices, links and services stay as configured in both. Figures use the
// formatting notifications use (config/units.h, notify/site_time.h). Pure, thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "daemon/alerts/alerting_status.h"
#include "daemon/element_state.h"
#include "daemon/history/link_history.h"
#include "daemon/network_status.h"

namespace lanwatch {

struct PageWords {
  std::string_view html_lang;  // "zh-CN", "en"
  std::string_view title, link_title_suffix, not_found_title, back_to_overview;
  std::string_view updated, refresh_every, version;
  std::string_view topology, legend, isp, links, alerts, no_alerts, devices, services;
  std::string_view col_link, col_kind, col_port, col_state, col_in, col_out, col_capacity,
      col_utilization, col_errors, col_fiber, col_far_end, col_last_hour;
  std::string_view col_severity, col_alert, col_since, col_lasted, col_note;
  std::string_view col_device, col_role, col_address, col_uptime, col_cpu, col_memory, col_disks;
  std::string_view col_service, col_target, col_response, col_error;
  std::string_view pending, unreachable, not_polled, down, up, none;
  std::string_view uplink_verdict, figures, direction, peak, average, current, in, out;
  std::string_view percentile_title, percentile_billed, percentile_period, percentile_samples,
      percentile_none;
  std::string_view rx, tx, rtt, loss, errors_per_min, discards_per_s;
  std::string_view history_unavailable;
};
const PageWords& Words(NotifyLanguage language);

std::string_view StateWord(ElementState s, NotifyLanguage language);
std::string_view SeverityWord(Severity s, NotifyLanguage language);
std::string_view LinkKindWord(std::string_view kind, NotifyLanguage language);  // "uplink", ...
std::string_view DeviceRoleWord(std::string_view role, NotifyLanguage language);
std::string_view FiberWord(FiberState s, NotifyLanguage language);
// The uplink's verdict as the IT section acts on it: what it means, whom to call.
struct VerdictWords {
  std::string_view meaning, advice;  // advice empty when nothing is to be done
};
VerdictWords UplinkVerdictText(UplinkVerdict v, NotifyLanguage language);
// "最近 1 小时" / "last hour", and the resolution: "每 5 秒一个点" / "one point per 5s".
std::string_view RangeTitle(HistoryRange r, NotifyLanguage language);
std::string RangeResolution(std::chrono::seconds step, NotifyLanguage language);
// Why an active alert sends nothing (AlertRecord::suppressed_by), in words; "" when it does.
std::string SuppressedWhy(const AlertRecord& r, const AlertingStatus& alerting,
                          NotifyLanguage language);

// Figures, "-" where unknown: "9.87 Mbit/s", "45.2%", "12 ms", "3.2 GB".
std::string RateText(std::optional<double> bps);
std::string PercentText(std::optional<double> ratio);
std::string MillisecondsText(std::optional<double> seconds);
std::string BytesText(uint64_t bytes);  // binary units, as disks and memory are read
std::string DbmText(std::optional<double> dbm);
inline constexpr std::string_view kUnknownFigure = "–";

}  // namespace lanwatch
