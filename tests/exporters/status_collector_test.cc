#include "exporters/status_collector.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

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
  EXPECT_NE(text.find("lanwatch_link_severity{link=\"uplink\"} 2"), std::string::npos);
  // An unreachable device exports no stale interface or uptime series.
  EXPECT_EQ(text.find("lanwatch_device_uptime_seconds{device=\"router\""), std::string::npos);
}

TEST(StatusCollector, EmptyBeforeTheFirstRound) {
  StatusCollector collector("1.2.3");
  EXPECT_FALSE(collector.has_status());
  auto families = collector.Collect();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, "lanwatch_build_info");
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

}  // namespace
}  // namespace lanwatch
