// NetworkStatus: the model the daemon decides on, as a self-contained snapshot of everything
// lanwatch knows about the network at one moment. NetworkState builds it after each round;
// exporters publish it (metrics, check report, later the status page and alerts). Plain
// values only, safe to copy and hand across threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "daemon/cow_vector.h"
#include "daemon/fiber_health.h"
#include "daemon/optional_double.h"
#include "daemon/reason_counts.h"
#include "daemon/shared_items.h"
#include "daemon/trap_intake.h"
#include "probes/capture/traffic_meter.h"
#include "probes/icmp/probe_window.h"
#include "probes/service/service_check.h"
#include "probes/snmp/device_sample.h"

namespace lanwatch {

// The values are the Nagios plugin exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN), which
// do not order by urgency: compare with Rank() and Worse(), never with < on the enum.
enum class Severity { kOk = 0, kWarning = 1, kCritical = 2, kUnknown = 3 };
std::string_view ToString(Severity s);
// Urgency: ok 0 < unknown 1 < warning 2 < critical 3. A blind link is worth a look, but a
// measured problem outranks it. Also the value of lanwatch_link_severity, so max() works.
int Rank(Severity s);
Severity Worse(Severity a, Severity b);

// The `reason` label of lanwatch_sample_discontinuities_total (and InterfaceStatus's
// no_rate_reason, which also has kFirstSample and kNoCounters).
namespace discontinuity {
inline constexpr const char* kAgentRestart = "agent_restart";  // the agent's clock restarted
inline constexpr const char* kDeviceReboot = "device_reboot";  // hrSystemUptime restarted
inline constexpr const char* kEngineBoots = "engine_boots";    // snmpEngineBoots changed
inline constexpr const char* kCounterDiscontinuityTime = "counter_discontinuity_time";
inline constexpr const char* kInterfaceChanged = "interface_changed";  // another port, same ifIndex
inline constexpr const char* kInterfaceRenumbered = "interface_renumbered";  // port, new ifIndex
inline constexpr const char* kCounterWidthChanged = "counter_width_changed";
inline constexpr const char* kRateExceedsSpeed = "rate_exceeds_speed";
inline constexpr const char* kCounterReset = "counter_reset";  // went back where it cannot wrap
// A Counter32 read more than one wrap period apart (a missed poll on a fast port): there is
// no number for that interval. Shorten the device's poll interval if it recurs.
inline constexpr const char* kAmbiguousWraps = "ambiguous_counter_wraps";
inline constexpr const char* kAllReasons[] = {
    kAgentRestart,     kDeviceReboot,        kEngineBoots,         kCounterDiscontinuityTime,
    kInterfaceChanged, kInterfaceRenumbered, kCounterWidthChanged, kRateExceedsSpeed,
    kCounterReset,     kAmbiguousWraps};
}  // namespace discontinuity

namespace no_rate {
inline constexpr const char* kFirstSample = "first_sample";  // nothing to compare with yet
inline constexpr const char* kNoCounters = "no_counters";    // the agent has no octet counters
inline constexpr const char* kNotInLastWalk = "not_in_last_walk";  // a walk cut short
}  // namespace no_rate

// HC unicast, multicast and broadcast packets since lanwatch started, monotonic like the
// bytes; by Cast. Polled for the interfaces of configured links only; absent where the agent
// has no such counter.
struct PacketTotals {
  std::array<std::optional<uint64_t>, 3> receive, transmit;
};

// One port's last poll. A city's network has hundreds of thousands, and while a round runs
// the published snapshot's and the new one exist side by side: fields are ordered so that
// none pads another.
struct InterfaceStatus {
  uint32_t index = 0;
  int oper_status = 0;   // ifOperStatus as the agent reports it (IF-MIB codes)
  int counter_bits = 0;  // 64, 32, or 0 when the agent has no octet counters
  bool admin_up = false;
  bool oper_up = false;  // ifOperStatus up(1)
  bool stale = false;    // missing from the last, incomplete walk: figures are from before
  std::string name, description, alias;
  uint64_t speed_bps = 0;
  // Monotonic since lanwatch started watching: wraps and reboots never make them go down.
  uint64_t receive_bytes_total = 0, transmit_bytes_total = 0;
  uint64_t receive_errors_total = 0, transmit_errors_total = 0;
  uint64_t receive_discards_total = 0, transmit_discards_total = 0;
  // Oper status changes seen, from ifOperStatus and ifLastChange: a changed ifLastChange
  // between two polls that both saw "up" was a flap shorter than the poll (down and up: 2).
  uint64_t state_changes_total = 0;
  // When the interface last changed state (ifLastChange), as a Unix time; absent when the
  // agent has no sysUpTime to anchor it, or the change predates the agent's start.
  OptionalDouble last_change_unix_seconds;
  // Over the last poll interval; absent on the first poll and after a discontinuity, and then
  // `no_rate_reason` says why: one of the discontinuity:: or no_rate:: constants above
  // (a view of one, never of a string that could go away).
  OptionalDouble receive_bps, transmit_bps;
  OptionalDouble errors_per_second;    // in + out
  OptionalDouble discards_per_second;  // in + out
  std::string_view no_rate_reason;
};

// What the device's last optics walk said of its transceivers (walked on their own interval).
struct OpticsStatus {
  bool polled = false;  // at least one optics walk finished
  std::optional<std::chrono::system_clock::time_point> read_at;  // the last one that answered
  std::string error;  // why the last walk failed, or empty
  std::vector<Transceiver> transceivers;
};

struct DeviceStatus {
  std::string name, role, address;
  std::string parent;   // the device it is reached through (DeviceConfig::parent), or ""
  bool polled = false;  // at least one poll has finished
  bool up = false;      // the last poll got an answer we could use
  std::string error;    // why the last poll failed, or what it missed (a walk cut short)
  std::string sys_name, sys_description, sys_object_id;
  std::optional<double> uptime_seconds;  // the agent's sysUpTime, where it has one
  // The clock restarts are detected with: "sysUpTime", "hrSystemUptime", "snmpEngineTime",
  // or "" when the agent has none (then counter continuity is judged conservatively).
  std::string restart_clock;
  // The agent also reports hrSystemUptime, the host's own clock: an agent restart is then
  // told apart from a reboot.
  bool host_clock = false;
  double poll_duration_seconds = 0;
  ReasonCounts snmp_errors;      // by reason, since start
  ReasonCounts discontinuities;  // by reason, since start
  // Shared between snapshots until the next poll of the device changes them.
  CowVector<InterfaceStatus> interfaces;
  // HC packet totals by ifIndex, for the ports that have them polled (configured links'):
  // a few per device, so not a field of every port's status.
  std::map<uint32_t, PacketTotals> packets;
  std::optional<HostSample> host;
  OpticsStatus optics;
};

// What an ICMP echo target is to the network (the `role` label).
namespace probe_role {
inline constexpr const char* kPeer = "peer";      // a link's far end; the uplink's: the ISP's hop
inline constexpr const char* kBeyond = "beyond";  // a host past the ISP (the uplink's `beyond`)
inline constexpr const char* kRouter = "router";  // the uplink's own device, for router_down
}  // namespace probe_role

// One ICMP echo target as the probes saw it (daemon/reachability.h).
struct ProbeTargetStatus {
  std::string target;    // the numeric address probed; the `target` label
  std::string link;      // the link it belongs to (its far end, beyond it, its router)
  std::string role;      // probe_role
  WindowSummary window;  // over the probe window, up to the snapshot
  std::chrono::milliseconds window_length{0};
  uint64_t sent_total = 0, lost_total = 0;  // outcomes known since lanwatchd started
  RttHistogram histogram;
  // Probes have an outcome in the window, and some were answered.
  bool measured() const { return window.sent > 0; }
  bool up() const { return window.sent > window.lost; }
};

// The uplink's verdict: whom to call. From its utilization and the reachability of the
// router, the ISP's next hop (`peer`) and the host beyond it, in this order:
//   router_down  the router answers neither SNMP nor (where probed) echo
//   isp_down     the port is down: call the ISP
//   saturated    the line is full (utilization >= utilization_warning), or was within the
//                last probe window: loss and delay are the bureau's own traffic, not the ISP's
//   isp_down     nothing past the router answers (the host beyond, else the next hop, silent:
//                far_end_silence.h): call the ISP
//   isp_loss     loss to the peer or beyond at or above far_end_loss_warning: call the ISP
//   ok
//   unknown      nothing to judge yet (no probes answered or lost, the router not polled)
enum class UplinkVerdict { kUnknown, kOk, kSaturated, kIspLoss, kIspDown, kRouterDown };
std::string_view ToString(UplinkVerdict v);
inline constexpr UplinkVerdict kAllUplinkVerdicts[] = {
    UplinkVerdict::kUnknown, UplinkVerdict::kOk,      UplinkVerdict::kSaturated,
    UplinkVerdict::kIspLoss, UplinkVerdict::kIspDown, UplinkVerdict::kRouterDown};

struct UplinkStatus {
  UplinkVerdict verdict = UplinkVerdict::kUnknown;
  // A machine word for why (uplink_reason in daemon/uplink_verdict.h): "port_down",
  // "peer_and_beyond_lost", "router_unreachable", "utilization", "peer_loss", ...
  std::string reason;
  // The window figures it was judged on, where probed.
  std::optional<double> router_loss, peer_loss, beyond_loss;
  std::optional<double> peer_rtt_median_seconds, beyond_rtt_median_seconds;
  std::optional<double> utilization;  // the busier direction
};

// One configured service's last check (daemon/service_monitor.h).
struct ServiceStatus {
  std::string name;
  std::string kind;      // "http" or "tcp"
  std::string target;    // the URL, or host:port
  std::string device;    // the device that serves it, or ""
  bool checked = false;  // a check has finished
  std::optional<std::chrono::system_clock::time_point> checked_at;  // when the last one began
  ServiceResult last;                                               // its result
  uint64_t checks_total = 0, failures_total = 0;                    // since lanwatchd started
  // Judged against its config (ApplyReachability): unknown before the first check.
  Severity severity = Severity::kUnknown;
  std::vector<std::string> problems;  // why not OK, in words
};

struct LinkStatus {
  std::string name, kind, device;
  std::string interface;  // resolved ifName (or the selector when not found)
  bool found = false;     // the selector matched an interface on a reachable device
  bool up = false;        // oper status
  bool admin_up = false;
  std::optional<uint64_t> speed_bps;   // the port's, when found
  std::optional<double> capacity_bps;  // configured contract rate, else the port speed
  std::optional<double> in_bps, out_bps;
  std::optional<double> in_utilization, out_utilization;  // ratio of capacity
  std::optional<double> errors_per_second, discards_per_second;
  PacketTotals packets;  // its interface's, when found
  // |capture bytes - SNMP bytes| / SNMP bytes over the last poll interval, for a link that a
  // capture watches too.
  std::optional<double> accounting_mismatch;
  LinkThresholds thresholds;  // what severity was judged against
  FiberStatus fiber;          // from the port's optics; unknown where it reports none
  // The far end (`peer`) as the echo probes see it, over the probe window; for links with a
  // peer (after ApplyReachability).
  std::string peer;
  std::optional<WindowSummary> far_end;
  std::optional<UplinkStatus> uplink;  // links of kind uplink only
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

// lanwatchd's own health, published next to what it measures.
struct DaemonStats {
  uint64_t rounds_total = 0;
  double last_round_seconds = 0;
  uint64_t slots_skipped_total = 0;
  uint64_t reloads_success_total = 0, reloads_failure_total = 0;
  bool last_reload_successful = true;
  std::optional<TrapCounts> traps;  // with a trap receiver only
  std::string probe_mode;           // "datagram" or "raw" with echo probes running, else ""
};

struct NetworkStatus {
  std::string site;
  std::chrono::system_clock::time_point taken_at;  // wall time of the snapshot
  SharedItems<DeviceStatus> devices;               // each shared with the state until its next poll
  std::vector<LinkStatus> links;
  std::vector<CaptureStatus> captures;
  std::vector<ProbeTargetStatus> probes;
  std::vector<ServiceStatus> services;
  std::string probe_error;  // why configured echo probes are not running, or ""
  int completed_rounds = 0;
  std::optional<std::chrono::milliseconds> sample_interval;  // `lanwatch check`: between rounds

  const DeviceStatus* FindDevice(std::string_view name) const;
};

}  // namespace lanwatch
