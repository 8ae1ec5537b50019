// The catalogue of every metric family lanwatch exports: name, type and help, in exposition
// order. Internal to exporters/; the status collector renders samples into these families.
#pragma once

#include <prometheus/metric_type.h>

namespace lanwatch::metric_families {

using prometheus::MetricType;

// Every family lanwatch exports, in exposition order. All of them are always present, with
// HELP and TYPE, whether or not anything has a value yet: a dashboard or an alert rule
// never meets a family that appears only after the first event.
struct FamilySpec {
  const char* name;
  MetricType type;
  const char* help;
};
inline constexpr FamilySpec kFamilies[] = {
    {"lanwatch_build_info", MetricType::Gauge, "lanwatch version; always 1."},
    {"lanwatch_poll_rounds_total", MetricType::Counter, "Polling rounds completed."},
    {"lanwatch_poll_round_duration_seconds", MetricType::Gauge,
     "Duration of the last polling round."},
    {"lanwatch_poll_slots_skipped_total", MetricType::Counter,
     "Scheduled rounds skipped because the previous one overran."},
    {"lanwatch_config_reloads_total", MetricType::Counter, "Config reloads on SIGHUP, by result."},
    {"lanwatch_config_last_reload_successful", MetricType::Gauge,
     "1 if the last config (re)load succeeded."},
    {"lanwatch_device_up", MetricType::Gauge,
     "1 if the last SNMP poll of the device got a usable answer."},
    {"lanwatch_snmp_errors_total", MetricType::Counter,
     "SNMP errors by reason since lanwatch started."},
    {"lanwatch_sample_discontinuities_total", MetricType::Counter,
     "Discontinuities between successive samples (no rate was computed across them)."},
    {"lanwatch_snmp_poll_duration_seconds", MetricType::Gauge,
     "Duration of the device's last SNMP poll."},
    {"lanwatch_device_info", MetricType::Gauge,
     "Identity of the device as its agent reports it, and the clock restarts are seen by."},
    {"lanwatch_device_uptime_seconds", MetricType::Gauge,
     "The SNMP agent's sysUpTime, where the agent has one."},
    {"lanwatch_interface_up", MetricType::Gauge, "1 if the interface's operational status is up."},
    {"lanwatch_interface_oper_status", MetricType::Gauge,
     "ifOperStatus as the agent reports it: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, "
     "6 notPresent, 7 lowerLayerDown."},
    {"lanwatch_interface_admin_up", MetricType::Gauge,
     "1 if the interface is administratively up."},
    {"lanwatch_interface_state_changes_total", MetricType::Counter,
     "Operational state changes seen (ifOperStatus and ifLastChange), flaps shorter than the "
     "poll included."},
    {"lanwatch_interface_last_change_timestamp_seconds", MetricType::Gauge,
     "When the interface last changed state (ifLastChange), as a Unix time."},
    {"lanwatch_interface_speed_bits_per_second", MetricType::Gauge,
     "Port speed the agent reports."},
    {"lanwatch_interface_hc_octets", MetricType::Gauge,
     "1 if 64-bit (ifXTable HC) octet counters are in use, 0 if 32-bit."},
    {"lanwatch_interface_receive_bytes_total", MetricType::Counter,
     "Bytes received, monotonic across counter wraps and agent restarts."},
    {"lanwatch_interface_transmit_bytes_total", MetricType::Counter,
     "Bytes transmitted, monotonic across counter wraps and agent restarts."},
    {"lanwatch_interface_receive_errors_total", MetricType::Counter,
     "Inbound packets with errors."},
    {"lanwatch_interface_transmit_errors_total", MetricType::Counter,
     "Outbound packets with errors."},
    {"lanwatch_interface_receive_discards_total", MetricType::Counter,
     "Inbound packets discarded."},
    {"lanwatch_interface_transmit_discards_total", MetricType::Counter,
     "Outbound packets discarded."},
    {"lanwatch_host_cpu_load_ratio", MetricType::Gauge,
     "Processor load over the last minute (hrProcessorLoad)."},
    {"lanwatch_host_load_average", MetricType::Gauge, "System load average (UCD laLoad)."},
    {"lanwatch_host_memory_total_bytes", MetricType::Gauge, "Physical memory (UCD memTotalReal)."},
    {"lanwatch_host_memory_available_bytes", MetricType::Gauge,
     "Available memory (UCD memAvailReal)."},
    {"lanwatch_host_storage_size_bytes", MetricType::Gauge,
     "Size of a storage area (hrStorageSize)."},
    {"lanwatch_host_storage_used_bytes", MetricType::Gauge,
     "Used part of a storage area (hrStorageUsed)."},
    {"lanwatch_link_info", MetricType::Gauge,
     "A configured link and the interface it resolved to."},
    {"lanwatch_link_up", MetricType::Gauge, "1 if the link's interface is operationally up."},
    {"lanwatch_link_severity", MetricType::Gauge,
     "Health of the link by urgency: 0 OK, 1 UNKNOWN, 2 WARNING, 3 CRITICAL (max() is the worst)."},
    {"lanwatch_link_capacity_bits_per_second", MetricType::Gauge,
     "Capacity utilization is measured against: the configured rate, else port speed."},
    {"lanwatch_link_throughput_bits_per_second", MetricType::Gauge,
     "Throughput over the last poll interval, from SNMP octet counters; NaN for an interval "
     "with no rate (see lanwatch_sample_discontinuities_total)."},
    {"lanwatch_link_utilization_ratio", MetricType::Gauge,
     "Throughput as a ratio of the link's capacity; NaN for an interval with no rate."},
    {"lanwatch_link_errors_per_second", MetricType::Gauge,
     "Inbound plus outbound errors per second; NaN for an interval with no rate."},
    {"lanwatch_link_accounting_mismatch_ratio", MetricType::Gauge,
     "|capture bytes - SNMP bytes| / SNMP bytes over the last poll interval."},
    {"lanwatch_capture_up", MetricType::Gauge,
     "1 if the capture's interface is open and being read."},
    {"lanwatch_capture_error_info", MetricType::Gauge,
     "Why the capture is down (the error label); present only while it is."},
    {"lanwatch_capture_receive_bytes_total", MetricType::Counter,
     "Bytes on the wire toward local networks."},
    {"lanwatch_capture_transmit_bytes_total", MetricType::Counter,
     "Bytes on the wire from local networks."},
    {"lanwatch_capture_packets_total", MetricType::Counter, "Packets seen, by direction."},
    {"lanwatch_capture_ip_version_bytes_total", MetricType::Counter,
     "Bytes by IP version (none: not IP)."},
    {"lanwatch_capture_transport_bytes_total", MetricType::Counter,
     "IP bytes by transport protocol."},
    {"lanwatch_capture_drops_total", MetricType::Counter, "Packets the capture lost (pcap_stats)."},
    {"lanwatch_capture_throughput_bits_per_second", MetricType::Gauge,
     "Throughput over the last capture interval."},
    {"lanwatch_capture_top_host_bytes", MetricType::Gauge,
     "Bytes of the busiest local hosts, last interval."},
    {"lanwatch_capture_top_conversation_bytes", MetricType::Gauge,
     "Bytes of the busiest address pairs, last interval."},
};

}  // namespace lanwatch::metric_families
