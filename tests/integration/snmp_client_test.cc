// The SNMP client against real agents: net-snmp's snmpd (v1, v2c, v3) and snmpsimd serving
// real vendor recordings and our own untidy ones.
#include "probes/snmp/snmp_client.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "daemon/device_poller.h"
#include "probes/snmp/device_poll.h"
#include "probes/snmp/standard_oids.h"
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
  return SnmpJob{SnmpTarget{std::move(name), "127.0.0.1", settings},
                 std::make_shared<const SnmpQuery>(BuildDeviceQuery(role)),
                 std::chrono::steady_clock::now() + budget,
                 {}};
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
  auto sample = DecodeDeviceSample(*job.query, result);
  if (!sample) throw std::runtime_error(sample.error().message);
  return *sample;
}

// What net-snmp's own snmpwalk says about the agent, to compare with.
std::vector<std::string> WalkValues(int port, const std::string& oid) {
  auto r = RunCommand(fmt::format("snmpwalk {} -On -Oqv -v2c -c {} 127.0.0.1:{} {}",
                                  testing::kNetSnmpToolOptions, testing::kCommunity, port, oid));
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

  // snmpsimd reads and indexes a recording at its first request for it, which under load can
  // take longer than a test's whole short deadline (then nothing arrives at all): an unhurried
  // walk first gets that out of the way.
  static void ReadRecordingOnce(const std::string& community) {
    SnmpResult r = SnmpClient().Run(
        {Job(community, agent_->port(), V2c(community), DeviceRole::kSwitch, 20s)})[0];
    ASSERT_TRUE(r.ok()) << r.failure_message;
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

using Clock = std::chrono::steady_clock;

long Ms(Clock::duration d) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

// --- One dead SNMPv3 agent among v2c ones (Trust issue item 5 and 6) -----------------------

TEST(SlowOrDeadAgents, DeadV3AgentNeverDelaysTheOthersNorWhenItComesBack) {
  testing::SnmpdAgent router, a, b;
  SnmpSettings v3 = V3(testing::kV3User, testing::kV3AuthPass);
  v3.timeout = 300ms;
  v3.retries = 1;
  auto jobs = [&] {
    return std::vector<SnmpJob>{
        Job("v3-router", router.port(), v3, DeviceRole::kRouter, 10s),
        Job("a", a.port(), V2c(testing::kCommunity), DeviceRole::kSwitch, 10s),
        Job("b", b.port(), V2c(testing::kCommunity), DeviceRole::kSwitch, 10s),
        Job("a-server", a.port(), V2c(testing::kCommunity), DeviceRole::kServer, 10s)};
  };
  SnmpClient client;
  auto warm = client.Run(jobs());  // the v3 engine is known from here on
  for (const SnmpResult& r : warm) ASSERT_TRUE(r.ok()) << r.failure_message;

  router.Stop();
  // The round where it dies (its session knew the engine) and one after (a session that
  // never learnt it): neither may hold up the others.
  for (const char* round : {"v3 dies", "v3 still dead"}) {
    auto dead = client.Run(jobs());
    EXPECT_EQ(dead[0].failure_reason.value_or("ok"), snmp_error::kTimeout)
        << round << ": " << dead[0].failure_message;
    EXPECT_EQ(dead[0].failure_message, "no reply (timeout)") << round;
    for (size_t i = 1; i < dead.size(); ++i) {
      ASSERT_TRUE(dead[i].ok()) << round << ": " << dead[i].failure_message;
      EXPECT_LT(dead[i].elapsed, 300ms)
          << round << ": " << jobs()[i].target.name << " waited for the dead v3 agent";
    }
    std::cout << fmt::format("{}: v3 {} ms ({}); others {} / {} / {} ms\n", round,
                             Ms(dead[0].elapsed), dead[0].failure_message, Ms(dead[1].elapsed),
                             Ms(dead[2].elapsed), Ms(dead[3].elapsed));
  }

  router.Start();
  auto back = client.Run(jobs());
  EXPECT_TRUE(back[0].ok()) << back[0].failure_message;
  for (size_t i = 1; i < back.size(); ++i) {
    ASSERT_TRUE(back[i].ok()) << back[i].failure_message;
    EXPECT_LT(back[i].elapsed, 300ms) << jobs()[i].target.name << " waited for the v3 agent";
  }
  std::cout << fmt::format("v3 back: v3 {} ms ({}); others {} / {} / {} ms\n", Ms(back[0].elapsed),
                           back[0].failure_message, Ms(back[1].elapsed), Ms(back[2].elapsed),
                           Ms(back[3].elapsed));
}

TEST(SlowOrDeadAgents, StoppedV3AndV2cAgentsFailForTheSameReason) {
  testing::SnmpdAgent agent;
  SnmpSettings v3 = V3(testing::kV3User, testing::kV3AuthPass);
  SnmpSettings v2c = V2c(testing::kCommunity);
  v3.timeout = v2c.timeout = 200ms;
  v3.retries = v2c.retries = 0;
  SnmpClient client;
  ASSERT_TRUE(client.Run({Job("v3", agent.port(), v3, DeviceRole::kRouter, 5s)})[0].ok());
  agent.Stop();
  auto fresh = SnmpClient().Run({Job("v3", agent.port(), v3, DeviceRole::kRouter, 5s),
                                 Job("v2c", agent.port(), v2c, DeviceRole::kRouter, 5s)});
  auto cached = client.Run({Job("v3", agent.port(), v3, DeviceRole::kRouter, 5s)});
  for (const SnmpResult* r : {&fresh[0], &fresh[1], &cached[0]}) {
    EXPECT_EQ(r->failure_reason.value_or("ok"), snmp_error::kTimeout) << r->failure_message;
    EXPECT_EQ(r->failure_message, "no reply (timeout)");
    EXPECT_EQ(r->errors.size(), 1u);
  }
}

// --- The deadline path (item 14) ---------------------------------------------------------

// Stops an agent's process (SIGSTOP) for the scope: it is alive but answers nothing.
class Frozen {
 public:
  explicit Frozen(pid_t pid) : pid_(pid) { kill(pid_, SIGSTOP); }
  ~Frozen() { Thaw(); }
  void Thaw() {
    if (pid_ > 0) kill(std::exchange(pid_, -1), SIGCONT);
  }

 private:
  pid_t pid_;
};

TEST(SlowOrDeadAgents, AnAgentSlowerThanTheDeadlineIsADeadlineNotATimeout) {
  testing::SnmpdAgent agent;
  for (SnmpVersion version : {SnmpVersion::kV2c, SnmpVersion::kV3}) {
    SCOPED_TRACE(std::string(ToString(version)));
    SnmpSettings s = version == SnmpVersion::kV3 ? V3(testing::kV3User, testing::kV3AuthPass)
                                                 : V2c(testing::kCommunity);
    s.timeout = 1s;  // the agent would be waited for up to 3 s; the deadline comes first
    s.retries = 2;
    SnmpClient client;
    ASSERT_TRUE(client.Run({Job("slow", agent.port(), s, DeviceRole::kServer, 10s)})[0].ok());
    Frozen frozen(agent.pid());
    auto slow =
        client.Run({Job("slow", agent.port(), s, DeviceRole::kServer, 400ms),
                    Job("other", testing::FreeUdpPort(), V2c("x"), DeviceRole::kServer, 400ms)});
    EXPECT_EQ(slow[0].failure_reason.value_or("ok"), snmp_error::kDeadline)
        << slow[0].failure_message;
    EXPECT_EQ(slow[0].errors.count(snmp_error::kTimeout), 0u) << "closing the session reported "
                                                                 "its pending request";
    EXPECT_GE(slow[0].elapsed, 390ms);
    EXPECT_LT(slow[0].elapsed, 700ms);
    // The agent resumes and answers the requests it was sent: those land nowhere, and the
    // next round starts clean.
    frozen.Thaw();
    std::this_thread::sleep_for(200ms);
    auto next = client.Run({Job("slow", agent.port(), s, DeviceRole::kServer, 10s)});
    ASSERT_TRUE(next[0].ok()) << next[0].failure_message;
    EXPECT_FALSE(
        Decode(Job("slow", agent.port(), s, DeviceRole::kServer, 1s), next[0]).interfaces.empty());
  }
}

TEST_F(VendorRecordings, ADeadlineShorterThanTheWalkKeepsWhatArrived) {
  SnmpSettings s = V2c("ios_2960x");
  s.bulk_repetitions = 1;  // 146 interfaces, one row per request: far longer than 150 ms
  ASSERT_NO_FATAL_FAILURE(ReadRecordingOnce("ios_2960x"));
  SnmpJob job = Job("cisco", agent_->port(), s, DeviceRole::kSwitch, 150ms);
  auto results = SnmpClient().Run({job});
  const SnmpResult& r = results[0];
  EXPECT_EQ(r.failure_reason.value_or("ok"), snmp_error::kDeadline) << r.failure_message;
  ASSERT_EQ(r.column_complete.size(), job.query->walk.size());
  EXPECT_FALSE(r.column_complete[0]);
  // What arrived before the deadline is there, and said to be incomplete.
  auto sample = DecodeDeviceSample(*job.query, r);
  ASSERT_TRUE(sample) << sample.error().message;
  EXPECT_FALSE(sample->interfaces_complete);
  EXPECT_GT(sample->interfaces.size(), 0u);
  EXPECT_LT(sample->interfaces.size(), 146u);
  EXPECT_TRUE(sample->system.uptime_ticks);
}

// --- Agents without sysUpTime (item 3) ---------------------------------------------------

class OwnRecordings : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { agent_ = new testing::OwnRecordingsAgent; }
  static void TearDownTestSuite() { delete agent_; }
  static testing::OwnRecordingsAgent* agent_;
};
testing::OwnRecordingsAgent* OwnRecordings::agent_ = nullptr;

TEST_F(OwnRecordings, AnAgentWithoutSysUpTimeIsDecodedWithTheClocksItHas) {
  for (SnmpVersion version : {SnmpVersion::kV2c, SnmpVersion::kV1}) {
    SCOPED_TRACE(std::string(ToString(version)));
    SnmpSettings s = V2c("no_sysuptime");
    s.version = version;
    SnmpJob job = Job("zte", agent_->port(), s, DeviceRole::kSwitch);
    auto results = SnmpClient().Run({job});
    ASSERT_TRUE(results[0].ok()) << results[0].failure_message;
    DeviceSample sample = Decode(job, results[0]);
    EXPECT_FALSE(sample.system.uptime_ticks);
    EXPECT_GE(sample.system.hr_uptime_ticks.value_or(0), 720000u);
    EXPECT_EQ(sample.system.engine_boots, 3u);
    EXPECT_GE(sample.system.engine_time_seconds.value_or(0), 7200u);
    EXPECT_EQ(sample.system.name, "zte-nouptime");
    EXPECT_EQ(sample.interfaces.size(), 4u);
    EXPECT_TRUE(sample.interfaces_complete);
    EXPECT_EQ(sample.interfaces.at(2).in_octets.has_value(), true);
  }
}

TEST_F(OwnRecordings, AnAgentWithNoClockAtAllIsStillASample) {
  SnmpJob job = Job("tplink", agent_->port(), V2c("no_clock"), DeviceRole::kSwitch);
  auto results = SnmpClient().Run({job});
  ASSERT_TRUE(results[0].ok()) << results[0].failure_message;
  DeviceSample sample = Decode(job, results[0]);
  EXPECT_FALSE(sample.system.uptime_ticks);
  EXPECT_FALSE(sample.system.hr_uptime_ticks);
  EXPECT_FALSE(sample.system.engine_boots);
  EXPECT_FALSE(sample.system.engine_time_seconds);
  EXPECT_EQ(sample.system.name, "tplink-noclock");
  EXPECT_EQ(sample.interfaces.size(), 4u);
}

TEST_F(OwnRecordings, NothingUsableIsTheOnlyDecodeFailure) {
  // A community the agent does not serve: snmpsimd stays silent, nothing arrives.
  SnmpSettings s = V2c("no_such_community");
  s.timeout = 200ms;
  s.retries = 0;
  SnmpJob job = Job("nobody", agent_->port(), s, DeviceRole::kSwitch);
  auto results = SnmpClient().Run({job});
  EXPECT_EQ(results[0].failure_reason.value_or("ok"), snmp_error::kTimeout);
  auto sample = DecodeDeviceSample(*job.query, results[0]);
  ASSERT_FALSE(sample);
  EXPECT_NE(sample.error().message.find("nothing usable"), std::string::npos);
}

// --- tooBig (item 16) --------------------------------------------------------------------

// snmpsimd serving make_recordings.py's `toobig` recordings through variation/toobig.py:
// more than 4 objects in one request is tooBig; toobig_alias's ifAlias never fits.
class TooBigAgents : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir;
    auto made = testing::RunCommand(
        fmt::format("/usr/bin/python3 {}/tests/agents/make_recordings.py {} toobig",
                    testing::SourceDir(), dir_->path()));
    if (made.exit_code != 0) throw std::runtime_error("make_recordings.py: " + made.output);
    agent_ = new testing::SnmpsimAgent(dir_->path(), "toobig",
                                       {"--variation-modules-dir=" + dir_->path() + "/variation"});
  }
  static void TearDownTestSuite() {
    delete agent_;
    delete dir_;
  }
  static SnmpJob TooBigJob(const std::string& community, SnmpVersion version) {
    SnmpSettings s = V2c(community);
    s.version = version;
    s.timeout = 2s;
    return Job(community, agent_->port(), s, DeviceRole::kSwitch, 30s);
  }
  static testing::TempDir* dir_;
  static testing::SnmpsimAgent* agent_;
};
testing::TempDir* TooBigAgents::dir_ = nullptr;
testing::SnmpsimAgent* TooBigAgents::agent_ = nullptr;

