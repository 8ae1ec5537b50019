// `lanwatch discover` as the IT section runs it, against snmpsimd serving the real vendor
// recordings and our own untidy ones, and against net-snmp's snmpd.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/support/agents.h"

namespace lanwatch {
namespace {

using nlohmann::json;
using testing::RunCommand;

class Discover : public ::testing::Test {
 protected:
  // Agents start in the first test's SetUp, where a failure to start fails that test. (From
  // SetUpTestSuite, gtest would mark the tests skipped, and ctest would count them as skips.)
  void SetUp() override {
    if (!vendors_) {
      vendors_ = new testing::SnmpsimAgent(testing::SharedDataDir() + "/snmprec", "vrp_5720");
    }
    if (!ours_) ours_ = new testing::OwnRecordingsAgent;
  }
  static void TearDownTestSuite() {
    delete ours_;
    delete vendors_;
    ours_ = nullptr;
    vendors_ = nullptr;
  }

  static testing::CommandResult Run(int port, const std::string& args) {
    return RunCommand(
        fmt::format("{} discover 127.0.0.1:{} {}", testing::LanwatchBinary(), port, args));
  }
  static json Json(int port, const std::string& community, const std::string& extra = "") {
    auto r = Run(port, fmt::format("--community {} --json {}", community, extra));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return json::parse(r.output);
  }
  static const json* Interface(const json& d, int index) {
    for (const json& i : d["interfaces"]) {
      if (i["index"] == index) return &i;
    }
    return nullptr;
  }

