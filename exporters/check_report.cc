#include "exporters/check_report.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "config/units.h"
#include "exporters/reachability_report.h"
#include "exporters/text_table.h"

namespace lanwatch {
namespace {

std::string OrDash(const std::optional<double>& v, std::string (*format)(double)) {
  return v ? format(*v) : "-";
}
std::string Percent(double ratio) { return fmt::format("{:.1f}%", ratio * 100); }
std::string Rate(double bps) { return FormatBitRate(bps); }
std::string PerSecond(double v) { return fmt::format("{:.2f}", v); }

// Nagios perfdata labels may not contain '=' or quotes.
std::string PerfLabel(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '=' || c == '\''; }, '_');
  return "'" + text + "'";
}

// What the IT section should know of a reachable device: its name, and what it lacks.
std::string DeviceNote(const DeviceStatus& d) {
  std::vector<std::string> parts;
  if (!d.sys_name.empty()) parts.push_back(d.sys_name);
  if (d.restart_clock.empty()) parts.push_back("no uptime clock: restarts cannot be seen");
  if (!d.error.empty()) parts.push_back(d.error);
  return fmt::format("{}", fmt::join(parts, "; "));
}

nlohmann::json CountsJson(const ReasonCounts& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [reason, count] : counts) out[std::string(reason)] = count;
  return out;
}

std::string Iso8601(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::time_point_cast<std::chrono::seconds>(t));
}

std::string Summary(const NetworkStatus& status, Severity overall) {
  std::vector<std::string> problems;
  for (const DeviceStatus& d : status.devices) {
    if (d.polled && !d.up) problems.push_back(fmt::format("device {} unreachable", d.name));
  }
  for (const LinkStatus& l : status.links) {
    if (l.severity == Severity::kOk) continue;
    // A link on an unreachable device is already said above.
    const DeviceStatus* d = status.FindDevice(l.device);
    if (d && d->polled && !d->up) continue;
    problems.push_back(fmt::format("link {}: {}", l.name, fmt::join(l.problems, ", ")));
  }
  for (const ServiceStatus& s : status.services) {
    if (!s.problems.empty()) {
      problems.push_back(fmt::format("service {}: {}", s.name, fmt::join(s.problems, ", ")));
    } else if (s.checked && !s.last.up) {
      problems.push_back(fmt::format("service {} down: {}", s.name, s.last.error));
    }
  }
  int up = static_cast<int>(std::count_if(status.devices.begin(), status.devices.end(),
                                          [](const DeviceStatus& d) { return d.up; }));
  int links_ok = static_cast<int>(
      std::count_if(status.links.begin(), status.links.end(),
                    [](const LinkStatus& l) { return l.severity == Severity::kOk; }));
  std::string counts = fmt::format("{}/{} devices up, {}/{} links OK", up, status.devices.size(),
                                   links_ok, status.links.size());
  if (!status.services.empty()) {
    auto services_up = std::count_if(status.services.begin(), status.services.end(),
                                     [](const ServiceStatus& s) { return s.checked && s.last.up; });
    counts += fmt::format(", {}/{} services up", services_up, status.services.size());
  }
  if (overall == Severity::kOk || problems.empty()) return counts;
  return fmt::format("{}; {}", fmt::join(problems, "; "), counts);
}