TEST_F(TooBigAgents, RequestsAreSplitUntilTheyFitAndTheAgentIsRemembered) {
  for (SnmpVersion version : {SnmpVersion::kV2c, SnmpVersion::kV1}) {
    SCOPED_TRACE(std::string(ToString(version)));
    SnmpClient client;
    SnmpJob job = TooBigJob("toobig", version);
    auto first = client.Run({job});
    ASSERT_TRUE(first[0].ok()) << first[0].failure_message;
    // v2c: repetitions halved 25 -> 12 -> 6 -> 3 -> 1 (4 tooBig), then the columns split
    // 18 -> 9 -> 4 (2 more); v1 GETNEXT has no repetitions to halve.
    EXPECT_EQ(first[0].errors.at(snmp_error::kTooBig), version == SnmpVersion::kV1 ? 2 : 6);
    for (size_t i = 0; i < job.query->walk.size(); ++i) {
      EXPECT_TRUE(first[0].column_complete[i]) << job.query->walk[i].ToString();
    }
    DeviceSample s = Decode(job, first[0]);
    EXPECT_EQ(s.system.description, "Switch with a small reply buffer (lanwatch test)");
    EXPECT_EQ(s.system.uptime_ticks, 360000u);
    ASSERT_EQ(s.interfaces.size(), 8u);
    EXPECT_TRUE(s.interfaces_complete);
    EXPECT_EQ(s.interfaces.at(8).name, "GE0/0/8");
    EXPECT_EQ(s.interfaces.at(8).alias, "office 8");
    EXPECT_EQ(s.interfaces.at(8).counter_bits, version == SnmpVersion::kV1 ? 32 : 64);
    // The next poll asks the way that worked at once.
    auto second = client.Run({job});
    ASSERT_TRUE(second[0].ok()) << second[0].failure_message;
    EXPECT_EQ(second[0].errors.count(snmp_error::kTooBig), 0u);
    EXPECT_LT(second[0].requests, first[0].requests);
    EXPECT_EQ(Decode(job, second[0]).interfaces.size(), 8u);
  }
}

