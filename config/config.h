// The lanwatch configuration as plain structs. Every field documents its unit and default;
// config_loader.h turns a YAML file into one of these, or into a list of diagnostics.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"
#include "config/network_address.h"

namespace lanwatch {

enum class SnmpVersion { kV1, kV2c, kV3 };
enum class AuthProtocol { kNone, kSha, kSha256 };
enum class PrivProtocol { kNone, kAes };
// How to read an agent's OCTET STRINGs (sysName, ifAlias, ...). kAuto: valid UTF-8 as is,
// otherwise GB18030 (Chinese-localised Huawei and H3C devices send GBK).
enum class TextEncoding { kAuto, kUtf8, kGb18030 };

// How to talk SNMP to one device. Defaults come from `snmp:`; a device may override any field.
struct SnmpSettings {
  SnmpVersion version = SnmpVersion::kV2c;
  std::string community = "public";  // v1/v2c only
  std::string user;                  // v3 securityName
  AuthProtocol auth_protocol = AuthProtocol::kNone;
  std::string auth_passphrase;  // at least 8 characters (RFC 3414)
  PrivProtocol priv_protocol = PrivProtocol::kNone;
  std::string priv_passphrase;
  std::chrono::milliseconds timeout{2000};  // per request attempt
  int retries = 1;                          // attempts after the first
  int bulk_repetitions = 25;                // GETBULK rows per request (v2c/v3)
  uint16_t port = 161;
  TextEncoding text_encoding = TextEncoding::kAuto;
};

// What is missing or inconsistent in `s` (SNMPv3 credentials, timeout), in words; empty if fine.
std::vector<std::string> SnmpSettingsProblems(const SnmpSettings& s);

enum class DeviceRole { kRouter, kSwitch, kServer, kOther };

// What an alert rule raises: kNone turns the rule off.
enum class AlertSeverity { kNone, kWarning, kCritical };

// The device rules' settings. `alerts:` sets them for every device; a device's own `alerts:`
// overrides them for that device.
struct DeviceAlertSettings {
  AlertSeverity unreachable_severity = AlertSeverity::kCritical;
  // One failed poll already took timeout x (retries + 1); a second one makes it news.
  std::chrono::milliseconds unreachable_for{60'000};
  // A reboot seen from an uptime that went back. An agent restart the device can tell from
  // a reboot (hrSystemUptime carried on) sends nothing.
  AlertSeverity reboot_severity = AlertSeverity::kWarning;
};

// One entry of an interface filter. kNameGlob: a shell glob (fnmatch(3), case-sensitive) on
// the interface's name (ifName, or ifDescr where the agent has no ifXTable); kType: its ifType
// (IANAifType); kAdmin: its admin state.
struct InterfacePattern {
  enum class Kind { kNameGlob, kType, kAdmin };
  Kind kind = Kind::kNameGlob;
  std::string text;       // as written (`Vlan*`, `type:l2vlan`, `admin:down`): the glob itself
  int type = 0;           // kType
  bool admin_up = false;  // kAdmin
};

// Which of a device's interfaces lanwatch watches (keeps state for, exports, shows): those
// matching some `include` entry (every one when the list is empty) and no `exclude` entry.
// A configured link's interface is watched whatever the filter says. Default: every one.
struct InterfaceFilter {
  std::vector<InterfacePattern> include, exclude;
  bool empty() const { return include.empty() && exclude.empty(); }
};

struct DeviceConfig {
  std::string name;  // unique; the `device` label in metrics
  DeviceRole role = DeviceRole::kOther;
  std::string address;  // IPv4, IPv6 or host name
  SnmpSettings snmp;
  // The device this one is reached through (the router and the server hang off the core
  // switch): while it is unreachable, this device's alerts and its links' are suppressed.
  std::string parent;
  DeviceAlertSettings alerts;
  // How often its transceivers' optics are walked; unset: the top-level optics_interval.
  std::optional<std::chrono::milliseconds> optics_interval;
  // Other addresses its traps may come from (a router sends from its nearest interface);
  // `address` (resolved) and a v1 trap's agent-addr always count.
  std::vector<std::string> trap_sources;
  InterfaceFilter interfaces;  // `interfaces: {include: [...], exclude: [...]}`
};

// Which field of the interface table selects a link's interface.
enum class InterfaceKey { kName, kDescr, kAlias, kIndex };

struct InterfaceSelector {
  InterfaceKey key = InterfaceKey::kName;
  std::string value;  // for kIndex, the decimal ifIndex
};

enum class LinkKind { kUplink, kSubordinate, kOther };

// The link rules' settings: what the link's severity (metrics, `lanwatch check`) and its
// alerts are judged against. `alerts:` sets them for every link, a device's `alerts:` for its
// links, and a link's `thresholds:` for itself. `*_for`: how long a condition must hold before
// it alerts. Threshold alerts clear with hysteresis, below the threshold minus a margin.
struct LinkThresholds {
  AlertSeverity link_down_severity = AlertSeverity::kCritical;
  std::chrono::milliseconds link_down_for{0};  // a cut fiber is news at once
  // Flapping: at least `flap_changes` state changes within `flap_window`; clears after a
  // whole window without one. Folds the link's own down/up alerts into one notice.
  AlertSeverity flapping_severity = AlertSeverity::kWarning;
  int flap_changes = 6;
  std::chrono::milliseconds flap_window{600'000};
  double utilization_warning = 0.80;  // ratio of capacity, either direction
  double utilization_critical = 0.95;
  // A firing alert clears below utilization_warning minus this: 70 % with the defaults.
  double utilization_clear_margin = 0.10;
  std::chrono::milliseconds utilization_for{120'000};
  double errors_warning = 1.0 / 60;    // in+out errors per second (1/min)
  double errors_critical = 10.0 / 60;  // (10/min)
  std::chrono::milliseconds errors_for{120'000};
  double discards_warning = 1.0;  // in+out discards per second
  double discards_critical = 10.0;
  std::chrono::milliseconds discards_for{120'000};
  // An error or discard alert clears when the rate falls below this share of its threshold.
  double rate_clear_ratio = 0.5;
  // The port runs slower than the link's `expected_speed`.
  AlertSeverity speed_severity = AlertSeverity::kWarning;
  // No rate for this long (the link is blind: counters gone, walks cut short).
  AlertSeverity no_data_severity = AlertSeverity::kWarning;
  std::chrono::milliseconds no_data_for{600'000};
  // Capture and SNMP disagree by more than this ratio (a capture that watches the link).
  AlertSeverity mismatch_severity = AlertSeverity::kWarning;
  double mismatch_ratio = 0.20;
  std::chrono::milliseconds mismatch_for{300'000};
  // Fiber health (links whose port reports optics). Degraded: Rx more than `fiber_drop_db`
  // below the link's learned baseline, or below the module's own low warning, or errors
  // rising; held `fiber_for`. No light: Rx at the floor while the port is admin up (a cut
  // fiber, or the far laser off); folds the link's own down alert into one notice.
  AlertSeverity fiber_degraded_severity = AlertSeverity::kWarning;
  double fiber_drop_db = 3.0;
  std::chrono::milliseconds fiber_for{0};
  AlertSeverity no_light_severity = AlertSeverity::kCritical;
  // The baseline is the median Rx over this window, learned per link and kept across
  // restarts; a new module (serial or vendor changed) starts it over.
  std::chrono::milliseconds fiber_baseline_window{7LL * 24 * 3'600'000};
  // Reachability of the link's far end (`peer`), from ICMP echo probes, judged over the probe
  // window (`probes: window`). Unreachable: every probe of the window lost while the port is
  // up. Loss: the ratio of probes lost. Latency: the window's median RTT, in seconds. A loss
  // or latency alert clears below its warning threshold times rate_clear_ratio. For the
  // uplink the same thresholds decide its verdict (isp_loss, isp_down), see UplinkVerdict.
  AlertSeverity far_end_unreachable_severity = AlertSeverity::kCritical;
  std::chrono::milliseconds far_end_unreachable_for{10'000};
  double far_end_loss_warning = 0.05;
  double far_end_loss_critical = 0.20;
  std::chrono::milliseconds far_end_loss_for{30'000};
  double far_end_rtt_warning = 0.100;
  double far_end_rtt_critical = 0.500;
  std::chrono::milliseconds far_end_rtt_for{60'000};
};

struct LinkConfig {
  std::string name;  // unique; the `link` label in metrics
  LinkKind kind = LinkKind::kOther;
  std::string device;  // a DeviceConfig::name
  InterfaceSelector interface;
  std::optional<double> capacity_bps;  // contract rate; unset: the port's reported speed
  // What the port should run at (a fiber that renegotiated to 100 Mbit/s alerts); unset: any.
  std::optional<double> expected_speed_bps;
  // The far end, probed with ICMP echo (numeric IPv4 or IPv6): a unit's switch or router; for
  // the uplink, the ISP's next hop. Empty: not probed.
  std::string peer;
  // Uplink only: a host past the ISP (numeric), so that the verdict tells the ISP's own
  // network (isp_down, isp_loss) from the line. Empty: the peer alone decides.
  std::string beyond;
  LinkThresholds thresholds;
};

// The ICMP echo probes (SmokePing-style) of links' peers, the uplink's beyond and its router.
enum class ProbeSocketMode {
  kAuto,      // unprivileged datagram sockets where ping_group_range allows, else raw
  kDatagram,  // datagram only
  kRaw,       // raw only (CAP_NET_RAW, taken before privileges drop)
};
struct ProbeSettings {
  std::chrono::milliseconds interval{1000};  // one echo request per target per interval
  std::chrono::milliseconds window{10'000};  // loss and RTT figures over this sliding window
  std::chrono::milliseconds timeout{2000};   // no reply this long after sending: lost
  ProbeSocketMode mode = ProbeSocketMode::kAuto;
};

// A bureau service (the web site, the office-automation system), checked from lanwatchd:
// exactly one of `url` (http:// or https://: a request) and `tcp` ("host:port": a connect).
struct ServiceConfig {
  std::string name;  // unique; the `service` label in metrics
  std::string url;
  std::string tcp;
  // The device that serves it: while that device (or its parent) is unreachable, the
  // service's alerts are folded into its. Empty: none.
  std::string device;
  std::chrono::milliseconds interval{30'000};              // between checks
  std::chrono::milliseconds timeout{5'000};                // the whole check: connect, TLS, answer
  long expect_status_low = 200, expect_status_high = 399;  // inclusive; `expect_status: 200-399`
  bool get = false;     // `method: GET` reads the body; default HEAD
  std::string ca_file;  // HTTPS: PEM of a private CA (or the self-signed certificate)
  AlertSeverity down_severity = AlertSeverity::kCritical;
  std::chrono::milliseconds down_for{60'000};
  // HTTPS: alerts when the certificate expires within these many days.
  AlertSeverity cert_severity = AlertSeverity::kWarning;
  int cert_warning_days = 21;
  int cert_critical_days = 7;  // critical from here on
  bool operator==(const ServiceConfig&) const = default;
};

// A packet capture on a mirror (SPAN) port or a local interface.
struct CaptureConfig {
  std::string name;       // unique; the `capture` label in metrics
  std::string interface;  // e.g. span0
  std::string filter;     // BPF expression; empty: every packet
  std::vector<Cidr> local_networks = DefaultLocalNetworks();  // tells inbound from outbound
  std::chrono::milliseconds interval{1000};                   // sample interval
  int top = 5;         // top hosts and conversations per interval
  int buffer_mib = 8;  // kernel capture buffer
  std::string link;    // a LinkConfig::name to cross-check with SNMP; empty: none
};

// The rules that are neither a device's nor a link's.
struct GlobalAlertSettings {
  AlertSeverity capture_drops_severity = AlertSeverity::kWarning;
  double capture_drop_ratio = 0.01;  // of the packets seen, over a capture interval
  std::chrono::milliseconds capture_drops_for{60'000};
  // A receiver (email, Alertmanager) that keeps failing alerts through the others.
  AlertSeverity receiver_failing_severity = AlertSeverity::kWarning;
  std::chrono::milliseconds receiver_failing_for{300'000};
};

// The SNMP trap receiver (v1, v2c). A trap only triggers an immediate poll of the device it
// names; the poll decides. Accepted only from a configured device with a listed community.
struct TrapSettings {
  std::string listen;  // HOST[:PORT] (port 162 unless given); empty: no trap receiver
  std::vector<std::string> communities;  // accepted; empty: each device's own community
  // Traps of one device within this time are one poll (a cut fiber sends a burst).
  std::chrono::milliseconds debounce{200};
};

enum class NotifyLanguage { kZh, kEn };

struct EmailSettings {
  std::string url;        // smtp://HOST[:PORT] or smtps://HOST[:PORT]; empty: no email
  bool starttls = false;  // smtp:// only: require STARTTLS
  std::string from;
  std::vector<std::string> to;
  std::string username;       // optional SMTP AUTH
  std::string password_file;  // the password's file, read when sending; never inline
};

struct NotifySettings {
  NotifyLanguage language = NotifyLanguage::kZh;
  std::string dashboard_url;  // linked from every message; empty: none
  // Alerts of one device that start within this window share one notification.
  std::chrono::milliseconds group_wait{5'000};
  std::chrono::milliseconds repeat_interval{4 * 3'600'000};  // reminder; 0 = never
  std::string timezone;  // IANA zone of the site's clocks in messages; empty: the host's
  EmailSettings email;
  std::vector<std::string> alertmanager_urls;  // e.g. http://127.0.0.1:9093
};

// The status page and API on `listen` (exporters/web/). The bind address decides who can
// reach them; basic auth, when set, covers every path but /-/healthy and /-/ready (which say
// nothing but "OK"), /metrics too: Prometheus then needs `basic_auth` in its scrape config.
struct WebSettings {
  std::string basic_auth_user;  // empty: no authentication
  // A file holding the password (its first line), readable by lanwatchd's group only; read
  // at startup and on reload, never shown.
  std::string basic_auth_password_file;
  std::chrono::milliseconds refresh{30'000};  // how often the page reloads itself
  bool history = true;                        // keep per-link RRD history under state_dir/history
};

struct Config {
  std::string source;  // file it was read from, for messages
  // What the file says that runs but is likely not what was meant (a link's port that its
  // device's interface filter excludes); `lanwatch validate` prints them.
  std::vector<Diagnostic> warnings;
  // `example: true`: the shipped example (the .deb's /etc/lanwatch/lanwatch.yaml), whose
  // addresses must never be polled. `lanwatch validate` accepts it with a note; lanwatchd
  // refuses to start on it, or to reload it, until the IT section removes the marker.
  bool example = false;
  std::string site = "lanwatch";
  std::chrono::milliseconds poll_interval{30'000};
  // Devices polled at the same time; the others wait their turn within the round. Bounds the
  // replies held at once (memory) and spreads a round's requests over it.
  size_t poll_concurrency = 64;
  std::string listen = "0.0.0.0:9731";  // HOST:PORT of the metrics endpoint
  SnmpSettings snmp_defaults;
  std::vector<DeviceConfig> devices;
  std::vector<LinkConfig> links;
  std::vector<CaptureConfig> captures;
  std::string state_dir = "/var/lib/lanwatch";         // alert state, outbox, fiber baselines
  std::chrono::milliseconds optics_interval{300'000};  // transceiver optics walks
  TrapSettings traps;
  ProbeSettings probes;
  std::vector<ServiceConfig> services;
  GlobalAlertSettings alerts;
  NotifySettings notify;
  WebSettings web;

  const DeviceConfig* FindDevice(std::string_view name) const;
};

// What lanwatchd says when it refuses an `example: true` config, and validate's note.
inline constexpr std::string_view kExampleConfigMessage =
    "this is the example config: write your own devices, then remove 'example: true'";

std::string_view ToString(SnmpVersion v);
std::string_view ToString(AuthProtocol p);
std::string_view ToString(PrivProtocol p);
std::string_view ToString(DeviceRole r);
std::string_view ToString(LinkKind k);
std::string_view ToString(InterfaceKey k);
std::string_view ToString(AlertSeverity s);
std::string_view ToString(ProbeSocketMode m);  // "auto", "datagram", "raw"

// The names config files and the command line give SNMP versions and protocols: the
// inverses of ToString, matched regardless of case; nullopt for anything else. The
// k*Choices list them for messages.
std::optional<SnmpVersion> ParseSnmpVersion(std::string_view text);
std::optional<AuthProtocol> ParseAuthProtocol(std::string_view text);
std::optional<PrivProtocol> ParsePrivProtocol(std::string_view text);
inline constexpr std::string_view kSnmpVersionChoices = "1, 2c, 3";
inline constexpr std::string_view kAuthProtocolChoices = "none, SHA, SHA-256";
inline constexpr std::string_view kPrivProtocolChoices = "none, AES";

}  // namespace lanwatch
