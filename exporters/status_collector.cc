#include "exporters/status_collector.h"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "exporters/metric_families.h"
#include "exporters/packet_metrics.h"
#include "exporters/sample_output.h"
#include "exporters/threshold_metrics.h"

namespace lanwatch {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;
using metric_families::FamilySpec;
using metric_families::kFamilies;

double UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// The index of `name` in kFamilies.
size_t FamilyIndex(std::string_view name) {
  static const std::unordered_map<std::string_view, size_t> index = [] {
    std::unordered_map<std::string_view, size_t> m;
    for (size_t k = 0; k < std::size(kFamilies); ++k) m.emplace(kFamilies[k].name, k);
    return m;
  }();
  // A name missing from kFamilies is a bug caught by the tests.
  auto it = index.find(name);
  if (it == index.end()) throw std::logic_error(std::string(name) + ": not in kFamilies");
  return it->second;
}

// The samples of the families that do not scale with interfaces, by family name, onto an
// output (object or text).
class FamilyBuilder {
 public:
  explicit FamilyBuilder(SampleOutput& out) : out_(out) {}
  void Gauge(std::string_view name, const Labels& labels, double value) {
    out_.Sample(Index(name, MetricType::Gauge), Views(labels), value);
  }
  void Counter(std::string_view name, const Labels& labels, double value) {
    out_.Sample(Index(name, MetricType::Counter), Views(labels), value);
  }
  void Histogram(std::string_view name, const Labels& labels, const RttHistogram& h) {
    out_.Histogram(Index(name, MetricType::Histogram), Views(labels), h);
  }

 private:
  static size_t Index(std::string_view name, MetricType type) {
    const size_t family = FamilyIndex(name);
    // A name used with another type than its family's is a bug caught by the tests.
    if (kFamilies[family].type != type) {
      throw std::logic_error(std::string(name) + ": used with another type");
    }
    return family;
  }
  std::span<const MetricLabel> Views(const Labels& labels) {
    views_.clear();
    for (const ClientMetric::Label& l : labels) views_.push_back({l.name, l.value});
    return views_;
  }
  SampleOutput& out_;
  std::vector<MetricLabel> views_;  // reused: one allocation per scrape, not per sample
};

// Interface label values, unique within the device: the name, or name#ifIndex for every
// interface of a name the agent repeats (agents do). Views into the snapshot for a device
// whose names are unique already, as nearly all are: a scrape copies no interface name.
class InterfaceNames {
 public:
  explicit InterfaceNames(const DeviceStatus& d) : device_(d) {
    std::vector<std::string_view> sorted;
    sorted.reserve(d.interfaces.size());
    for (const auto& i : d.interfaces) sorted.push_back(i.name);
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()) return;
    std::map<std::string_view, int> seen;
    for (const auto& i : d.interfaces) ++seen[i.name];
    for (const auto& i : d.interfaces) {
      renamed_.push_back(seen[i.name] > 1 ? i.name + "#" + std::to_string(i.index) : i.name);
    }
  }
  // The `interface` label of the device's k-th interface.
  std::string_view operator[](size_t k) const {
    return renamed_.empty() ? std::string_view(device_.interfaces[k].name) : renamed_[k];
  }

 private:
  const DeviceStatus& device_;
  std::vector<std::string> renamed_;  // empty: every name is unique
};

constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

void AddDaemon(FamilyBuilder& f, const DaemonStats& d) {
  f.Counter("lanwatch_poll_rounds_total", {}, static_cast<double>(d.rounds_total));
  f.Gauge("lanwatch_poll_round_duration_seconds", {}, d.last_round_seconds);
  f.Counter("lanwatch_poll_slots_skipped_total", {}, static_cast<double>(d.slots_skipped_total));
  f.Counter("lanwatch_config_reloads_total", {{"result", "success"}},
            static_cast<double>(d.reloads_success_total));
  f.Counter("lanwatch_config_reloads_total", {{"result", "failure"}},
            static_cast<double>(d.reloads_failure_total));
  f.Gauge("lanwatch_config_last_reload_successful", {}, d.last_reload_successful ? 1 : 0);
  if (!d.probe_mode.empty()) f.Gauge("lanwatch_probe_mode_info", {{"mode", d.probe_mode}}, 1);
  if (!d.traps) return;
  for (const auto& [device, by_kind] : d.traps->accepted) {
    for (const auto& [kind, count] : by_kind) {
      f.Counter("lanwatch_snmp_traps_total", {{"device", device}, {"trap", kind}},
                static_cast<double>(count));
    }
  }
  for (const char* reason : {trap_ignored::kUnknownSource, trap_ignored::kBadCommunity}) {
    auto it = d.traps->ignored.find(reason);
    f.Counter("lanwatch_snmp_traps_ignored_total", {{"reason", reason}},
              it == d.traps->ignored.end() ? 0 : static_cast<double>(it->second));
  }
  f.Counter("lanwatch_snmp_traps_malformed_total", {}, static_cast<double>(d.traps->malformed));
}

