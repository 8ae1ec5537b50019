// HC packet counters through NetworkState: monotonic totals like the bytes (same trackers,
// same discontinuity rules), present only where the agent gave them, copied to the link.
#include <gtest/gtest.h>

#include "daemon/network_state.h"

namespace lanwatch {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kUnicast = static_cast<size_t>(Cast::kUnicast);
constexpr size_t kMulticast = static_cast<size_t>(Cast::kMulticast);
constexpr size_t kBroadcast = static_cast<size_t>(Cast::kBroadcast);

class PacketTotalsTest : public ::testing::Test {
 protected:
  PacketTotalsTest() {
    DeviceConfig device;
    device.name = "core-switch";
    device.role = DeviceRole::kSwitch;
    device.address = "198.18.1.2";
    config_.devices.push_back(device);
    LinkConfig link;
    link.name = "panji";
    link.kind = LinkKind::kSubordinate;
    link.device = "core-switch";
    link.interface = {InterfaceKey::kName, "Gi0/1"};
    config_.links.push_back(link);
  }

  // Port Gi0/1 (ifIndex 1), 100 Mbit/s, with unicast/multicast/broadcast counters as given
  // (nullopt: the agent has no such column).
  static InterfaceSample Port(std::optional<uint64_t> ucast, std::optional<uint64_t> mcast,
                              std::optional<uint64_t> bcast) {
    InterfaceSample s;
    s.index = 1;
    s.name = s.description = "Gi0/1";
    s.admin_up = true;
    s.oper_status = 1;
    s.speed_bps = 100'000'000;
    s.in_octets = s.out_octets = 0;
    s.counter_bits = 64;
    s.in_errors = s.out_errors = s.in_discards = s.out_discards = 0;
    s.hc_packets.in = {ucast, mcast, bcast};
    if (ucast) s.hc_packets.out[kUnicast] = *ucast / 2;
    return s;
  }

  void Poll(double at, uint32_t uptime_ticks, const InterfaceSample& port) {
    DeviceSample sample;
    sample.taken_at =
        start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at));
    sample.system.uptime_ticks = uptime_ticks;
    sample.interfaces[port.index] = port;
    DevicePoll poll{&config_.devices.front(), {}, sample, {}};
    state_.Apply(poll, std::chrono::system_clock::now());
    status_ = state_.Snapshot(config_);
  }
  const PacketTotals& Interface() {
    const DeviceStatus& device = status_.devices.front();
    return device.packets.at(device.interfaces.front().index);
  }
  const PacketTotals& Link() { return status_.links.front().packets; }
  uint64_t Discontinuities(const char* reason) {
    return status_.devices.front().discontinuities.value(reason);
  }

  Config config_;
  NetworkState state_;
  NetworkStatus status_;
  Clock::time_point start_ = Clock::now();
};

TEST_F(PacketTotalsTest, CountFromTheFirstReadingAndFollowTheCounters) {
  Poll(0, 1000, Port(7'000'000'000, 500, 20));
  EXPECT_EQ(Interface().receive[kUnicast], 0u) << "a baseline: counted from lanwatchd's start";
  Poll(10, 2000, Port(7'000'006'000, 620, 50));
  EXPECT_EQ(Interface().receive[kUnicast], 6000u);
  EXPECT_EQ(Interface().receive[kMulticast], 120u);
  EXPECT_EQ(Interface().receive[kBroadcast], 30u);
  EXPECT_EQ(Interface().transmit[kUnicast], 3000u);
  EXPECT_FALSE(Interface().transmit[kMulticast]) << "no such counter, no total";
  EXPECT_EQ(Link().receive[kUnicast], 6000u) << "the link carries its interface's totals";
  EXPECT_EQ(Link().transmit[kUnicast], 3000u);
}

TEST_F(PacketTotalsTest, AnAgentRestartNeitherLowersNorInflatesThem) {
  Poll(0, 500'000, Port(9'000'000, 100, 10));
  Poll(10, 501'000, Port(9'001'000, 110, 11));
  // The switch restarted: its clock and counters started over.
  Poll(20, 500, Port(300, 1, 0));
  EXPECT_EQ(Interface().receive[kUnicast], 1000u) << "monotonic, no jump either way";
  EXPECT_EQ(Interface().receive[kMulticast], 10u);
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 1u);
  Poll(30, 1500, Port(2300, 4, 2));
  EXPECT_EQ(Interface().receive[kUnicast], 3000u);
  EXPECT_EQ(Interface().receive[kMulticast], 13u);
  EXPECT_EQ(Interface().receive[kBroadcast], 3u);
}

TEST_F(PacketTotalsTest, ACounterThatWentBackIsAResetNeverAWrap) {
  Poll(0, 1000, Port(5'000'000, 0, 0));
  Poll(10, 2000, Port(5'001'000, 0, 0));
  // 64-bit: a decrease cannot be a wrap; the clock carried on, so the counter was reset.
  Poll(20, 3000, Port(100, 0, 0));
  EXPECT_EQ(Interface().receive[kUnicast], 1000u);
  EXPECT_EQ(Discontinuities(discontinuity::kCounterReset), 1u);
  Poll(30, 4000, Port(600, 0, 0));
  EXPECT_EQ(Interface().receive[kUnicast], 1500u);
}

TEST_F(PacketTotalsTest, MoreThanThePortCouldCarryIsADiscontinuity) {
  Poll(0, 1000, Port(0, 0, 0));
  // 100 Mbit/s carries at most ~149,000 minimum frames a second.
  Poll(10, 2000, Port(10'000'000, 0, 0));
  EXPECT_EQ(Interface().receive[kUnicast], 0u);
  EXPECT_EQ(Discontinuities(discontinuity::kRateExceedsSpeed), 1u);
}

TEST_F(PacketTotalsTest, ARoundWithoutThemKeepsTheTotalAndRestartsTheCount) {
  Poll(0, 1000, Port(1000, 0, 0));
  Poll(10, 2000, Port(2000, 0, 0));
  Poll(20, 3000, Port(std::nullopt, std::nullopt, std::nullopt));  // the GET timed out
  EXPECT_EQ(Interface().receive[kUnicast], 1000u) << "kept, not dropped";
  Poll(30, 4000, Port(9000, 0, 0));  // a baseline: 7000 packets over two rounds not guessed at
  EXPECT_EQ(Interface().receive[kUnicast], 1000u);
  Poll(40, 5000, Port(9500, 0, 0));
  EXPECT_EQ(Interface().receive[kUnicast], 1500u);
}

TEST_F(PacketTotalsTest, AnAgentWithoutTheColumnsHasNoTotals) {
  Poll(0, 1000, Port(std::nullopt, std::nullopt, std::nullopt));
  Poll(10, 2000, Port(std::nullopt, std::nullopt, std::nullopt));
  EXPECT_TRUE(status_.devices.front().packets.empty()) << "no counters, no totals to keep";
  for (size_t c : {kUnicast, kMulticast, kBroadcast}) {
    EXPECT_FALSE(Link().receive[c]);
    EXPECT_FALSE(Link().transmit[c]);
  }
}

}  // namespace
}  // namespace lanwatch
