#include "exporters/status_collector.h"

#include <prometheus/metric_family.h>

#include <map>
#include <set>

#include "config/text_encoding.h"

namespace lanwatch {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

// Collects families by name, keeping the order in which they first appear.
class FamilyBuilder {
 public:
  void Gauge(const std::string& name, const std::string& help, Labels labels, double value) {
    Add(name, help, MetricType::Gauge, std::move(labels)).gauge.value = value;
  }
  void Counter(const std::string& name, const std::string& help, Labels labels, double value) {
    Add(name, help, MetricType::Counter, std::move(labels)).counter.value = value;
  }
  std::vector<MetricFamily> Take() { return std::move(families_); }

 private:
  MetricFamily& Family(const std::string& name, const std::string& help, MetricType type) {
    auto [it, inserted] = index_.emplace(name, families_.size());
    if (inserted) families_.push_back(MetricFamily{name, help, type, {}});
    return families_[it->second];
  }
  ClientMetric& Add(const std::string& name, const std::string& help, MetricType type,
                    Labels labels) {
    MetricFamily& family = Family(name, help, type);
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

void AddDevice(FamilyBuilder& f, const DeviceStatus& d) {
  const std::string& dev = d.name;
  f.Gauge("lanwatch_device_up", "1 if the last SNMP poll of the device succeeded.",
          {{"device", dev}, {"role", d.role}}, d.up ? 1 : 0);
  for (const auto& [reason, count] : d.snmp_errors) {
    f.Counter("lanwatch_snmp_errors_total", "SNMP errors by reason since lanwatch started.",
              {{"device", dev}, {"reason", reason}}, static_cast<double>(count));
  }
  for (const auto& [reason, count] : d.discontinuities) {
    f.Counter("lanwatch_counter_discontinuities_total",
              "Counter discontinuities detected (no rate was computed across them).",
              {{"device", dev}, {"reason", reason}}, static_cast<double>(count));
  }
  if (!d.polled) return;
  f.Gauge("lanwatch_snmp_poll_duration_seconds", "Duration of the device's last SNMP poll.",
          {{"device", dev}}, d.poll_duration_seconds);
  if (!d.up) return;
  f.Gauge("lanwatch_device_info", "Identity of the device as its agent reports it.",
          {{"device", dev}, {"sys_name", d.sys_name}, {"sys_object_id", d.sys_object_id}}, 1);
  f.Gauge("lanwatch_device_uptime_seconds", "The SNMP agent's sysUpTime.", {{"device", dev}},
          d.uptime_seconds);

  std::vector<std::string> names = InterfaceLabels(d);
  for (size_t k = 0; k < d.interfaces.size(); ++k) {
    const InterfaceStatus& i = d.interfaces[k];
    Labels l = {{"device", dev}, {"interface", names[k]}};
    f.Gauge("lanwatch_interface_up", "1 if the interface's operational status is up.", l,
            i.oper_up ? 1 : 0);
    f.Gauge("lanwatch_interface_admin_up", "1 if the interface is administratively up.", l,
            i.admin_up ? 1 : 0);
    f.Gauge("lanwatch_interface_speed_bits_per_second", "Port speed the agent reports.", l,
            static_cast<double>(i.speed_bps));
    if (i.counter_bits > 0) {
      f.Gauge("lanwatch_interface_hc_octets",
              "1 if 64-bit (ifXTable HC) octet counters are in use, 0 if 32-bit.", l,
              i.counter_bits == 64 ? 1 : 0);
      f.Counter("lanwatch_interface_receive_bytes_total",
                "Bytes received, monotonic across counter wraps and agent restarts.", l,
                static_cast<double>(i.receive_bytes_total));
      f.Counter("lanwatch_interface_transmit_bytes_total",
                "Bytes transmitted, monotonic across counter wraps and agent restarts.", l,
                static_cast<double>(i.transmit_bytes_total));
    }
    f.Counter("lanwatch_interface_receive_errors_total", "Inbound packets with errors.", l,
              static_cast<double>(i.receive_errors_total));
    f.Counter("lanwatch_interface_transmit_errors_total", "Outbound packets with errors.", l,
              static_cast<double>(i.transmit_errors_total));
    f.Counter("lanwatch_interface_receive_discards_total", "Inbound packets discarded.", l,
              static_cast<double>(i.receive_discards_total));
    f.Counter("lanwatch_interface_transmit_discards_total", "Outbound packets discarded.", l,
              static_cast<double>(i.transmit_discards_total));
  }
  if (!d.host) return;
  const HostSample& h = *d.host;
  for (size_t cpu = 0; cpu < h.cpu_load_percent.size(); ++cpu) {
    f.Gauge("lanwatch_host_cpu_load_ratio",
            "Processor load over the last minute (hrProcessorLoad).",
            {{"device", dev}, {"cpu", std::to_string(cpu)}}, h.cpu_load_percent[cpu] / 100.0);
  }
  const std::pair<const char*, const std::optional<double>*> loads[] = {
      {"1m", &h.load1}, {"5m", &h.load5}, {"15m", &h.load15}};
  for (const auto& [period, value] : loads) {
    if (*value) {
      f.Gauge("lanwatch_host_load_average", "System load average (UCD laLoad).",
              {{"device", dev}, {"period", period}}, **value);
    }
  }
  if (h.memory_total_bytes) {
    f.Gauge("lanwatch_host_memory_total_bytes", "Physical memory (UCD memTotalReal).",
            {{"device", dev}}, static_cast<double>(*h.memory_total_bytes));
  }
  if (h.memory_available_bytes) {
    f.Gauge("lanwatch_host_memory_available_bytes", "Available memory (UCD memAvailReal).",
            {{"device", dev}}, static_cast<double>(*h.memory_available_bytes));
  }
  std::set<std::string> storages;
  for (const StorageSample& s : h.storage) {
    if (!storages.insert(s.description).second) continue;  // keep series unique
    const char* kind = s.kind == StorageSample::Kind::kRam             ? "ram"
                       : s.kind == StorageSample::Kind::kVirtualMemory ? "virtual_memory"
                                                                       : "disk";
    Labels l = {{"device", dev}, {"storage", s.description}, {"kind", kind}};
    f.Gauge("lanwatch_host_storage_size_bytes", "Size of a storage area (hrStorageSize).", l,
            static_cast<double>(s.size_bytes));
    f.Gauge("lanwatch_host_storage_used_bytes", "Used part of a storage area (hrStorageUsed).", l,
            static_cast<double>(s.used_bytes));
  }
}

void AddLink(FamilyBuilder& f, const LinkStatus& link) {
  Labels l = {{"link", link.name}};
  f.Gauge("lanwatch_link_info", "A configured link and the interface it resolved to.",
          {{"link", link.name},
           {"kind", link.kind},
           {"device", link.device},
           {"interface", link.interface}},
          1);
  f.Gauge("lanwatch_link_up", "1 if the link's interface is operationally up.", l, link.up ? 1 : 0);
  f.Gauge("lanwatch_link_severity", "Health of the link: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
          l, static_cast<int>(link.severity));
  if (!link.found) return;
  f.Gauge("lanwatch_link_capacity_bits_per_second",
          "Capacity utilization is measured against: the configured rate, else port speed.", l,
          link.capacity_bps);
  const std::pair<const char*, const std::optional<double>*> rates[] = {{"in", &link.in_bps},
                                                                        {"out", &link.out_bps}};
  for (const auto& [direction, value] : rates) {
    if (*value) {
      f.Gauge("lanwatch_link_throughput_bits_per_second",
              "Throughput over the last poll interval, from SNMP octet counters.",
              {{"link", link.name}, {"direction", direction}}, **value);
    }
  }
  const std::pair<const char*, const std::optional<double>*> utils[] = {
      {"in", &link.in_utilization}, {"out", &link.out_utilization}};
  for (const auto& [direction, value] : utils) {
    if (*value) {
      f.Gauge("lanwatch_link_utilization_ratio", "Throughput as a ratio of the link's capacity.",
              {{"link", link.name}, {"direction", direction}}, **value);
    }
  }
  if (link.errors_per_second) {
    f.Gauge("lanwatch_link_errors_per_second", "Inbound plus outbound errors per second.", l,
            *link.errors_per_second);
  }
  if (link.accounting_mismatch) {
    f.Gauge("lanwatch_link_accounting_mismatch_ratio",
            "|capture bytes - SNMP bytes| / SNMP bytes over the last poll interval.", l,
            *link.accounting_mismatch);
  }
}

void AddCapture(FamilyBuilder& f, const CaptureStatus& c) {
  Labels l = {{"capture", c.name}};
  f.Gauge("lanwatch_capture_up", "1 if the capture's interface is open and being read.",
          {{"capture", c.name}, {"interface", c.interface}}, c.up ? 1 : 0);
  if (!c.up) return;
  const TrafficTotals& t = c.cumulative;
  f.Counter("lanwatch_capture_receive_bytes_total", "Bytes on the wire toward local networks.", l,
            static_cast<double>(t.bytes_in));
  f.Counter("lanwatch_capture_transmit_bytes_total", "Bytes on the wire from local networks.", l,
            static_cast<double>(t.bytes_out));
  f.Counter("lanwatch_capture_packets_total", "Packets seen, by direction.",
            {{"capture", c.name}, {"direction", "in"}}, static_cast<double>(t.packets_in));
  f.Counter("lanwatch_capture_packets_total", "Packets seen, by direction.",
            {{"capture", c.name}, {"direction", "out"}}, static_cast<double>(t.packets_out));
  const std::pair<const char*, uint64_t> versions[] = {
      {"4", t.ipv4_bytes}, {"6", t.ipv6_bytes}, {"none", t.non_ip_bytes}};
  for (const auto& [version, bytes] : versions) {
    f.Counter("lanwatch_capture_ip_version_bytes_total", "Bytes by IP version (none: not IP).",
              {{"capture", c.name}, {"version", version}}, static_cast<double>(bytes));
  }
  const std::pair<const char*, uint64_t> transports[] = {
      {"tcp", t.tcp_bytes}, {"udp", t.udp_bytes}, {"icmp", t.icmp_bytes}, {"other", t.other_bytes}};
  for (const auto& [transport, bytes] : transports) {
    f.Counter("lanwatch_capture_transport_bytes_total", "IP bytes by transport protocol.",
              {{"capture", c.name}, {"transport", transport}}, static_cast<double>(bytes));
  }
  const std::pair<const char*, uint64_t> drops[] = {{"kernel", c.kernel_drops},
                                                    {"interface", c.interface_drops}};
  for (const auto& [where, count] : drops) {
    f.Counter("lanwatch_capture_drops_total", "Packets the capture lost (pcap_stats).",
              {{"capture", c.name}, {"where", where}}, static_cast<double>(count));
  }
  const std::pair<const char*, const std::optional<double>*> rates[] = {{"in", &c.in_bps},
                                                                        {"out", &c.out_bps}};
  for (const auto& [direction, value] : rates) {
    if (*value) {
      f.Gauge("lanwatch_capture_throughput_bits_per_second",
              "Throughput over the last capture interval.",
              {{"capture", c.name}, {"direction", direction}}, **value);
    }
  }
  // Bounded by the configured top N: the label values change, their number does not grow.
  for (size_t rank = 0; rank < c.top_hosts.size(); ++rank) {
    f.Gauge(
        "lanwatch_capture_top_host_bytes", "Bytes of the busiest local hosts, last interval.",
        {{"capture", c.name}, {"rank", std::to_string(rank + 1)}, {"host", c.top_hosts[rank].name}},
        static_cast<double>(c.top_hosts[rank].bytes));
  }
  for (size_t rank = 0; rank < c.top_conversations.size(); ++rank) {
    f.Gauge("lanwatch_capture_top_conversation_bytes",
            "Bytes of the busiest address pairs, last interval.",
            {{"capture", c.name},
             {"rank", std::to_string(rank + 1)},
             {"conversation", c.top_conversations[rank].name}},
            static_cast<double>(c.top_conversations[rank].bytes));
  }
}

}  // namespace

std::vector<MetricFamily> BuildMetricFamilies(const NetworkStatus& status,
                                              const std::string& version) {
  FamilyBuilder f;
  f.Gauge("lanwatch_build_info", "lanwatch version; always 1.", {{"version", version}}, 1);
  for (const DeviceStatus& d : status.devices) AddDevice(f, d);
  for (const LinkStatus& l : status.links) AddLink(f, l);
  for (const CaptureStatus& c : status.captures) AddCapture(f, c);
  return f.Take();
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

void StatusCollector::SetCaptureSource(std::function<std::vector<CaptureStatus>()> source) {
  std::lock_guard lock(mutex_);
  captures_ = std::move(source);
}

std::vector<MetricFamily> StatusCollector::Collect() const {
  std::shared_ptr<const NetworkStatus> status;
  std::function<std::vector<CaptureStatus>()> captures;
  {
    std::lock_guard lock(mutex_);
    status = status_;
    captures = captures_;
  }
  if (!captures) return BuildMetricFamilies(status ? *status : NetworkStatus{}, version_);
  NetworkStatus fresh = status ? *status : NetworkStatus{};
  fresh.captures = captures();
  return BuildMetricFamilies(fresh, version_);
}

}  // namespace lanwatch
