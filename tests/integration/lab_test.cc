// End-to-end tests in the bureau in a box (tests/lab/bureau): real namespaces, shaped links,
// snmpd in the router, switch and server, iperf3 traffic, faults injected on purpose, and
// lanwatchd polling every 5 s from the monitor namespace. Root only; each test builds the lab
// and tears it down, and checks nothing is left behind.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::FindValue;
using testing::MetricSample;
using testing::ParseExposition;
using testing::RunCommand;

std::string Bureau(const std::string& args) {
  return fmt::format("{}/tests/lab/bureau {}", testing::SourceDir(), args);
}

class Lab : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "the lab needs root";
    auto up = RunCommand(Bureau("up --traffic off"));
    ASSERT_EQ(up.exit_code, 0) << up.output;
    daemon_ = testing::ChildProcess::Start(
        {"ip", "netns", "exec", "lw-monitor", testing::LanwatchdBinary(), "-c",
         testing::SourceDir() + "/config/lab.yaml"},
        log_.path() + "/lanwatchd.log");
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return !Metrics().empty(); }))
        << testing::ReadFile(log_.path() + "/lanwatchd.log");
  }
  void TearDown() override {
    if (geteuid() != 0) return;
    daemon_.Stop();
    // Every process the lab recorded, to check that none survives `down`.
    auto pids = RunCommand("cat /run/lanwatch-lab/*.pid").output;
    auto down = RunCommand(Bureau("down"));
    EXPECT_EQ(down.exit_code, 0) << down.output;
    EXPECT_EQ(RunCommand("ip netns list | grep -c '^lw-'").output, "0\n") << "namespaces left";
    std::stringstream lines(pids);
    for (std::string pid; std::getline(lines, pid);) {
      std::string stat = testing::ReadFile("/proc/" + pid + "/stat");
      EXPECT_TRUE(stat.empty() || stat.find(") Z ") != std::string::npos) << "pid " << pid;
    }
    EXPECT_FALSE(daemon_.running());
  }

  std::vector<MetricSample> Metrics() {
    auto r = RunCommand("ip netns exec lw-monitor curl -sf http://127.0.0.1:9731/metrics");
    return r.exit_code == 0 ? ParseExposition(r.output) : std::vector<MetricSample>{};
  }
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels) {
    return FindValue(Metrics(), name, labels);
  }
  testing::CommandResult Check() {
    return RunCommand(fmt::format("ip netns exec lw-monitor {} check -c {}/config/lab.yaml",
                                  testing::LanwatchBinary(), testing::SourceDir()));
  }

  testing::TempDir log_;
  testing::ChildProcess daemon_;
};