void AddLimits(FamilyBuilder& f, const Labels& base, const char* measure,
               const OpticalLimits& limits) {
  for (const auto& [level, value] :
       {std::pair{"low_alarm", limits.low_alarm}, std::pair{"low_warning", limits.low_warning},
        std::pair{"high_warning", limits.high_warning},
        std::pair{"high_alarm", limits.high_alarm}}) {
    if (!value) continue;
    Labels l = base;
    l.push_back({"measure", measure});
    l.push_back({"level", level});
    f.Gauge("lanwatch_optical_threshold", l, *value);
  }
}

// Every level is exported, on every port (admin down too): judging is for the verdicts.
void AddOptics(FamilyBuilder& f, const DeviceStatus& d, const InterfaceNames& names) {
  if (d.optics.read_at) {
    f.Gauge("lanwatch_optics_last_read_timestamp_seconds", {{"device", d.name}},
            UnixSeconds(*d.optics.read_at));
  }
  std::map<uint32_t, std::string> by_index;
  if (!d.optics.transceivers.empty()) {
    for (size_t k = 0; k < d.interfaces.size(); ++k) {
      by_index[d.interfaces[k].index] = std::string(names[k]);
    }
  }
  std::map<std::string, int> seen;
  for (const Transceiver& t : d.optics.transceivers) {
    auto it = by_index.find(t.if_index);
    std::string interface = it != by_index.end() ? it->second
                            : !t.sensor.empty()  ? t.sensor
                                                 : "ifIndex " + std::to_string(t.if_index);
    // Two modules on one label (unmatched sensors) must not collide.
    if (int n = seen[interface]++; n > 0) interface += "#" + std::to_string(n + 1);
    Labels base = {{"device", d.name}, {"interface", interface}};
    Labels info = base;
    for (const auto& [key, value] : {std::pair{"vendor", &t.vendor}, std::pair{"serial", &t.serial},
                                     std::pair{"part", &t.part}, std::pair{"source", &t.source},
                                     std::pair{"units", &t.units}}) {
      info.push_back({key, *value});
    }
    f.Gauge("lanwatch_optical_module_info", info, 1);
    for (const OpticalLane& lane : t.lanes) {
      Labels l = base;
      l.push_back({"lane", std::to_string(lane.lane)});
      if (lane.rx_dbm) f.Gauge("lanwatch_optical_rx_power_dbm", l, *lane.rx_dbm);
      if (lane.rx_dbm || lane.rx_no_light) {
        f.Gauge("lanwatch_optical_rx_no_light", l, lane.rx_no_light ? 1 : 0);
      }
      if (lane.tx_dbm) f.Gauge("lanwatch_optical_tx_power_dbm", l, *lane.tx_dbm);
      if (lane.bias_milliamps) f.Gauge("lanwatch_optical_bias_milliamps", l, *lane.bias_milliamps);
    }
    if (t.temperature_celsius) {
      f.Gauge("lanwatch_optical_temperature_celsius", base, *t.temperature_celsius);
    }
    if (t.voltage_volts) f.Gauge("lanwatch_optical_voltage_volts", base, *t.voltage_volts);
    AddLimits(f, base, "rx_power_dbm", t.rx_limits);
    AddLimits(f, base, "tx_power_dbm", t.tx_limits);
    AddLimits(f, base, "temperature_celsius", t.temperature_limits);
    AddLimits(f, base, "bias_milliamps", t.bias_limits);
    AddLimits(f, base, "voltage_volts", t.voltage_limits);
    std::optional<double> weakest;
    for (const OpticalLane& lane : t.lanes) {
      if (lane.rx_dbm && (!weakest || *lane.rx_dbm < *weakest)) weakest = lane.rx_dbm;
    }
    if (weakest && t.rx_sensitivity_dbm) {
      f.Gauge("lanwatch_optical_rx_margin_db", base, *weakest - *t.rx_sensitivity_dbm);
    }
  }
}

// Interfaces are exported for a device whose last poll answered, and for no other: an
// unreachable device has no stale interface series.
bool ExportsInterfaces(const DeviceStatus& d) { return d.polled && d.up; }

