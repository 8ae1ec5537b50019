#include "tests/support/agents.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

namespace lanwatch::testing {

bool AgentAnswers(int port, const std::string& community) {
  return RunCommand(fmt::format("snmpget {} -On -v2c -c {} -t 0.3 -r 0 127.0.0.1:{} "
                                "1.3.6.1.2.1.1.3.0",
                                kNetSnmpToolOptions, community, port))
             .exit_code == 0;
}

SnmpdAgent::SnmpdAgent(const std::vector<std::string>& extra_config) : port_(FreeUdpPort()) {
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
  bool exited = false;
  bool ready = WaitUntil(std::chrono::seconds(10), [&] {
    exited = !process_.running();
    return exited || AgentAnswers(port_, kCommunity);
  });
  if (!ready || exited) {
    throw std::runtime_error(fmt::format(
        "snmpd on port {} {}: {}{}", port_, exited ? "exited" : "did not answer within 10 s",
        ReadFile(dir_.path() + "/snmpd.log"), ReadFile(dir_.path() + "/stdout.log")));
  }
}

namespace {

// Copies the tree at `from` into `to`, directories 0755 and files 0644, whatever they were.
void CopyWorldReadable(const std::filesystem::path& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  fs::create_directories(to);
  chmod(to.c_str(), 0755);
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(from)) {
    fs::path target = to / fs::relative(e.path(), from);
    if (e.is_directory()) {
      fs::create_directories(target);
      chmod(target.c_str(), 0755);
    } else if (e.is_regular_file()) {
      fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing);
      chmod(target.c_str(), 0644);
    }
  }
}

}  // namespace

SnmpsimAgent::SnmpsimAgent(const std::string& data_dir, const std::string& ready_community,
                           std::vector<std::string> extra_args)
    : port_(FreeUdpPort()) {
  // snmpsimd drops to nobody: it must be able to read its recordings wherever the checkout
  // lives (root's 0700 home, say), so it serves copies from our world-readable temp dir, and
  // it writes its index into a cache dir nobody can write to.
  std::string data = dir_.path() + "/data";
  CopyWorldReadable(data_dir, data);
  std::string cache = dir_.path() + "/cache";
  std::filesystem::create_directory(cache);
  chmod(cache.c_str(), 0777);
  std::vector<std::string> argv = {"snmpsimd",
                                   "--data-dir=" + data,
                                   fmt::format("--agent-udpv4-endpoint=127.0.0.1:{}", port_),
                                   "--cache-dir=" + cache,
                                   "--process-user=nobody",
                                   "--process-group=nogroup",
                                   "--logging-method=null"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = ChildProcess::Start(argv, dir_.path() + "/snmpsimd.log");
  // Indexing the large vendor recordings takes a few seconds the first time.
  bool exited = false;
  bool ready = WaitUntil(std::chrono::seconds(60), [&] {
    exited = !process_.running();
    return exited || AgentAnswers(port_, ready_community);
  });
  if (!ready || exited) {
    throw std::runtime_error(fmt::format("snmpsimd on port {} {} (data {}): {}", port_,
                                         exited ? "exited" : "did not answer within 60 s", data_dir,
                                         ReadFile(dir_.path() + "/snmpsimd.log")));
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
