#include "daemon/network_state.h"

#include <gtest/gtest.h>

#include "daemon/link_health.h"

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
  void Poll(double at, std::optional<uint32_t> uptime, const std::vector<InterfaceSample>& ports,
            bool complete = true) {
    DeviceSample sample;
    sample.taken_at = start_ + Seconds(at);
    sample.system.uptime_ticks = uptime;
    sample.system.hr_uptime_ticks = hr_uptime_;
    sample.system.engine_boots = boots_;
    for (const auto& p : ports) sample.interfaces[p.index] = p;
    sample.interfaces_complete = complete;
    DevicePoll poll{&config_.devices.front(), {}, sample, {}};
    state_.Apply(
        poll,
        wall_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(Seconds(at)));
  }
  static Clock::duration Seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
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
    return Device().discontinuities.value(reason);
  }

  Config config_;
  DeviceConfig device_;
  NetworkState state_;
  NetworkStatus status_;
  Clock::time_point start_ = Clock::now();
  std::chrono::system_clock::time_point wall_start_ =
      std::chrono::system_clock::from_time_t(1'800'000'000);
  std::optional<uint32_t> boots_ = 1;
  std::optional<uint32_t> hr_uptime_;
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
  EXPECT_NEAR(*Device().uptime_seconds, 30'000'030, 1e-6);
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
  state_.Apply(DevicePoll{&config_.devices.front(), failed, std::nullopt, {}},
               std::chrono::system_clock::now());
  NetworkStatus s = state_.Snapshot(config_);
  EXPECT_FALSE(s.devices[0].up);
  EXPECT_EQ(s.devices[0].snmp_errors.value("timeout"), 1u);
  EXPECT_EQ(s.links[0].severity, Severity::kCritical);
}