// What the device says of itself; its interfaces are in the interface families (below).
void AddDevice(FamilyBuilder& f, const DeviceStatus& d, const InterfaceNames& names) {
  const std::string& dev = d.name;
  f.Gauge("lanwatch_device_up", {{"device", dev}, {"role", d.role}}, d.up ? 1 : 0);
  f.Gauge("lanwatch_device_topology_info", DeviceTopologyLabels(d), 1);
  // Its counts by reason: kReasonFamilies (below).
  if (!d.polled) return;
  f.Gauge("lanwatch_snmp_poll_duration_seconds", {{"device", dev}}, d.poll_duration_seconds);
  if (!ExportsInterfaces(d)) return;
  f.Gauge("lanwatch_device_info",
          {{"device", dev},
           {"sys_name", d.sys_name},
           {"sys_object_id", d.sys_object_id},
           {"restart_clock", d.restart_clock.empty() ? "none" : d.restart_clock}},
          1);
  if (d.uptime_seconds)
    f.Gauge("lanwatch_device_uptime_seconds", {{"device", dev}}, *d.uptime_seconds);

  AddOptics(f, d, names);
  if (!d.host) return;
  const HostSample& h = *d.host;
  for (size_t cpu = 0; cpu < h.cpu_load_percent.size(); ++cpu) {
    f.Gauge("lanwatch_host_cpu_load_ratio", {{"device", dev}, {"cpu", std::to_string(cpu)}},
            h.cpu_load_percent[cpu] / 100.0);
  }
  const std::pair<const char*, const std::optional<double>*> loads[] = {
      {"1m", &h.load1}, {"5m", &h.load5}, {"15m", &h.load15}};
  for (const auto& [period, value] : loads) {
    if (*value) {
      f.Gauge("lanwatch_host_load_average", {{"device", dev}, {"period", period}}, **value);
    }
  }
  if (h.memory_total_bytes) {
    f.Gauge("lanwatch_host_memory_total_bytes", {{"device", dev}},
            static_cast<double>(*h.memory_total_bytes));
  }
  if (h.memory_available_bytes) {
    f.Gauge("lanwatch_host_memory_available_bytes", {{"device", dev}},
            static_cast<double>(*h.memory_available_bytes));
  }
  std::set<std::string> storages;
  for (const StorageSample& s : h.storage) {
    if (!storages.insert(s.description).second) continue;  // keep series unique
    const char* kind = s.kind == StorageSample::Kind::kRam             ? "ram"
                       : s.kind == StorageSample::Kind::kVirtualMemory ? "virtual_memory"
                                                                       : "disk";
    Labels l = {{"device", dev}, {"storage", s.description}, {"kind", kind}};
    f.Gauge("lanwatch_host_storage_size_bytes", l, static_cast<double>(s.size_bytes));
    f.Gauge("lanwatch_host_storage_used_bytes", l, static_cast<double>(s.used_bytes));
  }
}

void AddLink(FamilyBuilder& f, const LinkStatus& link) {
  Labels l = {{"link", link.name}};
  f.Gauge("lanwatch_link_info",
          {{"link", link.name},
           {"kind", link.kind},
           {"device", link.device},
           {"interface", link.interface}},
          1);
  f.Gauge("lanwatch_link_up", l, link.up ? 1 : 0);
  f.Gauge("lanwatch_link_severity", l, Rank(link.severity));
  for (GaugeSample& s : LinkThresholdSamples(link)) {
    f.Gauge("lanwatch_link_threshold", s.labels, s.value);
  }
  // Every state, 1 for the current one: an unreachable device's link reads "unknown".
  for (FiberState state : kAllFiberStates) {
    f.Gauge("lanwatch_link_fiber_state",
            {{"link", link.name}, {"state", std::string(ToString(state))}},
            link.fiber.state == state ? 1 : 0);
  }
  if (link.fiber.baseline_dbm) {
    f.Gauge("lanwatch_link_fiber_baseline_dbm", l, *link.fiber.baseline_dbm);
  }
  if (link.uplink) {
    // A state set, like the fiber's: every verdict, 1 for the current one.
    for (UplinkVerdict verdict : kAllUplinkVerdicts) {
      f.Gauge("lanwatch_uplink_verdict",
              {{"link", link.name}, {"verdict", std::string(ToString(verdict))}},
              link.uplink->verdict == verdict ? 1 : 0);
    }
  }
  if (!link.found) return;
  if (link.capacity_bps) f.Gauge("lanwatch_link_capacity_bits_per_second", l, *link.capacity_bps);
  // A found link keeps its series through an interval without a rate (an agent restart, a
  // counter reset): NaN says "not measured", where a vanishing series would reset the `for`
  // of every alert and graph built on it.
  const std::pair<const char*, const std::optional<double>*> rates[] = {{"in", &link.in_bps},
                                                                        {"out", &link.out_bps}};
  for (const auto& [direction, value] : rates) {
    f.Gauge("lanwatch_link_throughput_bits_per_second",
            {{"link", link.name}, {"direction", direction}}, value->value_or(kNotMeasured));
  }
  const std::pair<const char*, const std::optional<double>*> utils[] = {
      {"in", &link.in_utilization}, {"out", &link.out_utilization}};
  for (const auto& [direction, value] : utils) {
    if (!link.capacity_bps) continue;
    f.Gauge("lanwatch_link_utilization_ratio", {{"link", link.name}, {"direction", direction}},
            value->value_or(kNotMeasured));
  }
  f.Gauge("lanwatch_link_errors_per_second", l, link.errors_per_second.value_or(kNotMeasured));
  f.Gauge("lanwatch_link_discards_per_second", l, link.discards_per_second.value_or(kNotMeasured));
  if (link.accounting_mismatch) {
    f.Gauge("lanwatch_link_accounting_mismatch_ratio", l, *link.accounting_mismatch);
  }
}

