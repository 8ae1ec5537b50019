#include "exporters/status_collector.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/network_state.h"
#include "exporters/check_report.h"

namespace lanwatch {
namespace {

NetworkStatus SampleStatus() {
  NetworkStatus s;
  s.site = "bureau";
  DeviceStatus d;
  d.name = "sw";
  d.role = "switch";
  d.polled = d.up = true;
  d.uptime_seconds = 12.5;
  d.snmp_errors["timeout"] = 3;
  for (uint32_t i : {1u, 2u}) {
    InterfaceStatus iface;
    iface.index = i;
    iface.name = "Gi0/1";  // agents do repeat names: series must still be unique
    iface.oper_up = i == 1;
    iface.counter_bits = 64;
    iface.receive_bytes_total = 1'000'000'000'000ULL * i;
    d.interfaces.push_back(iface);
  }
  s.devices.push_back(d);
  DeviceStatus dead;
  dead.name = "router";
  dead.role = "router";
  dead.polled = true;
  dead.error = "no reply (timeout)";
  s.devices.push_back(dead);
  LinkStatus l;
  l.name = "uplink";
  l.kind = "uplink";
  l.device = "router";
  l.interface = "wan0";
  l.severity = Severity::kCritical;
  l.problems = {"router unreachable: no reply (timeout)"};
  s.links.push_back(l);
  return s;
}

std::string Exposition(const NetworkStatus& s) {
  return prometheus::TextSerializer().Serialize(BuildMetricFamilies(s, "1.2.3"));
}

TEST(StatusCollector, ExposesDevicesInterfacesAndLinks) {
  std::string text = Exposition(SampleStatus());
  EXPECT_NE(text.find("lanwatch_build_info{version=\"1.2.3\"} 1"), std::string::npos);
  EXPECT_NE(text.find("lanwatch_device_up{device=\"sw\",role=\"switch\"} 1"), std::string::npos);
  EXPECT_NE(text.find("lanwatch_device_up{device=\"router\",role=\"router\"} 0"),
            std::string::npos);
  EXPECT_NE(text.find("lanwatch_snmp_errors_total{device=\"sw\",reason=\"timeout\"} 3"),
            std::string::npos);
  EXPECT_NE(text.find("lanwatch_interface_up{device=\"sw\",interface=\"Gi0/1#1\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("lanwatch_interface_up{device=\"sw\",interface=\"Gi0/1#2\"} 0"),
            std::string::npos);
  // Large counters are printed in full, not in exponent form.
  EXPECT_NE(text.find("interface=\"Gi0/1#2\"} 2000000000000\n"), std::string::npos) << text;
  // By urgency, so that max() over links picks the worst: critical is 3, unknown 1.
  EXPECT_NE(text.find("lanwatch_link_severity{link=\"uplink\"} 3"), std::string::npos);
  // An unreachable device exports no stale interface or uptime series.
  EXPECT_EQ(text.find("lanwatch_device_uptime_seconds{device=\"router\""), std::string::npos);
}

TEST(StatusCollector, DevicesPublishedMidRoundReplaceTheSnapshotsAndFreeItsInterfaces) {
  StatusCollector collector("1.2.3");
  collector.PublishDevices(SampleStatus().devices);
  EXPECT_FALSE(collector.has_status()) << "before the first round there is nothing to replace";

  collector.Publish(SampleStatus());
  std::weak_ptr<const NetworkStatus> published = collector.latest();
  SharedItems<DeviceStatus> devices = collector.latest()->devices;
  devices[0].interfaces[0].receive_bytes_total = 42;  // this poll's: a buffer of its own
  devices[1].up = true;
  collector.PublishDevices(std::move(devices));

  EXPECT_TRUE(published.expired()) << "the replaced snapshot, and the interfaces only it held, "
                                      "are let go at once";
  const std::shared_ptr<const NetworkStatus> now = collector.latest();
  EXPECT_EQ(now->devices[0].interfaces[0].receive_bytes_total, 42u);
  ASSERT_EQ(now->links.size(), 1u) << "links stay as the last round judged them";
  EXPECT_EQ(now->links[0].severity, Severity::kCritical);
  EXPECT_FALSE(now->devices[1].up) << "the uplink's router stays as that round showed it too: "
                                      "its ports and its links are of one poll";
  EXPECT_EQ(now->site, "bureau");
  StringSink sink;
  collector.WriteMetrics(sink);
  EXPECT_NE(sink.text().find("lanwatch_device_up{device=\"router\",role=\"router\"} 0"),
            std::string::npos);
}

TEST(StatusCollector, EveryFamilyIsPresentBeforeTheFirstRound) {
  StatusCollector collector("1.2.3");
  EXPECT_FALSE(collector.has_status());
  std::string text = prometheus::TextSerializer().Serialize(collector.Collect());
  for (const char* family :
       {"lanwatch_build_info", "lanwatch_snmp_errors_total",
        "lanwatch_sample_discontinuities_total", "lanwatch_interface_state_changes_total",
        "lanwatch_link_severity", "lanwatch_capture_drops_total", "lanwatch_uplink_verdict",
        "lanwatch_probe_loss_ratio", "lanwatch_probe_rtt_seconds", "lanwatch_probe_mode_info",
        "lanwatch_service_up", "lanwatch_service_cert_expiry_timestamp_seconds"}) {
    EXPECT_NE(text.find(fmt::format("# HELP {} ", family)), std::string::npos) << family;
    EXPECT_NE(text.find(fmt::format("# TYPE {} ", family)), std::string::npos) << family;
  }
}

TEST(StatusCollector, ErrorCountersStartAtZeroForEveryKnownReason) {
  NetworkState state;
  Config config;
  DeviceConfig device;
  device.name = "sw";
  config.devices.push_back(device);
  SnmpResult timed_out;
  timed_out.failure_reason = snmp_error::kTimeout;
  state.Apply(DevicePoll{&config.devices.front(), timed_out, std::nullopt, {}},
              std::chrono::system_clock::now());
  std::string text = Exposition(state.Snapshot(config));
  EXPECT_NE(text.find("lanwatch_snmp_errors_total{device=\"sw\",reason=\"auth\"} 0"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("lanwatch_sample_discontinuities_total{device=\"sw\",reason=\"agent_restart\"} 0"),
      std::string::npos);
}

// The lines of `family` in a scrape, in the order written.
std::vector<std::string> FamilyLines(const std::string& text, const std::string& family) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(family + "{")) lines.push_back(line);
  }
  return lines;
}

// Device by device in config order (a device never polled too), every known reason in
// reason order, at 0 until it happens: on both ways a scrape is written.
TEST(StatusCollector, ReasonFamiliesGoDeviceByDeviceThenReasonByReason) {
  NetworkState state;
  Config config;
  for (const char* name : {"sw", "ap", "router"}) {
    DeviceConfig device;
    device.name = name;
    config.devices.push_back(device);
  }
  SnmpResult timed_out;
  timed_out.failure_reason = snmp_error::kTimeout;
  timed_out.errors[snmp_error::kTimeout] = 2;
  timed_out.errors[snmp_error::kAuth] = 1;
  for (size_t k : {0u, 2u}) {
    state.Apply(DevicePoll{&config.devices[k], timed_out, std::nullopt, {}},
                std::chrono::system_clock::now());
  }
  const NetworkStatus status = state.Snapshot(config);
  std::vector<std::string> reasons(std::begin(snmp_error::kAllReasons),
                                   std::end(snmp_error::kAllReasons));
  std::sort(reasons.begin(), reasons.end());
  std::vector<std::string> want;
  for (const char* device : {"sw", "ap", "router"}) {
    for (const std::string& reason : reasons) {
      const bool polled = std::string(device) != "ap";
      const int count = !polled ? 0 : reason == "timeout" ? 2 : reason == "auth" ? 1 : 0;
      want.push_back(fmt::format("lanwatch_snmp_errors_total{{device=\"{}\",reason=\"{}\"}} {}",
                                 device, reason, count));
    }
  }
  EXPECT_EQ(FamilyLines(Exposition(status), "lanwatch_snmp_errors_total"), want);
  StringSink streamed;
  WriteMetricText(status, "1.2.3", streamed);
  EXPECT_EQ(FamilyLines(streamed.text(), "lanwatch_snmp_errors_total"), want);
  EXPECT_EQ(FamilyLines(streamed.text(), "lanwatch_sample_discontinuities_total").size(),
            3 * std::size(discontinuity::kAllReasons));
}

TEST(StatusCollector, ALinkWithoutARateKeepsItsSeriesAsNaN) {
  NetworkStatus s;
  LinkStatus l;
  l.name = "datong";
  l.found = l.up = true;
  l.capacity_bps = 100e6;
  l.severity = Severity::kUnknown;
  s.links.push_back(l);
  std::string text = Exposition(s);
  EXPECT_NE(
      text.find("lanwatch_link_throughput_bits_per_second{link=\"datong\",direction=\"in\"} Nan"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("lanwatch_link_utilization_ratio{link=\"datong\",direction=\"out\"} Nan"),
            std::string::npos);
  EXPECT_NE(text.find("lanwatch_link_severity{link=\"datong\"} 1"), std::string::npos);
}

TEST(StatusCollector, ExportsEachLinksOwnThresholds) {
  NetworkStatus s;
  LinkStatus unit;
  unit.name = "datong";
  unit.peer = "127.0.0.9";
  unit.thresholds.utilization_warning = 0.6;  // the link's own, not the defaults
  unit.thresholds.errors_critical = 2.5;
  unit.thresholds.far_end_rtt_critical = 0.25;
  s.links.push_back(unit);
  LinkStatus unprobed;
  unprobed.name = "lab";
  s.links.push_back(unprobed);
  std::string text = Exposition(s);
  for (const std::string& line :
       {std::string(R"(lanwatch_link_threshold{link="datong",measure="utilization",)"
                    R"(level="warning"} 0.6)"),
        std::string(R"(lanwatch_link_threshold{link="datong",measure="utilization",)"
                    R"(level="critical"} 0.95)"),
        std::string(R"(lanwatch_link_threshold{link="datong",measure="errors",)"
                    R"(level="critical"} 2.5)"),
        std::string(R"(lanwatch_link_threshold{link="datong",measure="discards",)"
                    R"(level="warning"} 1)"),
        std::string(R"(lanwatch_link_threshold{link="datong",measure="fiber_drop_db",)"
                    R"(level="warning"} 3)"),
        std::string(R"(lanwatch_link_threshold{link="datong",measure="far_end_loss",)"
                    R"(level="critical"} 0.2)"),
        std::string(R"(lanwatch_link_threshold{link="datong",measure="far_end_rtt_seconds",)"
                    R"(level="critical"} 0.25)"),
        std::string(R"(lanwatch_link_threshold{link="lab",measure="utilization",)"
                    R"(level="critical"} 0.95)")}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  // A link without a peer has no far end to judge: no far-end threshold series.
  EXPECT_EQ(text.find(R"(lanwatch_link_threshold{link="lab",measure="far_end_loss")"),
            std::string::npos)
      << text;
}

TEST(StatusCollector, TopologyInfoNamesTheParentEvenWhileTheDeviceIsDown) {
  NetworkStatus s;
  DeviceStatus core;
  core.name = "core";
  core.role = "switch";
  s.devices.push_back(core);  // never polled: the join must work before the first answer
  DeviceStatus router;
  router.name = "router";
  router.role = "router";
  router.parent = "core";
  router.polled = true;  // and while it does not answer
  s.devices.push_back(router);
  std::string text = Exposition(s);
  EXPECT_NE(text.find(R"(lanwatch_device_topology_info{device="router",role="router",)"
                      R"(parent="core"} 1)"),
            std::string::npos)
      << text;
  // The root has no parent label at all (an empty one is the same to Prometheus).
  EXPECT_NE(text.find(R"(lanwatch_device_topology_info{device="core",role="switch"} 1)"),
            std::string::npos)
      << text;
}

TEST(StatusCollector, ServiceInfoNamesTheDeviceItsAlertsGroupUnder) {
  NetworkStatus s;
  ServiceStatus web;
  web.name = "web";
  web.device = "server";
  s.services.push_back(web);
  ServiceStatus oa;  // serves from no configured device: grouped under "services"
  oa.name = "oa";
  s.services.push_back(oa);
  std::string text = Exposition(s);
  EXPECT_NE(text.find(R"(lanwatch_service_info{service="web",device="server"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(lanwatch_service_info{service="oa",device="services"} 1)"),
            std::string::npos)
      << text;
}

TEST(StatusCollector, ExposesEveryOpticalLevelAndTheFiberVerdict) {
  NetworkStatus s = SampleStatus();
  DeviceStatus& sw = s.devices[0];
  sw.interfaces[1].name = "Gi0/2";
  Transceiver t;
  t.if_index = 2;
  t.source = "ENTITY-SENSOR-MIB";
  t.units = "dBm (scaled)";
  t.serial = "SN1";
  t.vendor = "光迅";  // UTF-8 stays as it is
  t.lanes.push_back({1, kNoLightDbm, -5.2, true, 6.1});
  t.temperature_celsius = 41.5;
  t.rx_limits.low_warning = -18;
  t.rx_sensitivity_dbm = -19;
  Transceiver unmatched;
  unmatched.sensor = "slot 3";
  unmatched.lanes.push_back({1, -3.0, std::nullopt, false, std::nullopt});
  sw.optics.transceivers = {t, unmatched};
  sw.optics.read_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  s.links[0].fiber.state = FiberState::kNoLight;
  s.links[0].fiber.baseline_dbm = -5.0;
  std::string text = Exposition(s);
  const std::string port = R"(device="sw",interface="Gi0/2",lane="1")";
  for (const std::string& line :
       {"lanwatch_optical_rx_power_dbm{" + port + "} -40",
        "lanwatch_optical_rx_no_light{" + port + "} 1",
        "lanwatch_optical_tx_power_dbm{" + port + "} -5.2",
        "lanwatch_optical_bias_milliamps{" + port + "} 6.1",
        std::string(R"(lanwatch_optical_temperature_celsius{device="sw",interface="Gi0/2"} 41.5)"),
        std::string(R"(lanwatch_optical_threshold{device="sw",interface="Gi0/2",)"
                    R"(measure="rx_power_dbm",level="low_warning"} -18)"),
        std::string(R"(lanwatch_optical_rx_margin_db{device="sw",interface="Gi0/2"} -21)"),
        std::string(R"(lanwatch_optical_module_info{device="sw",interface="Gi0/2",vendor="光迅",)"
                    R"x(serial="SN1",part="",source="ENTITY-SENSOR-MIB",units="dBm (scaled)"} 1)x"),
        std::string(R"(lanwatch_optical_rx_power_dbm{device="sw",interface="slot 3",lane="1"} -3)"),
        std::string(R"(lanwatch_optics_last_read_timestamp_seconds{device="sw"} 1800000000)"),
        std::string(R"(lanwatch_link_fiber_state{link="uplink",state="no_light"} 1)"),
        std::string(R"(lanwatch_link_fiber_state{link="uplink",state="ok"} 0)"),
        std::string(R"(lanwatch_link_fiber_baseline_dbm{link="uplink"} -5)")}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

TEST(CheckReport, NagiosLineNamesTheProblemAndCarriesPerfdata) {
  std::string text = RenderNagiosReport(SampleStatus(), Severity::kCritical);
  std::string first = text.substr(0, text.find('\n'));
  EXPECT_TRUE(first.starts_with("LANWATCH CRITICAL - device router unreachable")) << first;
  EXPECT_NE(first.find(" | 'sw_up'=1;;;0;1 'router_up'=0;;;0;1"), std::string::npos) << first;
  EXPECT_NE(text.find("DEVICE"), std::string::npos);
  EXPECT_NE(text.find("LINK"), std::string::npos);
}

TEST(CheckReport, JsonCarriesStatusAndExitCode) {
  std::string json = RenderJsonReport(SampleStatus(), Severity::kCritical);
  EXPECT_NE(json.find("\"status\": \"CRITICAL\""), std::string::npos);
  EXPECT_NE(json.find("\"exit_code\": 2"), std::string::npos);
}

TEST(CheckReport, JsonSaysNullForWhatItDoesNotKnow) {
  NetworkStatus status = SampleStatus();
  status.taken_at = std::chrono::system_clock::from_time_t(1'800'000'000);
  status.sample_interval = std::chrono::milliseconds(2000);
  auto json = nlohmann::json::parse(RenderJsonReport(status, Severity::kCritical));
  EXPECT_EQ(json["checked_at"], "2027-01-15T08:00:00Z");
  EXPECT_EQ(json["sample_interval_seconds"], 2.0);
  const auto& router = json["devices"][1];
  EXPECT_EQ(router["name"], "router");
  EXPECT_TRUE(router["uptime_seconds"].is_null());
  EXPECT_TRUE(router["sys_name"].is_null());
  EXPECT_TRUE(router["interfaces"].is_null());
  const auto& uplink = json["links"][0];
  EXPECT_TRUE(uplink["capacity_bps"].is_null());
  EXPECT_TRUE(uplink["speed_bps"].is_null());
  EXPECT_TRUE(uplink["up"].is_null());
  EXPECT_EQ(uplink["thresholds"]["utilization_critical"], 0.95);
  EXPECT_EQ(json["devices"][0]["uptime_seconds"], 12.5);
}

}  // namespace
}  // namespace lanwatch
