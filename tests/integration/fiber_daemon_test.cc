// lanwatchd reading transceiver optics from snmpsimd on loopback: a fiber whose light declines
// (snmpsim's numeric variation: -0.5 dB a second from -5 dBm) becomes `degraded` once it is
// 3 dB below the baseline learned from its first reading, and a restart keeps that baseline
// (state_dir/fiber.db); a module that reads dark on a port that is up raises nothing.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"
#include "tests/support/process.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;

class FiberDaemon : public ::testing::Test {
 protected:
  // A fresh agent: the declining level counts from the agent's start.
  void SetUp() override { sim_ = std::make_unique<testing::OwnRecordingsAgent>(); }

  std::string Config() {
    return dir_.Write("lanwatch.yaml", fmt::format(R"(site: test bureau
poll_interval: 3s
optics_interval: 3s
snmp: {{timeout: 1s, retries: 1, port: {}}}
devices:
  - {{name: county-sw, role: switch, address: 127.0.0.1, snmp: {{community: optics_declining}}}}
  - {{name: district-sw, role: switch, address: 127.0.0.1, snmp: {{community: optics_no_light}}}}
links:
  - {{name: county, kind: subordinate, device: county-sw, interface: Gi1/0/1}}
  - {{name: dark-but-up, kind: subordinate, device: district-sw, interface: Gi1/0/1}}
)",
                                                   sim_->port()));
  }
  void StartDaemon(const std::string& config) {
    port_ = testing::FreeTcpPort();
    daemon_ = ChildProcess::Start(
        {testing::LanwatchdBinary(), "-c", config, "--listen", fmt::format("127.0.0.1:{}", port_),
         "--state-dir", dir_.path() + "/state"},
        dir_.path() + "/lanwatchd.log");
  }
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels) {
    auto [status, body] = testing::HttpGet(port_, "/metrics");
    if (status != 200) return std::nullopt;
    return testing::FindValue(testing::ParseExposition(body), name, labels);
  }
  std::string Log() { return testing::ReadFile(dir_.path() + "/lanwatchd.log"); }

  std::unique_ptr<testing::OwnRecordingsAgent> sim_;
  testing::TempDir dir_;
  ChildProcess daemon_;
  int port_ = 0;
};

TEST_F(FiberDaemon, ADecliningFiberDegradesAndARestartKeepsItsBaseline) {
  const std::string config = Config();
  StartDaemon(config);
  ASSERT_TRUE(testing::WaitUntil(15s, [&] {
    return Value("lanwatch_link_fiber_baseline_dbm", {{"link", "county"}}).has_value();
  })) << Log();
  const double baseline = *Value("lanwatch_link_fiber_baseline_dbm", {{"link", "county"}});
  EXPECT_LT(baseline, -4.9);
  EXPECT_GT(baseline, -12.0);
  EXPECT_EQ(Value("lanwatch_link_fiber_state", {{"link", "county"}, {"state", "ok"}}), 1);

  ASSERT_TRUE(testing::WaitUntil(30s, [&] {
    return Value("lanwatch_link_fiber_state", {{"link", "county"}, {"state", "degraded"}}) == 1;
  })) << Log();
  auto rx = Value("lanwatch_optical_rx_power_dbm",
                  {{"device", "county-sw"}, {"interface", "Gi1/0/1"}, {"lane", "1"}});
  ASSERT_TRUE(rx);
  EXPECT_LT(*rx, baseline - 3.0);
  EXPECT_EQ(Value("lanwatch_link_fiber_baseline_dbm", {{"link", "county"}}), baseline)
      << "a dimming that alarms is not learnt";
  EXPECT_EQ(Value("lanwatch_link_up", {{"link", "county"}}), 1) << "still carrying traffic";
  EXPECT_EQ(Value("lanwatch_alert_active", {{"alert", "fiber_degraded"}, {"link", "county"}}), 1)
      << Log();

  // A port that is up cannot be without light: the module misreports; no alarm.
  EXPECT_EQ(Value("lanwatch_link_fiber_state", {{"link", "dark-but-up"}, {"state", "unknown"}}), 1);
  EXPECT_FALSE(Value("lanwatch_alert_active", {{"alert", "fiber_no_light"}}));

  // Restarted, it still knows what this fiber's light used to be.
  daemon_.Stop();
  StartDaemon(config);
  ASSERT_TRUE(testing::WaitUntil(15s, [&] {
    return Value("lanwatch_link_fiber_state", {{"link", "county"}, {"state", "degraded"}}) == 1;
  })) << Log();
  EXPECT_EQ(Value("lanwatch_link_fiber_baseline_dbm", {{"link", "county"}}), baseline);
}

}  // namespace
}  // namespace lanwatch