void AddCapture(FamilyBuilder& f, const CaptureStatus& c) {
  Labels l = {{"capture", c.name}};
  f.Gauge("lanwatch_capture_up", {{"capture", c.name}, {"interface", c.interface}}, c.up ? 1 : 0);
  if (!c.up) {
    // One series per capture that is down, its label the reason: what an operator reads.
    f.Gauge("lanwatch_capture_error_info", {{"capture", c.name}, {"error", c.error}}, 1);
    return;
  }
  const TrafficTotals& t = c.cumulative;
  f.Counter("lanwatch_capture_receive_bytes_total", l, static_cast<double>(t.bytes_in));
  f.Counter("lanwatch_capture_transmit_bytes_total", l, static_cast<double>(t.bytes_out));
  f.Counter("lanwatch_capture_packets_total", {{"capture", c.name}, {"direction", "in"}},
            static_cast<double>(t.packets_in));
  f.Counter("lanwatch_capture_packets_total", {{"capture", c.name}, {"direction", "out"}},
            static_cast<double>(t.packets_out));
  const std::pair<const char*, uint64_t> versions[] = {
      {"4", t.ipv4_bytes}, {"6", t.ipv6_bytes}, {"none", t.non_ip_bytes}};
  for (const auto& [version, bytes] : versions) {
    f.Counter("lanwatch_capture_ip_version_bytes_total",
              {{"capture", c.name}, {"version", version}}, static_cast<double>(bytes));
  }
  const std::pair<const char*, uint64_t> transports[] = {
      {"tcp", t.tcp_bytes}, {"udp", t.udp_bytes}, {"icmp", t.icmp_bytes}, {"other", t.other_bytes}};
  for (const auto& [transport, bytes] : transports) {
    f.Counter("lanwatch_capture_transport_bytes_total",
              {{"capture", c.name}, {"transport", transport}}, static_cast<double>(bytes));
  }
  const std::pair<const char*, uint64_t> drops[] = {{"kernel", c.kernel_drops},
                                                    {"interface", c.interface_drops}};
  for (const auto& [where, count] : drops) {
    f.Counter("lanwatch_capture_drops_total", {{"capture", c.name}, {"where", where}},
              static_cast<double>(count));
  }
  const std::pair<const char*, const std::optional<double>*> rates[] = {{"in", &c.in_bps},
                                                                        {"out", &c.out_bps}};
  for (const auto& [direction, value] : rates) {
    if (*value) {
      f.Gauge("lanwatch_capture_throughput_bits_per_second",
              {{"capture", c.name}, {"direction", direction}}, **value);
    }
  }
  // Bounded by the configured top N: the label values change, their number does not grow.
  for (size_t rank = 0; rank < c.top_hosts.size(); ++rank) {
    f.Gauge(
        "lanwatch_capture_top_host_bytes",
        {{"capture", c.name}, {"rank", std::to_string(rank + 1)}, {"host", c.top_hosts[rank].name}},
        static_cast<double>(c.top_hosts[rank].bytes));
  }
  for (size_t rank = 0; rank < c.top_conversations.size(); ++rank) {
    f.Gauge("lanwatch_capture_top_conversation_bytes",
            {{"capture", c.name},
             {"rank", std::to_string(rank + 1)},
             {"conversation", c.top_conversations[rank].name}},
            static_cast<double>(c.top_conversations[rank].bytes));
  }
}