TEST_F(TooBigAgents, AnObjectThatNeverFitsIsLeftOutAndTheRestKept) {
  for (SnmpVersion version : {SnmpVersion::kV2c, SnmpVersion::kV1}) {
    SCOPED_TRACE(std::string(ToString(version)));
    SnmpJob job = TooBigJob("toobig_alias", version);
    auto results = SnmpClient().Run({job});
    const SnmpResult& r = results[0];
    EXPECT_EQ(r.failure_reason.value_or("ok"), snmp_error::kTooBig);
    EXPECT_EQ(r.scalars.size(), 4u) << "the GET was split, and nothing of it was lost";
    EXPECT_NE(r.failure_message.find(oids::kIfAlias.ToString()), std::string::npos)
        << r.failure_message;
    EXPECT_LT(r.requests, 200) << "the same request is not sent again and again";
    for (size_t i = 0; i < job.query->walk.size(); ++i) {
      EXPECT_EQ(r.column_complete[i], job.query->walk[i] != oids::kIfAlias)
          << job.query->walk[i].ToString();
    }
    DeviceSample s = Decode(job, r);
    EXPECT_FALSE(s.interfaces_complete);
    ASSERT_EQ(s.interfaces.size(), 8u);
    EXPECT_EQ(s.interfaces.at(3).name, "GE0/0/3");
    EXPECT_EQ(s.interfaces.at(3).alias, "");
  }
}