std::string Perfdata(const NetworkStatus& status, const std::vector<LinkStatus>& links) {
  std::vector<std::string> items;
  for (const DeviceStatus& d : status.devices) {
    items.push_back(fmt::format("{}={};;;0;1", PerfLabel(d.name + "_up"), d.up ? 1 : 0));
  }
  for (const LinkStatus& l : links) {
    if (!l.found) continue;
    auto bps = [&](const char* dir, const std::optional<double>& v) {
      if (!v) return;
      std::string max = l.capacity_bps ? fmt::format("{:.0f}", *l.capacity_bps) : "";
      items.push_back(
          fmt::format("{}={:.0f};;;0;{}", PerfLabel(l.name + "_" + dir + "_bps"), *v, max));
    };
    bps("in", l.in_bps);
    bps("out", l.out_bps);
    double peak = std::max(l.in_utilization.value_or(0), l.out_utilization.value_or(0));
    if (l.in_utilization || l.out_utilization) {
      items.push_back(fmt::format("{}={:.1f}%;;;0;100", PerfLabel(l.name + "_util"), peak * 100));
    }
    if (l.errors_per_second) {
      items.push_back(
          fmt::format("{}={:.3f};;;0;", PerfLabel(l.name + "_errors"), *l.errors_per_second));
    }
  }
  for (const ProbeTargetStatus& p : status.probes) {
    if (!p.measured() || !p.window.loss_ratio) continue;
    std::string label = p.link + "_" + p.role;
    items.push_back(
        fmt::format("{}={:.1f}%;;;0;100", PerfLabel(label + "_loss"), *p.window.loss_ratio * 100));
    if (p.window.rtt_median_seconds) {
      items.push_back(fmt::format("{}={:.3f}ms;;;0;", PerfLabel(label + "_rtt"),
                                  *p.window.rtt_median_seconds * 1000));
    }
  }
  for (const ServiceStatus& s : status.services) {
    if (!s.checked || s.last.time_to_first_byte.count() <= 0) continue;
    items.push_back(
        fmt::format("{}={:.3f}ms;;;0;", PerfLabel(s.name + "_ttfb"),
                    std::chrono::duration<double, std::milli>(s.last.time_to_first_byte).count()));
  }
  return fmt::format("{}", fmt::join(items, " "));
}

// "ok", "no_light", ...; "-" where the port reports no optics.
std::string FiberCell(const FiberStatus& f) {
  if (f.state == FiberState::kUnknown && f.reason == fiber_reason::kNoOptics) return "-";
  return std::string(ToString(f.state));
}

// "-5.1/-4.9 (usual -5.0)": Rx, Tx and the learned baseline.
std::string LevelsCell(const FiberStatus& f) {
  if (!f.rx_dbm && !f.tx_dbm) return "-";
  auto level = [](const std::optional<double>& v) {
    return v ? fmt::format("{:.1f}", *v) : std::string("-");
  };
  std::string out = level(f.rx_dbm) + "/" + level(f.tx_dbm);
  if (f.baseline_dbm) out += fmt::format(" (usual {:.1f})", *f.baseline_dbm);
  return out;
}

// The link table, then a line for each uplink's verdict; empty without links.
std::string RenderLinks(const std::vector<LinkStatus>& status_links) {
  if (status_links.empty()) return "";
  std::vector<std::vector<std::string>> links = {{"LINK", "KIND", "DEVICE", "INTERFACE", "STATE",
                                                  "CAPACITY", "IN", "OUT", "UTIL IN", "UTIL OUT",
                                                  "ERR/S", "FIBER", "RX/TX dBm", "STATUS"}};
  for (const LinkStatus& l : status_links) {
    links.push_back(
        {l.name, l.kind, l.device, l.interface,
         !l.found ? "-"
         : l.up   ? "up"
                  : "DOWN",
         OrDash(l.capacity_bps, Rate), OrDash(l.in_bps, Rate), OrDash(l.out_bps, Rate),
         OrDash(l.in_utilization, Percent), OrDash(l.out_utilization, Percent),
         OrDash(l.errors_per_second, PerSecond), FiberCell(l.fiber), LevelsCell(l.fiber),
         l.problems.empty()
             ? std::string(ToString(l.severity))
             : fmt::format("{}: {}", ToString(l.severity), fmt::join(l.problems, ", "))});
  }
  std::string out = "\n" + RenderTable(links);
  for (const LinkStatus& l : status_links) {
    if (l.uplink) out += UplinkLine(l) + "\n";
  }
  return out;
}

}  // namespace

std::string RenderNagiosReport(const NetworkStatus& status, Severity overall) {
  std::string out = fmt::format("LANWATCH {} - {} | {}\n", ToString(overall),
                                Summary(status, overall), Perfdata(status, status.links));
  std::vector<std::vector<std::string>> devices = {
      {"DEVICE", "ROLE", "ADDRESS", "STATE", "UPTIME", "INTERFACES", "POLL", "NOTE"}};
  for (const DeviceStatus& d : status.devices) {
    devices.push_back({d.name, d.role, d.address,
                       !d.polled ? "unknown"
                       : d.up    ? "up"
                                 : "DOWN",
                       d.up && d.uptime_seconds ? FormatDuration(std::chrono::seconds(
                                                      static_cast<long long>(*d.uptime_seconds)))
                                                : "-",
                       d.up ? std::to_string(d.interfaces.size()) : "-",
                       d.polled ? fmt::format("{:.0f} ms", d.poll_duration_seconds * 1000) : "-",
                       d.up ? DeviceNote(d) : d.error});
  }
  out += "\n" + RenderTable(devices);
  out += RenderLinks(status.links);
  // Far-end figures in a table of their own: the link table is already wider than 100
  // columns, and the uplink's beyond and router targets belong to no link's row.
  if (std::string table = RenderReachabilityTable(status.probes); !table.empty()) {
    out += "\n" + table;
  }
  if (!status.probe_error.empty()) out += "\nno echo probes: " + status.probe_error + "\n";
  if (std::string table = RenderServicesTable(status.services); !table.empty()) {
    out += "\n" + table;
  }
  return out;
}