// Window gauges are absent when the window holds nothing to say: a gap in a graph, not a
// made-up 0 % loss. The counters and the histogram are always there, for rate() and
// histogram_quantile() over any window Prometheus likes.
void AddProbe(FamilyBuilder& f, const ProbeTargetStatus& p) {
  Labels l = {{"target", p.target}, {"link", p.link}, {"role", p.role}};
  f.Gauge("lanwatch_probe_window_seconds", l,
          std::chrono::duration<double>(p.window_length).count());
  f.Counter("lanwatch_probe_sent_total", l, static_cast<double>(p.sent_total));
  f.Counter("lanwatch_probe_lost_total", l, static_cast<double>(p.lost_total));
  f.Histogram("lanwatch_probe_rtt_seconds", l, p.histogram);
  if (!p.measured()) return;
  const WindowSummary& w = p.window;
  if (w.loss_ratio) f.Gauge("lanwatch_probe_loss_ratio", l, *w.loss_ratio);
  f.Gauge("lanwatch_probe_up", l, p.up() ? 1 : 0);
  const std::pair<const char*, const std::optional<double>*> gauges[] = {
      {"lanwatch_probe_rtt_min_seconds", &w.rtt_min_seconds},
      {"lanwatch_probe_rtt_median_seconds", &w.rtt_median_seconds},
      {"lanwatch_probe_rtt_max_seconds", &w.rtt_max_seconds},
      {"lanwatch_probe_jitter_seconds", &w.jitter_seconds}};
  for (const auto& [name, value] : gauges) {
    if (*value) f.Gauge(name, l, **value);
  }
}

bool IsHttps(const ServiceStatus& s) { return s.target.starts_with("https://"); }

double Seconds(std::chrono::microseconds d) { return std::chrono::duration<double>(d).count(); }

// A stage's time is zero when the check did not get that far: absent, not 0 s.
void AddService(FamilyBuilder& f, const ServiceStatus& s) {
  Labels l = {{"service", s.name}, {"kind", s.kind}, {"target", s.target}};
  f.Gauge("lanwatch_service_info", ServiceTopologyLabels(s), 1);
  f.Counter("lanwatch_service_checks_total", l, static_cast<double>(s.checks_total));
  f.Counter("lanwatch_service_failures_total", l, static_cast<double>(s.failures_total));
  if (!s.checked) return;
  const ServiceResult& r = s.last;
  const bool http = s.kind == "http";
  f.Gauge("lanwatch_service_up", l, r.up ? 1 : 0);
  if (http && r.status != 0) f.Gauge("lanwatch_service_http_status", l, r.status);
  if (r.connect_time.count() > 0) {
    f.Gauge("lanwatch_service_connect_seconds", l, Seconds(r.connect_time));
  }
  if (IsHttps(s) && r.tls_handshake_time.count() > 0) {
    f.Gauge("lanwatch_service_tls_handshake_seconds", l, Seconds(r.tls_handshake_time));
  }
  if (http && r.time_to_first_byte.count() > 0) {
    f.Gauge("lanwatch_service_time_to_first_byte_seconds", l, Seconds(r.time_to_first_byte));
  }
  f.Gauge("lanwatch_service_duration_seconds", l, Seconds(r.total_time));
  if (IsHttps(s) && r.cert_not_after) {
    f.Gauge("lanwatch_service_cert_expiry_timestamp_seconds", l,
            static_cast<double>(r.cert_not_after->time_since_epoch().count()));
  }
}

void AddAlerting(FamilyBuilder& f, const AlertingMetrics& m) {
  const AlertingStatus& a = m.alerting;
  f.Gauge("lanwatch_alert_state_durable", {}, a.durable ? 1 : 0);
  for (const AlertRecord& r : a.records) {
    if (r.phase != AlertPhase::kFiring || r.event) continue;
    // Lower case, as Alertmanager's severity label and Prometheus rules have it.
    std::string severity(ToString(r.severity));
    for (char& c : severity) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Labels labels{{"alert", r.key.rule},
                  {"severity", severity},
                  {"device", r.key.device},
                  {"link", r.key.link}};
    if (r.suppressed_by.empty()) {
      f.Gauge("lanwatch_alert_active", labels, 1);
    } else {
      std::string reason = r.suppressed_by.substr(0, r.suppressed_by.find(':'));
      f.Gauge("lanwatch_alert_suppressed",
              {{"alert", r.key.rule},
               {"device", r.key.device},
               {"link", r.key.link},
               {"reason", reason}},
              1);
    }
  }
  for (const auto& [rule_and_phase, n] : a.transitions.by_rule_and_phase) {
    f.Counter("lanwatch_alert_transitions_total",
              {{"alert", rule_and_phase.first}, {"to", rule_and_phase.second}},
              static_cast<double>(n));
  }
  for (const Silence& s : a.silences) {
    f.Gauge("lanwatch_silence_end_timestamp_seconds", {{"device", s.device}, {"link", s.link}},
            UnixSeconds(s.ends));
  }
  for (const ReceiverStats& r : m.receivers) {
    Labels receiver{{"receiver", r.name}};
    f.Counter("lanwatch_notifications_sent_total", receiver, static_cast<double>(r.sent_total));
    f.Counter("lanwatch_notifications_failed_total", receiver, static_cast<double>(r.failed_total));
    f.Counter("lanwatch_notifications_dropped_total", receiver,
              static_cast<double>(r.dropped_total));
    f.Gauge("lanwatch_notification_queue_length", receiver, static_cast<double>(r.queued));
    f.Gauge("lanwatch_notification_last_success_timestamp_seconds", receiver,
            r.last_success ? UnixSeconds(*r.last_success) : 0);
  }
}