TEST_F(Lab, UplinkThroughputMatchesIperf3AgainstTheContractRate) {
  // 8 Mbit/s of UDP payload from a district office out through the 10 Mbit/s uplink.
  testing::TempDir out;
  std::string json_path = out.path() + "/iperf3.json";
  auto iperf = testing::ChildProcess::Start(
      {"ip", "netns", "exec", "lw-datong", "iperf3", "-c", "198.18.0.1", "-p", "5202", "-u", "-b",
       "8M", "-l", "1400", "-t", "26", "-J"},
      json_path);
  // Collect lanwatch's uplink samples while iperf3 runs: SNMP (one per 5 s poll) and the
  // capture on the SPAN port (one per second), and the two cross-checked.
  std::vector<double> samples, captured, mismatches;
  double last = -1, last_captured = -1;
  auto until = std::chrono::steady_clock::now() + 25s;
  while (std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(500ms);
    auto m = Metrics();
    auto v = FindValue(m, "lanwatch_link_throughput_bits_per_second",
                       {{"link", "uplink"}, {"direction", "out"}});
    if (v && *v != last) {
      samples.push_back(*v);
      if (auto r = FindValue(m, "lanwatch_link_accounting_mismatch_ratio", {{"link", "uplink"}})) {
        mismatches.push_back(*r);
      }
    }
    if (v) last = *v;
    auto c = FindValue(m, "lanwatch_capture_throughput_bits_per_second",
                       {{"capture", "uplink"}, {"direction", "out"}});
    if (c && *c != last_captured) captured.push_back(*c);
    if (c) last_captured = *c;
  }
  ASSERT_EQ(iperf.Wait(20s), 0) << testing::ReadFile(json_path);
  auto report = nlohmann::json::parse(testing::ReadFile(json_path));
  const auto& sum = report["end"]["sum"];
  // What crossed the wire: UDP payload plus 42 bytes of Ethernet, IPv4 and UDP headers each.
  double wire_bps = (sum["bytes"].get<double>() + sum["packets"].get<double>() * 42) * 8 /
                    sum["seconds"].get<double>();
  ASSERT_GE(samples.size(), 4u);
  // The first and last samples straddle iperf3's start and end.
  for (size_t i = 1; i + 1 < samples.size(); ++i) {
    EXPECT_NEAR(samples[i], wire_bps, wire_bps * 0.03) << "sample " << i;
  }
  // The capture agrees with iperf3 within 2%, second by second, and drops nothing.
  ASSERT_GE(captured.size(), 10u);
  for (size_t i = 2; i + 2 < captured.size(); ++i) {
    EXPECT_NEAR(captured[i], wire_bps, wire_bps * 0.02) << "capture sample " << i;
  }
  ASSERT_GE(mismatches.size(), 2u);
  for (size_t i = 1; i + 1 < mismatches.size(); ++i) EXPECT_LT(mismatches[i], 0.02) << i;
  auto m = Metrics();
  EXPECT_EQ(
      FindValue(m, "lanwatch_capture_drops_total", {{"capture", "uplink"}, {"where", "kernel"}}),
      0);
  // Having opened the SPAN port as root, lanwatchd runs as nobody with no capabilities.
  std::string proc = testing::ReadFile(fmt::format("/proc/{}/status", daemon_.pid()));
  EXPECT_NE(proc.find("Uid:\t65534\t65534"), std::string::npos) << proc;
  EXPECT_NE(proc.find("CapEff:\t0000000000000000"), std::string::npos) << proc;
  // Utilization is against the 10 Mbit/s contract, not the 1 Gbit/s the port reports.
  EXPECT_EQ(Value("lanwatch_interface_speed_bits_per_second",
                  {{"device", "router"}, {"interface", "wan0"}}),
            1e9);
  auto util = Value("lanwatch_link_utilization_ratio", {{"link", "uplink"}, {"direction", "out"}});
  ASSERT_TRUE(util);
  EXPECT_NEAR(*util, last / 10e6, 1e-9);
}

TEST_F(Lab, CutFiberShowsDownWithinOnePollAndCheckNamesTheUnit) {
  ASSERT_EQ(Check().exit_code, 0) << Check().output;
  auto cut = RunCommand(Bureau("fault cut panji"));
  ASSERT_EQ(cut.exit_code, 0) << cut.output;
  auto cut_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(testing::WaitUntil(8s, [&] {
    return Value("lanwatch_link_up", {{"link", "panji"}}) == 0;
  }));
  EXPECT_LE(std::chrono::steady_clock::now() - cut_at, 5s + 1s) << "within one poll";
  auto check = Check();
  EXPECT_EQ(check.exit_code, 2) << check.output;
  EXPECT_TRUE(check.output.starts_with("LANWATCH CRITICAL - link panji: sw-panji is down"))
      << check.output;
  ASSERT_EQ(RunCommand(Bureau("fault restore panji")).exit_code, 0);
  ASSERT_TRUE(testing::WaitUntil(8s, [&] {
    return Value("lanwatch_link_up", {{"link", "panji"}}) == 1;
  }));
  auto after = Check();
  EXPECT_EQ(after.exit_code, 0) << after.output;
}

TEST_F(Lab, AgentRestartGivesNoSpikeAndCountsADiscontinuity) {
  // Some traffic on a unit's link, so that a reset counter would show as a spike.
  auto iperf = testing::ChildProcess::Start({"ip", "netns", "exec", "lw-maoji", "iperf3", "-c",
                                             "198.18.1.10", "-p", "5201", "-t", "20", "-b", "20M"},
                                            log_.path() + "/iperf3.log");
  std::this_thread::sleep_for(6s);
  ASSERT_EQ(RunCommand(Bureau("fault agent restart switch")).exit_code, 0);
  double peak = 0;
  bool counted = testing::WaitUntil(12s, [&] {
    auto m = Metrics();
    for (const auto& s : m) {
      if (s.name == "lanwatch_link_throughput_bits_per_second") peak = std::max(peak, s.value);
    }
    return FindValue(m, "lanwatch_counter_discontinuities_total",
                     {{"device", "core-switch"}, {"reason", "agent_restart"}})
               .value_or(0) >= 1;
  });
  EXPECT_TRUE(counted) << testing::ReadFile(log_.path() + "/lanwatchd.log");
  EXPECT_LT(peak, 100e6) << "no rate above what a 100 Mbit/s fiber can carry";
  EXPECT_EQ(Value("lanwatch_device_up", {{"device", "core-switch"}}), 1);
}

