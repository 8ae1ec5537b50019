// lanwatchd's captures and the privileges around them, on a real veth between two network
// namespaces of the test's own: lanwatchd runs in one ("office", capturing on wire0), a UDP
// stream comes from the other ("peer"). Started as root with --user, and started as nobody
// holding only CAP_NET_RAW: the capture opens, then no thread of the process has any
// capability. The interface deleted under a running capture: it is reported down with why,
// and counts again once the interface is back. And SIGHUP as the `lanwatch` service user
// reads a config only root and the lanwatch group can read.
#include <fmt/format.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"
#include "tests/support/netns.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::FindValue;
using testing::NetworkNamespace;
using testing::ParseExposition;
using testing::RunCommand;

constexpr const char* kOfficeAddress = "198.18.20.1";
constexpr size_t kPayload = 200;
constexpr uint64_t kWireBytes = kPayload + 8 + 20 + 14;  // UDP, IPv4, Ethernet headers

// What /proc/PID/task/*/status says about each thread of a process.
struct Task {
  std::string tid;
  std::map<std::string, std::string> fields;  // "CapEff" -> "0000000000000000", ...
};
std::vector<Task> Tasks(pid_t pid) {
  std::vector<Task> tasks;
  for (const auto& entry : std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid))) {
    Task t{entry.path().filename().string(), {}};
    std::ifstream status(entry.path() / "status");
    for (std::string line; std::getline(status, line);) {
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t") + 1);
      t.fields[line.substr(0, colon)] = value;
    }
    tasks.push_back(std::move(t));
  }
  return tasks;
}

std::set<std::string> Words(const std::string& text) {
  std::set<std::string> words;
  std::stringstream in(text);
  for (std::string w; in >> w;) words.insert(w);
  return words;
}

// Every thread: no capability in any set but the bounding one, running as `uid`.
void ExpectNoCapabilityAnywhere(pid_t pid, uid_t uid) {
  auto tasks = Tasks(pid);
  // main, the capture's thread, civetweb's master and workers: the drop must hold for all.
  EXPECT_GE(tasks.size(), 3u);
  const std::string ids = fmt::format("{0}\t{0}\t{0}\t{0}", uid);
  for (const Task& t : tasks) {
    SCOPED_TRACE("task " + t.tid + " (" + t.fields.at("Name") + ")");
    for (const char* set : {"CapInh", "CapPrm", "CapEff", "CapAmb"}) {
      EXPECT_EQ(t.fields.at(set), "0000000000000000") << set;
    }
    EXPECT_EQ(t.fields.at("Uid"), ids);
    EXPECT_EQ(t.fields.at("NoNewPrivs"), "1");
  }
}

class CapturePrivileges : public ::testing::Test {
 protected:
  void SetUp() override { MakeWire(); }

  // The veth pair: wire0 in the office, peer0 in the peer namespace.
  void MakeWire() {
    for (const auto& r :
         {office_.Ip(
              fmt::format("link add wire0 type veth peer name peer0 netns {}", peer_.name())),
          office_.Ip(fmt::format("addr add {}/30 dev wire0", kOfficeAddress)),
          office_.Ip("link set wire0 up"), peer_.Ip("addr add 198.18.20.2/30 dev peer0"),
          peer_.Ip("link set peer0 up")}) {
      ASSERT_EQ(r.exit_code, 0) << r.output;
    }
  }