// The families that scale with interfaces (49 series per 48-port switch each; 3 M samples
// at 5,000 switches): generated family by family, each straight onto the output, so a scrape
// never holds them. A value of nullopt: the interface has no such series.
struct InterfaceFamily {
  std::string_view name;
  MetricType type;
  std::optional<double> (*value)(const InterfaceStatus& i);
};
double Flag(bool b) { return b ? 1 : 0; }
constexpr InterfaceFamily kInterfaceFamilies[] = {
    {"lanwatch_interface_up", MetricType::Gauge,
     [](const InterfaceStatus& i) -> std::optional<double> { return Flag(i.oper_up); }},
    {"lanwatch_interface_oper_status", MetricType::Gauge,
     [](const InterfaceStatus& i) -> std::optional<double> { return i.oper_status; }},
    {"lanwatch_interface_admin_up", MetricType::Gauge,
     [](const InterfaceStatus& i) -> std::optional<double> { return Flag(i.admin_up); }},
    {"lanwatch_interface_state_changes_total", MetricType::Counter,
     [](const InterfaceStatus& i) -> std::optional<double> {
       return static_cast<double>(i.state_changes_total);
     }},
    {"lanwatch_interface_last_change_timestamp_seconds", MetricType::Gauge,
     [](const InterfaceStatus& i) -> std::optional<double> { return i.last_change_unix_seconds; }},
    {"lanwatch_interface_speed_bits_per_second", MetricType::Gauge,
     [](const InterfaceStatus& i) -> std::optional<double> {
       return static_cast<double>(i.speed_bps);
     }},
    // Octet counters only where the agent has them (counter_bits 0: none).
    {"lanwatch_interface_hc_octets", MetricType::Gauge,
     [](const InterfaceStatus& i) -> std::optional<double> {
       if (i.counter_bits <= 0) return std::nullopt;
       return Flag(i.counter_bits == 64);
     }},
    {"lanwatch_interface_receive_bytes_total", MetricType::Counter,
     [](const InterfaceStatus& i) -> std::optional<double> {
       if (i.counter_bits <= 0) return std::nullopt;
       return static_cast<double>(i.receive_bytes_total);
     }},
    {"lanwatch_interface_transmit_bytes_total", MetricType::Counter,
     [](const InterfaceStatus& i) -> std::optional<double> {
       if (i.counter_bits <= 0) return std::nullopt;
       return static_cast<double>(i.transmit_bytes_total);
     }},
    {"lanwatch_interface_receive_errors_total", MetricType::Counter,
     [](const InterfaceStatus& i) -> std::optional<double> {
       return static_cast<double>(i.receive_errors_total);
     }},
    {"lanwatch_interface_transmit_errors_total", MetricType::Counter,
     [](const InterfaceStatus& i) -> std::optional<double> {
       return static_cast<double>(i.transmit_errors_total);
     }},
    {"lanwatch_interface_receive_discards_total", MetricType::Counter,
     [](const InterfaceStatus& i) -> std::optional<double> {
       return static_cast<double>(i.receive_discards_total);
     }},
    {"lanwatch_interface_transmit_discards_total", MetricType::Counter,
     [](const InterfaceStatus& i) -> std::optional<double> {
       return static_cast<double>(i.transmit_discards_total);
     }},
};

// The families of a device's counts by reason: some twenty series a device, the most of any
// family but the interface ones, so generated like them, one family at a time.
struct ReasonFamily {
  std::string_view name;
  MetricType type;
  ReasonCounts DeviceStatus::*counts;
};
constexpr ReasonFamily kReasonFamilies[] = {
    {"lanwatch_snmp_errors_total", MetricType::Counter, &DeviceStatus::snmp_errors},
    {"lanwatch_sample_discontinuities_total", MetricType::Counter, &DeviceStatus::discontinuities},
};

// Every family of `table` is in the catalogue with its type: checked when compiling.
template <typename Family, size_t N>
consteval bool Catalogued(const Family (&table)[N]) {
  for (const Family& f : table) {
    bool found = false;
    for (const FamilySpec& spec : kFamilies) {
      if (spec.name == f.name && spec.type == f.type) found = true;
    }
    if (!found) return false;
  }
  return true;
}
static_assert(Catalogued(kInterfaceFamilies));
static_assert(Catalogued(kReasonFamilies));

template <typename Family, size_t N>
const Family* FindIn(const Family (&table)[N], const FamilySpec& spec) {
  for (const Family& f : table) {
    if (f.name == spec.name) return &f;
  }
  return nullptr;
}

