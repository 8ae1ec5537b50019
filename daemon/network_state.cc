#include "daemon/network_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>

#include "daemon/link_health.h"

namespace lanwatch {
namespace {

constexpr double kTicksPerSecond = 100;
// The most packets a port can carry per second: minimum Ethernet frames (64 B) plus preamble
// and inter-frame gap (20 B). Errors and discards beyond that are impossible, not traffic.
constexpr double kMinFrameBitsOnWire = 84 * 8;

// Whether a clock that counts `per_second` units and wraps at 2^32 advanced by the time that
// passed. A fixed 3 s (round trips, agents that update their clock in steps) plus 1 % of the
// interval: a restart shortly after the previous poll must not pass as continuous after a
// long gap, as a 10 % tolerance would let it.
bool Advanced(uint32_t before, uint32_t now, double elapsed_seconds, double per_second) {
  const double expected = elapsed_seconds * per_second;
  const double advanced =
      std::fmod(static_cast<double>(now) - static_cast<double>(before) + kTwoToThe32, kTwoToThe32);
  const double tolerance = 3 * per_second + 0.01 * expected;
  return std::fabs(advanced - expected) <= tolerance;
}

template <typename T>
bool Both(const std::optional<T>& a, const std::optional<T>& b) {
  return a.has_value() && b.has_value();
}

// Adds the counter's increment to `total`; returns its per-second rate, if any. Sets `reason`
// to why there is none, when it is a discontinuity of this counter; a decrease across a
// device-wide discontinuity is that discontinuity's, not another.
template <size_t N>
std::optional<double> Accumulate(CounterTrackers<N>& trackers, size_t k,
                                 std::optional<uint64_t> raw, const CounterLimits& limits,
                                 double elapsed, bool device_restarted, uint64_t& total,
                                 const char*& reason) {
  if (!raw) {
    trackers.Reset(k);
    return std::nullopt;
  }
  CounterUpdate u = trackers.Update(k, *raw, limits, elapsed);
  switch (u.kind) {
    case CounterUpdate::Kind::kDelta:
      total += u.delta;
      return static_cast<double>(u.delta) / elapsed;
    case CounterUpdate::Kind::kTooFast:
      reason = discontinuity::kRateExceedsSpeed;
      return std::nullopt;
    case CounterUpdate::Kind::kWentBack:
      if (!device_restarted) reason = discontinuity::kCounterReset;
      return std::nullopt;
    case CounterUpdate::Kind::kAmbiguous:
      reason = discontinuity::kAmbiguousWraps;
      return std::nullopt;
    case CounterUpdate::Kind::kBaseline:
      return std::nullopt;
  }
  return std::nullopt;
}

// Accumulate for a counter the agent may not have: its total exists from the first reading
// on (then counting from 0), and stays once it does.
void AccumulatePackets(CounterTrackers<6>& trackers, size_t k, std::optional<uint64_t> raw,
                       const CounterLimits& limits, double elapsed, bool device_restarted,
                       std::optional<uint64_t>& total, const char*& reason) {
  if (raw && !total) total = 0;
  uint64_t ignored = 0;
  Accumulate(trackers, k, raw, limits, elapsed, device_restarted, total ? *total : ignored, reason);
}

// A port is known by its name and description; the tracks keep a hash of them only.
uint64_t PortIdentity(const InterfaceSample& s) {
  const uint64_t name = std::hash<std::string_view>{}(s.name);
  const uint64_t description = std::hash<std::string_view>{}(s.description);
  return name ^ (description + 0x9e3779b97f4a7c15ULL + (name << 6) + (name >> 2));
}

// A port's running totals go on from its last status.
void CopyTotals(const InterfaceStatus& from, InterfaceStatus& to) {
  to.receive_bytes_total = from.receive_bytes_total;
  to.transmit_bytes_total = from.transmit_bytes_total;
  to.receive_errors_total = from.receive_errors_total;
  to.transmit_errors_total = from.transmit_errors_total;
  to.receive_discards_total = from.receive_discards_total;
  to.transmit_discards_total = from.transmit_discards_total;
  to.state_changes_total = from.state_changes_total;
}

// The status of ifIndex `index` in `statuses` (sorted by index), or null.
const InterfaceStatus* FindStatus(const CowVector<InterfaceStatus>& statuses, uint32_t index) {
  auto it =
      std::lower_bound(statuses.begin(), statuses.end(), index,
                       [](const InterfaceStatus& status, uint32_t i) { return status.index < i; });
  return it != statuses.end() && it->index == index ? &*it : nullptr;
}

bool HasPacketCounters(const InterfaceSample& s) {
  for (size_t c = 0; c < 3; ++c) {
    if (s.hc_packets.in[c] || s.hc_packets.out[c]) return true;
  }
  return false;
}

// Every known reason there from the start, at 0, so rates over them are defined. Copies of
// one set each: a first snapshot of thousands of devices interns nothing.
void StartCounts(DeviceStatus& st) {
  static const ReasonCounts errors(snmp_error::kAllReasons);
  static const ReasonCounts discontinuities(discontinuity::kAllReasons);
  st.snmp_errors = errors;
  st.discontinuities = discontinuities;
}

}  // namespace

NetworkState::Continuity NetworkState::Compare(const std::optional<SystemSample>& before,
                                               const SystemSample& now, double elapsed) {
  Continuity c;
  c.elapsed = elapsed;
  if (!before) return c;
  const SystemSample& b = *before;
  if (Both(b.hr_uptime_ticks, now.hr_uptime_ticks) &&
      !Advanced(*b.hr_uptime_ticks, *now.hr_uptime_ticks, elapsed, kTicksPerSecond)) {
    c.reason = discontinuity::kDeviceReboot;
    c.counters_reset = true;
  } else if (Both(b.uptime_ticks, now.uptime_ticks)
                 ? !Advanced(*b.uptime_ticks, *now.uptime_ticks, elapsed, kTicksPerSecond)
                 : Both(b.engine_time_seconds, now.engine_time_seconds) &&
                       !Advanced(*b.engine_time_seconds, *now.engine_time_seconds, elapsed, 1)) {
    // The agent's clock, or without sysUpTime the SNMP engine's, started over.
    c.reason = discontinuity::kAgentRestart;
  } else if (Both(b.engine_boots, now.engine_boots) && *b.engine_boots != *now.engine_boots) {
    c.reason = discontinuity::kEngineBoots;
  }
  const bool host_continuous =
      c.reason != discontinuity::kDeviceReboot && Both(b.hr_uptime_ticks, now.hr_uptime_ticks);
  if (c.reason && !host_continuous) {
    // Without a host clock that carried on, an agent restart is most likely the device's
    // own (a switch's agent is its OS): its counters started over.
    c.counters_reset = true;
  }
  // Only the agent restarted, the host's clock says (net-snmp on a server): the counters are
  // the kernel's and carried on, so rates go on across it. Without any clock to tell a
  // restart from a wrap, a Counter32 that went back is taken as reset, not wrapped.
  c.may_wrap = Both(b.uptime_ticks, now.uptime_ticks) ||
               Both(b.hr_uptime_ticks, now.hr_uptime_ticks) ||
               Both(b.engine_time_seconds, now.engine_time_seconds);
  return c;
}

const DeviceStatus& NetworkState::Apply(const DevicePoll& poll,
                                        std::chrono::system_clock::time_point wall_at_sample) {
  const DeviceConfig& device = *poll.device;
  auto [it, first] = devices_.try_emplace(device.name);
  DeviceTrack& track = it->second;
  DeviceStatus& st = Unshared(track.status);  // the snapshots that share it keep theirs
  if (first) StartCounts(st);
  st.name = device.name;
  st.role = std::string(ToString(device.role));
  st.parent = device.parent;
  st.address = device.address;
  st.polled = true;
  st.poll_duration_seconds = std::chrono::duration<double>(poll.result.elapsed).count();
  // Reasons are snmp_error:: words (ReasonCounts keeps each one seen for good).
  for (const auto& [reason, count] : poll.result.errors) st.snmp_errors[reason] += count;
  if (!poll.sample) {
    st.up = false;
    st.error = poll.result.failure_reason ? poll.result.failure_message : poll.decode_error;
    return st;
  }
  st.up = true;
  // A walk that stopped early still gives what arrived: keep it, say what was missed.
  st.error = poll.result.failure_reason ? "incomplete poll: " + poll.result.failure_message : "";
  ApplySample(track, *poll.sample, wall_at_sample);
  return st;
}

void NetworkState::ApplySample(DeviceTrack& track, const DeviceSample& sample,
                               std::chrono::system_clock::time_point wall_at_sample) {
  DeviceStatus& st = *track.status;  // Apply's own
  const double elapsed =
      track.last_system
          ? std::chrono::duration<double>(sample.taken_at - track.last_taken_at).count()
          : 0;
  Continuity continuity = Compare(track.last_system, sample.system, elapsed);
  if (continuity.reason) ++st.discontinuities[continuity.reason];
  // The optics of before a restart may sit under other ifIndexes now: none until walked again
  // (OpticsDue walks them at once).
  if (continuity.reason) st.optics = OpticsStatus{};
  track.last_system = sample.system;
  track.last_taken_at = sample.taken_at;

  const SystemSample& sys = sample.system;
  st.sys_name = sys.name;
  st.sys_description = sys.description;
  st.sys_object_id = sys.object_id;
  st.uptime_seconds.reset();
  if (sys.uptime_ticks) st.uptime_seconds = *sys.uptime_ticks / kTicksPerSecond;
  st.restart_clock = sys.uptime_ticks          ? "sysUpTime"
                     : sys.hr_uptime_ticks     ? "hrSystemUptime"
                     : sys.engine_time_seconds ? "snmpEngineTime"
                                               : "";
  st.host_clock = sys.hr_uptime_ticks.has_value();
  st.host = sample.host;

  Rematch(track, sample);
  // The statuses of before stay with the snapshots that share them; this poll's are new.
  const CowVector<InterfaceStatus> before = st.interfaces;
  std::vector<InterfaceStatus> now;
  now.reserve(track.interfaces.size());
  st.packets.clear();
  for (InterfaceTrack& iface : track.interfaces) {
    const InterfaceStatus* was = FindStatus(before, iface.status_index);
    iface.status_index = iface.index;
    InterfaceStatus& out = now.emplace_back();
    auto s = sample.interfaces.find(iface.index);
    if (s != sample.interfaces.end()) {
      UpdateInterface(track, iface, s->second, was, continuity, sys, wall_at_sample, out);
    } else {
      // Kept from before because the walk was cut short: no figures for this interval, and
      // its counters start over when it is read again.
      if (was) out = *was;
      out.index = iface.index;
      out.stale = true;
      out.receive_bps = out.transmit_bps = out.errors_per_second = out.discards_per_second =
          std::nullopt;
      out.no_rate_reason = no_rate::kNotInLastWalk;
      iface.has_last = false;
    }
    if (iface.packets) st.packets[iface.index] = iface.packets->totals;
  }
  st.interfaces = std::move(now);
}

void NetworkState::Rematch(DeviceTrack& track, const DeviceSample& sample) {
  std::vector<InterfaceTrack> old = std::move(track.interfaces);
  std::vector<bool> taken(old.size(), false);
  std::vector<InterfaceTrack>& now = track.interfaces;
  now.clear();
  now.reserve(sample.interfaces.size());
  auto old_at = [&](uint32_t index) -> std::optional<size_t> {
    auto it = std::lower_bound(old.begin(), old.end(), index,
                               [](const InterfaceTrack& t, uint32_t i) { return t.index < i; });
    if (it == old.end() || it->index != index || taken[it - old.begin()]) return std::nullopt;
    return it - old.begin();
  };
  auto take = [&](size_t k, uint32_t index) {
    taken[k] = true;
    now.push_back(std::move(old[k]));
    now.back().index = index;
  };
  // Ports where they were first, so that a renumbered one cannot take another's track.
  std::vector<const InterfaceSample*> unmatched;
  for (const auto& [index, s] : sample.interfaces) {
    auto same = old_at(index);
    if (same && old[*same].identity == PortIdentity(s)) {
      take(*same, index);
    } else {
      unmatched.push_back(&s);
    }
  }
  for (const InterfaceSample* s : unmatched) {
    const uint64_t identity = PortIdentity(*s);
    size_t moved = 0;
    while (moved < old.size() &&
           (taken[moved] || !old[moved].has_last || old[moved].identity != identity)) {
      ++moved;
    }
    if (moved < old.size()) {
      // The same port under a new ifIndex (a reboot renumbered it): its totals follow it.
      ++track.status->discontinuities[discontinuity::kInterfaceRenumbered];
      track.status->optics = OpticsStatus{};
      take(moved, s->index);
      continue;
    }
    if (auto same = old_at(s->index); same && old[*same].has_last) {
      // Another port now has this ifIndex: it starts over with totals of its own.
      ++track.status->discontinuities[discontinuity::kInterfaceChanged];
      taken[*same] = true;
    }
    now.emplace_back().index = s->index;
  }
  if (!sample.interfaces_complete) {
    // Rows that did not arrive are not ports that vanished.
    for (size_t k = 0; k < old.size(); ++k) {
      if (!taken[k] && !sample.interfaces.contains(old[k].index)) now.push_back(std::move(old[k]));
    }
  }
  std::sort(now.begin(), now.end(),
            [](const InterfaceTrack& a, const InterfaceTrack& b) { return a.index < b.index; });
}

void NetworkState::UpdateInterface(DeviceTrack& track, InterfaceTrack& iface,
                                   const InterfaceSample& s, const InterfaceStatus* was,
                                   const Continuity& continuity, const SystemSample& system,
                                   std::chrono::system_clock::time_point wall_at_sample,
                                   InterfaceStatus& out) {
  if (was) CopyTotals(*was, out);
  const bool known = iface.has_last;
  const char* port_reason = nullptr;
  if (known && !continuity.counters_reset) {
    if (iface.last_discontinuity_ticks && s.counter_discontinuity_ticks &&
        *iface.last_discontinuity_ticks != *s.counter_discontinuity_ticks) {
      port_reason = discontinuity::kCounterDiscontinuityTime;
    } else if (iface.last_counter_bits != s.counter_bits) {
      port_reason = discontinuity::kCounterWidthChanged;
    }
  }
  if (continuity.counters_reset || port_reason) {
    iface.counters.Reset();
    if (iface.packets) iface.packets->counters.Reset();  // the totals go on
  }

  if (known) {
    // ifOperStatus says where the port is; a changed ifLastChange says it moved, even when
    // both polls saw it up (a flap shorter than the poll: down, then up again). After an
    // agent restart ifLastChange counts from the new start, so it proves nothing.
    const bool was_up = iface.last_oper_up, is_up = s.oper_up();
    uint64_t changes = was_up != is_up ? 1 : 0;
    if (changes == 0 && continuity.reason == nullptr &&
        iface.last_change_ticks != s.last_change_ticks) {
      changes = 2;
    }
    out.state_changes_total += changes;
  }
  out.last_change_unix_seconds.reset();
  if (system.uptime_ticks && s.last_change_ticks > 0 &&
      s.last_change_ticks <= *system.uptime_ticks) {
    const double ago = (*system.uptime_ticks - s.last_change_ticks) / kTicksPerSecond;
    out.last_change_unix_seconds =
        std::chrono::duration<double>(wall_at_sample.time_since_epoch()).count() - ago;
  }

  iface.has_last = true;
  iface.last_oper_up = s.oper_up();
  iface.last_counter_bits = static_cast<uint8_t>(s.counter_bits);
  iface.last_change_ticks = s.last_change_ticks;
  iface.last_discontinuity_ticks = s.counter_discontinuity_ticks;
  iface.identity = PortIdentity(s);
  out.index = s.index;
  out.name = s.name;
  out.description = s.description;
  out.alias = s.alias;
  out.admin_up = s.admin_up;
  out.oper_up = s.oper_up();
  out.oper_status = s.oper_status;
  out.speed_bps = s.speed_bps;
  out.counter_bits = s.counter_bits;
  out.stale = false;

  const double elapsed = continuity.elapsed;
  const bool restarted = continuity.reason != nullptr;
  const double speed = static_cast<double>(s.speed_bps);
  const CounterLimits octets{s.counter_bits, speed / 8, continuity.may_wrap};
  const CounterLimits events{32, speed / kMinFrameBitsOnWire, false};
  const char* octet_reason = nullptr;
  auto in = Accumulate(iface.counters, InterfaceTrack::kInOctets, s.in_octets, octets, elapsed,
                       restarted, out.receive_bytes_total, octet_reason);
  auto out_rate = Accumulate(iface.counters, InterfaceTrack::kOutOctets, s.out_octets, octets,
                             elapsed, restarted, out.transmit_bytes_total, octet_reason);
  const char* event_reason = nullptr;
  auto in_err = Accumulate(iface.counters, InterfaceTrack::kInErrors, s.in_errors, events, elapsed,
                           restarted, out.receive_errors_total, event_reason);
  auto out_err = Accumulate(iface.counters, InterfaceTrack::kOutErrors, s.out_errors, events,
                            elapsed, restarted, out.transmit_errors_total, event_reason);
  auto in_disc = Accumulate(iface.counters, InterfaceTrack::kInDiscards, s.in_discards, events,
                            elapsed, restarted, out.receive_discards_total, event_reason);
  auto out_disc = Accumulate(iface.counters, InterfaceTrack::kOutDiscards, s.out_discards, events,
                             elapsed, restarted, out.transmit_discards_total, event_reason);
  // HC packets, where polled (configured links): 64-bit, so a decrease is a reset.
  const CounterLimits packets{64, speed / kMinFrameBitsOnWire, false};
  const char* packet_reason = nullptr;
  if (!iface.packets && HasPacketCounters(s)) {
    iface.packets = std::make_unique<InterfaceTrack::PacketTrackers>();
  }
  for (Cast cast : kAllCasts) {
    if (!iface.packets) break;
    const auto c = static_cast<size_t>(cast);
    AccumulatePackets(iface.packets->counters, c, s.hc_packets.in[c], packets, elapsed, restarted,
                      iface.packets->totals.receive[c], packet_reason);
    AccumulatePackets(iface.packets->counters, 3 + c, s.hc_packets.out[c], packets, elapsed,
                      restarted, iface.packets->totals.transmit[c], packet_reason);
  }
  for (const char* reason : {port_reason, octet_reason, event_reason, packet_reason}) {
    if (reason) ++track.status->discontinuities[reason];
  }
  // No rate from a discontinuity: one bad interval must not be drawn as a spike.
  const bool octets_ok = in && out_rate && !octet_reason;
  out.receive_bps = octets_ok ? std::optional(*in * 8) : std::nullopt;
  out.transmit_bps = octets_ok ? std::optional(*out_rate * 8) : std::nullopt;
  out.errors_per_second =
      in_err && out_err && !event_reason ? std::optional(*in_err + *out_err) : std::nullopt;
  out.discards_per_second =
      in_disc && out_disc && !event_reason ? std::optional(*in_disc + *out_disc) : std::nullopt;
  out.no_rate_reason = {};
  if (!octets_ok) {
    out.no_rate_reason = !s.in_octets || !s.out_octets ? no_rate::kNoCounters
                         : octet_reason                ? octet_reason
                         : port_reason                 ? port_reason
                         : continuity.reason           ? continuity.reason
                                                       : no_rate::kFirstSample;
  }
}

void NetworkState::Retain(const Config& config) {
  fiber_.Retain(config);
  std::erase_if(devices_, [&](const auto& e) { return !config.FindDevice(e.first); });
}

bool SelectorMatches(const InterfaceSelector& sel, const std::string& name,
                     const std::string& description, const std::string& alias, uint32_t index) {
  switch (sel.key) {
    case InterfaceKey::kName:
      return name == sel.value;
    case InterfaceKey::kDescr:
      return description == sel.value;
    case InterfaceKey::kAlias:
      return alias == sel.value;
    case InterfaceKey::kIndex:
      return std::to_string(index) == sel.value;
  }
  return false;
}

std::vector<uint32_t> LinkInterfaceIndexes(const Config& config, const DeviceConfig& device,
                                           const DeviceSample& sample) {
  std::vector<uint32_t> indexes;
  for (const LinkConfig& link : config.links) {
    if (link.device != device.name) continue;
    for (const auto& [index, s] : sample.interfaces) {
      if (!SelectorMatches(link.interface, s.name, s.description, s.alias, index)) continue;
      if (std::find(indexes.begin(), indexes.end(), index) == indexes.end()) {
        indexes.push_back(index);
      }
      break;  // the first match, as FindInterface takes it
    }
  }
  return indexes;
}

const InterfaceStatus* FindInterface(const DeviceStatus& device, const InterfaceSelector& sel) {
  for (const InterfaceStatus& i : device.interfaces) {
    if (SelectorMatches(sel, i.name, i.description, i.alias, i.index)) return &i;
  }
  return nullptr;
}

void NetworkState::ApplyOptics(const OpticsPoll& poll, std::chrono::system_clock::time_point at,
                               const Config& config) {
  auto it = devices_.find(poll.device->name);
  if (it == devices_.end()) return;  // optics follow a device's first poll, never lead it
  DeviceStatus& st = Unshared(it->second.status);
  OpticsStatus& optics = st.optics;
  optics.polled = true;
  optics.error = poll.error;
  if (!poll.answered) {
    // What the last complete walk read stays a while (one failed walk says nothing of the
    // light), but not for ever: after three intervals it is no reading at all.
    const auto interval = poll.device->optics_interval.value_or(config.optics_interval);
    if (optics.read_at && at - *optics.read_at > 3 * interval) {
      optics.transceivers.clear();
      optics.read_at.reset();
    }
    return;
  }
  optics.read_at = at;
  optics.transceivers = poll.transceivers;
  for (const LinkConfig& link : config.links) {
    if (link.device != st.name) continue;
    const InterfaceStatus* iface = st.up ? FindInterface(st, link.interface) : nullptr;
    if (!iface) continue;
    const Transceiver* t = FindTransceiver(st, iface->index);
    // Only a working link teaches what its light should be.
    if (t && iface->admin_up && iface->oper_up) fiber_.Learn(link.name, *t, at, link.thresholds);
  }
}

const Transceiver* FindTransceiver(const DeviceStatus& device, uint32_t if_index) {
  if (if_index == 0) return nullptr;
  for (const Transceiver& t : device.optics.transceivers) {
    if (t.if_index == if_index) return &t;
  }
  return nullptr;
}

SharedItems<DeviceStatus> NetworkState::DeviceStatuses(const Config& config) const {
  SharedItems<DeviceStatus> statuses;
  statuses.reserve(config.devices.size());
  for (const DeviceConfig& d : config.devices) {
    auto it = devices_.find(d.name);
    if (it != devices_.end()) {
      statuses.push_back(it->second.status);
    } else {
      DeviceStatus never;
      never.name = d.name;
      never.role = std::string(ToString(d.role));
      never.parent = d.parent;
      never.address = d.address;
      never.error = "not polled yet";
      StartCounts(never);
      statuses.push_back(std::move(never));
    }
  }
  return statuses;
}

NetworkStatus NetworkState::Snapshot(const Config& config) const {
  NetworkStatus status;
  status.site = config.site;
  status.devices = DeviceStatuses(config);
  for (const LinkConfig& l : config.links) {
    const DeviceStatus* device = status.FindDevice(l.device);
    const InterfaceStatus* iface =
        device && device->up ? FindInterface(*device, l.interface) : nullptr;
    LinkStatus link = EvaluateLink(l, device, iface);
    FiberLinkFacts facts;
    const Transceiver* transceiver = nullptr;
    std::optional<std::chrono::system_clock::time_point> optics_at;
    if (iface) {
      facts = {true, iface->admin_up, iface->oper_up, std::nullopt, iface->errors_per_second};
      if (iface->last_change_unix_seconds) {
        facts.last_change = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::duration<double>(*iface->last_change_unix_seconds)));
      }
      transceiver = FindTransceiver(*device, iface->index);
      optics_at = device->optics.read_at;
    }
    link.fiber = fiber_.Judge(l.name, facts, transceiver, optics_at, l.thresholds);
    ApplyFiberVerdict(link);
    status.links.push_back(std::move(link));
  }
  return status;
}

}  // namespace lanwatch
