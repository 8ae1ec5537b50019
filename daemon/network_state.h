// NetworkState: the daemon's memory of the network. Each poll outcome updates it; Snapshot()
// turns it into a NetworkStatus with rates, monotonic totals, link health and problems.
// Detects discontinuities (agent restart, engine boots, ifCounterDiscontinuityTime,
// renumbered ifIndex, impossible rates) and never turns one into a rate. Not thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/counter_tracker.h"
#include "exporters/network_status.h"
#include "probes/snmp/device_sample.h"
#include "probes/snmp/snmp_query.h"

namespace lanwatch {

namespace discontinuity {
inline constexpr const char* kAgentRestart = "agent_restart";  // sysUpTime went back
inline constexpr const char* kEngineBoots = "engine_boots";    // snmpEngineBoots changed
inline constexpr const char* kCounterDiscontinuityTime = "counter_discontinuity_time";
inline constexpr const char* kInterfaceChanged = "interface_changed";  // ifIndex renumbered
inline constexpr const char* kCounterWidthChanged = "counter_width_changed";
inline constexpr const char* kRateExceedsSpeed = "rate_exceeds_speed";
inline constexpr const char* kCounterReset = "counter_reset";  // 64-bit went back
// A Counter32 on a port fast enough to wrap it more than once per poll, with no trusted rate:
// shorten the poll interval for that device.
inline constexpr const char* kAmbiguousWraps = "ambiguous_counter_wraps";
}  // namespace discontinuity

class NetworkState {
 public:
  // One poll of `device`: the raw result, and its decoding when the poll succeeded.
  void Apply(const DeviceConfig& device, const SnmpResult& result,
             const std::optional<DeviceSample>& sample, const std::string& decode_error = {});

  // Everything known, against the config's devices and links (devices never polled appear
  // as not polled). Evaluates each link's health from its thresholds.
  NetworkStatus Snapshot(const Config& config) const;

  // Drops devices that are no longer configured.
  void Retain(const Config& config);

 private:
  struct InterfaceTrack {
    InterfaceSample last;
    CounterTracker in_octets, out_octets, in_errors, out_errors, in_discards, out_discards;
    InterfaceStatus status;
  };
  struct DeviceTrack {
    DeviceStatus status;
    std::optional<SystemSample> last_system;
    std::chrono::steady_clock::time_point last_taken_at;
    std::map<uint32_t, InterfaceTrack> interfaces;
  };

  void ApplySample(DeviceTrack& track, const DeviceSample& sample);
  void UpdateInterface(DeviceTrack& track, InterfaceTrack& iface, const InterfaceSample& s,
                       double elapsed_seconds, bool device_continuous);
  // Why this sample cannot be compared with the last one at all, or nullptr.
  static const char* DeviceDiscontinuity(const SystemSample& before, const SystemSample& now,
                                         double elapsed_seconds);

  std::map<std::string, DeviceTrack> devices_;
};

// Finds the interface a link selects, or nullptr.
const InterfaceStatus* FindInterface(const DeviceStatus& device, const InterfaceSelector& sel);

}  // namespace lanwatch