// The one generator: which samples exist, and their values, for one scrape's inputs. The
// small families come device by device (FamilyBuilder); the large ones (interface and reason
// families) one family at a time. Views into the inputs: nothing of the snapshot is copied.
class MetricGenerator {
 public:
  explicit MetricGenerator(const MetricInputs& in) : in_(in) {
    names_.reserve(in.status.devices.size());
    for (const DeviceStatus& d : in.status.devices) names_.emplace_back(d);
  }

  // Every family but the large ones.
  void SmallFamilies(SampleOutput& out) const {
    FamilyBuilder f(out);
    f.Gauge("lanwatch_build_info", {{"version", in_.version}}, 1);
    if (in_.daemon) AddDaemon(f, *in_.daemon);
    if (in_.alerting) AddAlerting(f, *in_.alerting);
    for (size_t k = 0; k < in_.status.devices.size(); ++k) {
      AddDevice(f, in_.status.devices[k], names_[k]);
    }
    for (const LinkStatus& l : in_.status.links) AddLink(f, l);
    for (const CaptureStatus& c : in_.captures) AddCapture(f, c);
    for (const ProbeTargetStatus& p : in_.probes) AddProbe(f, p);
    for (const ServiceStatus& s : in_.status.services) AddService(f, s);
  }

  // The family `index` in kFamilies, where it is one of the large ones (an interface or a
  // reason family); false when it is a small one.
  bool LargeFamily(size_t index, SampleOutput& out) const {
    if (const InterfaceFamily* f = FindIn(kInterfaceFamilies, kFamilies[index])) {
      Interfaces(*f, index, out);
      return true;
    }
    if (const ReasonFamily* f = FindIn(kReasonFamilies, kFamilies[index])) {
      Reasons(*f, index, out);
      return true;
    }
    return false;
  }

 private:
  // One reason family: device by device (every device, polled or not), reason by reason.
  void Reasons(const ReasonFamily& family, size_t index, SampleOutput& out) const {
    for (const DeviceStatus& d : in_.status.devices) {
      for (const auto& [reason, count] : d.*family.counts) {
        const MetricLabel labels[] = {{"device", d.name}, {"reason", reason}};
        out.Sample(index, labels, static_cast<double>(count));
      }
    }
  }

  // One interface family (`index` in kFamilies): device by device, interface by interface.
  void Interfaces(const InterfaceFamily& family, size_t index, SampleOutput& out) const {
    for (size_t k = 0; k < in_.status.devices.size(); ++k) {
      const DeviceStatus& d = in_.status.devices[k];
      if (!ExportsInterfaces(d)) continue;
      for (size_t n = 0; n < d.interfaces.size(); ++n) {
        const std::optional<double> value = family.value(d.interfaces[n]);
        if (!value) continue;
        const MetricLabel labels[] = {{"device", d.name}, {"interface", names_[k][n]}};
        out.Sample(index, labels, *value);
      }
    }
  }

  const MetricInputs& in_;
  std::vector<InterfaceNames> names_;  // by device
};

}  // namespace

std::vector<MetricFamily> BuildMetricFamilies(const MetricInputs& in) {
  MetricGenerator generator(in);
  FamilyObjects families;
  generator.SmallFamilies(families);
  for (size_t k = 0; k < std::size(kFamilies); ++k) generator.LargeFamily(k, families);
  return WithPacketFamilies(families.Take(), in.status);
}

void WriteMetricText(const MetricInputs& in, ByteSink& sink) {
  MetricGenerator generator(in);
  // The small families first, each into its own text (a few series a device)...
  FamilyTexts small;
  generator.SmallFamilies(small);
  // ... then every family in catalogue order: the small ones' texts, the large ones
  // generated onto the writer as it goes.
  MetricTextWriter writer(sink);
  StreamedSamples streamed(writer);
  for (size_t k = 0; k < std::size(kFamilies); ++k) {
    writer.Family(kFamilies[k]);
    if (!generator.LargeFamily(k, streamed)) writer.Text(small.Take(k));
  }
  // Two families per link (packet counters), built as objects by their own code: small.
  writer.Text(prometheus::TextSerializer().Serialize(WithPacketFamilies({}, in.status)));
  writer.Finish();
}

std::vector<MetricFamily> BuildMetricFamilies(const NetworkStatus& status,
                                              const std::string& version,
                                              const std::optional<DaemonStats>& daemon,
                                              const std::optional<AlertingMetrics>& alerting) {
  return BuildMetricFamilies(
      MetricInputs{status, status.captures, status.probes, version, daemon, alerting});
}

void WriteMetricText(const NetworkStatus& status, const std::string& version, ByteSink& sink,
                     const std::optional<DaemonStats>& daemon,
                     const std::optional<AlertingMetrics>& alerting) {
  WriteMetricText(MetricInputs{status, status.captures, status.probes, version, daemon, alerting},
                  sink);
}

