#include "daemon/network_state.h"

#include <gtest/gtest.h>

namespace lanwatch {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kTicksPerSecond = 100;

// Drives NetworkState with hand-made samples of one device, as successive polls would.
class NetworkStateTest : public ::testing::Test {
 protected:
  NetworkStateTest() {
    device_.name = "sw";
    device_.role = DeviceRole::kSwitch;
    device_.address = "198.18.1.2";
    config_.devices.push_back(device_);
    LinkConfig link;
    link.name = "panji";
    link.kind = LinkKind::kSubordinate;
    link.device = "sw";
    link.interface = {InterfaceKey::kName, "Gi0/1"};
    link.capacity_bps = 100e6;
    config_.links.push_back(link);
  }

  static InterfaceSample Port(uint32_t index, std::string name, uint64_t in, uint64_t out,
                              int bits = 64, uint64_t speed = 1'000'000'000) {
    InterfaceSample s;
    s.index = index;
    s.name = s.description = std::move(name);
    s.admin_up = true;
    s.oper_status = 1;
    s.speed_bps = speed;
    s.in_octets = in;
    s.out_octets = out;
    s.counter_bits = bits;
    s.in_errors = s.out_errors = s.in_discards = s.out_discards = 0;
    return s;
  }

  // Polls at `at` seconds after the start, the agent reporting `uptime` ticks.
  void Poll(double at, uint32_t uptime, const std::vector<InterfaceSample>& ports) {
    DeviceSample sample;
    sample.taken_at =
        start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at));
    sample.system.uptime_ticks = uptime;
    sample.system.engine_boots = boots_;
    for (auto& p : ports) sample.interfaces[p.index] = p;
    SnmpResult result;
    state_.Apply(device_, result, sample);
  }

  const DeviceStatus& Device() {
    status_ = state_.Snapshot(config_);
    return status_.devices.front();
  }
  const InterfaceStatus& Interface(uint32_t index) {
    for (const auto& i : Device().interfaces) {
      if (i.index == index) return i;
    }
    throw std::runtime_error("no such interface");
  }
  uint64_t Discontinuities(const std::string& reason) {
    auto& d = Device().discontinuities;
    auto it = d.find(reason);
    return it == d.end() ? 0 : it->second;
  }

  Config config_;
  DeviceConfig device_;
  NetworkState state_;
  NetworkStatus status_;
  Clock::time_point start_ = Clock::now();
  std::optional<uint32_t> boots_ = 1;
};

TEST_F(NetworkStateTest, RatesFromSuccessivePolls) {
  Poll(0, 1000, {Port(1, "Gi0/1", 0, 0)});
  EXPECT_FALSE(Interface(1).receive_bps);  // one sample gives no rate
  Poll(30, 1000 + 30 * kTicksPerSecond, {Port(1, "Gi0/1", 37'500'000, 3'750'000)});
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 10e6);
  EXPECT_DOUBLE_EQ(*Interface(1).transmit_bps, 1e6);
  EXPECT_EQ(Interface(1).receive_bytes_total, 37'500'000u);
  const LinkStatus& link = status_.links.front();
  EXPECT_DOUBLE_EQ(*link.in_utilization, 0.1);  // against the 100 Mbit/s contract, not 1G port
  EXPECT_EQ(link.severity, Severity::kOk);
}

TEST_F(NetworkStateTest, AgentRestartGivesNoRateAndCountsADiscontinuity) {
  Poll(0, 500'000, {Port(1, "Gi0/1", 9'000'000'000, 0)});
  Poll(30, 500'000 + 3000, {Port(1, "Gi0/1", 9'100'000'000, 0)});
  uint64_t total = Interface(1).receive_bytes_total;
  // The agent restarted: sysUpTime is small again, counters restarted from near zero.
  Poll(60, 1500, {Port(1, "Gi0/1", 5'000, 0)});
  EXPECT_FALSE(Interface(1).receive_bps);
  EXPECT_EQ(Interface(1).receive_bytes_total, total);  // monotonic, no jump either way
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 1u);
  Poll(90, 4500, {Port(1, "Gi0/1", 3'755'000, 0)});
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 1e6);
  EXPECT_EQ(Interface(1).receive_bytes_total, total + 3'750'000);
}

TEST_F(NetworkStateTest, SysUpTimeWrapAfter497DaysIsNotARestart) {
  const uint32_t near_wrap = 4'294'967'295u - 1000;  // 10 s before the wrap
  Poll(0, near_wrap, {Port(1, "Gi0/1", 1000, 0)});
  Poll(30, 2000, {Port(1, "Gi0/1", 1000 + 30 * 125'000, 0)});  // wrapped 20 s ago
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 0u);
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 1e6);
}

TEST_F(NetworkStateTest, UptimeAboveTwoToThe31IsFine) {
  Poll(0, 3'000'000'000u, {Port(1, "Gi0/1", 0, 0)});
  Poll(30, 3'000'003'000u, {Port(1, "Gi0/1", uint64_t{125'000} * 30, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 0u);
  EXPECT_NEAR(Device().uptime_seconds, 30'000'030, 1e-6);
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 1e6);
}

