#include "daemon/network_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "daemon/link_health.h"

namespace lanwatch {
namespace {

constexpr double kTicksPerSecond = 100;
constexpr double kTwo32 = 4294967296.0;

// Adds the counter's increment to `total`; returns the increment's per-second rate, if any.
std::optional<double> Accumulate(CounterTracker& tracker, std::optional<uint64_t> raw, int bits,
                                 double elapsed, double max_per_second, uint64_t& total,
                                 const char*& discontinuity) {
  if (!raw) {
    tracker.Reset();
    return std::nullopt;
  }
  CounterUpdate u = tracker.Update(*raw, bits, elapsed, max_per_second);
  switch (u.kind) {
    case CounterUpdate::Kind::kDelta:
      total += u.delta;
      return static_cast<double>(u.delta) / elapsed;
    case CounterUpdate::Kind::kTooFast:
      discontinuity = discontinuity::kRateExceedsSpeed;
      return std::nullopt;
    case CounterUpdate::Kind::kWentBack:
      discontinuity = discontinuity::kCounterReset;
      return std::nullopt;
    case CounterUpdate::Kind::kAmbiguous:
      discontinuity = discontinuity::kAmbiguousWraps;
      return std::nullopt;
    case CounterUpdate::Kind::kBaseline:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

const char* NetworkState::DeviceDiscontinuity(const SystemSample& before, const SystemSample& now,
                                              double elapsed_seconds) {
  if (before.engine_boots && now.engine_boots && *before.engine_boots != *now.engine_boots) {
    return discontinuity::kEngineBoots;
  }
  // sysUpTime should have advanced by about the time that passed, modulo 2^32 ticks: it wraps
  // after 497 days without meaning a reboot. Anything else means the agent restarted.
  const double expected = elapsed_seconds * kTicksPerSecond;
  const double advanced = std::fmod(
      static_cast<double>(now.uptime_ticks.value_or(0)) - before.uptime_ticks.value_or(0) + kTwo32,
      kTwo32);
  const double tolerance = std::max(300.0, expected * 0.1);  // 3 s, or 10% of the interval
  if (std::fabs(advanced - expected) > tolerance) return discontinuity::kAgentRestart;
  return nullptr;
}

void NetworkState::Apply(const DeviceConfig& device, const SnmpResult& result,
                         const std::optional<DeviceSample>& sample,
                         const std::string& decode_error) {
  DeviceTrack& track = devices_[device.name];
  DeviceStatus& st = track.status;
  st.name = device.name;
  st.role = std::string(ToString(device.role));
  st.address = device.address;
  st.polled = true;
  st.poll_duration_seconds = std::chrono::duration<double>(result.elapsed).count();
  for (const auto& [reason, count] : result.errors) st.snmp_errors[reason] += count;
  if (!sample) {
    st.up = false;
    st.error = result.failure_reason ? result.failure_message : decode_error;
    return;
  }
  st.up = true;
  // A walk that stopped early still gives usable scalars: report it but keep the sample.
  st.error = result.failure_reason ? result.failure_message : "";
  ApplySample(track, *sample);
}

void NetworkState::ApplySample(DeviceTrack& track, const DeviceSample& sample) {
  DeviceStatus& st = track.status;
  double elapsed = 0;
  bool continuous = false;
  if (track.last_system) {
    elapsed = std::chrono::duration<double>(sample.taken_at - track.last_taken_at).count();
    const char* reason = DeviceDiscontinuity(*track.last_system, sample.system, elapsed);
    if (reason) ++st.discontinuities[reason];
    continuous = reason == nullptr && elapsed > 0;
  }
  track.last_system = sample.system;
  track.last_taken_at = sample.taken_at;
  st.sys_name = sample.system.name;
  st.sys_description = sample.system.description;
  st.sys_object_id = sample.system.object_id;
  st.uptime_seconds = sample.system.uptime_ticks.value_or(0) / kTicksPerSecond;
  st.host = sample.host;

  // Interfaces that vanished from the agent are dropped; their totals with them.
  std::erase_if(track.interfaces,
                [&](const auto& e) { return !sample.interfaces.contains(e.first); });
  for (const auto& [index, s] : sample.interfaces) {
    UpdateInterface(track, track.interfaces[index], s, elapsed, continuous);
  }
  st.interfaces.clear();
  for (const auto& [index, iface] : track.interfaces) st.interfaces.push_back(iface.status);
}

void NetworkState::UpdateInterface(DeviceTrack& track, InterfaceTrack& iface,
                                   const InterfaceSample& s, double elapsed,
                                   bool device_continuous) {
  InterfaceStatus& out = iface.status;
  const bool known = out.index != 0;
  const char* reason = nullptr;
  if (known && device_continuous) {
    if (iface.last.name != s.name || iface.last.description != s.description) {
      reason = discontinuity::kInterfaceChanged;  // another port now has this ifIndex
    } else if (iface.last.counter_discontinuity_ticks != s.counter_discontinuity_ticks) {
      reason = discontinuity::kCounterDiscontinuityTime;
    } else if (iface.last.counter_bits != s.counter_bits) {
      reason = discontinuity::kCounterWidthChanged;
    }
  }
  if (!device_continuous || reason) {
    for (CounterTracker* t : {&iface.in_octets, &iface.out_octets, &iface.in_errors,
                              &iface.out_errors, &iface.in_discards, &iface.out_discards}) {
      t->Reset();
    }
  }
  if (reason == discontinuity::kInterfaceChanged) {
    out = InterfaceStatus{};  // a different port: its totals start over
  }
  iface.last = s;
  out.index = s.index;
  out.name = s.name;
  out.description = s.description;
  out.alias = s.alias;
  out.admin_up = s.admin_up;
  out.oper_up = s.oper_up();
  out.speed_bps = s.speed_bps;
  out.counter_bits = s.counter_bits;

  const double max_bytes = static_cast<double>(s.speed_bps) / 8;
  const char* counter_reason = nullptr;
  auto in = Accumulate(iface.in_octets, s.in_octets, s.counter_bits, elapsed, max_bytes,
                       out.receive_bytes_total, counter_reason);
  auto out_rate = Accumulate(iface.out_octets, s.out_octets, s.counter_bits, elapsed, max_bytes,
                             out.transmit_bytes_total, counter_reason);
  const char* ignored = nullptr;  // error counters have no speed bound to break
  auto in_err =
      Accumulate(iface.in_errors, s.in_errors, 32, elapsed, 0, out.receive_errors_total, ignored);
  auto out_err = Accumulate(iface.out_errors, s.out_errors, 32, elapsed, 0,
                            out.transmit_errors_total, ignored);
  Accumulate(iface.in_discards, s.in_discards, 32, elapsed, 0, out.receive_discards_total, ignored);
  Accumulate(iface.out_discards, s.out_discards, 32, elapsed, 0, out.transmit_discards_total,
             ignored);
  if (counter_reason) reason = counter_reason;
  if (reason) ++track.status.discontinuities[reason];
  // No rate from a discontinuity: one bad interval must not be drawn as a spike.
  out.receive_bps = in && !counter_reason ? std::optional(*in * 8) : std::nullopt;
  out.transmit_bps = out_rate && !counter_reason ? std::optional(*out_rate * 8) : std::nullopt;
  out.errors_per_second = in_err && out_err ? std::optional(*in_err + *out_err) : std::nullopt;
}

void NetworkState::Retain(const Config& config) {
  std::erase_if(devices_, [&](const auto& e) { return !config.FindDevice(e.first); });
}

const InterfaceStatus* FindInterface(const DeviceStatus& device, const InterfaceSelector& sel) {
  for (const InterfaceStatus& i : device.interfaces) {
    switch (sel.key) {
      case InterfaceKey::kName:
        if (i.name == sel.value) return &i;
        break;
      case InterfaceKey::kDescr:
        if (i.description == sel.value) return &i;
        break;
      case InterfaceKey::kAlias:
        if (i.alias == sel.value) return &i;
        break;
      case InterfaceKey::kIndex:
        if (std::to_string(i.index) == sel.value) return &i;
        break;
    }
  }
  return nullptr;
}

NetworkStatus NetworkState::Snapshot(const Config& config) const {
  NetworkStatus status;
  status.site = config.site;
  for (const DeviceConfig& d : config.devices) {
    auto it = devices_.find(d.name);
    if (it != devices_.end()) {
      status.devices.push_back(it->second.status);
    } else {
      DeviceStatus never;
      never.name = d.name;
      never.role = std::string(ToString(d.role));
      never.address = d.address;
      never.error = "not polled yet";
      status.devices.push_back(std::move(never));
    }
  }
  for (const LinkConfig& l : config.links) {
    const DeviceStatus* device = status.FindDevice(l.device);
    const InterfaceStatus* iface =
        device && device->up ? FindInterface(*device, l.interface) : nullptr;
    status.links.push_back(EvaluateLink(l, device, iface));
  }
  return status;
}

}  // namespace lanwatch