TEST(SnmpClientWithSnmpd, AnEmptyBulkReplyIsTooBigInDisguise) {
  // net-snmp's snmpd answers a GETBULK of more columns than maxGetbulkResponses with no
  // varbinds and no error at all.
  testing::SnmpdAgent agent({"maxGetbulkResponses 8"});
  SnmpJob job = Job("snmpd", agent.port(), V2c(), DeviceRole::kSwitch);
  auto results = SnmpClient().Run({job});
  ASSERT_TRUE(results[0].ok()) << results[0].failure_message;
  EXPECT_GE(results[0].errors.at(snmp_error::kTooBig), 1);
  DeviceSample s = Decode(job, results[0]);
  EXPECT_TRUE(s.interfaces_complete);
  EXPECT_EQ(s.interfaces.size(), WalkValues(agent.port(), "1.3.6.1.2.1.2.2.1.2").size());
}

// --- Names, interruption, MIBs (items 18 and 20) -------------------------------------------

TEST(SnmpClientWithSnmpd, HostNamesAreResolvedOffTheRound) {
  testing::SnmpdAgent agent;
  SnmpJob by_name = Job("by-name", agent.port(), V2c(), DeviceRole::kSwitch, 5s);
  by_name.target.address = "localhost";  // /etc/hosts: 127.0.0.1
  SnmpJob nowhere = Job("nowhere", agent.port(), V2c(), DeviceRole::kSwitch, 3s);
  nowhere.target.address = "lanwatch-test-no-such-host.invalid";  // RFC 6761: never resolves
  SnmpJob by_ip = Job("by-ip", agent.port(), V2c(), DeviceRole::kSwitch, 5s);
  SnmpClient client;
  auto results = client.Run({nowhere, by_name, by_ip});
  EXPECT_EQ(results[0].failure_reason.value_or("ok"), snmp_error::kDns)
      << results[0].failure_message;
  EXPECT_NE(results[0].failure_message.find("lanwatch-test-no-such-host.invalid"),
            std::string::npos);
  ASSERT_TRUE(results[1].ok()) << results[1].failure_message;
  ASSERT_TRUE(results[2].ok()) << results[2].failure_message;
  EXPECT_LT(results[2].elapsed, 300ms) << "an IP literal waits for no name lookup";
  // The answer is kept: the next round looks nothing up.
  auto again = client.Run({by_name});
  ASSERT_TRUE(again[0].ok()) << again[0].failure_message;
  EXPECT_LT(again[0].elapsed, 300ms);
}