  static testing::SnmpsimAgent* vendors_;
  static testing::OwnRecordingsAgent* ours_;
};
testing::SnmpsimAgent* Discover::vendors_ = nullptr;
testing::OwnRecordingsAgent* Discover::ours_ = nullptr;

TEST_F(Discover, HuaweiInterfacesAndMicrowattOptics) {
  json d = Json(vendors_->port(), "vrp_5720");
  EXPECT_EQ(d["system"]["vendor"], "Huawei");
  EXPECT_EQ(d["interfaces"].size(), 65u);
  const json* xge1 = Interface(d, 54);
  ASSERT_NE(xge1, nullptr);
  EXPECT_EQ((*xge1)["name"], "XGigabitEthernet0/0/1");
  EXPECT_EQ((*xge1)["speed_bps"], 10'000'000'000ULL);
  EXPECT_EQ((*xge1)["hc_counters"], true);
  EXPECT_EQ((*xge1)["oper_up"], true);
  // Three modules, Rx and Tx each in microwatts: 536 uW on XGE0/0/1 is -2.71 dBm.
  ASSERT_EQ(d["optics"].size(), 3u);
  const json& m = d["optics"][0];
  EXPECT_EQ(m["interface"], "XGigabitEthernet0/0/1");
  EXPECT_EQ(m["units"], "uW (table: S5720)");
  EXPECT_EQ(m["serial"], "J267C042885");
  EXPECT_EQ(m["temperature_celsius"], 39.0);
  ASSERT_EQ(m["lanes"].size(), 1u);
  EXPECT_NEAR(m["lanes"][0]["rx_dbm"].get<double>(), 10 * std::log10(0.536), 1e-9);
  EXPECT_NEAR(m["lanes"][0]["tx_dbm"].get<double>(), 10 * std::log10(0.591), 1e-9);
  EXPECT_EQ(m["lanes"][0]["rx_no_light"], false);
  EXPECT_NEAR(m["rx_limits"]["low_alarm"].get<double>(), -12.69, 1e-9);
}

TEST_F(Discover, CiscoSfpSensorsMatchedThroughEntityMib) {
  json d = Json(vendors_->port(), "ios_2960x");
  EXPECT_EQ(d["system"]["vendor"], "Cisco");
  EXPECT_EQ(d["interfaces"].size(), 146u);
  ASSERT_EQ(d["optics"].size(), 2u);
  std::map<std::string, const json*> modules;
  for (const json& o : d["optics"]) {
    EXPECT_EQ(o["source"], "CISCO-ENTITY-SENSOR-MIB");
    modules[o["interface"].get<std::string>()] = &o;
  }
  const json& gi1 = *modules.at("Gi1/0/52");
  EXPECT_DOUBLE_EQ(gi1["lanes"][0]["tx_dbm"].get<double>(), -5.0);
  EXPECT_DOUBLE_EQ(gi1["lanes"][0]["rx_dbm"].get<double>(), -4.7);
  EXPECT_EQ(gi1["serial"], "FNS192717K1");
  EXPECT_EQ(gi1["part"], "GLC-SX-MMD");
  EXPECT_DOUBLE_EQ(gi1["rx_sensitivity_dbm"].get<double>(), -17.0);
  const json& gi3 = *modules.at("Gi3/0/52");
  EXPECT_DOUBLE_EQ(gi3["lanes"][0]["tx_dbm"].get<double>(), -5.0);
  EXPECT_DOUBLE_EQ(gi3["lanes"][0]["rx_dbm"].get<double>(), -7.3);
}

TEST_F(Discover, ZteWithout64BitCountersOrIfName) {
  json d = Json(vendors_->port(), "zxr10_5928");
  EXPECT_EQ(d["system"]["vendor"], "ZTE");
  EXPECT_EQ(d["interfaces"].size(), 45u);
  for (const json& i : d["interfaces"]) {
    EXPECT_EQ(i["hc_counters"], false);
    EXPECT_EQ(i["name"], i["descr"]);  // no ifName: ifDescr stands in
  }
  EXPECT_TRUE(d["optics"].empty());
}

TEST_F(Discover, H3cOpticsEntitySensorHugeUptimeAndExactCounters) {
  json d = Json(ours_->port(), "h3c_optics");
  EXPECT_EQ(d["system"]["vendor"], "H3C");
  EXPECT_EQ(d["system"]["uptime_ticks"], 3'000'000'000ULL);
  // 2^54 + 2 cannot survive a double; it must come through exactly.
  EXPECT_EQ((*Interface(d, 2))["in_octets"].get<uint64_t>(), 18'014'398'509'481'987ULL);
  EXPECT_EQ((*Interface(d, 2))["speed_bps"], 10'000'000'000ULL);  // ifHighSpeed over ifSpeed
  // XGE1/0/49 in the H3C table, XGE1/0/50 by an ENTITY-SENSOR sensor; XGE1/0/51 is empty.
  ASSERT_EQ(d["optics"].size(), 2u);
  EXPECT_EQ(d["optics"][0]["interface"], "XGE1/0/49");
  EXPECT_EQ(d["optics"][0]["source"], "HH3C-TRANSCEIVER-INFO-MIB");
  EXPECT_DOUBLE_EQ(d["optics"][0]["lanes"][0]["rx_dbm"].get<double>(), -2.5);
  EXPECT_DOUBLE_EQ(d["optics"][0]["lanes"][0]["tx_dbm"].get<double>(), -1.8);
  EXPECT_EQ(d["optics"][0]["serial"], "210231A0A6X123000456");
  EXPECT_EQ(d["optics"][1]["interface"], "XGE1/0/50");
  EXPECT_DOUBLE_EQ(d["optics"][1]["lanes"][0]["rx_dbm"].get<double>(), -5.12);
}

// Real ZTE, TP-Link and Cisco switches answer without sysUpTime.0: discover accepts them.
TEST_F(Discover, AnAgentWithoutSysUpTimeIsDiscoveredWithUptimeUnknown) {
  for (const char* community : {"no_sysuptime", "no_clock"}) {
    SCOPED_TRACE(community);
    json d = Json(ours_->port(), community);
    EXPECT_TRUE(d["system"]["uptime_ticks"].is_null());
    EXPECT_TRUE(d["system"]["uptime_seconds"].is_null());
    EXPECT_EQ(d["interfaces"].size(), 4u);
    auto text = Run(ours_->port(), fmt::format("--community {}", community));
    ASSERT_EQ(text.exit_code, 0) << text.output;
    EXPECT_NE(text.output.find("uptime:      unknown (no sysUpTime)"), std::string::npos)
        << text.output;
  }
  EXPECT_EQ(Json(ours_->port(), "no_clock")["system"]["vendor"], "TP-Link");
}

// ... and `lanwatch check` reports them up, not unreachable.
TEST_F(Discover, CheckReportsAnAgentWithoutSysUpTimeUp) {
  testing::TempDir dir;
  std::string config = dir.Write("lanwatch.yaml", fmt::format(R"(snmp: {{timeout: 1s, retries: 1}}
devices:
  - {{name: zte, role: switch, address: 127.0.0.1, snmp: {{community: no_sysuptime, port: {}}}}}
  - {{name: tplink, role: switch, address: 127.0.0.1, snmp: {{community: no_clock, port: {}}}}}
)",
                                                              ours_->port(), ours_->port()));
  auto r = RunCommand(fmt::format("{} check -c {} --sample 1s", testing::LanwatchBinary(), config));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(r.output.starts_with("LANWATCH OK - 2/2 devices up")) << r.output;
}

TEST_F(Discover, TextReportNamesVendorAndInterfaces) {
  auto r = Run(ours_->port(), "--community h3c_optics");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("object id:   1.3.6.1.4.1.25506.1.1 (H3C)"), std::string::npos);
  EXPECT_NE(r.output.find("Panji district fiber"), std::string::npos);
  EXPECT_NE(r.output.find("Optical modules (2)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("RECEIVE dBm"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("210231A0A6X123000456"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("0.01 dBm (the MIB's unit)"), std::string::npos) << r.output;
}

// A dark fiber reads "no light" in words, not -40.
TEST_F(Discover, TextReportSaysNoLight) {
  auto r = Run(ours_->port(), "--community optics_no_light");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Optical modules (2)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("no light"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("-40.00"), std::string::npos) << r.output;
}

TEST_F(Discover, DraftConfigIsAcceptedByValidate) {
  auto r = Run(ours_->port(), "--community h3c_optics --draft-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  testing::TempDir dir;
  std::string path = dir.Write("draft.yaml", r.output);
  auto valid = RunCommand(fmt::format("{} validate -c {}", testing::LanwatchBinary(), path));
  EXPECT_EQ(valid.exit_code, 0) << valid.output << r.output;
  EXPECT_NE(r.output.find("name: panji-district-fiber\n    kind: subordinate"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("name: isp-uplink\n    kind: uplink"), std::string::npos) << r.output;
  // Down ports and ports without alias or optics are left out.
  EXPECT_EQ(r.output.find("XGE1/0/51"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\"GE1/0/1\""), std::string::npos) << r.output;
}

TEST_F(Discover, HuaweiDraftHasItsThreeOpticalPorts) {
  auto r = Run(vendors_->port(), "--community vrp_5720 --draft-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  testing::TempDir dir;
  auto valid = RunCommand(fmt::format("{} validate -c {}", testing::LanwatchBinary(),
                                      dir.Write("draft.yaml", r.output)));
  EXPECT_EQ(valid.exit_code, 0) << valid.output << r.output;
  EXPECT_NE(valid.output.find("(1 devices, 3 links)"), std::string::npos) << valid.output;
}

TEST_F(Discover, SnmpV3AgainstSnmpd) {
  testing::SnmpdAgent agent;
  auto r = RunCommand(
      fmt::format("{} discover 127.0.0.1:{} --snmp-version 3 --user {} --auth-protocol SHA-256 "
                  "--auth-passphrase {} --priv-protocol AES --priv-passphrase {} --json",
                  testing::LanwatchBinary(), agent.port(), testing::kV3User, testing::kV3AuthPass,
                  testing::kV3PrivPass));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  json d = json::parse(r.output);
  EXPECT_EQ(d["system"]["vendor"], "net-snmp");
  EXPECT_FALSE(d["interfaces"].empty());
}

TEST_F(Discover, UnreachableAndBadOptionsAreClearMessages) {
  auto dead = RunCommand(fmt::format("{} discover 127.0.0.1:{} --timeout 200ms --retries 0",
                                     testing::LanwatchBinary(), testing::FreeUdpPort()));
  EXPECT_EQ(dead.exit_code, 1);
  EXPECT_NE(dead.output.find("no reply (timeout)"), std::string::npos) << dead.output;
  auto v3 =
      RunCommand(fmt::format("{} discover 127.0.0.1 --snmp-version 3", testing::LanwatchBinary()));
  EXPECT_EQ(v3.exit_code, 2);
  EXPECT_NE(v3.output.find("SNMPv3 needs 'user'"), std::string::npos) << v3.output;
  auto port = RunCommand(fmt::format("{} discover 127.0.0.1:99999", testing::LanwatchBinary()));
  EXPECT_EQ(port.exit_code, 2);
  EXPECT_NE(port.output.find("is not ADDRESS[:PORT]"), std::string::npos) << port.output;
}

}  // namespace
}  // namespace lanwatch
