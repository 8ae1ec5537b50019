// NetworkState: the daemon's memory of the network. Each device poll updates it; Snapshot()
// turns it into a NetworkStatus with rates, monotonic totals, state changes and link health.
// Detects discontinuities (agent restart, device reboot, engine boots, ifCounterDiscontinuity-
// Time, renumbered ifIndex, impossible increments, ambiguous wraps) and never turns one into
// a rate: a link without a rate says so. Not thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
  // Snapshot's devices alone: each configured device as its polls so far left it.
  SharedItems<DeviceStatus> DeviceStatuses(const Config& config) const;

  // Drops devices that are no longer configured.
  void Retain(const Config& config);

 private:
  // What a port's next reading is compared with. Its status, running totals included, lives
  // in the device's status alone (DeviceTrack::status.interfaces); only what the next poll
  // compares with is here, kept small: a switch stack has hundreds of these, a city's network
  // hundreds of thousands.
  struct InterfaceTrack {
    uint32_t index = 0;  // the port's ifIndex now: the device's tracks are sorted by it
    // Where the port's status (and its running totals) was in the device's last status: its
    // ifIndex then, which a renumbering changes; kNoStatus when it has none yet (not 0: a
    // faulty agent's ifIndex 0 still keeps its totals; IF-MIB's ifIndex ends at 2^31 - 1).
    static constexpr uint32_t kNoStatus = UINT32_MAX;
    uint32_t status_index = kNoStatus;
    uint32_t last_change_ticks = 0;
    bool has_last = false;  // the fields below describe a reading to compare with
    bool last_oper_up = false;
    uint8_t last_counter_bits = 0;
    std::optional<uint32_t> last_discontinuity_ticks;
    uint64_t identity = 0;  // of the port's name and description: follows a renumbered port
    enum Counter : size_t {
      kInOctets,
      kOutOctets,
      kInErrors,
      kOutErrors,
      kInDiscards,
      kOutDiscards
    };
    CounterTrackers<6> counters;  // by Counter
    // HC packet counters exist for configured links only: null for every other port.
    struct PacketTrackers {
      CounterTrackers<6> counters;  // received by Cast, then transmitted by Cast
      PacketTotals totals;
    };
    std::unique_ptr<PacketTrackers> packets;
  };
  // Each of a city's hundreds of thousands of ports has one: a size that grows is a choice.
  static_assert(sizeof(InterfaceTrack) <= 96);
  struct DeviceTrack {
    // Shared with the snapshots taken since its last change (SharedItems).
    std::shared_ptr<DeviceStatus> status = std::make_shared<DeviceStatus>();
    std::optional<SystemSample> last_system;
    std::chrono::steady_clock::time_point last_taken_at;
    std::vector<InterfaceTrack> interfaces;  // by index; no map node per port
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
  // `was`: the port's last status, whose totals go on.
  void UpdateInterface(DeviceTrack& track, InterfaceTrack& iface, const InterfaceSample& s,
                       const InterfaceStatus* was, const Continuity& continuity,
                       const SystemSample& system,
                       std::chrono::system_clock::time_point wall_at_sample, InterfaceStatus& out);

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
// The ifIndexes of `device`'s configured links as `sample` resolves their selectors: the first
// match of each, the one FindInterface takes once the sample is state.
std::vector<uint32_t> LinkInterfaceIndexes(const Config& config, const DeviceConfig& device,
                                           const DeviceSample& sample);

}  // namespace lanwatch