TEST_F(NetworkStateTest, EngineBootsChangeIsADiscontinuity) {
  Poll(0, 1000, {Port(1, "Gi0/1", 0, 0)});
  boots_ = 2;
  Poll(30, 4000, {Port(1, "Gi0/1", 500, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kEngineBoots), 1u);
  EXPECT_FALSE(Interface(1).receive_bps);
}

TEST_F(NetworkStateTest, RenumberedIfIndexStartsThatPortOver) {
  Poll(0, 1000, {Port(1, "Gi0/1", 1000, 0), Port(2, "Gi0/2", 5000, 0)});
  Poll(30, 4000, {Port(1, "Gi0/1", 2000, 0), Port(2, "Gi0/2", 6000, 0)});
  // After a line-card change, index 2 is now another port with its own counters.
  Poll(60, 7000, {Port(1, "Gi0/1", 3000, 0), Port(2, "Gi1/1", 10, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kInterfaceChanged), 1u);
  EXPECT_EQ(Interface(2).name, "Gi1/1");
  EXPECT_EQ(Interface(2).receive_bytes_total, 0u);
  EXPECT_FALSE(Interface(2).receive_bps);
  EXPECT_TRUE(Interface(1).receive_bps);  // the other port is untouched
}

TEST_F(NetworkStateTest, Counter32OnlyDeviceWrapsCleanly) {
  const uint64_t speed = 100'000'000;
  Poll(0, 1000, {Port(1, "Gi0/1", 4'294'000'000u, 0, 32, speed)});
  Poll(30, 4000, {Port(1, "Gi0/1", (4'294'000'000u + 300'000'000u) % (1ULL << 32), 0, 32, speed)});
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 300e6 * 8 / 30);
  EXPECT_EQ(Interface(1).receive_bytes_total, 300'000'000u);
  EXPECT_EQ(Interface(1).counter_bits, 32);
}

TEST_F(NetworkStateTest, CounterDiscontinuityTimeChangeResetsOnlyThatPort) {
  auto port = Port(1, "Gi0/1", 1000, 0);
  port.counter_discontinuity_ticks = 0;
  Poll(0, 1000, {port});
  port.in_octets = 2000;
  port.counter_discontinuity_ticks = 3500;  // counters were cleared on the device
  Poll(30, 4000, {port});
  EXPECT_EQ(Discontinuities(discontinuity::kCounterDiscontinuityTime), 1u);
  EXPECT_FALSE(Interface(1).receive_bps);
}

TEST_F(NetworkStateTest, ImpossibleRateIsADiscontinuityNotASpike) {
  const uint64_t speed = 10'000'000;
  Poll(0, 1000, {Port(1, "Gi0/1", 100, 0, 32, speed)});
  Poll(30, 4000, {Port(1, "Gi0/1", 4'000'000'000u, 0, 32, speed)});
  EXPECT_FALSE(Interface(1).receive_bps);
  EXPECT_EQ(Discontinuities(discontinuity::kRateExceedsSpeed), 1u);
  EXPECT_EQ(Interface(1).receive_bytes_total, 0u);
}

TEST_F(NetworkStateTest, LinkDownAndSaturationSeverities) {
  Poll(0, 1000, {Port(1, "Gi0/1", 0, 0)});
  Poll(10, 2000, {Port(1, "Gi0/1", 12'000'000, 0)});  // 9.6 Mbit/s of 100: fine
  EXPECT_EQ(state_.Snapshot(config_).links[0].severity, Severity::kOk);
  Poll(20, 3000, {Port(1, "Gi0/1", 12'000'000 + 120'000'000, 0)});  // 96 Mbit/s: critical
  EXPECT_EQ(state_.Snapshot(config_).links[0].severity, Severity::kCritical);
  auto down = Port(1, "Gi0/1", 132'000'000, 0);
  down.oper_status = 2;
  Poll(30, 4000, {down});
  LinkStatus link = state_.Snapshot(config_).links[0];
  EXPECT_EQ(link.severity, Severity::kCritical);
  ASSERT_FALSE(link.problems.empty());
  EXPECT_EQ(link.problems[0], "Gi0/1 is down");
}

TEST_F(NetworkStateTest, FailedPollMarksDeviceDownAndLinksCritical) {
  SnmpResult failed;
  failed.failure_reason = snmp_error::kTimeout;
  failed.failure_message = "no reply (timeout)";
  failed.errors[snmp_error::kTimeout] = 1;
  state_.Apply(device_, failed, std::nullopt);
  NetworkStatus s = state_.Snapshot(config_);
  EXPECT_FALSE(s.devices[0].up);
  EXPECT_EQ(s.devices[0].snmp_errors.at("timeout"), 1u);
  EXPECT_EQ(s.links[0].severity, Severity::kCritical);
}

}  // namespace
}  // namespace lanwatch
