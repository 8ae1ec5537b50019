// A synthetic snapshot of a large site for the scrape's tests and its benchmark: N 48-port
// switches (GigabitEthernet1/0/1..48 and Vlan1: 49 interfaces, with counters in the
// trillions), a link per 100 switches, a few alerts, a capture, echo probes, a service, traps.
// Some switches carry what the text must survive: a repeated ifName, GBK bytes in a name,
// quotes, backslashes and newlines in label values, optics, host resources; one is down.
// Header-only: the unit tests, the HTTP test and bench/scrape_bench.cc all use it.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <string>

#include "daemon/network_status.h"
#include "exporters/status_collector.h"

namespace lanwatch::testing {

struct ScaleSnapshot {
  NetworkStatus status;
  DaemonStats daemon;
  AlertingMetrics alerting;
};

inline constexpr int kScalePorts = 48;  // plus Vlan1: 49 interfaces per switch

inline InterfaceStatus ScaleInterface(size_t device, int port) {
  InterfaceStatus i;
  i.index = static_cast<uint32_t>(port <= kScalePorts ? port : 1000 + port);
  i.name = port <= kScalePorts ? fmt::format("GigabitEthernet1/0/{}", port) : "Vlan1";
  i.admin_up = port % 7 != 0;
  i.oper_up = i.admin_up && port % 5 != 0;
  i.oper_status = i.oper_up ? 1 : 2;
  i.speed_bps = port <= kScalePorts ? 1'000'000'000 : 0;
  i.counter_bits = port == 3 ? 32 : (port == 4 ? 0 : 64);
  const uint64_t seed = device * 7919 + static_cast<uint64_t>(port) * 104729;
  i.receive_bytes_total = 1'000'000'000'000ULL + seed * 1'000'003ULL;
  i.transmit_bytes_total = 400'000'000'000ULL + seed * 999'983ULL;
  i.receive_errors_total = seed % 17;
  i.transmit_errors_total = seed % 5;
  i.receive_discards_total = seed % 101;
  i.transmit_discards_total = seed % 3;
  i.state_changes_total = seed % 4;
  if (port % 3 == 0)
    i.last_change_unix_seconds = 1'764'000'000.0 + static_cast<double>(seed % 86400);
  return i;
}

inline ScaleSnapshot MakeScaleSnapshot(size_t devices) {
  using namespace std::chrono_literals;
  const auto now = std::chrono::system_clock::time_point(
      std::chrono::sys_days(std::chrono::year(2026) / 12 / 1));
  ScaleSnapshot snap;
  NetworkStatus& s = snap.status;
  s.site = "county schools";
  s.taken_at = now;
  for (size_t k = 0; k < devices; ++k) {
    DeviceStatus d;
    d.name = fmt::format("sw-{:04}", k + 1);
    d.role = "switch";
    d.address = fmt::format("198.18.{}.{}", k / 250, k % 250 + 1);
    d.parent = k == 0 ? "" : "sw-0001";
    d.polled = true;
    d.up = k % 97 != 5;  // a few unreachable: no interface series
    d.sys_name = d.name;
    d.sys_object_id = "1.3.6.1.4.1.2011.2.23.96";
    d.restart_clock = "sysUpTime";
    d.uptime_seconds = 86400.0 * 40 + static_cast<double>(k);
    d.poll_duration_seconds = 0.25 + static_cast<double>(k % 10) / 100;
    d.snmp_errors["timeout"] = k % 3;
    d.discontinuities["agent_restart"] = k % 2;
    for (int port = 1; port <= kScalePorts + 1; ++port)
      d.interfaces.push_back(ScaleInterface(k, port));
    if (k == 1) d.interfaces[1].name = d.interfaces[0].name;  // agents do repeat ifName
    if (k == 2) {
      d.interfaces[5].name = "\xBA\xCB\xD0\xC4 uplink";        // GBK bytes that escaped decoding
      d.interfaces[6].name = "say \"hi\"\\ there\nnext line";  // every escaped character
    }
    if (k % 50 == 3) {
      Transceiver t;
      t.if_index = 48;
      t.source = "HUAWEI-ENTITY-EXTENT-MIB";
      t.units = "0.01 dBm";
      t.vendor = "HUAWEI";
      t.serial = fmt::format("SN{:06}", k);
      t.part = "SFP-GE-LX-SM1310";
      t.lanes.push_back({1, -6.41, -2.13, false, 18.5});
      t.temperature_celsius = 41.5;
      t.voltage_volts = 3.3;
      t.rx_limits.low_alarm = -19;
      t.rx_limits.high_alarm = 0;
      t.rx_sensitivity_dbm = -19;
      d.optics.polled = true;
      d.optics.read_at = now - 30s;
      d.optics.transceivers.push_back(t);
    }
    if (k % 500 == 7) {
      HostSample h;
      h.cpu_load_percent = {12, 30};
      h.load1 = 0.5;
      h.memory_total_bytes = 8ULL << 30;
      h.memory_available_bytes = 5ULL << 30;
      h.storage.push_back({"/", StorageSample::Kind::kDisk, 100ULL << 30, 46ULL << 30});
      d.host = h;
    }
    s.devices.push_back(std::move(d));
  }
  for (size_t k = 0; k < devices; k += 100) {
    LinkStatus l;
    l.name = k == 0 ? "uplink" : fmt::format("school-{}", k / 100);
    l.kind = k == 0 ? "uplink" : "subordinate";
    l.device = s.devices[k].name;
    l.interface = "GigabitEthernet1/0/48";
    l.found = l.up = l.admin_up = true;
    l.capacity_bps = 100e6;
    l.speed_bps = 1'000'000'000;
    l.in_bps = 12.5e6 + static_cast<double>(k);
    l.out_bps = 3.25e6;
    l.in_utilization = *l.in_bps / *l.capacity_bps;
    l.out_utilization = *l.out_bps / *l.capacity_bps;
    l.errors_per_second = 0;
    if (k % 300 != 0) l.discards_per_second = 0.1;  // else NaN: no rate this interval
    l.fiber.state = FiberState::kOk;
    l.fiber.baseline_dbm = -6.4;
    l.packets.receive = {123456789ULL, 4567ULL, std::nullopt};
    l.packets.transmit = {98765432ULL, 123ULL, 45ULL};
    if (k == 0) {
      UplinkStatus u;
      u.verdict = UplinkVerdict::kSaturated;
      l.uplink = u;
      l.severity = Severity::kCritical;
    }
    s.links.push_back(std::move(l));
  }
  CaptureStatus c;
  c.name = "wan";
  c.interface = "eth1";
  c.up = true;
  c.cumulative.bytes_in = 123'456'789'012;
  c.cumulative.bytes_out = 23'456'789'012;
  c.in_bps = 9.93e6;
  c.top_hosts = {{"198.18.0.10", 1'000'000}, {"198.18.0.11", 500'000}};
  s.captures.push_back(c);
  for (const char* target : {"198.18.255.1", "198.18.255.2"}) {
    ProbeTargetStatus p;
    p.target = target;
    p.link = "uplink";
    p.role = probe_role::kPeer;
    p.window_length = 60s;
    p.sent_total = 3600;
    p.lost_total = 12;
    p.window.sent = 60;
    p.window.lost = 1;
    p.window.loss_ratio = 1.0 / 60;
    p.window.rtt_median_seconds = 0.0123;
    p.histogram.count = 3588;
    p.histogram.sum_seconds = 44.125;
    for (size_t b = 0; b < p.histogram.cumulative.size(); ++b) {
      p.histogram.cumulative[b] = std::min<uint64_t>(3588, 300 * (b + 1));
    }
    s.probes.push_back(p);
  }
  ServiceStatus svc;
  svc.name = "portal";
  svc.kind = "http";
  svc.target = "http://198.18.0.80/";
  svc.checked = true;
  svc.checks_total = 100;
  svc.last.up = true;
  svc.last.status = 200;
  svc.last.total_time = std::chrono::microseconds(14800);
  s.services.push_back(svc);

  snap.daemon.rounds_total = 1440;
  snap.daemon.last_round_seconds = 4.75;
  snap.daemon.probe_mode = "datagram";
  TrapCounts traps;
  traps.accepted["sw-0001"]["linkDown"] = 3;
  traps.malformed = 1;
  snap.daemon.traps = traps;

  AlertRecord full;
  full.key = {"link_utilization", "sw-0001", "uplink"};
  full.phase = AlertPhase::kFiring;
  full.severity = Severity::kCritical;
  AlertRecord down = full;
  down.key = {"device_down", "sw-0006", ""};
  AlertRecord folded = down;
  folded.key.rule = "link_down";
  folded.suppressed_by = "device: sw-0006 is down";
  snap.alerting.alerting.records = {full, down, folded};
  snap.alerting.alerting.transitions.by_rule_and_phase[{"device_down", "firing"}] = 2;
  snap.alerting.receivers.push_back({"email", 10, 1, 0, 0, now - 1h, std::nullopt, ""});
  return snap;
}

}  // namespace lanwatch::testing
