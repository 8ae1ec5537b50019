#include "tests/support/agents.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <stdexcept>

namespace lanwatch::testing {

bool AgentAnswers(int port, const std::string& community) {
  return RunCommand(fmt::format("snmpget -m '' -On -v2c -c {} -t 0.3 -r 0 127.0.0.1:{} "
                                "1.3.6.1.2.1.1.3.0",
                                community, port))
             .exit_code == 0;
}

SnmpdAgent::SnmpdAgent(std::vector<std::string> extra_config) : port_(FreeUdpPort()) {
  std::string conf = fmt::format(
      "rocommunity {} 127.0.0.1\n"
      "createUser {} SHA-256 \"{}\" AES \"{}\"\n"
      "rouser {} priv\n"
      "createUser {} SHA \"{}\"\n"
      "rouser {} auth\n"
      "dontLogTCPWrappersConnects yes\n",
      kCommunity, kV3User, kV3AuthPass, kV3PrivPass, kV3User, kV3AuthOnlyUser, kV3AuthPass,
      kV3AuthOnlyUser);
  for (const std::string& line : extra_config) conf += line + "\n";
  config_ = dir_.Write("snmpd.conf", conf);
  Start();
}

void SnmpdAgent::Start() {
  process_ = ChildProcess::Start(
      {"snmpd", "-f", "-C", "-c", config_, "-Lf", dir_.path() + "/snmpd.log",
       fmt::format("udp:127.0.0.1:{}", port_)},
      dir_.path() + "/stdout.log", {{"SNMP_PERSISTENT_DIR", dir_.path() + "/state"}, {"MIBS", ""}});
  if (!WaitUntil(std::chrono::seconds(10), [&] { return AgentAnswers(port_, kCommunity); })) {
    throw std::runtime_error("snmpd did not start: " + ReadFile(dir_.path() + "/snmpd.log"));
  }
}

SnmpsimAgent::SnmpsimAgent(const std::string& data_dir, const std::string& ready_community,
                           std::vector<std::string> extra_args)
    : port_(FreeUdpPort()) {
  chmod(cache_.path().c_str(), 0777);  // snmpsimd drops to nobody and writes its index here
  std::vector<std::string> argv = {"snmpsimd",
                                   "--data-dir=" + data_dir,
                                   fmt::format("--agent-udpv4-endpoint=127.0.0.1:{}", port_),
                                   "--cache-dir=" + cache_.path(),
                                   "--process-user=nobody",
                                   "--process-group=nogroup",
                                   "--logging-method=null"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = ChildProcess::Start(argv, cache_.path() + "/snmpsimd.log");
  // Indexing the large vendor recordings takes a few seconds the first time.
  if (!WaitUntil(std::chrono::seconds(60), [&] { return AgentAnswers(port_, ready_community); })) {
    throw std::runtime_error("snmpsimd did not start: " +
                             ReadFile(cache_.path() + "/snmpsimd.log"));
  }
}

OwnRecordingsAgent::OwnRecordingsAgent(std::vector<std::string> extra_args) {
  auto made = RunCommand(fmt::format("/usr/bin/python3 {}/tests/agents/make_recordings.py {}",
                                     SourceDir(), dir_.path()));
  if (made.exit_code != 0) throw std::runtime_error("make_recordings.py: " + made.output);
  agent_ = std::make_unique<SnmpsimAgent>(dir_.path(), "router_hc", std::move(extra_args));
}

std::string SharedDataDir() { return LANWATCH_SOURCE_DIR "/../shared/data"; }
std::string SourceDir() { return LANWATCH_SOURCE_DIR; }
std::string LanwatchBinary() { return LANWATCH_CLI_BINARY; }
std::string LanwatchdBinary() { return LANWATCHD_BINARY; }

}  // namespace lanwatch::testing
