// The alert model the daemon decides on: what a rule observed this round (Observation), what
// the engine remembers of an alert between rounds and across restarts (AlertRecord), and what
// it hands to receivers (Notification). Facts, not words: exporters/notify words them in the
// site's language. Plain values, safe to copy across threads.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/network_status.h"

namespace lanwatch {

using WallTime = std::chrono::system_clock::time_point;

// The built-in rules, by the name they have in metrics (`alert` label), Alertmanager
// (`alertname` is the CamelCase form) and the state database.
namespace rule {
inline constexpr const char* kLinkDown = "link_down";
inline constexpr const char* kLinkFlapping = "link_flapping";
inline constexpr const char* kLinkUtilization = "link_utilization";
inline constexpr const char* kLinkErrors = "link_errors";
inline constexpr const char* kLinkDiscards = "link_discards";
inline constexpr const char* kLinkSpeed = "link_speed_low";
inline constexpr const char* kLinkNoData = "link_no_data";
inline constexpr const char* kCaptureMismatch = "capture_mismatch";
inline constexpr const char* kFiberDegraded = "fiber_degraded";
inline constexpr const char* kFiberNoLight = "fiber_no_light";
// A link's far end (`peer`) over the probe window: every probe lost, loss, median RTT.
inline constexpr const char* kFarEndUnreachable = "far_end_unreachable";
inline constexpr const char* kFarEndLoss = "far_end_loss";
inline constexpr const char* kFarEndLatency = "far_end_latency";
// The uplink's verdict: isp_down (critical, far_end_unreachable's severity and `for`) and
// isp_loss (far_end_loss's thresholds). router_down is device_unreachable's, saturated
// link_utilization's.
inline constexpr const char* kUplinkIspDown = "uplink_isp_down";
inline constexpr const char* kUplinkIspLoss = "uplink_isp_loss";
// A service (`services:`) whose check fails; an HTTPS certificate close to expiry. Their
// key's device is the service's `device`, else kServicesDevice; its link, the service.
inline constexpr const char* kServiceDown = "service_down";
inline constexpr const char* kCertExpiring = "cert_expiring";
inline constexpr const char* kDeviceUnreachable = "device_unreachable";
inline constexpr const char* kDeviceRebooted = "device_rebooted";
inline constexpr const char* kCaptureDrops = "capture_drops";
inline constexpr const char* kReceiverFailing = "receiver_failing";
}  // namespace rule

// The device name of alerts about lanwatch itself (a receiver failing).
inline constexpr const char* kSelfDevice = "lanwatch";
// The device name of a service's alerts when the service names no device.
inline constexpr const char* kServicesDevice = "services";

// One alert's identity: a rule applied to one target. `link` names the link for link rules,
// the capture for capture rules, the receiver for receiver_failing; empty for device rules.
struct AlertKey {
  std::string rule, device, link;
  auto operator<=>(const AlertKey&) const = default;
  std::string ToString() const;  // "rule device/link", for logs
};

// The figures behind an alert, in the units its rule names. Every field optional; what a rule
// fills is documented with the rule (daemon/alerts/rules.h).
struct AlertFacts {
  std::optional<double> value;      // what was measured
  std::optional<double> threshold;  // what it was judged against (the level it reached)
  std::optional<double> capacity_bps;
  std::string unit;       // "ratio", "bps", "per_second", "changes", "seconds", "dBm", or ""
  std::string direction;  // "in" or "out" where it matters (utilization)
  std::string interface;  // the port's ifName
  std::string detail;     // a machine word: the device's error, a no-rate reason
  std::optional<double> window_seconds;  // what a count is over (flapping)
  // How many measurements the value is over: the far-end rules' probes with an outcome in the
  // window ("10 s, 10 probes, all lost").
  std::optional<double> samples;
  // Alerts this one folded in, told before, that end with it (flapping and no light fold the
  // link's link_down): their rules.
  std::vector<std::string> supersedes;
  // For device_unreachable: what cannot be seen while it is down (its links, the devices
  // reached through it and their links), so one email tells the whole outage.
  std::vector<std::string> affected_devices, affected_links;
};

// What one rule saw of one target this round.
struct Observation {
  AlertKey key;
  Severity level = Severity::kOk;  // the severity reached now; kOk when below every threshold
  // Still beyond the clear threshold (hysteresis): a firing alert stays firing while this
  // holds, even below the level that fired it.
  bool holds = false;
  bool judged = true;  // false: cannot tell this round (no data); the alert stays as it is
  bool event = false;  // a one-off (a reboot): notified once, never "resolved"
  std::chrono::milliseconds hold_for{0};  // the rule's `for`
  // When the condition began, where the device says (ifLastChange); else when first seen.
  std::optional<WallTime> since;
  AlertFacts facts;
};

enum class AlertPhase {
  kPending,   // the condition holds, not yet for `for`
  kFiring,    // an alert
  kResolved,  // ended, its resolved notification not yet queued
};
std::string_view ToString(AlertPhase p);

// What the engine remembers of one alert. Journaled to the state database every round.
struct AlertRecord {
  AlertKey key;
  AlertPhase phase = AlertPhase::kPending;
  Severity severity = Severity::kWarning;
  bool event = false;
  WallTime pending_since{}, firing_since{};
  std::optional<WallTime> resolved_at;
  // When its firing notification (or last reminder) was queued; unset: not notified yet.
  std::optional<WallTime> notified_at;
  std::string message_id;      // of the firing notification, so follow-ups thread under it
  std::optional<double> peak;  // the worst value while pending or firing
  AlertFacts facts;            // the latest
  // Why it sends nothing now: "" (it may), "device:NAME" (NAME, or a device it is reached
  // through, is unreachable), "flapping" (folded into the link's flapping alert), "no_light",
  // "far_end_unreachable" and "uplink_isp_down" (a loss alert folded into its target's
  // unreachable or isp_down alert), "silence:ID".
  std::string suppressed_by;
};

enum class NotificationKind { kFiring, kResolved, kReminder, kTest };
std::string_view ToString(NotificationKind k);

// One alert as a notification reports it.
struct AlertNote {
  AlertKey key;
  Severity severity = Severity::kWarning;
  WallTime since{};               // firing since
  std::optional<WallTime> ended;  // resolved notes
  std::optional<double> peak;
  AlertFacts facts;
};

// One message to the IT section: every alert of one device (the root cause) that fired,
// resolved or is reminded within one group wait.
struct Notification {
  std::string id;  // unique, stable across resends: the Message-ID's local part
  NotificationKind kind = NotificationKind::kFiring;
  std::string device;  // the group: the root-cause device, or kSelfDevice
  WallTime created_at{};
  std::vector<AlertNote> alerts;         // the most severe first
  std::vector<std::string> in_reply_to;  // Message-IDs (local parts) of the firing ones
  // A receiver's own failure goes through the others: its name, or "".
  std::string skip_receiver;
};

}  // namespace lanwatch