  std::string Config() {
    return dir_.Write("lanwatch.yaml", fmt::format(R"(site: capture test
poll_interval: 1s
devices: []
captures:
  - {{name: wire, interface: wire0, local_networks: [{}/32], interval: 500ms}}
)",
                                                   kOfficeAddress));
  }

  // lanwatchd inside the office namespace, `prefix` (setpriv ...) before it.
  ChildProcess StartDaemon(const std::vector<std::string>& prefix,
                           const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"ip", "netns", "exec", office_.name()};
    argv.insert(argv.end(), prefix.begin(), prefix.end());
    for (const std::string& a :
         std::vector<std::string>{testing::LanwatchdBinary(), "-c", Config(), "--listen",
                                  fmt::format("127.0.0.1:{}", port_), "--log-level", "debug"}) {
      argv.push_back(a);
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return ChildProcess::Start(argv, log_);
  }

  std::vector<testing::MetricSample> Scrape() {
    return ParseExposition(office_.HttpGet(port_, "/metrics").second);
  }
  std::optional<double> Up() {
    return FindValue(Scrape(), "lanwatch_capture_up", {{"capture", "wire"}});
  }
  double BytesIn() {
    return FindValue(Scrape(), "lanwatch_capture_receive_bytes_total", {{"capture", "wire"}})
        .value_or(-1);
  }
  std::string Log() { return testing::ReadFile(log_); }

  // Opens, counts exactly what the peer sent, and then has no capability left anywhere.
  void ExpectCapturesWithoutPrivileges(ChildProcess& daemon, uid_t uid) {
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return Up() == 1; })) << Log();
    {
      testing::UdpStream stream(peer_, kOfficeAddress, kPayload, 10ms);
      std::this_thread::sleep_for(2s);
      sent_ = stream.sent();
    }
    ASSERT_GT(sent_, 100u);
    // The last datagrams are counted by the next interval: wait until the total holds still.
    double bytes = 0;
    ASSERT_TRUE(testing::WaitUntil(5s, [&] {
      double now = BytesIn();
      bool settled = now == bytes && now > 0;
      bytes = now;
      if (!settled) std::this_thread::sleep_for(600ms);
      return settled;
    }));
    // ARP from the peer counts as non-IP, not in: the UDP stream is all of `in`.
    EXPECT_EQ(bytes, static_cast<double>(sent_ * kWireBytes)) << Log();
    ExpectNoCapabilityAnywhere(daemon.pid(), uid);
  }

  NetworkNamespace office_{"office"};
  NetworkNamespace peer_{"peer"};
  testing::TempDir dir_;
  std::string log_ = dir_.path() + "/lanwatchd.log";
  int port_ = testing::FreeTcpPort();
  uint64_t sent_ = 0;
};

TEST_F(CapturePrivileges, StartedAsRootWithUserEveryThreadEndsWithNoCapability) {
  auto daemon = StartDaemon({}, {"--user", "nobody"});
  ExpectCapturesWithoutPrivileges(daemon, getpwnam("nobody")->pw_uid);
  // nobody's own groups only: not root's.
  for (const auto& t : Tasks(daemon.pid())) {
    EXPECT_EQ(t.fields.at("Groups"), fmt::format("{}", getpwnam("nobody")->pw_gid)) << t.tid;
  }
}

TEST_F(CapturePrivileges, StartedAsNobodyWithCapNetRawEveryThreadEndsWithNoCapability) {
  const std::vector<std::string> as_nobody = {"setpriv", "--reuid=nobody", "--regid=nogroup",
                                              "--clear-groups"};
  // Without the capability the capture cannot open: it is CAP_NET_RAW that opens it below.
  {
    auto daemon = StartDaemon(as_nobody, {});
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return Up() == 0; })) << Log();
    EXPECT_NE(Log().find("capture wire: capture on wire0"), std::string::npos) << Log();
  }
  std::vector<std::string> with_net_raw = as_nobody;
  with_net_raw.insert(with_net_raw.end(), {"--inh-caps=+net_raw", "--ambient-caps=+net_raw"});
  auto daemon = StartDaemon(with_net_raw, {});
  ExpectCapturesWithoutPrivileges(daemon, getpwnam("nobody")->pw_uid);
}

