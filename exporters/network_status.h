// NetworkStatus: a self-contained snapshot of everything lanwatch knows about the network at
// one moment. The daemon builds it after each poll; exporters publish it (metrics, check
// report). Plain values only, safe to copy and hand across threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "probes/capture/traffic_meter.h"
#include "probes/snmp/device_sample.h"

namespace lanwatch {

enum class Severity { kOk = 0, kWarning = 1, kCritical = 2, kUnknown = 3 };  // Nagios order
std::string_view ToString(Severity s);

struct InterfaceStatus {
  uint32_t index = 0;
  std::string name, description, alias;
  bool admin_up = false;
  bool oper_up = false;
  uint64_t speed_bps = 0;
  int counter_bits = 0;  // 64, 32, or 0 when the agent has no octet counters
  // Monotonic since lanwatch started watching: wraps and reboots never make them go down.
  uint64_t receive_bytes_total = 0, transmit_bytes_total = 0;
  uint64_t receive_errors_total = 0, transmit_errors_total = 0;
  uint64_t receive_discards_total = 0, transmit_discards_total = 0;
  // Over the last poll interval; absent on the first poll and after a discontinuity.
  std::optional<double> receive_bps, transmit_bps;
  std::optional<double> errors_per_second;  // in + out
};

struct DeviceStatus {
  std::string name, role, address;
  bool polled = false;  // at least one poll has finished
  bool up = false;      // the last poll succeeded
  std::string error;    // why the last poll failed
  std::string sys_name, sys_description, sys_object_id;
  double uptime_seconds = 0;
  double poll_duration_seconds = 0;
  std::map<std::string, uint64_t> snmp_errors;      // by reason, since start
  std::map<std::string, uint64_t> discontinuities;  // by reason, since start
  std::vector<InterfaceStatus> interfaces;
  std::optional<HostSample> host;
};

struct LinkStatus {
  std::string name, kind, device;
  std::string interface;  // resolved ifName (or the selector when not found)
  bool found = false;     // the selector matched an interface on a reachable device
  bool up = false;        // oper status
  bool admin_up = false;
  uint64_t speed_bps = 0;
  double capacity_bps = 0;  // configured contract rate, else the port speed
  std::optional<double> in_bps, out_bps;
  std::optional<double> in_utilization, out_utilization;  // ratio of capacity
  std::optional<double> errors_per_second;
  // |capture bytes - SNMP bytes| / SNMP bytes over the last poll interval, for a link that a
  // capture watches too.
  std::optional<double> accounting_mismatch;
  Severity severity = Severity::kUnknown;
  std::vector<std::string> problems;  // why severity is not OK, in words
};

struct CaptureStatus {
  std::string name, interface;
  bool up = false;                        // the interface is open and being read
  std::string error;                      // why not
  TrafficTotals cumulative;               // since lanwatchd started
  std::optional<double> in_bps, out_bps;  // over the last interval
  std::optional<double> in_pps, out_pps;
  std::vector<TopEntry> top_hosts, top_conversations;  // over the last interval
  uint64_t kernel_drops = 0, interface_drops = 0;
};

struct NetworkStatus {
  std::string site;
  std::vector<DeviceStatus> devices;
  std::vector<LinkStatus> links;
  std::vector<CaptureStatus> captures;
  int completed_rounds = 0;

  const DeviceStatus* FindDevice(std::string_view name) const;
};

}  // namespace lanwatch