TEST_F(Lab, StoppedAgentIsDownWithoutDelayingTheOthers) {
  ASSERT_EQ(RunCommand(Bureau("fault agent stop server")).exit_code, 0);
  // Within a poll interval plus the dead agent's timeout x attempts (1 s x 2).
  ASSERT_TRUE(testing::WaitUntil(9s, [&] {
    return Value("lanwatch_device_up", {{"device", "server"}}) == 0;
  }));
  auto m = Metrics();
  EXPECT_LT(*FindValue(m, "lanwatch_snmp_poll_duration_seconds", {{"device", "router"}}), 0.5);
  EXPECT_LT(*FindValue(m, "lanwatch_snmp_poll_duration_seconds", {{"device", "core-switch"}}), 0.5);
  EXPECT_EQ(FindValue(m, "lanwatch_device_up", {{"device", "core-switch"}}), 1);
  ASSERT_EQ(RunCommand(Bureau("fault agent start server")).exit_code, 0);
  EXPECT_TRUE(testing::WaitUntil(8s, [&] {
    return Value("lanwatch_device_up", {{"device", "server"}}) == 1;
  }));
}

TEST_F(Lab, FaultsAreReversible) {
  // Loss: a fifth of the pings to the ISP vanish, then none.
  ASSERT_EQ(RunCommand(Bureau("fault loss uplink 50")).exit_code, 0);
  auto lossy = RunCommand(Bureau("exec datong ping -q -c 40 -i 0.05 -W 1 198.18.0.1"));
  EXPECT_EQ(lossy.output.find(" 0% packet loss"), std::string::npos) << lossy.output;
  ASSERT_EQ(RunCommand(Bureau("fault noloss uplink")).exit_code, 0);
  auto clean = RunCommand(Bureau("exec datong ping -q -c 10 -i 0.05 -W 1 198.18.0.1"));
  EXPECT_NE(clean.output.find(" 0% packet loss"), std::string::npos) << clean.output;
  // Delay: the NFQUEUE helper (or netem) holds the ISP's replies 40 ms, then 3 ms again.
  ASSERT_EQ(RunCommand(Bureau("fault delay uplink 40")).exit_code, 0);
  auto slow = RunCommand(Bureau("exec datong ping -q -c 5 -i 0.2 198.18.0.1"));
  EXPECT_NE(slow.output.find("rtt min/avg/max/mdev = 40."), std::string::npos) << slow.output;
  ASSERT_EQ(RunCommand(Bureau("fault delay uplink 3")).exit_code, 0);
  // The uplink drops to 2 Mbit/s and its port says so; then back.
  ASSERT_EQ(RunCommand(Bureau("fault speed 2mbit")).exit_code, 0);
  EXPECT_TRUE(testing::WaitUntil(12s, [&] {
    return Value("lanwatch_interface_speed_bits_per_second",
                 {{"device", "router"}, {"interface", "wan0"}}) == 2e6;
  }));
  ASSERT_EQ(RunCommand(Bureau("fault speed reset")).exit_code, 0);
  // A slow agent answers late but answers.
  ASSERT_EQ(RunCommand(Bureau("fault slow server on")).exit_code, 0);
  EXPECT_TRUE(testing::WaitUntil(12s, [&] {
    return Value("lanwatch_snmp_poll_duration_seconds", {{"device", "server"}}).value_or(0) > 0.1;
  }));
  ASSERT_EQ(RunCommand(Bureau("fault slow server off")).exit_code, 0);
  // Saturation fills the uplink.
  ASSERT_EQ(RunCommand(Bureau("fault saturate 12")).exit_code, 0);
  auto status = RunCommand(Bureau("status"));
  EXPECT_EQ(status.output.find("fault: loss"), std::string::npos) << status.output;
  EXPECT_EQ(status.output.find("fault: slow"), std::string::npos) << status.output;
  EXPECT_EQ(status.output.find("fault: speed"), std::string::npos) << status.output;
  EXPECT_EQ(status.output.find("dead"), std::string::npos) << status.output;
}

}  // namespace
}  // namespace lanwatch