TEST_F(CapturePrivileges, InterfaceGoneIsReportedDownAndTheCaptureComesBackWithIt) {
  auto daemon = StartDaemon({}, {"--user", "nobody"});
  ASSERT_TRUE(testing::WaitUntil(10s, [&] { return Up() == 1; })) << Log();
  testing::UdpStream stream(peer_, kOfficeAddress, kPayload, 10ms);
  ASSERT_TRUE(testing::WaitUntil(5s, [&] { return BytesIn() > 0; })) << Log();

  auto deleted = std::chrono::steady_clock::now();
  ASSERT_EQ(office_.Ip("link del wire0").exit_code, 0);
  ASSERT_TRUE(testing::WaitUntil(3s, [&] { return Up() == 0; })) << Log();
  auto down_after = std::chrono::steady_clock::now() - deleted;
  auto m = Scrape();
  EXPECT_EQ(FindValue(m, "lanwatch_capture_error_info",
                      {{"capture", "wire"}, {"error", "wire0: The interface disappeared"}}),
            1)
      << office_.HttpGet(port_, "/metrics").second;
  std::this_thread::sleep_for(3500ms);  // attempts to come back 1 s and 3 s after the failure
  EXPECT_EQ(Up(), 0);
  // Each failed attempt doubles the wait before the next one.
  std::vector<int> waits;
  std::stringstream lines(Log());
  for (std::string line; std::getline(lines, line);) {
    auto at = line.find("wire0: trying again in ");
    if (at != std::string::npos) waits.push_back(std::stoi(line.substr(at + 23)));
  }
  EXPECT_EQ(waits, (std::vector<int>{1000, 2000, 4000})) << Log();

  auto recreated = std::chrono::steady_clock::now();
  MakeWire();
  ASSERT_TRUE(testing::WaitUntil(15s, [&] { return Up() == 1; })) << Log();
  auto up_after = std::chrono::steady_clock::now() - recreated;
  EXPECT_FALSE(FindValue(Scrape(), "lanwatch_capture_error_info", {{"capture", "wire"}}));
  double before = BytesIn();
  ASSERT_TRUE(testing::WaitUntil(5s, [&] { return BytesIn() > before + 10 * kWireBytes; }))
      << Log();
  // Still nothing to abuse after coming back: the socket was rebound, not reopened.
  ExpectNoCapabilityAnywhere(daemon.pid(), getpwnam("nobody")->pw_uid);

  // Each change of state is logged once, not once per attempt.
  std::string log = Log();
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = log.find(what); at != std::string::npos; at = log.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("capture wire: down: wire0: The interface disappeared"), 1u) << log;
  EXPECT_EQ(count("capture wire: capturing on wire0 again"), 1u) << log;
  std::cout << fmt::format(
      "[ measured ] down reported {} ms after the delete; up {} ms after the re-create\n",
      std::chrono::duration_cast<std::chrono::milliseconds>(down_after).count(),
      std::chrono::duration_cast<std::chrono::milliseconds>(up_after).count());
}

// The service user: "lanwatch" where it exists. Created here when absent, removed after only
// if this test created it.
class ServiceUser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!getpwnam("lanwatch")) {
      auto r = RunCommand(
          "useradd --system --user-group --no-create-home --shell /usr/sbin/nologin lanwatch");
      ASSERT_EQ(r.exit_code, 0) << r.output;
      created_ = true;
    }
    ASSERT_TRUE(getgrnam("lanwatch")) << "user lanwatch exists without its group";
  }
  void TearDown() override {
    if (created_) RunCommand("userdel lanwatch; getent group lanwatch && groupdel lanwatch");
  }
  bool created_ = false;
};

TEST_F(ServiceUser, SighupRereadsAConfigReadableOnlyByRootAndTheLanwatchGroup) {
  testing::TempDir dir;
  std::string config = dir.Write("lanwatch.yaml", R"(site: group-readable
poll_interval: 1s
devices: []
)");
  const gid_t group = getgrnam("lanwatch")->gr_gid;
  ASSERT_EQ(chown(config.c_str(), 0, group), 0);
  ASSERT_EQ(chmod(config.c_str(), 0640), 0);
  int port = testing::FreeTcpPort();
  std::string log = dir.path() + "/lanwatchd.log";
  // No --user: the default must be lanwatch, with its group.
  auto daemon = ChildProcess::Start(
      {testing::LanwatchdBinary(), "-c", config, "--listen", fmt::format("127.0.0.1:{}", port)},
      log);
  auto reloads = [&] {
    auto m = ParseExposition(testing::HttpGet(port, "/metrics").second);
    return FindValue(m, "lanwatch_config_reloads_total", {{"result", "success"}});
  };
  ASSERT_TRUE(testing::WaitUntil(10s, [&] { return reloads() == 0; })) << testing::ReadFile(log);
  for (const auto& t : Tasks(daemon.pid())) {
    EXPECT_EQ(t.fields.at("Uid").substr(0, t.fields.at("Uid").find('\t')),
              std::to_string(getpwnam("lanwatch")->pw_uid));
    EXPECT_EQ(t.fields.at("Gid").substr(0, t.fields.at("Gid").find('\t')), std::to_string(group));
    // Its groups, as initgroups gives them (a config may be readable by one of them only).
    EXPECT_EQ(Words(t.fields.at("Groups")), Words(RunCommand("id -G lanwatch").output)) << t.tid;
  }
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(testing::WaitUntil(5s, [&] { return reloads() == 1; })) << testing::ReadFile(log);
  auto m = ParseExposition(testing::HttpGet(port, "/metrics").second);
  EXPECT_EQ(FindValue(m, "lanwatch_config_reloads_total", {{"result", "failure"}}), 0);
  EXPECT_EQ(FindValue(m, "lanwatch_config_last_reload_successful"), 1);
}

}  // namespace
}  // namespace lanwatch
