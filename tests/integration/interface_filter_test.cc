// Interface filters against real recordings (a Huawei S5720 and a Cisco 2960X, served by
// snmpsimd): lanwatchd exports only the ports a device's `interfaces:` watches, keeps a
// configured link's port whatever the filter says, drops ports a reloaded filter leaves out,
// and `lanwatch check` and `lanwatch validate` agree.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::HttpGet;
using testing::ParseExposition;

// The interfaces /metrics shows of `device` (from lanwatch_interface_up, one per interface).
std::set<std::string> Exported(const std::string& metrics, const std::string& device) {
  std::set<std::string> names;
  for (const testing::MetricSample& s : ParseExposition(metrics)) {
    if (s.name == "lanwatch_interface_up" && s.labels.at("device") == device) {
      names.insert(s.labels.at("interface"));
    }
  }
  return names;
}

class InterfaceFilters : public ::testing::Test {
 protected:
  // Started here, not in SetUpTestSuite: an agent that does not start fails the test.
  void SetUp() override {
    agent_ =
        std::make_unique<testing::SnmpsimAgent>(testing::SharedDataDir() + "/snmprec", "vrp_5720");
  }

  // The Huawei's filter as `huawei_interfaces`, its links as `links` (YAML list items).
  std::string Config(const std::string& huawei_interfaces, const std::string& links) {
    return dir_.Write("lanwatch.yaml",
                      fmt::format(R"(poll_interval: 10s
state_dir: {}/state
snmp: {{timeout: 3s, retries: 1, port: {}}}
devices:
  - name: huawei
    address: 127.0.0.1
    snmp: {{community: vrp_5720}}
    interfaces: {}
  - name: cisco
    address: 127.0.0.1
    snmp: {{community: ios_2960x}}
    interfaces: {{exclude: ["admin:down"]}}
links:
  - {{name: cisco-uplink, device: cisco, interface: Gi1/0/49}}
{})",
                                  dir_.path(), agent_->port(), huawei_interfaces, links));
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::SnmpsimAgent> agent_;
};

constexpr const char* kHuaweiFilter =
    R"({include: ["*GigabitEthernet*", "type:propVirtual"],
                  exclude: ["GigabitEthernet0/0/4?", "type:l2vlan", "Vlanif1"]})";
constexpr const char* kExcludedLink =
    "  - {name: datong, device: huawei, interface: GigabitEthernet0/0/45}\n";

TEST_F(InterfaceFilters, DaemonExportsOnlyWatchedPortsAndEveryLinksPort) {
  const std::string config = Config(kHuaweiFilter, kExcludedLink);
  int port = testing::FreeTcpPort();
  auto daemon = ChildProcess::Start(
      {testing::LanwatchdBinary(), "-c", config, "--listen", fmt::format("127.0.0.1:{}", port)},
      dir_.path() + "/lanwatchd.log");
  ASSERT_TRUE(testing::WaitUntil(30s, [&] { return HttpGet(port, "/-/ready").first == 200; }))
      << testing::ReadFile(dir_.path() + "/lanwatchd.log");
  std::string metrics = HttpGet(port, "/metrics").second;
  std::set<std::string> huawei = Exported(metrics, "huawei");
  // 48 GigabitEthernet less the nine 0/0/4?, 4 XGigabitEthernet, Vlanif210 and Vlanif60, and
  // the link's 0/0/45 that the filter excludes.
  EXPECT_EQ(huawei.size(), 39u + 4 + 2 + 1) << ::testing::PrintToString(huawei);
  for (const char* kept :
       {"GigabitEthernet0/0/1", "GigabitEthernet0/0/4", "GigabitEthernet0/0/39",
        "XGigabitEthernet0/0/1", "Vlanif210", "Vlanif60", "GigabitEthernet0/0/45"}) {
    EXPECT_TRUE(huawei.contains(kept)) << kept;
  }
  for (const char* dropped :
       {"GigabitEthernet0/0/40", "GigabitEthernet0/0/48", "GigabitEthernet0/0/2.1", "Vlanif1",
        "InLoopBack0", "NULL0", "MEth0/0/1", "LoopBack1", "Console9/0/0"}) {
    EXPECT_FALSE(huawei.contains(dropped)) << dropped;
  }
  EXPECT_NE(metrics.find("lanwatch_link_up{link=\"datong\""), std::string::npos)
      << "the link still resolves to its port";
  // The Cisco's two admin-down ports (Vl1, and one GigabitEthernet) are gone, no more.
  std::set<std::string> cisco = Exported(metrics, "cisco");
  EXPECT_EQ(cisco.size(), 146u - 2) << ::testing::PrintToString(cisco);
  EXPECT_FALSE(cisco.contains("Vl1"));
  EXPECT_TRUE(cisco.contains("Vl99"));
  EXPECT_EQ(testing::PromtoolProblems(metrics), std::vector<std::string>{});

  // SIGHUP with a filter that also leaves out the 10G ports, and without the link: its port
  // and theirs leave /metrics once a whole walk has been taken without them.
  Config(R"({include: ["*GigabitEthernet*", "type:propVirtual"],
             exclude: ["GigabitEthernet0/0/4?", "type:l2vlan", "Vlanif1", "XGigabitEthernet*"]})",
         "");
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(testing::WaitUntil(
      40s, [&] { return Exported(HttpGet(port, "/metrics").second, "huawei").size() == 39u + 2; }))
      << ::testing::PrintToString(Exported(HttpGet(port, "/metrics").second, "huawei"))
      << testing::ReadFile(dir_.path() + "/lanwatchd.log");
  huawei = Exported(HttpGet(port, "/metrics").second, "huawei");
  EXPECT_FALSE(huawei.contains("XGigabitEthernet0/0/1"));
  EXPECT_FALSE(huawei.contains("GigabitEthernet0/0/45"));
  EXPECT_TRUE(huawei.contains("GigabitEthernet0/0/1"));
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(5s), 0);
}

TEST_F(InterfaceFilters, CheckCountsTheWatchedPortsAndValidateWarnsOfTheLink) {
  const std::string config = Config(kHuaweiFilter, kExcludedLink);
  auto check = testing::RunCommand(fmt::format("{} check --json --sample 1s -c {} 2>/dev/null",
                                               testing::LanwatchBinary(), config));
  auto report = nlohmann::json::parse(check.output, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << check.output;
  ASSERT_EQ(report["devices"].size(), 2u) << check.output;
  EXPECT_EQ(report["devices"][0]["name"], "huawei");
  EXPECT_EQ(report["devices"][0]["interfaces"], 46) << check.output;
  EXPECT_EQ(report["devices"][1]["interfaces"], 144) << check.output;

  auto validate =
      testing::RunCommand(fmt::format("{} validate -c {}", testing::LanwatchBinary(), config));
  EXPECT_EQ(validate.exit_code, 0) << validate.output;
  EXPECT_NE(validate.output.find(fmt::format(
                "{}:16:47: warning: link 'datong': interface 'GigabitEthernet0/0/45' is excluded "
                "by 'GigabitEthernet0/0/4?' in device 'huawei' interfaces; watched anyway",
                config)),
            std::string::npos)
      << validate.output;
}

}  // namespace
}  // namespace lanwatch
