#include "exporters/status_collector.h"

#include <prometheus/metric_family.h>

#include <cctype>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "config/text_encoding.h"
#include "exporters/metric_families.h"
#include "exporters/packet_metrics.h"
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

// Collects the samples of every family in kFamilies.
class FamilyBuilder {
 public:
  FamilyBuilder() {
    for (const FamilySpec& spec : kFamilies) {
      index_.emplace(spec.name, families_.size());
      families_.push_back(MetricFamily{spec.name, spec.help, spec.type, {}});
    }
  }
  void Gauge(const std::string& name, Labels labels, double value) {
    Add(name, MetricType::Gauge, std::move(labels)).gauge.value = value;
  }
  void Counter(const std::string& name, Labels labels, double value) {
    Add(name, MetricType::Counter, std::move(labels)).counter.value = value;
  }
  void Histogram(const std::string& name, Labels labels, const RttHistogram& h) {
    ClientMetric::Histogram& out = Add(name, MetricType::Histogram, std::move(labels)).histogram;
    out.sample_count = h.count;
    out.sample_sum = h.sum_seconds;
    // The serializer adds the +Inf bucket from sample_count.
    for (size_t k = 0; k < kRttBucketBounds.size(); ++k) {
      out.bucket.push_back({h.cumulative[k], kRttBucketBounds[k]});
    }
  }
  std::vector<MetricFamily> Take() { return std::move(families_); }

 private:
  ClientMetric& Add(const std::string& name, MetricType type, Labels labels) {
    // A name missing from kFamilies, or used with another type, is a bug caught by the tests.
    MetricFamily& family = families_.at(index_.at(name));
    if (family.type != type) throw std::logic_error(name + ": used with another type");
    for (ClientMetric::Label& l : labels) {
      // Prometheus rejects a whole scrape for one invalid label value. Agent text is decoded
      // at the source; this is the last line of defence.
      if (!IsValidUtf8(l.value)) l.value = ToValidUtf8(l.value);
    }
    family.metric.emplace_back();
    family.metric.back().label = std::move(labels);
    return family.metric.back();
  }
  std::vector<MetricFamily> families_;
  std::map<std::string, size_t> index_;
};

// Interface label values, unique within the device (agents do repeat ifName).
std::vector<std::string> InterfaceLabels(const DeviceStatus& d) {
  std::map<std::string, int> seen;
  for (const InterfaceStatus& i : d.interfaces) ++seen[i.name];
  std::vector<std::string> labels;
  for (const InterfaceStatus& i : d.interfaces) {
    labels.push_back(seen[i.name] > 1 ? i.name + "#" + std::to_string(i.index) : i.name);
  }
  return labels;
}

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
    f.Gauge("lanwatch_optical_threshold", std::move(l), *value);
  }
}