TEST_F(NetworkStateTest, AgentRestartOnAHostWhoseClockCarriesOnKeepsRatesAndCountsOnce) {
  // net-snmp on a Linux host: snmpd restarts (sysUpTime from 0), the kernel's counters and
  // hrSystemUptime carry on. One agent_restart, and the rate never vanishes.
  hr_uptime_ = 8'000'000;
  Poll(0, 500'000, {Port(1, "Gi0/1", 9'000'000'000, 0)});
  hr_uptime_ = 8'000'000 + 3000;
  Poll(30, 500'000 + 3000, {Port(1, "Gi0/1", 9'037'500'000, 0)});
  hr_uptime_ = 8'000'000 + 6000;
  Poll(60, 12, {Port(1, "Gi0/1", 9'075'000'000, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 1u);
  ASSERT_TRUE(Interface(1).receive_bps);
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 10e6);
  hr_uptime_ = 8'000'000 + 9000;
  Poll(90, 12 + 3000, {Port(1, "Gi0/1", 9'112'500'000, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 1u) << "counted once, not twice";
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 10e6);
}

TEST_F(NetworkStateTest, HostClockRestartIsADeviceReboot) {
  hr_uptime_ = 100'000;
  Poll(0, 500'000, {Port(1, "Gi0/1", 9'000'000'000, 0)});
  hr_uptime_ = 2000;  // the host itself booted 20 s ago
  Poll(30, 1000, {Port(1, "Gi0/1", 9'000'001'000, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kDeviceReboot), 1u);
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 0u);
  EXPECT_FALSE(Interface(1).receive_bps);
}

TEST_F(NetworkStateTest, RestartSoonAfterAPollIsSeenAfterALongGap) {
  // Polled at uptime 30 s, then not for an hour (the monitor was down); the agent restarted a
  // minute after that poll. Its uptime advanced 59 minutes in 60: a 10 % tolerance would
  // call that continuous.
  Poll(0, 3000, {Port(1, "Gi0/1", 1000, 0)});
  Poll(3600, (3600 - 60) * kTicksPerSecond, {Port(1, "Gi0/1", 2000, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 1u);
  EXPECT_FALSE(Interface(1).receive_bps);
}

TEST_F(NetworkStateTest, NoSysUpTimeUsesTheHostClock) {
  hr_uptime_ = 10'000;
  Poll(0, std::nullopt, {Port(1, "Gi0/1", 0, 0)});
  EXPECT_EQ(Device().restart_clock, "hrSystemUptime");
  EXPECT_FALSE(Device().uptime_seconds);
  hr_uptime_ = 13'000;
  Poll(30, std::nullopt, {Port(1, "Gi0/1", 3'750'000, 0)});
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 1e6);
  hr_uptime_ = 500;
  Poll(60, std::nullopt, {Port(1, "Gi0/1", 100, 0)});
  EXPECT_EQ(Discontinuities(discontinuity::kDeviceReboot), 1u);
}

TEST_F(NetworkStateTest, NoClockAtAllIsPolledAndConservative) {
  // A switch that answers without sysUpTime, hrSystemUptime or snmpEngineTime: it is up, its
  // rates are measured, but a Counter32 that goes back cannot be told from a reset: no rate.
  boots_.reset();
  const uint64_t speed = 100'000'000;
  Poll(0, std::nullopt, {Port(1, "Gi0/1", 4'294'000'000u, 0, 32, speed)});
  EXPECT_TRUE(Device().up);
  EXPECT_EQ(Device().restart_clock, "");
  Poll(30, std::nullopt, {Port(1, "Gi0/1", 4'294'900'000u, 0, 32, speed)});
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 900'000.0 * 8 / 30);
  Poll(60, std::nullopt, {Port(1, "Gi0/1", 10'000u, 0, 32, speed)});
  EXPECT_FALSE(Interface(1).receive_bps);
  EXPECT_EQ(Discontinuities(discontinuity::kCounterReset), 1u);
  EXPECT_EQ(state_.Snapshot(config_).links[0].severity, Severity::kUnknown);
}

TEST_F(NetworkStateTest, EngineTimeDetectsARestartWithoutSysUpTime) {
  auto poll = [&](double at, uint32_t engine_time, uint64_t in) {
    DeviceSample sample;
    sample.taken_at = start_ + Seconds(at);
    sample.system.engine_boots = 4;
    sample.system.engine_time_seconds = engine_time;
    sample.interfaces[1] = Port(1, "Gi0/1", in, 0);
    state_.Apply(DevicePoll{&config_.devices.front(), {}, sample, {}}, wall_start_);
  };
  poll(0, 1000, 0);
  poll(30, 1030, 3'750'000);
  EXPECT_DOUBLE_EQ(*Interface(1).receive_bps, 1e6);
  poll(60, 5, 100);
  EXPECT_EQ(Discontinuities(discontinuity::kAgentRestart), 1u);
  EXPECT_EQ(Device().restart_clock, "snmpEngineTime");
}

TEST_F(NetworkStateTest, ClearedErrorCountersAreADiscontinuityNotAWrap) {
  auto port = Port(1, "Gi0/1", 0, 0);
  port.in_errors = 12;
  Poll(0, 1000, {port});
  port.in_errors = 15;
  port.in_octets = 1000;
  Poll(30, 4000, {port});
  uint64_t errors = Interface(1).receive_errors_total;
  EXPECT_EQ(errors, 3u);
  port.in_errors = 2;  // cleared on the device; sysUpTime goes on
  port.in_octets = 2000;
  Poll(60, 7000, {port});
  EXPECT_EQ(Interface(1).receive_errors_total, errors) << "no 4.29e9 errors from a 'wrap'";
  EXPECT_EQ(Discontinuities(discontinuity::kCounterReset), 1u);
  EXPECT_FALSE(Interface(1).errors_per_second);
  EXPECT_TRUE(Interface(1).receive_bps) << "the octet counters are fine";
  EXPECT_NE(state_.Snapshot(config_).links[0].severity, Severity::kCritical);
}

TEST_F(NetworkStateTest, MoreErrorsThanPacketsCouldCrossIsImpossible) {
  const uint64_t speed = 10'000'000;  // at most ~14,900 frames/s
  auto port = Port(1, "Gi0/1", 0, 0, 64, speed);
  Poll(0, 1000, {port});
  port.in_errors = 5'000'000;  // in 30 s
  Poll(30, 4000, {port});
  EXPECT_EQ(Interface(1).receive_errors_total, 0u);
  EXPECT_FALSE(Interface(1).errors_per_second);
  EXPECT_EQ(Discontinuities(discontinuity::kRateExceedsSpeed), 1u);
}

TEST_F(NetworkStateTest, RenumberedAfterARebootTotalsFollowThePortByName) {
  hr_uptime_ = 100'000;
  Poll(0, 100'000, {Port(1, "Gi0/1", 1000, 0), Port(2, "Gi0/2", 5000, 0)});
  hr_uptime_ = 103'000;
  Poll(30, 103'000, {Port(1, "Gi0/1", 2000, 0), Port(2, "Gi0/2", 6000, 0)});
  const uint64_t gi02 = Interface(2).receive_bytes_total;
  EXPECT_EQ(gi02, 1000u);
  // The switch rebooted and numbered its ports the other way round.
  hr_uptime_ = 1000;
  Poll(60, 1000, {Port(7, "Gi0/2", 100, 0), Port(9, "Gi0/1", 50, 0)});
  EXPECT_EQ(Interface(7).name, "Gi0/2");
  EXPECT_EQ(Interface(7).receive_bytes_total, gi02);
  EXPECT_EQ(Interface(9).name, "Gi0/1");
  EXPECT_EQ(Interface(9).receive_bytes_total, 1000u);
  EXPECT_EQ(Discontinuities(discontinuity::kInterfaceRenumbered), 2u);
  hr_uptime_ = 4000;
  Poll(90, 4000, {Port(7, "Gi0/2", 1100, 0), Port(9, "Gi0/1", 50, 0)});
  EXPECT_EQ(Interface(7).receive_bytes_total, gi02 + 1000);
}

TEST_F(NetworkStateTest, IncompleteWalkKeepsMissingPortsAsStale) {
  Poll(0, 1000, {Port(1, "Gi0/1", 0, 0), Port(2, "Gi0/2", 0, 0)});
  Poll(30, 4000, {Port(1, "Gi0/1", 3000, 0), Port(2, "Gi0/2", 3000, 0)});
  Poll(60, 7000, {Port(2, "Gi0/2", 6000, 0)}, /*complete=*/false);
  EXPECT_TRUE(Interface(1).stale);
  EXPECT_EQ(Interface(1).receive_bytes_total, 3000u);
  EXPECT_FALSE(Interface(1).receive_bps);
  LinkStatus link = state_.Snapshot(config_).links[0];
  EXPECT_EQ(link.severity, Severity::kUnknown);
  // A complete walk without it: now it is gone.
  Poll(90, 10'000, {Port(2, "Gi0/2", 9000, 0)});
  EXPECT_EQ(Device().interfaces.size(), 1u);
}

TEST_F(NetworkStateTest, AFaultyAgentsIfIndexZeroKeepsItsTotals) {
  Poll(0, 1000, {Port(0, "Gi0/0", 0, 0), Port(1, "Gi0/1", 0, 0)});
  Poll(30, 4000, {Port(0, "Gi0/0", 3000, 0), Port(1, "Gi0/1", 3000, 0)});
  Poll(60, 7000, {Port(0, "Gi0/0", 6000, 0), Port(1, "Gi0/1", 6000, 0)});
  EXPECT_EQ(Interface(0).receive_bytes_total, 6000u) << "not started over at every poll";
  EXPECT_EQ(Interface(1).receive_bytes_total, 6000u);
  Poll(90, 10'000, {Port(1, "Gi0/1", 9000, 0)}, /*complete=*/false);
  EXPECT_TRUE(Interface(0).stale);
  EXPECT_EQ(Interface(0).name, "Gi0/0") << "kept from before, names and all";
  EXPECT_EQ(Interface(0).receive_bytes_total, 6000u);
}

TEST_F(NetworkStateTest, FlapShorterThanThePollIsCountedFromIfLastChange) {
  auto port = Port(1, "Gi0/1", 0, 0);
  port.last_change_ticks = 500;
  Poll(0, 1000, {port});
  EXPECT_EQ(Interface(1).state_changes_total, 0u);
  port.last_change_ticks = 2500;  // went down and up again between the polls
  Poll(30, 4000, {port});
  EXPECT_EQ(Interface(1).state_changes_total, 2u);
  // ifLastChange 25 s into the agent's life; the sample was taken 40 s into it.
  ASSERT_TRUE(Interface(1).last_change_unix_seconds);
  EXPECT_DOUBLE_EQ(*Interface(1).last_change_unix_seconds, 1'800'000'000.0 + 30 - 15);
  port.oper_status = 2;
  port.last_change_ticks = 6000;
  Poll(60, 7000, {port});
  EXPECT_EQ(Interface(1).state_changes_total, 3u);
  port.oper_status = 1;  // an agent that does not update ifLastChange still shows this one
  Poll(90, 10'000, {port});
  EXPECT_EQ(Interface(1).state_changes_total, 4u);
}

TEST_F(NetworkStateTest, OperStatusOtherThanUpOrDown) {
  Poll(0, 1000, {Port(1, "Gi0/1", 0, 0)});
  auto port = Port(1, "Gi0/1", 0, 0);
  for (auto [status, severity] : {std::pair{7, Severity::kCritical},
                                  {5, Severity::kCritical},
                                  {6, Severity::kCritical},
                                  {3, Severity::kWarning},
                                  {4, Severity::kUnknown}}) {
    port.oper_status = status;
    Poll(30, 4000, {port});
    EXPECT_EQ(state_.Snapshot(config_).links[0].severity, severity) << "ifOperStatus " << status;
  }
  port.oper_status = 2;
  port.admin_up = false;
  Poll(60, 7000, {port});
  EXPECT_EQ(state_.Snapshot(config_).links[0].severity, Severity::kWarning)
      << "shut on purpose is not an outage";
}

TEST_F(NetworkStateTest, AnUpLinkWithoutARateIsUnknownWithTheReason) {
  Poll(0, 1000, {Port(1, "Gi0/1", 0, 0)});
  LinkStatus link = state_.Snapshot(config_).links[0];
  EXPECT_EQ(link.severity, Severity::kUnknown);
  ASSERT_EQ(link.problems.size(), 1u);
  EXPECT_EQ(link.problems[0], "no rate yet (first sample)");
  const uint64_t speed = 1'000'000'000;
  Poll(30, 4000, {Port(1, "Gi0/1", 1000, 0, 32, speed)});    // width change: starts over
  Poll(90, 10'000, {Port(1, "Gi0/1", 2000, 0, 32, speed)});  // 60 s > a 1G Counter32 wrap
  link = state_.Snapshot(config_).links[0];
  EXPECT_EQ(link.severity, Severity::kUnknown);
  EXPECT_EQ(Discontinuities(discontinuity::kAmbiguousWraps), 1u);
  EXPECT_NE(link.problems[0].find("too far apart"), std::string::npos) << link.problems[0];
}

TEST(Severity, RankOrdersByUrgencyNotByExitCode) {
  EXPECT_LT(Rank(Severity::kOk), Rank(Severity::kUnknown));
  EXPECT_LT(Rank(Severity::kUnknown), Rank(Severity::kWarning));
  EXPECT_LT(Rank(Severity::kWarning), Rank(Severity::kCritical));
  EXPECT_EQ(Worse(Severity::kUnknown, Severity::kCritical), Severity::kCritical);
  EXPECT_EQ(Worse(Severity::kWarning, Severity::kUnknown), Severity::kWarning);
  EXPECT_EQ(static_cast<int>(Severity::kUnknown), 3) << "Nagios exit code";
}

}  // namespace
}  // namespace lanwatch
