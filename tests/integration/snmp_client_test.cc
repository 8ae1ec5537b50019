// The SNMP client against real agents: net-snmp's snmpd (v1, v2c, v3) and snmpsimd serving
// real vendor recordings and our own untidy ones.
#include "probes/snmp/snmp_client.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "probes/snmp/device_poll.h"
#include "tests/support/agents.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::AgentAnswers;
using testing::RunCommand;
using testing::SharedDataDir;

SnmpJob Job(std::string name, int port, SnmpSettings settings, DeviceRole role,
            std::chrono::milliseconds budget = 10s) {
  settings.port = static_cast<uint16_t>(port);
  return SnmpJob{SnmpTarget{std::move(name), "127.0.0.1", settings}, BuildDeviceQuery(role),
                 std::chrono::steady_clock::now() + budget};
}

SnmpSettings V2c(std::string community = testing::kCommunity) {
  SnmpSettings s;
  s.community = std::move(community);
  s.timeout = 1s;
  s.retries = 1;
  return s;
}

SnmpSettings V3(std::string user = testing::kV3User, std::string auth = testing::kV3AuthPass) {
  SnmpSettings s;
  s.version = SnmpVersion::kV3;
  s.user = std::move(user);
  s.auth_protocol = AuthProtocol::kSha256;
  s.auth_passphrase = std::move(auth);
  s.priv_protocol = PrivProtocol::kAes;
  s.priv_passphrase = testing::kV3PrivPass;
  s.timeout = 1s;
  return s;
}

DeviceSample Decode(const SnmpJob& job, const SnmpResult& result) {
  auto sample = DecodeDeviceSample(job.query, result);
  if (!sample) throw std::runtime_error(sample.error().message);
  return *sample;
}

// What net-snmp's own snmpwalk says about the agent, to compare with.
std::vector<std::string> WalkValues(int port, const std::string& oid) {
  auto r = RunCommand(fmt::format("snmpwalk -m '' -On -Oqv -v2c -c {} 127.0.0.1:{} {}",
                                  testing::kCommunity, port, oid));
  std::vector<std::string> values;
  std::stringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() >= 2 && line.front() == '"') line = line.substr(1, line.size() - 2);
    values.push_back(line);
  }
  return values;
}

TEST(SnmpClientWithSnmpd, PollsOverV1V2cAndV3Alike) {
  testing::SnmpdAgent agent;
  SnmpSettings v1 = V2c();
  v1.version = SnmpVersion::kV1;
  std::vector<SnmpJob> jobs = {Job("v1", agent.port(), v1, DeviceRole::kServer),
                               Job("v2c", agent.port(), V2c(), DeviceRole::kServer),
                               Job("v3", agent.port(), V3(), DeviceRole::kRouter)};
  SnmpClient client;
  auto results = client.Run(jobs);
  std::vector<std::string> descrs = WalkValues(agent.port(), "1.3.6.1.2.1.2.2.1.2");
  std::string sys_name = WalkValues(agent.port(), "1.3.6.1.2.1.1.5.0").at(0);
  for (size_t i = 0; i < jobs.size(); ++i) {
    SCOPED_TRACE(jobs[i].target.name);
    ASSERT_TRUE(results[i].ok()) << results[i].failure_message;
    DeviceSample s = Decode(jobs[i], results[i]);
    EXPECT_EQ(s.system.name, sys_name);
    EXPECT_GT(s.system.uptime_ticks.value_or(0), 0u);
    ASSERT_EQ(s.interfaces.size(), descrs.size());
    size_t k = 0;
    for (const auto& [index, iface] : s.interfaces) EXPECT_EQ(iface.description, descrs[k++]);
    EXPECT_EQ(s.interfaces.begin()->second.counter_bits,
              jobs[i].target.settings.version == SnmpVersion::kV1 ? 32 : 64);
  }
  // The server role also reads HOST-RESOURCES and UCD: this machine has memory and a disk.
  DeviceSample server = Decode(jobs[1], results[1]);
  ASSERT_TRUE(server.host);
  EXPECT_GT(server.host->memory_total_bytes.value_or(0), 0u);
  EXPECT_TRUE(server.host->load1);
  EXPECT_FALSE(server.host->storage.empty());
  EXPECT_TRUE(results[0].errors.empty()) << "v1 ends its walks with noSuchName, not an error";
}