std::string RenderJsonReport(const NetworkStatus& status, Severity overall) {
  using nlohmann::json;
  // What lanwatch does not know is null, never 0 or "".
  auto optional = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  auto text = [](const std::string& v, bool known) {
    return known && !v.empty() ? json(v) : json(nullptr);
  };
  json devices = json::array();
  for (const DeviceStatus& d : status.devices) {
    devices.push_back(
        {{"name", d.name},
         {"role", d.role},
         {"address", d.address},
         {"polled", d.polled},
         {"up", d.up},
         {"error", text(d.error, true)},
         {"sys_name", text(d.sys_name, d.up)},
         {"sys_object_id", text(d.sys_object_id, d.up)},
         {"uptime_seconds", d.up ? optional(d.uptime_seconds) : json(nullptr)},
         {"restart_clock", text(d.restart_clock, d.up)},
         {"poll_duration_seconds", d.polled ? json(d.poll_duration_seconds) : json(nullptr)},
         {"interfaces", d.up ? json(d.interfaces.size()) : json(nullptr)},
         {"snmp_errors", CountsJson(d.snmp_errors)},
         {"sample_discontinuities", CountsJson(d.discontinuities)}});
  }
  json links = json::array();
  for (const LinkStatus& l : status.links) {
    const LinkThresholds& t = l.thresholds;
    links.push_back({{"name", l.name},
                     {"kind", l.kind},
                     {"device", l.device},
                     {"interface", l.interface},
                     {"found", l.found},
                     {"up", l.found ? json(l.up) : json(nullptr)},
                     {"speed_bps", optional(l.speed_bps)},
                     {"capacity_bps", optional(l.capacity_bps)},
                     {"in_bps", optional(l.in_bps)},
                     {"out_bps", optional(l.out_bps)},
                     {"in_utilization", optional(l.in_utilization)},
                     {"out_utilization", optional(l.out_utilization)},
                     {"errors_per_second", optional(l.errors_per_second)},
                     {"thresholds",
                      {{"utilization_warning", t.utilization_warning},
                       {"utilization_critical", t.utilization_critical},
                       {"errors_warning_per_second", t.errors_warning},
                       {"errors_critical_per_second", t.errors_critical}}},
                     {"fiber",
                      {{"state", ToString(l.fiber.state)},
                       {"reason", text(l.fiber.reason, true)},
                       {"rx_dbm", optional(l.fiber.rx_dbm)},
                       {"tx_dbm", optional(l.fiber.tx_dbm)},
                       {"baseline_dbm", optional(l.fiber.baseline_dbm)},
                       {"margin_db", optional(l.fiber.margin_db)},
                       {"module_serial", text(l.fiber.module_serial, true)},
                       {"module_vendor", text(l.fiber.module_vendor, true)},
                       {"optics_read_at",
                        l.fiber.optics_at ? json(Iso8601(*l.fiber.optics_at)) : json(nullptr)}}},
                     {"far_end", FarEndJson(l)},
                     {"uplink", UplinkJson(l)},
                     {"status", ToString(l.severity)},
                     {"problems", l.problems}});
  }
  json report = {
      {"status", ToString(overall)},
      {"exit_code", static_cast<int>(overall)},
      {"summary", Summary(status, overall)},
      {"site", status.site},
      {"checked_at", Iso8601(status.taken_at)},
      {"sample_interval_seconds",
       status.sample_interval ? json(std::chrono::duration<double>(*status.sample_interval).count())
                              : json(nullptr)},
      {"completed_rounds", status.completed_rounds},
      {"devices", devices},
      {"links", links},
      {"probes", ProbesJson(status.probes)},
      {"probe_error", status.probe_error.empty() ? json(nullptr) : json(status.probe_error)},
      {"services", ServicesJson(status.services)}};
  return report.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace lanwatch