TEST(SnmpClientWithSnmpd, AReadableInterruptFdEndsTheRoundAtOnce) {
  testing::SnmpdAgent agent;
  SnmpSettings patient = V2c();
  patient.timeout = 2s;
  patient.retries = 2;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  SnmpClient client;
  std::thread writer([&] {
    std::this_thread::sleep_for(300ms);
    ASSERT_EQ(write(fds[1], "x", 1), 1);
  });
  auto started = Clock::now();
  auto results = client.Run({Job("dead", testing::FreeUdpPort(), patient, DeviceRole::kSwitch),
                             Job("alive", agent.port(), V2c(), DeviceRole::kSwitch)},
                            fds[0]);
  auto took = Clock::now() - started;
  writer.join();
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 600ms);
  EXPECT_EQ(results[0].failure_reason.value_or("ok"), snmp_error::kCancelled);
  EXPECT_TRUE(results[1].ok()) << "finished before the interruption: "
                               << results[1].failure_message;
  // Run did not read the fd: the caller still sees why it stopped.
  char c = 0;
  EXPECT_EQ(read(fds[0], &c, 1), 1);
  // Still readable at the start of a round: nothing is even sent.
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  auto none = client.Run({Job("alive", agent.port(), V2c(), DeviceRole::kSwitch)}, fds[0]);
  EXPECT_EQ(none[0].failure_reason.value_or("ok"), snmp_error::kCancelled);
  EXPECT_EQ(none[0].requests, 0);
  close(fds[0]);
  close(fds[1]);
}