void StatusCollector::Publish(NetworkStatus status) {
  std::shared_ptr<const NetworkStatus> shared =
      std::make_shared<const NetworkStatus>(std::move(status));
  {
    std::lock_guard lock(mutex_);
    status_.swap(shared);
  }
  // The old snapshot goes here, outside the lock: freeing it takes a while at thousands of
  // devices, and a scrape must not wait for that.
}

void StatusCollector::PublishDevices(SharedItems<DeviceStatus> devices) {
  std::shared_ptr<const NetworkStatus> before = latest();
  if (!before) return;  // the first round: nothing published to hold twice
  // A device with links stays as the last whole round showed it, so that its ports' totals
  // and its links' figures (packets, rates) are of one poll at every scrape. Such devices are
  // few: copying one shares its interfaces.
  for (size_t k = 0; k < devices.size(); ++k) {
    const std::string& name = std::as_const(devices)[k].name;
    const auto linked = [&](const LinkStatus& l) { return l.device == name; };
    if (std::none_of(before->links.begin(), before->links.end(), linked)) continue;
    const DeviceStatus* shown = before->FindDevice(name);
    if (shown && shown != &std::as_const(devices)[k]) devices[k] = *shown;
  }
  // A copy shares every device's status (SharedItems): what it copies is small.
  auto next = std::make_shared<NetworkStatus>(*before);
  next->devices = std::move(devices);
  std::shared_ptr<const NetworkStatus> shared = std::move(next);
  {
    std::lock_guard lock(mutex_);
    status_.swap(shared);
  }
}

bool StatusCollector::has_status() const {
  std::lock_guard lock(mutex_);
  return status_ != nullptr;
}

std::shared_ptr<const NetworkStatus> StatusCollector::latest() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::optional<AlertingStatus> StatusCollector::alerting() const {
  std::lock_guard lock(mutex_);
  return alerting_;
}

void StatusCollector::SetCaptureSource(std::function<std::vector<CaptureStatus>()> source) {
  std::lock_guard lock(mutex_);
  captures_ = std::move(source);
}

void StatusCollector::SetProbeSource(std::function<std::vector<ProbeTargetStatus>()> source) {
  std::lock_guard lock(mutex_);
  probes_ = std::move(source);
}

void StatusCollector::SetDaemonStats(const DaemonStats& stats) {
  std::lock_guard lock(mutex_);
  daemon_ = stats;
}

void StatusCollector::SetAlerting(AlertingStatus alerting) {
  std::lock_guard lock(mutex_);
  alerting_ = std::move(alerting);
}

void StatusCollector::SetReceiverSource(std::function<std::vector<ReceiverStats>()> source) {
  std::lock_guard lock(mutex_);
  receivers_ = std::move(source);
}

void StatusCollector::SetTrapMalformedSource(std::function<uint64_t()> source) {
  std::lock_guard lock(mutex_);
  trap_malformed_ = std::move(source);
}

template <typename Render>
auto StatusCollector::WithInputs(Render render) const {
  std::shared_ptr<const NetworkStatus> status;
  std::function<std::vector<CaptureStatus>()> captures;
  std::function<std::vector<ProbeTargetStatus>()> probes;
  std::optional<DaemonStats> daemon;
  std::optional<AlertingMetrics> alerting;
  std::function<std::vector<ReceiverStats>()> receivers;
  {
    // Only pointers and small values under the lock: a scrape never holds up Publish (a
    // polling round), however long it takes to write out.
    std::lock_guard lock(mutex_);
    status = status_;
    captures = captures_;
    probes = probes_;
    daemon = daemon_;
    if (alerting_) alerting = AlertingMetrics{*alerting_, {}};
    receivers = receivers_;
    if (daemon && daemon->traps && trap_malformed_) daemon->traps->malformed = trap_malformed_();
  }
  static const NetworkStatus kNoStatus;
  const NetworkStatus& snapshot = status ? *status : kNoStatus;
  // Captures and probes report more often than rounds: asked now, beside the shared
  // snapshot (never a copy of it).
  std::vector<CaptureStatus> fresh_captures;
  std::vector<ProbeTargetStatus> fresh_probes;
  if (captures) fresh_captures = captures();
  if (probes) fresh_probes = probes();
  if (alerting && receivers) alerting->receivers = receivers();
  return render(MetricInputs{snapshot, captures ? fresh_captures : snapshot.captures,
                             probes ? fresh_probes : snapshot.probes, version_, daemon, alerting});
}

std::vector<MetricFamily> StatusCollector::Collect() const {
  return WithInputs([](const MetricInputs& in) { return BuildMetricFamilies(in); });
}

void StatusCollector::WriteMetrics(ByteSink& sink) const {
  WithInputs([&sink](const MetricInputs& in) { WriteMetricText(in, sink); });
}

}  // namespace lanwatch
