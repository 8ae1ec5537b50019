// NetworkState: the daemon's memory of the network. Each device poll updates it; Snapshot()
// turns it into a NetworkStatus with rates, monotonic totals, state changes and link health.
// Detects discontinuities (agent restart, device reboot, engine boots, ifCounterDiscontinuity-
// Time, renumbered ifIndex, impossible increments, ambiguous wraps) and never turns one into
// a rate: a link without a rate says so. Not thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/counter_tracker.h"
#include "daemon/fiber_health.h"
#include "daemon/network_status.h"
#include "daemon/sample_source.h"

namespace lanwatch {

class NetworkState {
 public:
  // One poll of `poll.device`, whose sample (if any) was taken at `wall_at_sample`. Returns
  // the device's status after it.
  const DeviceStatus& Apply(const DevicePoll& poll,
                            std::chrono::system_clock::time_point wall_at_sample);

  // One optics walk of `poll.device`, finished at `at`. Feeds each of its links' baseline.
  void ApplyOptics(const OpticsPoll& poll, std::chrono::system_clock::time_point at,
                   const Config& config);

  // Where fiber baselines are kept (by default in memory only).
  void UseFiberBaselines(std::unique_ptr<FiberBaselineStore> store) {
    fiber_ = FiberHealth(std::move(store));
  }

  // Everything known, against the config's devices and links (devices never polled appear
  // as not polled). Evaluates each link's health from its thresholds.
  NetworkStatus Snapshot(const Config& config) const;

  // Drops devices that are no longer configured.
  void Retain(const Config& config);

 private:
  struct InterfaceTrack {
    InterfaceSample last;
    bool has_last = false;  // `last` is a reading to compare with
    CounterTracker in_octets, out_octets, in_errors, out_errors, in_discards, out_discards;
    std::array<CounterTracker, 3> in_packets, out_packets;  // by Cast
    InterfaceStatus status;
  };
  struct DeviceTrack {
    DeviceStatus status;
    std::optional<SystemSample> last_system;
    std::chrono::steady_clock::time_point last_taken_at;
    std::map<uint32_t, InterfaceTrack> interfaces;
  };
  // How this sample relates to the device's previous one.
  struct Continuity {
    const char* reason = nullptr;  // a device-wide discontinuity, or null
    bool counters_reset = false;   // the device rebooted: every counter starts over
    bool may_wrap = true;          // a Counter32 decrease may be read as a wrap
    double elapsed = 0;
  };

  void ApplySample(DeviceTrack& track, const DeviceSample& sample,
                   std::chrono::system_clock::time_point wall_at_sample);
  static Continuity Compare(const std::optional<SystemSample>& before, const SystemSample& now,
                            double elapsed_seconds);
  // Keys the device's interface tracks by the new sample's ifIndexes, following ports by
  // name when the agent renumbered them.
  void Rematch(DeviceTrack& track, const DeviceSample& sample);
  void UpdateInterface(DeviceTrack& track, InterfaceTrack& iface, const InterfaceSample& s,
                       const Continuity& continuity, const SystemSample& system,
                       std::chrono::system_clock::time_point wall_at_sample);

  std::map<std::string, DeviceTrack> devices_;
  FiberHealth fiber_{MakeMemoryFiberBaselineStore()};
};

// The transceiver of `device` on interface `if_index`, or null.
const Transceiver* FindTransceiver(const DeviceStatus& device, uint32_t if_index);

// Whether `sel` names the interface with these identifiers.
bool SelectorMatches(const InterfaceSelector& sel, const std::string& name,
                     const std::string& description, const std::string& alias, uint32_t index);

// The interface of `device` that `selector` names, or null.
const InterfaceStatus* FindInterface(const DeviceStatus& device, const InterfaceSelector& sel);

}  // namespace lanwatch