TEST(SnmpClientWithSnmpd, NetSnmpReadsNoMibAndTouchesNoEnvironment) {
  testing::SnmpdAgent agent;
  auto mibs = [] {
    const char* v = std::getenv("MIBS");
    return std::string(v ? v : "(unset)");
  };
  const std::string before = mibs();
  SnmpClient client;  // sets Net-SNMP up, once per process
  EXPECT_EQ(mibs(), before) << "setenv once threads may exist";
  // lanwatch -v logs Net-SNMP's own messages: it looked for no MIB module at all.
  auto r = RunCommand(fmt::format("{} -v discover 127.0.0.1:{} --community {}",
                                  testing::LanwatchBinary(), agent.port(), testing::kCommunity));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("Cannot find module"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("MIB search path"), std::string::npos) << r.output;
  // And without -v, nothing but the report.
  auto quiet =
      RunCommand(fmt::format("{} discover 127.0.0.1:{} --community {} 2>&1 >/dev/null",
                             testing::LanwatchBinary(), agent.port(), testing::kCommunity));
  EXPECT_EQ(quiet.output, "");
}

// --- DevicePoller: partial samples and interruption -------------------------------------

Config OneDevice(const std::string& name, int port, SnmpSettings snmp,
                 DeviceRole role = DeviceRole::kSwitch) {
  Config config;
  snmp.port = static_cast<uint16_t>(port);
  DeviceConfig device;  // by field: an aggregate list breaks each time DeviceConfig grows
  device.name = name;
  device.role = role;
  device.address = "127.0.0.1";
  device.snmp = snmp;
  config.devices.push_back(device);
  return config;
}

TEST_F(VendorRecordings, APartialPollIsASampleWithItsFailure) {
  SnmpSettings s = V2c("ios_2960x");
  s.bulk_repetitions = 1;
  ASSERT_NO_FATAL_FAILURE(ReadRecordingOnce("ios_2960x"));
  Config config = OneDevice("cisco", agent_->port(), s);
  DevicePoller poller;
  auto polls = poller.Poll(config, PollRequest{Clock::now() + 150ms, {}});
  ASSERT_EQ(polls.size(), 1u);
  EXPECT_EQ(polls[0].result.failure_reason.value_or("ok"), snmp_error::kDeadline);
  ASSERT_TRUE(polls[0].sample) << polls[0].decode_error;
  EXPECT_FALSE(polls[0].sample->interfaces_complete);
  EXPECT_FALSE(polls[0].sample->interfaces.empty());
  EXPECT_EQ(polls[0].sample->system.name, "<private>");
}

