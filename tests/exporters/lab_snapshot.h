// A realistic snapshot of the bureau in a box (config/lab.yaml) for the status page's tests
// and its benchmark: one unit (datong) cut, the uplink saturated, a hostile sysName on the
// switch, the unit fengtai renamed 丰台 (Chinese link names must work in URLs), the server's
// health, two services, the alerts the engine would hold, and an hour of history per link.
// Header-only: the unit tests and bench/page_bench.cc both use it.
#pragma once

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "daemon/alerts/alerting_status.h"
#include "daemon/history/link_history.h"
#include "daemon/network_status.h"

namespace lanwatch::testing {

inline constexpr const char* kHostileSysName = "<script>alert('x')</script>&core";
inline constexpr const char* kCutUnit = "datong";
inline constexpr const char* kChineseUnit = "丰台";

struct LabSnapshot {
  Config config;
  NetworkStatus status;
  AlertingStatus alerting;
  std::vector<HistorySeries> hour;
  std::chrono::system_clock::time_point now;
};

inline Config LoadLabConfig() {
  auto config = LoadConfigFile(std::string(LANWATCH_SOURCE_DIR) + "/config/lab.yaml");
  if (!config) throw std::runtime_error("config/lab.yaml does not load");
  for (LinkConfig& l : config->links) {
    if (l.name == "fengtai") l.name = kChineseUnit;
  }
  return *config;
}

// `points` samples over the hour before `now`, one per poll interval, a gentle office curve
// around `mean`; NaN (unknown) from `cut_from` on.
inline HistorySeries HourSeries(const std::string& link, double mean, double out_share,
                                std::chrono::system_clock::time_point now,
                                std::chrono::seconds step, size_t cut_from = SIZE_MAX) {
  HistorySeries s;
  s.link = link;
  s.range = HistoryRange::kHour;
  s.step = step;
  size_t points = static_cast<size_t>(3600 / step.count());
  s.start = now - step * static_cast<long>(points);
  double peak_in = 0, peak_out = 0, sum_in = 0, sum_out = 0;
  size_t known = 0;
  for (size_t i = 0; i < points; ++i) {
    if (i >= cut_from) {
      s.in_bps.push_back(NAN);
      s.out_bps.push_back(NAN);
      continue;
    }
    double wave = 1 + 0.35 * std::sin(static_cast<double>(i) / 37.0) +
                  0.15 * std::sin(static_cast<double>(i) / 5.3);
    double in = mean * wave, out = mean * out_share * (2 - wave);
    s.in_bps.push_back(in);
    s.out_bps.push_back(out);
    peak_in = std::max(peak_in, in);
    peak_out = std::max(peak_out, out);
    sum_in += in;
    sum_out += out;
    ++known;
  }
  if (known > 0) {
    s.in = {peak_in, sum_in / known, s.in_bps[known - 1]};
    s.out = {peak_out, sum_out / known, s.out_bps[known - 1]};
  }
  return s;
}

inline LabSnapshot MakeLabSnapshot() {
  using namespace std::chrono_literals;
  LabSnapshot lab;
  lab.config = LoadLabConfig();
  lab.now = std::chrono::system_clock::time_point(
                std::chrono::sys_days(std::chrono::year(2026) / 12 / 1)) +
            13h + 47min + 5s;
  NetworkStatus& s = lab.status;
  s.site = lab.config.site;
  s.taken_at = lab.now;
  s.completed_rounds = 120;
  for (const DeviceConfig& d : lab.config.devices) {
    DeviceStatus ds;
    ds.name = d.name;
    ds.role = std::string(ToString(d.role));
    ds.address = d.address;
    ds.polled = ds.up = true;
    ds.sys_name = d.name == "core-switch" ? kHostileSysName : d.name;
    ds.uptime_seconds = 86400.0 * 12 + 3600 * 5;
    if (d.role == DeviceRole::kServer) {
      HostSample h;
      h.cpu_load_percent = {12, 30};
      h.memory_total_bytes = 8ULL << 30;
      h.memory_available_bytes = 5ULL << 30;
      h.storage.push_back({"/", StorageSample::Kind::kDisk, 100ULL << 30, 46ULL << 30});
      h.storage.push_back({"/srv", StorageSample::Kind::kDisk, 500ULL << 30, 410ULL << 30});
      ds.host = h;
    }
    s.devices.push_back(ds);
  }
  const auto step = std::chrono::duration_cast<std::chrono::seconds>(lab.config.poll_interval);
  for (const LinkConfig& l : lab.config.links) {
    LinkStatus ls;
    ls.name = l.name;
    ls.kind = std::string(ToString(l.kind));
    ls.device = l.device;
    ls.interface = l.interface.value;
    ls.found = ls.up = ls.admin_up = true;
    ls.capacity_bps = l.capacity_bps;
    ls.speed_bps = l.kind == LinkKind::kUplink ? 1'000'000'000 : 100'000'000;
    ls.thresholds = l.thresholds;
    ls.peer = l.peer;
    ls.errors_per_second = 0;
    ls.discards_per_second = 0;
    ls.fiber.state = FiberState::kOk;
    ls.fiber.rx_dbm = -6.4;
    ls.fiber.tx_dbm = -2.1;
    WindowSummary far;
    far.sent = 10;
    far.loss_ratio = 0;
    far.rtt_median_seconds = 0.0008;
    ls.severity = Severity::kOk;
    double mean = 12e6;
    if (l.kind == LinkKind::kUplink) {
      ls.in_bps = 9.93e6;
      ls.out_bps = 2.4e6;
      ls.in_utilization = 0.993;
      ls.out_utilization = 0.24;
      ls.severity = Severity::kCritical;
      ls.problems = {"in 99.3% of 10 Mbit/s"};
      UplinkStatus u;
      u.verdict = UplinkVerdict::kSaturated;
      u.reason = "utilization";
      u.utilization = 0.993;
      u.peer_loss = 0.1;
      u.peer_rtt_median_seconds = 0.180;
      ls.uplink = u;
      far.loss_ratio = 0.1;
      far.lost = 1;
      far.rtt_median_seconds = 0.180;
      mean = 8.8e6;
      lab.hour.push_back(HourSeries(l.name, 6.4e6, 0.3, lab.now, step));
    } else if (l.name == kCutUnit) {
      ls.up = false;
      ls.severity = Severity::kCritical;
      ls.problems = {"link down"};
      ls.fiber.state = FiberState::kNoLight;
      ls.fiber.rx_dbm = -40;
      far.lost = 10;
      far.loss_ratio = 1;
      far.rtt_median_seconds.reset();
      // Cut seven minutes ago: the newest 84 points are unknown.
      lab.hour.push_back(HourSeries(l.name, mean, 0.6, lab.now, step, 720 - 84));
    } else {
      ls.in_bps = mean * 0.9;
      ls.out_bps = mean * 0.5;
      ls.in_utilization = *ls.in_bps / *l.capacity_bps;
      ls.out_utilization = *ls.out_bps / *l.capacity_bps;
      lab.hour.push_back(HourSeries(l.name, mean, 0.6, lab.now, step));
    }
    ls.far_end = far;
    s.links.push_back(ls);
  }
  for (const ServiceConfig& c : lab.config.services) {
    ServiceStatus ss;
    ss.name = c.name;
    ss.kind = c.url.empty() ? "tcp" : "http";
    ss.target = c.url.empty() ? c.tcp : c.url;
    ss.device = c.device;
    ss.checked = true;
    ss.last.up = true;
    ss.last.status = c.url.empty() ? 0 : 200;
    ss.last.total_time = std::chrono::microseconds(c.url.empty() ? 1200 : 14800);
    ss.severity = Severity::kOk;
    s.services.push_back(ss);
  }
  AlertRecord down;
  down.key = {rule::kFiberNoLight, "core-switch", kCutUnit};
  down.phase = AlertPhase::kFiring;
  down.severity = Severity::kCritical;
  down.pending_since = down.firing_since = lab.now - 7min;
  down.facts.unit = "dBm";
  down.facts.value = -40;
  down.facts.interface = "sw-datong";
  AlertRecord folded = down;  // told in the no-light alert
  folded.key.rule = rule::kLinkDown;
  folded.facts = {};
  folded.suppressed_by = "no_light";
  AlertRecord full;
  full.key = {rule::kLinkUtilization, "router", "uplink"};
  full.phase = AlertPhase::kFiring;
  full.severity = Severity::kCritical;
  full.pending_since = lab.now - 3min;
  full.firing_since = lab.now - 2min - 50s;
  full.facts.unit = "ratio";
  full.facts.value = 0.993;
  full.facts.threshold = 0.95;
  full.facts.capacity_bps = 10e6;
  full.facts.direction = "in";
  full.facts.interface = "wan0";
  lab.alerting.records = {full, down, folded};
  return lab;
}

// The five ranges of `link`, as LinkHistory would fetch them for a link page: smooth waves
// at each range's resolution, with their figures.
inline std::vector<HistorySeries> FiveRanges(const LabSnapshot& lab, const std::string& link) {
  using namespace std::chrono_literals;
  std::vector<HistorySeries> ranges;
  struct {
    HistoryRange range;
    std::chrono::seconds step;
    size_t points;
  } kRanges[] = {{HistoryRange::kHour, 5s, 720},
                 {HistoryRange::kDay, 300s, 288},
                 {HistoryRange::kWeek, 1800s, 336},
                 {HistoryRange::kMonth, 7200s, 372},
                 {HistoryRange::kYear, 86400s, 365}};
  for (auto r : kRanges) {
    HistorySeries s;
    s.link = link;
    s.range = r.range;
    s.step = r.step;
    s.start = lab.now - r.step * static_cast<long>(r.points);
    for (size_t i = 0; i < r.points; ++i) {
      s.in_bps.push_back(5e6 + 4e6 * std::sin(static_cast<double>(i) / 20.0));
      s.out_bps.push_back(2e6 + 1e6 * std::cos(static_cast<double>(i) / 15.0));
    }
    s.in = {9e6, 5e6, s.in_bps.back()};
    s.out = {3e6, 2e6, s.out_bps.back()};
    ranges.push_back(std::move(s));
  }
  return ranges;
}

}  // namespace lanwatch::testing