TEST(SnmpClientWithSnmpd, V3AuthNoPrivWithSha1) {
  testing::SnmpdAgent agent;
  SnmpSettings s = V3(testing::kV3AuthOnlyUser);
  s.auth_protocol = AuthProtocol::kSha;
  s.priv_protocol = PrivProtocol::kNone;
  SnmpClient client;
  auto results = client.Run({Job("r", agent.port(), s, DeviceRole::kRouter)});
  ASSERT_TRUE(results[0].ok()) << results[0].failure_message;
  // The agent only lets this user read with authentication; asking for privacy too is refused.
  s.priv_protocol = PrivProtocol::kAes;
  auto refused = SnmpClient().Run({Job("r", agent.port(), s, DeviceRole::kRouter)});
  EXPECT_FALSE(refused[0].ok());
}

TEST(SnmpClientWithSnmpd, UnknownV3UserIsAnAuthErrorNotATimeout) {
  testing::SnmpdAgent agent;
  SnmpClient client;
  auto results = client.Run({Job("r", agent.port(), V3("intruder"), DeviceRole::kRouter)});
  EXPECT_EQ(results[0].failure_reason.value_or(""), snmp_error::kAuth)
      << results[0].failure_message;
  EXPECT_LT(results[0].elapsed, 1s);  // told at once, no waiting for a timeout
}

TEST(SnmpClientWithSnmpd, WrongV3PassphraseIsAnAuthError) {
  testing::SnmpdAgent agent;
  SnmpClient client;
  auto results = client.Run(
      {Job("r", agent.port(), V3(testing::kV3User, "not-the-pass"), DeviceRole::kRouter)});
  EXPECT_EQ(results[0].failure_reason.value_or(""), snmp_error::kAuth)
      << results[0].failure_message;
}

TEST(SnmpClientWithSnmpd, DeadAgentNeverDelaysTheOthers) {
  testing::SnmpdAgent agent;
  SnmpSettings quick = V2c();
  quick.timeout = 300ms;
  quick.retries = 1;
  std::vector<SnmpJob> jobs = {Job("dead", testing::FreeUdpPort(), quick, DeviceRole::kSwitch),
                               Job(
                                   "wrong-community", agent.port(),
                                   [&] {
                                     SnmpSettings s = quick;
                                     s.community = "guess";
                                     return s;
                                   }(),
                                   DeviceRole::kSwitch),
                               Job("alive", agent.port(), V2c(), DeviceRole::kSwitch)};
  SnmpClient client;
  auto results = client.Run(jobs);
  EXPECT_EQ(results[0].failure_reason.value_or(""), snmp_error::kTimeout);
  EXPECT_EQ(results[1].failure_reason.value_or(""), snmp_error::kTimeout);  // v2c: agent is mute
  // Two attempts of 300 ms each, give or take scheduling.
  EXPECT_GE(results[0].elapsed, 550ms);
  EXPECT_LE(results[0].elapsed, 1000ms);
  ASSERT_TRUE(results[2].ok());
  EXPECT_LT(results[2].elapsed, 300ms) << "the live agent finished while the dead one waited";
}

TEST(SnmpClientWithSnmpd, SessionsSurviveBetweenRoundsAndAgentRestarts) {
  testing::SnmpdAgent agent;
  SnmpClient client;
  std::vector<SnmpJob> jobs = {Job("v3", agent.port(), V3(), DeviceRole::kRouter)};
  std::this_thread::sleep_for(4s);  // enough uptime that a restart visibly resets it
  auto first = client.Run(jobs);
  ASSERT_TRUE(first[0].ok());
  uint32_t uptime = Decode(jobs[0], first[0]).system.uptime_ticks.value_or(0);
  agent.Stop();
  agent.Start();
  jobs = {Job("v3", agent.port(), V3(), DeviceRole::kRouter)};
  auto second = client.Run(jobs);
  // The cached v3 session went stale with the agent's restart; a fresh one took over at once.
  ASSERT_TRUE(second[0].ok()) << second[0].failure_message;
  EXPECT_LT(Decode(jobs[0], second[0]).system.uptime_ticks.value_or(0), uptime);
}

// What a .snmprec recording says about its interfaces, read independently of lanwatch.
struct RecordedInterface {
  std::string descr, name;
  int oper = 0;
};
std::map<uint32_t, RecordedInterface> ReadRecording(const std::string& path) {
  std::map<uint32_t, RecordedInterface> out;
  std::ifstream in(path);
  std::regex line_re(R"(^1\.3\.6\.1\.2\.1\.(2\.2\.1\.(2|8)|31\.1\.1\.1\.(1))\.(\d+)\|\d+\|(.*)$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, line_re)) continue;
    auto& row = out[static_cast<uint32_t>(std::stoul(m[4]))];
    if (m[2] == "2") row.descr = m[5];
    if (m[2] == "8") row.oper = std::stoi(m[5]);
    if (m[3] == "1") row.name = m[5];
  }
  return out;
}