// Every field of a sample, one interface a line, to compare two decodings with a readable diff.
std::string Describe(const DeviceSample& s) {
  auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
  std::string out = fmt::format(
      "{}|{}|{}|up {} hr {} boots {} time {}|complete {}\n", s.system.name, s.system.description,
      s.system.object_id, opt(s.system.uptime_ticks), opt(s.system.hr_uptime_ticks),
      opt(s.system.engine_boots), opt(s.system.engine_time_seconds), s.interfaces_complete);
  for (const auto& [index, i] : s.interfaces) {
    out += fmt::format(
        "{} {}|{}|{}|type {} admin {} oper {} speed {} change {}|in {} out {} bits {}|err {} {} "
        "disc {} {}|disco {}\n",
        index, i.name, i.description, i.alias, i.type, i.admin_up, i.oper_status, i.speed_bps,
        i.last_change_ticks, opt(i.in_octets), opt(i.out_octets), i.counter_bits, opt(i.in_errors),
        opt(i.out_errors), opt(i.in_discards), opt(i.out_discards),
        opt(i.counter_discontinuity_ticks));
  }
  if (s.host) {
    out += fmt::format("cpu {}|load {} {} {}|mem {} {}\n", fmt::join(s.host->cpu_load_percent, ","),
                       opt(s.host->load1), opt(s.host->load5), opt(s.host->load15),
                       opt(s.host->memory_total_bytes), opt(s.host->memory_available_bytes));
    for (const StorageSample& st : s.host->storage) {
      out += fmt::format("storage {}|{}|{} {}\n", st.description, static_cast<int>(st.kind),
                         st.size_bytes, st.used_bytes);
    }
  }
  return out;
}

// The daemon decodes each walk as its replies come (SnmpJob::on_cell) and keeps none of
// them; `check` and `discover` decode a kept result. Both must read an agent alike, whatever
// order the cells come in.
TEST_F(VendorRecordings, CellsDecodedAsTheyComeGiveTheSampleOfTheKeptReplies) {
  for (const char* community : {"ios_2960x", "vrp_5720", "zxr10_5928"}) {
    SCOPED_TRACE(community);
    SnmpSettings settings = V2c(community);
    settings.timeout = 3s;
    SnmpJob kept = Job(community, agent_->port(), settings, DeviceRole::kSwitch, 30s);
    SnmpJob streamed = kept;
    streamed.target.name += "-streamed";  // its own session: sessions are kept by name
    size_t cells = 0;
    streamed.on_cell = [&](size_t, const VarBind&) { ++cells; };
    SnmpClient client;
    auto results = client.Run({kept, streamed});
    ASSERT_TRUE(results[0].ok()) << results[0].failure_message;
    ASSERT_TRUE(results[1].ok()) << results[1].failure_message;
    size_t kept_cells = 0;
    for (const auto& column : results[0].columns) kept_cells += column.size();
    EXPECT_GT(kept_cells, 500u);
    EXPECT_EQ(cells, kept_cells) << "every cell handed over";
    for (const auto& column : results[1].columns) EXPECT_TRUE(column.empty()) << "none kept";

    const std::string want = Describe(Decode(kept, results[0]));
    // Columns last to first, each twice (a session retried afresh hands its cells again).
    DeviceSampleDecoder reversed(*kept.query, TextEncoding::kAuto);
    for (size_t c = results[0].columns.size(); c-- > 0;) {
      for (int pass = 0; pass < 2; ++pass) {
        for (const VarBind& cell : results[0].columns[c]) reversed.Add(c, cell);
      }
    }
    auto sample = std::move(reversed).Finish(results[0]);
    ASSERT_TRUE(sample) << sample.error().message;
    EXPECT_EQ(Describe(*sample), want);

    // And the daemon's poller, streaming, reads what the kept replies say.
    DevicePoller poller;
    auto polls = poller.Poll(OneDevice(community, agent_->port(), settings),
                             PollRequest{Clock::now() + 30s, {}});
    ASSERT_EQ(polls.size(), 1u);
    ASSERT_TRUE(polls[0].sample) << polls[0].decode_error;
    EXPECT_EQ(Describe(*polls[0].sample), want);
  }
}