// Every level is exported, on every port (admin down too): judging is for the verdicts.
void AddOptics(FamilyBuilder& f, const DeviceStatus& d, const std::vector<std::string>& names) {
  if (d.optics.read_at) {
    f.Gauge("lanwatch_optics_last_read_timestamp_seconds", {{"device", d.name}},
            UnixSeconds(*d.optics.read_at));
  }
  std::map<uint32_t, std::string> by_index;
  for (size_t k = 0; k < d.interfaces.size(); ++k) by_index[d.interfaces[k].index] = names[k];
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
    f.Gauge("lanwatch_optical_module_info", std::move(info), 1);
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

void AddDevice(FamilyBuilder& f, const DeviceStatus& d) {
  const std::string& dev = d.name;
  f.Gauge("lanwatch_device_up", {{"device", dev}, {"role", d.role}}, d.up ? 1 : 0);
  f.Gauge("lanwatch_device_topology_info", DeviceTopologyLabels(d), 1);
  for (const auto& [reason, count] : d.snmp_errors) {
    f.Counter("lanwatch_snmp_errors_total", {{"device", dev}, {"reason", reason}},
              static_cast<double>(count));
  }
  for (const auto& [reason, count] : d.discontinuities) {
    f.Counter("lanwatch_sample_discontinuities_total", {{"device", dev}, {"reason", reason}},
              static_cast<double>(count));
  }
  if (!d.polled) return;
  f.Gauge("lanwatch_snmp_poll_duration_seconds", {{"device", dev}}, d.poll_duration_seconds);
  if (!d.up) return;
  f.Gauge("lanwatch_device_info",
          {{"device", dev},
           {"sys_name", d.sys_name},
           {"sys_object_id", d.sys_object_id},
           {"restart_clock", d.restart_clock.empty() ? "none" : d.restart_clock}},
          1);
  if (d.uptime_seconds)
    f.Gauge("lanwatch_device_uptime_seconds", {{"device", dev}}, *d.uptime_seconds);

  std::vector<std::string> names = InterfaceLabels(d);
  for (size_t k = 0; k < d.interfaces.size(); ++k) {
    const InterfaceStatus& i = d.interfaces[k];
    Labels l = {{"device", dev}, {"interface", names[k]}};
    f.Gauge("lanwatch_interface_up", l, i.oper_up ? 1 : 0);
    f.Gauge("lanwatch_interface_oper_status", l, i.oper_status);
    f.Gauge("lanwatch_interface_admin_up", l, i.admin_up ? 1 : 0);
    f.Counter("lanwatch_interface_state_changes_total", l,
              static_cast<double>(i.state_changes_total));
    if (i.last_change_unix_seconds) {
      f.Gauge("lanwatch_interface_last_change_timestamp_seconds", l, *i.last_change_unix_seconds);
    }
    f.Gauge("lanwatch_interface_speed_bits_per_second", l, static_cast<double>(i.speed_bps));
    if (i.counter_bits > 0) {
      f.Gauge("lanwatch_interface_hc_octets", l, i.counter_bits == 64 ? 1 : 0);
      f.Counter("lanwatch_interface_receive_bytes_total", l,
                static_cast<double>(i.receive_bytes_total));
      f.Counter("lanwatch_interface_transmit_bytes_total", l,
                static_cast<double>(i.transmit_bytes_total));
    }
    f.Counter("lanwatch_interface_receive_errors_total", l,
              static_cast<double>(i.receive_errors_total));
    f.Counter("lanwatch_interface_transmit_errors_total", l,
              static_cast<double>(i.transmit_errors_total));
    f.Counter("lanwatch_interface_receive_discards_total", l,
              static_cast<double>(i.receive_discards_total));
    f.Counter("lanwatch_interface_transmit_discards_total", l,
              static_cast<double>(i.transmit_discards_total));
  }
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
    f.Gauge("lanwatch_link_threshold", std::move(s.labels), s.value);
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
      f.Gauge("lanwatch_alert_active", std::move(labels), 1);
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

}  // namespace

std::vector<MetricFamily> BuildMetricFamilies(const NetworkStatus& status,
                                              const std::string& version,
                                              const std::optional<DaemonStats>& daemon,
                                              const std::optional<AlertingMetrics>& alerting) {
  FamilyBuilder f;
  f.Gauge("lanwatch_build_info", {{"version", version}}, 1);
  if (daemon) AddDaemon(f, *daemon);
  if (alerting) AddAlerting(f, *alerting);
  for (const DeviceStatus& d : status.devices) AddDevice(f, d);
  for (const LinkStatus& l : status.links) AddLink(f, l);
  for (const CaptureStatus& c : status.captures) AddCapture(f, c);
  for (const ProbeTargetStatus& p : status.probes) AddProbe(f, p);
  for (const ServiceStatus& s : status.services) AddService(f, s);
  return WithPacketFamilies(f.Take(), status);
}

void StatusCollector::Publish(NetworkStatus status) {
  auto shared = std::make_shared<const NetworkStatus>(std::move(status));
  std::lock_guard lock(mutex_);
  status_ = std::move(shared);
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

std::vector<MetricFamily> StatusCollector::Collect() const {
  std::shared_ptr<const NetworkStatus> status;
  std::function<std::vector<CaptureStatus>()> captures;
  std::function<std::vector<ProbeTargetStatus>()> probes;
  std::optional<DaemonStats> daemon;
  std::optional<AlertingMetrics> alerting;
  std::function<std::vector<ReceiverStats>()> receivers;
  {
    std::lock_guard lock(mutex_);
    status = status_;
    captures = captures_;
    probes = probes_;
    daemon = daemon_;
    if (alerting_) alerting = AlertingMetrics{*alerting_, {}};
    receivers = receivers_;
    if (daemon && daemon->traps && trap_malformed_) daemon->traps->malformed = trap_malformed_();
  }
  NetworkStatus fresh = status ? *status : NetworkStatus{};
  if (captures) fresh.captures = captures();
  if (probes) fresh.probes = probes();
  if (alerting && receivers) alerting->receivers = receivers();
  return BuildMetricFamilies(fresh, version_, daemon, alerting);
}

}  // namespace lanwatch