class VendorRecordings : public ::testing::Test {
 protected:
  // Agents start in the first test's SetUp, where a failure to start fails that test. (From
  // SetUpTestSuite, gtest would mark the tests skipped, and ctest would count them as skips.)
  void SetUp() override {
    if (!agent_) agent_ = new testing::SnmpsimAgent(SharedDataDir() + "/snmprec", "vrp_5720");
  }
  static void TearDownTestSuite() {
    delete agent_;
    agent_ = nullptr;
  }

  // Polls the recording `community` and checks every interface against the file.
  DeviceSample PollAndCompare(const std::string& community, SnmpVersion version) {
    SnmpSettings s = V2c(community);
    s.version = version;
    s.timeout = 3s;
    SnmpJob job = Job(community, agent_->port(), s, DeviceRole::kSwitch, 30s);
    SnmpClient client;
    auto results = client.Run({job});
    if (!results[0].ok()) throw std::runtime_error(results[0].failure_message);
    DeviceSample sample = Decode(job, results[0]);
    auto recorded = ReadRecording(SharedDataDir() + "/snmprec/" + community + ".snmprec");
    EXPECT_EQ(sample.interfaces.size(), recorded.size());
    for (const auto& [index, want] : recorded) {
      auto it = sample.interfaces.find(index);
      if (it == sample.interfaces.end()) {
        ADD_FAILURE() << "ifIndex " << index << " missing";
        continue;
      }
      EXPECT_EQ(it->second.description, want.descr) << index;
      EXPECT_EQ(it->second.name, want.name.empty() ? want.descr : want.name) << index;
      EXPECT_EQ(it->second.oper_status, want.oper) << index;
    }
    return sample;
  }

  static testing::SnmpsimAgent* agent_;
};
testing::SnmpsimAgent* VendorRecordings::agent_ = nullptr;

size_t CountHc(const DeviceSample& s) {
  return static_cast<size_t>(
      std::count_if(s.interfaces.begin(), s.interfaces.end(),
                    [](const auto& e) { return e.second.counter_bits == 64; }));
}

TEST_F(VendorRecordings, HuaweiWithoutIfIndexColumn) {
  DeviceSample s = PollAndCompare("vrp_5720", SnmpVersion::kV2c);
  EXPECT_EQ(s.interfaces.size(), 65u);
  EXPECT_EQ(CountHc(s), 65u);  // ifHC* only: the ifTable octet columns are absent
  EXPECT_EQ(s.interfaces.at(6).name, "GigabitEthernet0/0/1");
  EXPECT_EQ(s.interfaces.at(6).speed_bps, 1'000'000'000u);
  EXPECT_TRUE(s.system.description.find("S5720") != std::string::npos);
}

TEST_F(VendorRecordings, ZteWithOnly32BitCountersAndItsWalkRecordedTwice) {
  DeviceSample s = PollAndCompare("zxr10_5928", SnmpVersion::kV2c);
  EXPECT_EQ(s.interfaces.size(), 45u);  // not 90
  EXPECT_EQ(CountHc(s), 0u);
  for (const auto& [i, iface] : s.interfaces) EXPECT_EQ(iface.name, iface.description);
}

TEST_F(VendorRecordings, ZteOverSnmpV1) {
  DeviceSample s = PollAndCompare("zxr10_5928", SnmpVersion::kV1);
  EXPECT_EQ(s.interfaces.size(), 45u);
}

TEST_F(VendorRecordings, CiscoWithMixedCounters) {
  DeviceSample s = PollAndCompare("ios_2960x", SnmpVersion::kV2c);
  EXPECT_EQ(s.interfaces.size(), 146u);
  EXPECT_EQ(CountHc(s), 136u);
}

TEST(UntidyAgents, SilentOnLargeBulkRepliesIsRetriedWithFewerRepetitions) {
  testing::OwnRecordingsAgent agent({"--max-varbinds=1000"});
  SnmpSettings s = V2c("longnames");
  s.timeout = 500ms;
  s.retries = 0;
  s.bulk_repetitions = 50;
  SnmpJob job = Job("longnames", agent.port(), s, DeviceRole::kSwitch, 20s);
  SnmpClient client;
  auto results = client.Run({job});
  ASSERT_TRUE(results[0].ok()) << results[0].failure_message;
  EXPECT_GE(results[0].errors.at(snmp_error::kTimeout), 1);
  DeviceSample sample = Decode(job, results[0]);
  EXPECT_EQ(sample.interfaces.size(), 60u);
  EXPECT_TRUE(sample.interfaces.at(60).name.starts_with("port 60 xxx"));
}

}  // namespace
}  // namespace lanwatch
