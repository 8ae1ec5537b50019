// lanwatchd's trap receiver on loopback: a real snmpd as the device, configured by host name
// (localhost), net-snmp's snmptrap as its traps. An accepted linkDown is counted for its
// device and triggers a poll at once (polls run every 60 s here); a wrong community and a
// datagram that is no trap are counted and change nothing.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"
#include "tests/support/process.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;

class TrapsDaemon : public ::testing::Test {
 protected:
  void SetUp() override {
    agent_ = std::make_unique<testing::SnmpdAgent>();
    trap_port_ = testing::FreeUdpPort();
    metrics_port_ = testing::FreeTcpPort();
    std::string config =
        dir_.Write("lanwatch.yaml", fmt::format(R"(site: test bureau
poll_interval: 60s
snmp: {{timeout: 1s, retries: 0}}
traps: {{listen: 127.0.0.1:{}, debounce: 100ms}}
devices:
  - {{name: server, role: server, address: localhost, snmp: {{community: {}, port: {}}}}}
)",
                                                trap_port_, testing::kCommunity, agent_->port()));
    daemon_ = ChildProcess::Start(
        {testing::LanwatchdBinary(), "-c", config, "--listen",
         fmt::format("127.0.0.1:{}", metrics_port_), "--state-dir", dir_.path() + "/state"},
        dir_.path() + "/lanwatchd.log");
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return Rounds() >= 1; })) << Log();
  }
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) {
    auto [status, body] = testing::HttpGet(metrics_port_, "/metrics");
    if (status != 200) return std::nullopt;
    return testing::FindValue(testing::ParseExposition(body), name, labels);
  }
  double Rounds() { return Value("lanwatch_poll_rounds_total").value_or(0); }
  std::optional<double> PollDuration() {
    return Value("lanwatch_snmp_poll_duration_seconds", {{"device", "server"}});
  }
  testing::CommandResult Trap(const std::string& community) {
    return testing::RunCommand(fmt::format(
        "snmptrap -m '' -v2c -c {} 127.0.0.1:{} '' 1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.1 i 1",
        community, trap_port_));
  }
  std::string Log() { return testing::ReadFile(dir_.path() + "/lanwatchd.log"); }

  std::unique_ptr<testing::SnmpdAgent> agent_;
  testing::TempDir dir_;
  ChildProcess daemon_;
  int trap_port_ = 0, metrics_port_ = 0;
};

TEST_F(TrapsDaemon, AnAcceptedTrapPollsItsDeviceAtOnceOthersAreCountedAndIgnored) {
  auto uptime = [&] { return Value("lanwatch_device_uptime_seconds", {{"device", "server"}}); };
  const auto before = uptime();
  ASSERT_TRUE(before) << Log();
  std::this_thread::sleep_for(1500ms);
  ASSERT_EQ(Trap(testing::kCommunity).exit_code, 0);
  ASSERT_TRUE(testing::WaitUntil(5s, [&] {
    return Value("lanwatch_snmp_traps_total", {{"device", "server"}, {"trap", "linkDown"}}) == 1;
  })) << Log();
  // The poll it asked for ran at once (the agent's uptime moved on), not at the next round.
  ASSERT_TRUE(testing::WaitUntil(5s, [&] { return uptime() > *before + 1.0; })) << Log();
  EXPECT_EQ(Rounds(), 1) << "a trap poll is not a round";
  EXPECT_NE(Log().find("trap linkDown from server: lo; polling it"), std::string::npos) << Log();

  ASSERT_EQ(Trap("guessed").exit_code, 0);
  int udp = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(udp, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(trap_port_));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const char garbage[] = "\x30\x03\x02\x01";
  ASSERT_GT(
      sendto(udp, garbage, sizeof garbage - 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  close(udp);
  ASSERT_TRUE(testing::WaitUntil(5s, [&] {
    return Value("lanwatch_snmp_traps_ignored_total", {{"reason", "bad_community"}}) == 1 &&
           Value("lanwatch_snmp_traps_malformed_total") == 1;
  })) << Log();
  EXPECT_EQ(Value("lanwatch_snmp_traps_total", {{"device", "server"}, {"trap", "linkDown"}}), 1);
  EXPECT_EQ(Value("lanwatch_snmp_traps_ignored_total", {{"reason", "unknown_source"}}), 0);
}

}  // namespace
}  // namespace lanwatch