TEST(DevicePollerStreaming, AServersHostTablesDecodeAsTheyComeLikeTheKeptReplies) {
  testing::SnmpdAgent agent;
  Config config = OneDevice("server", agent.port(), V2c(), DeviceRole::kServer);
  SnmpClient client;
  SnmpJob job = Job("server", agent.port(), V2c(), DeviceRole::kServer);
  auto results = client.Run({job});
  ASSERT_TRUE(results[0].ok()) << results[0].failure_message;
  DeviceSample kept = Decode(job, results[0]);
  ASSERT_TRUE(kept.host);
  ASSERT_FALSE(kept.host->storage.empty());
  ASSERT_TRUE(kept.host->memory_total_bytes.has_value());
  DevicePoller poller;
  auto polls = poller.Poll(config, PollRequest{Clock::now() + 10s, {}});
  ASSERT_EQ(polls.size(), 1u);
  ASSERT_TRUE(polls[0].sample) << polls[0].decode_error;
  ASSERT_TRUE(polls[0].sample->host);
  // Counters and clocks move between the two reads; the tables' shape does not.
  EXPECT_EQ(polls[0].sample->host->cpu_load_percent.size(), kept.host->cpu_load_percent.size());
  ASSERT_EQ(polls[0].sample->host->storage.size(), kept.host->storage.size());
  for (size_t k = 0; k < kept.host->storage.size(); ++k) {
    EXPECT_EQ(polls[0].sample->host->storage[k].description, kept.host->storage[k].description);
    EXPECT_EQ(polls[0].sample->host->storage[k].size_bytes, kept.host->storage[k].size_bytes);
  }
  EXPECT_EQ(polls[0].sample->host->memory_total_bytes, kept.host->memory_total_bytes);
  EXPECT_EQ(polls[0].sample->interfaces.size(), kept.interfaces.size());
  EXPECT_TRUE(polls[0].sample->host->load1.has_value());
}

TEST(DevicePollerInterrupt, AReadableInterruptFdCancelsThePolls) {
  testing::SnmpdAgent agent;
  Config config = OneDevice("sw", agent.port(), V2c());
  DevicePoller poller;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  auto polls = poller.Poll(config, PollRequest{Clock::now() + 5s, {}, fds[0]});
  ASSERT_EQ(polls.size(), 1u);
  EXPECT_EQ(polls[0].result.failure_reason.value_or("ok"), snmp_error::kCancelled);
  EXPECT_FALSE(polls[0].sample);
  close(fds[0]);
  close(fds[1]);
  auto again = poller.Poll(config, PollRequest{Clock::now() + 5s, {}});
  EXPECT_TRUE(again[0].result.ok()) << again[0].result.failure_message;
}

TEST(DevicePollerRound, DeadAgentsWaitSideBySideAndALinksPacketCountersFollowItsWalk) {
  testing::SnmpdAgent agent;
  const int silent_port = testing::FreeUdpPort();
  SnmpSettings quick = V2c();
  quick.retries = 0;
  Config config = OneDevice("dead-unit", silent_port, quick);
  config.devices.push_back(OneDevice("sw", agent.port(), quick).devices[0]);
  config.devices.push_back(OneDevice("dead-sw", silent_port, quick).devices[0]);
  for (const char* device : {"sw", "dead-sw"}) {
    LinkConfig link;
    link.name = std::string(device) + "-lo";
    link.device = device;
    link.interface = InterfaceSelector{InterfaceKey::kName, "lo"};
    config.links.push_back(link);
  }
  DevicePoller poller;
  std::vector<DevicePoll> polls;
  std::vector<Clock::time_point> handed_over;
  const Clock::time_point began = Clock::now();
  poller.PollEach(config, PollRequest{began + 10s, {}}, [&](DevicePoll&& poll) {
    polls.push_back(std::move(poll));
    handed_over.push_back(Clock::now());
  });
  const auto took = Clock::now() - began;

  ASSERT_EQ(polls.size(), 3u);
  // Three walks in one exchange: the two dead agents' 1 s timeouts ran together (one after
  // the other, linked devices first, took 2 s).
  EXPECT_LT(took, 1700ms);
  EXPECT_EQ(polls[0].device->name, "sw") << "the live one, as soon as it was done";
  EXPECT_LT(handed_over[0] - began, 900ms);
  ASSERT_TRUE(polls[0].sample) << polls[0].decode_error;
  uint32_t lo = 0;
  for (const auto& [index, s] : polls[0].sample->interfaces) {
    if (s.name == "lo") lo = index;
  }
  ASSERT_NE(lo, 0u);
  EXPECT_TRUE(polls[0].sample->interfaces.at(lo).hc_packets.in[0].has_value())
      << "its link's packet counters, read right after its walk";
  for (size_t k = 1; k < 3; ++k) {
    EXPECT_EQ(polls[k].result.failure_reason.value_or("ok"), snmp_error::kTimeout)
        << polls[k].device->name;
  }
}

}  // namespace
}  // namespace lanwatch
