#include "exporters/packet_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "exporters/status_collector.h"

namespace lanwatch {
namespace {

std::string Exposition(const NetworkStatus& status) {
  return prometheus::TextSerializer().Serialize(BuildMetricFamilies(status, "test"));
}

TEST(PacketMetrics, BothFamiliesArePresentBeforeAnyCounter) {
  std::string text = Exposition(NetworkStatus{});
  EXPECT_NE(text.find("# TYPE lanwatch_link_receive_packets_total counter"), std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE lanwatch_link_transmit_packets_total counter"), std::string::npos);
  EXPECT_NE(text.find("# HELP lanwatch_link_receive_packets_total "), std::string::npos);
}

TEST(PacketMetrics, ASeriesPerLinkAndCastTheAgentCounts) {
  NetworkStatus status;
  LinkStatus uplink;
  uplink.name = "uplink";
  uplink.found = true;
  uplink.packets.receive = {1200, 30, 5};
  uplink.packets.transmit = {800, std::nullopt, 0};
  LinkStatus blind;  // a 32-bit switch's port: no HC packet counters
  blind.name = "datong";
  blind.found = true;
  status.links = {uplink, blind};
  std::string text = Exposition(status);
  EXPECT_NE(text.find("lanwatch_link_receive_packets_total{link=\"uplink\",cast=\"unicast\"} 1200"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lanwatch_link_receive_packets_total{link=\"uplink\",cast=\"multicast\"} 30"),
            std::string::npos);
  EXPECT_NE(text.find("lanwatch_link_receive_packets_total{link=\"uplink\",cast=\"broadcast\"} 5"),
            std::string::npos);
  EXPECT_NE(text.find("lanwatch_link_transmit_packets_total{link=\"uplink\",cast=\"broadcast\"} 0"),
            std::string::npos);
  EXPECT_EQ(text.find("lanwatch_link_transmit_packets_total{link=\"uplink\",cast=\"multicast\"}"),
            std::string::npos)
      << "no counter, no series (not a made-up 0)";
  EXPECT_EQ(text.find("packets_total{link=\"datong\""), std::string::npos);
}

}  // namespace
}  // namespace lanwatch
