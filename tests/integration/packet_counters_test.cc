// HC packet counters against snmpsimd: the router's recording moves its unicast, multicast
// and broadcast counters at known rates (tests/agents/make_recordings.py); lanwatchd GETs
// them for the configured links' ports only, and the totals it exports grow at those rates.
// The 32-bit switch has no ifXTable: its link gets no packet series, and no error.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::FindValue;
using testing::HttpGet;
using testing::ParseExposition;

// The router's wan0 in the recording: bytes and packets a second.
constexpr double kWanInBytes = 750'000, kWanOutBytes = 250'000;
struct CastRate {
  const char* name;
  double in, out;  // packets a second
};
constexpr CastRate kWanPackets[] = {
    {"unicast", 600, 250}, {"multicast", 12, 2}, {"broadcast", 3, 1}};

TEST(PacketCounters, TotalsGrowAtTheAgentsRatesForConfiguredLinksOnly) {
  testing::OwnRecordingsAgent sim;
  testing::TempDir dir;
  std::string config = dir.Write("lanwatch.yaml", fmt::format(R"(site: test bureau
poll_interval: 2s
snmp: {{timeout: 1s, retries: 1}}
devices:
  - {{name: router, role: router, address: 127.0.0.1, snmp: {{community: router_hc, port: {0}}}}}
  - {{name: core-switch, role: switch, address: 127.0.0.1, snmp: {{community: switch48_c32, port: {0}}}}}
links:
  - {{name: uplink, kind: uplink, device: router, interface: wan0, capacity: 10Mbit}}
  - {{name: datong, kind: subordinate, device: core-switch, interface: {{index: 1}}}}
)",
                                                              sim.port()));
  int port = testing::FreeTcpPort();
  auto daemon = testing::ChildProcess::Start(
      {testing::LanwatchdBinary(), "-c", config, "--listen", fmt::format("127.0.0.1:{}", port)},
      dir.path() + "/lanwatchd.log");
  ASSERT_TRUE(testing::WaitUntil(10s, [&] { return HttpGet(port, "/-/ready").first == 200; }))
      << testing::ReadFile(dir.path() + "/lanwatchd.log");
  auto scrape = [&] { return ParseExposition(HttpGet(port, "/metrics").second); };
  auto total = [](const std::vector<testing::MetricSample>& m, const char* family,
                  const char* cast) {
    return FindValue(m, family, {{"link", "uplink"}, {"cast", cast}});
  };
  ASSERT_TRUE(testing::WaitUntil(10s, [&] {
    return total(scrape(), "lanwatch_link_receive_packets_total", "unicast").has_value();
  })) << testing::ReadFile(dir.path() + "/lanwatchd.log");
  auto first = scrape();
  std::this_thread::sleep_for(10s);
  auto last = scrape();
  // Packets and bytes are counted over the same polls: their growth in proportion gives the
  // packet rate without depending on when the scrapes fell between polls.
  auto bytes = [](const std::vector<testing::MetricSample>& m, const char* family) {
    return FindValue(m, family, {{"device", "router"}, {"interface", "wan0"}}).value_or(0);
  };
  const double bytes_in = bytes(last, "lanwatch_interface_receive_bytes_total") -
                          bytes(first, "lanwatch_interface_receive_bytes_total");
  const double bytes_out = bytes(last, "lanwatch_interface_transmit_bytes_total") -
                           bytes(first, "lanwatch_interface_transmit_bytes_total");
  ASSERT_GT(bytes_in, 3 * 2 * kWanInBytes) << "at least three polls between the scrapes";
  const double seconds_in = bytes_in / kWanInBytes, seconds_out = bytes_out / kWanOutBytes;
  for (const CastRate& c : kWanPackets) {
    for (const auto& [family, rate, seconds] :
         {std::tuple{"lanwatch_link_receive_packets_total", c.in, seconds_in},
          std::tuple{"lanwatch_link_transmit_packets_total", c.out, seconds_out}}) {
      auto before = total(first, family, c.name), after = total(last, family, c.name);
      ASSERT_TRUE(before && after) << family << " " << c.name;
      const double measured = (*after - *before) / seconds;
      // Whole packets over ~10 s: a broadcast rate of 1/s is within a packet or two.
      EXPECT_NEAR(measured, rate, std::max(rate * 0.03, 2.5 / seconds)) << family << " " << c.name;
      RecordProperty(fmt::format("{}_{}", family, c.name), fmt::format("{:.2f}/s", measured));
    }
  }
  // The switch without ifXTable: no packet series for its link, and not one error for it.
  for (const char* family :
       {"lanwatch_link_receive_packets_total", "lanwatch_link_transmit_packets_total"}) {
    for (const char* cast : {"unicast", "multicast", "broadcast"}) {
      EXPECT_FALSE(FindValue(last, family, {{"link", "datong"}, {"cast", cast}})) << family;
    }
  }
  for (const testing::MetricSample& s : last) {
    if (s.name == "lanwatch_snmp_errors_total") {
      EXPECT_EQ(s.value, 0) << s.labels.at("device") << " " << s.labels.at("reason");
    }
    if (s.name == "lanwatch_sample_discontinuities_total") {
      EXPECT_EQ(s.value, 0) << s.labels.at("device") << " " << s.labels.at("reason");
    }
  }
  EXPECT_EQ(FindValue(last, "lanwatch_device_up", {{"device", "core-switch"}}), 1);
  EXPECT_EQ(testing::PromtoolProblems(HttpGet(port, "/metrics").second),
            std::vector<std::string>{});
}

}  // namespace
}  // namespace lanwatch
