// Test support: real SNMP agents on loopback. `snmpd` from net-snmp with its own config,
// port and state directory (never the system one), and `snmpsimd` serving .snmprec files.
// Each is started by the constructor, ready to answer when it returns, stopped by PID.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace lanwatch::testing {

inline constexpr const char* kCommunity = "lwtest";
inline constexpr const char* kV3User = "lanwatch";        // SHA-256 + AES (authPriv)
inline constexpr const char* kV3AuthOnlyUser = "lwauth";  // SHA, no privacy (authNoPriv)
inline constexpr const char* kV3AuthPass = "authpass123";
inline constexpr const char* kV3PrivPass = "privpass123";

class SnmpdAgent {
 public:
  // `extra_config` lines are appended to snmpd.conf (e.g. `override` directives).
  explicit SnmpdAgent(const std::vector<std::string>& extra_config = {});
  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  void Stop() { process_.Stop(); }
  // Starts it again on the same port: a restart resets sysUpTime, bumps snmpEngineBoots.
  void Start();

 private:
  TempDir dir_;
  int port_;
  std::string config_;
  ChildProcess process_;
};

class SnmpsimAgent {
 public:
  // Serves every .snmprec file in `data_dir` (from a world-readable copy: snmpsimd runs as
  // nobody); the community is the file name without extension. `ready_community` is asked for
  // sysUpTime.0 to know the agent is up. Throws when it does not answer: start agents in a
  // test or its SetUp, never in SetUpTestSuite, where gtest and ctest call a failure a skip.
  SnmpsimAgent(const std::string& data_dir, const std::string& ready_community,
               std::vector<std::string> extra_args = {});
  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }

 private:
  TempDir dir_;  // data/ (the copy), cache/ (snmpsimd's index, writable by nobody), its log
  int port_;
  ChildProcess process_;
};

// snmpsimd serving the recordings tests/agents/make_recordings.py writes (switch48_c32,
// router_hc, h3c_optics, longnames), generated afresh into a temporary directory.
class OwnRecordingsAgent {
 public:
  explicit OwnRecordingsAgent(std::vector<std::string> extra_args = {});
  int port() const { return agent_->port(); }

 private:
  TempDir dir_;
  std::unique_ptr<SnmpsimAgent> agent_;
};

// Options for net-snmp's own tools (snmpget, snmpwalk) whose output a test reads: no MIBs,
// and none of the machine's persistent state (/var/lib/snmp/snmpapp.conf as root), which the
// tools of tests running side by side rewrite as they go: a tool that read what they left
// once warned ("buffer too small to read octet string (17 < 17)") on the output parsed.
inline constexpr const char* kNetSnmpToolOptions =
    "-m '' --noPersistentLoad=yes --noPersistentSave=yes";

// Whether an agent on 127.0.0.1:port answers a v2c GET of sysUpTime.0, asked with snmpget.
bool AgentAnswers(int port, const std::string& community);

// Paths of things the tests use.
std::string SharedDataDir();  // ../shared/data beside the project
std::string SourceDir();
std::string LanwatchBinary();  // the `lanwatch` CLI
std::string LanwatchdBinary();

}  // namespace lanwatch::testing
