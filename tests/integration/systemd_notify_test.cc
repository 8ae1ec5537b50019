// lanwatchd speaks systemd's sd_notify protocol to whoever holds $NOTIFY_SOCKET: here the test
// itself, on a unix datagram socket of its own, as systemd would with Type=notify and
// WatchdogSec=. Against a real snmpd, so that rounds and the status line are real.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::HttpGet;
using Steady = std::chrono::steady_clock;

// The manager's end of $NOTIFY_SOCKET: one datagram is one notification.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot bind " + path + ": " + std::strerror(errno));
    }
    // Run as root, lanwatchd sends after dropping to an unprivileged user, as systemd's own
    // socket (writable by all) lets it.
    chmod(path.c_str(), 0777);
  }
  ~NotifySocket() {
    close(fd_);
    unlink(path_.c_str());
  }

  struct Message {
    Steady::time_point at;
    std::string text;
  };
  // The next message within `timeout`, or nullopt.
  std::optional<Message> Receive(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    Message m{Steady::now(), std::string(buf, static_cast<size_t>(n))};
    log_.push_back(m.text);
    return m;
  }
  // Receives until a message containing `field` (a whole line, like "READY=1") arrives.
  std::optional<Message> Await(const std::string& field, std::chrono::milliseconds timeout) {
    const auto until = Steady::now() + timeout;
    while (Steady::now() < until) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Steady::now());
      auto m = Receive(std::max(left, 1ms));
      if (m && HasLine(m->text, field)) return m;
    }
    return std::nullopt;
  }
  static bool HasLine(const std::string& text, const std::string& line) {
    return ("\n" + text + "\n").find("\n" + line + "\n") != std::string::npos;
  }
  std::string Log() const {
    std::string all;
    for (const auto& m : log_) all += "[" + m + "] ";
    return all;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> log_;
};

class SystemdNotify : public ::testing::Test {
 protected:
  std::string Config(const std::string& poll_interval) {
    return dir_.Write("lanwatch.yaml",
                      fmt::format(R"(site: test bureau
poll_interval: {}
snmp: {{timeout: 1s, retries: 1}}
devices:
  - {{name: server, role: server, address: 127.0.0.1, snmp: {{community: {}, port: {}}}}}
links:
  - {{name: lan, kind: other, device: server, interface: lo, capacity: 100Mbit}}
)",
                                  poll_interval, testing::kCommunity, snmpd_.port()));
  }
  ChildProcess StartDaemon(const std::string& config, int port, const std::string& watchdog_usec) {
    return ChildProcess::Start(
        {testing::LanwatchdBinary(), "-c", config, "--listen", fmt::format("127.0.0.1:{}", port),
         "--state-dir", dir_.path() + "/state"},
        log_, {{"NOTIFY_SOCKET", notify_path_}, {"WATCHDOG_USEC", watchdog_usec}});
  }
  std::string DaemonLog() const { return testing::ReadFile(log_); }

  testing::TempDir dir_;
  testing::SnmpdAgent snmpd_;  // started in the fixture's constructor: a failure fails the test
  std::string notify_path_ = dir_.path() + "/notify.sock";
  std::string log_ = dir_.path() + "/lanwatchd.log";
};

uint64_t MonotonicUsecNow() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1'000'000 + static_cast<uint64_t>(now.tv_nsec) / 1000;
}

TEST_F(SystemdNotify, ReadyAfterTheFirstRoundThenWatchdogReloadAndStop) {
  NotifySocket manager(notify_path_);
  const int port = testing::FreeTcpPort();
  const std::string config = Config("2s");
  auto daemon = StartDaemon(config, port, "1000000");  // WatchdogSec=1s: a pet every 500 ms

  // READY=1 only once /-/ready says so: the endpoint listens and a round is published.
  auto ready = manager.Await("READY=1", 15s);
  ASSERT_TRUE(ready) << manager.Log() << "\n" << DaemonLog();
  EXPECT_EQ(HttpGet(port, "/-/ready").first, 200);
  EXPECT_TRUE(NotifySocket::HasLine(ready->text, "STATUS=1/1 devices up, 1 links")) << ready->text;

  // The watchdog at half of WATCHDOG_USEC, while the loop waits between 2 s rounds.
  std::vector<Steady::time_point> pets;
  const auto watch_until = Steady::now() + 5s;
  while (Steady::now() < watch_until) {
    if (auto m = manager.Receive(100ms); m && NotifySocket::HasLine(m->text, "WATCHDOG=1")) {
      pets.push_back(m->at);
    }
  }
  ASSERT_GE(pets.size(), 9u) << manager.Log();
  for (size_t i = 1; i < pets.size(); ++i) {
    const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(pets[i] - pets[i - 1]);
    EXPECT_GE(gap, 400ms) << "pet " << i;
    EXPECT_LE(gap, 750ms) << "pet " << i << ": systemd would kill at 1000 ms";
  }
  // ... and the watchdog's wake-ups leave the round schedule alone: no slot skipped, a round
  // every 2 s.
  auto m = testing::ParseExposition(HttpGet(port, "/metrics").second);
  EXPECT_EQ(testing::FindValue(m, "lanwatch_poll_slots_skipped_total"), 0);
  auto rounds = testing::FindValue(m, "lanwatch_poll_rounds_total");
  ASSERT_TRUE(rounds);
  EXPECT_GE(*rounds, 3);
  EXPECT_LE(*rounds, 5);

  // SIGHUP: RELOADING=1 stamped with CLOCK_MONOTONIC, then READY=1 once the config is read.
  const uint64_t before_hup = MonotonicUsecNow();
  daemon.Signal(SIGHUP);
  auto reloading = manager.Await("RELOADING=1", 5s);
  ASSERT_TRUE(reloading) << manager.Log();
  std::smatch usec;
  ASSERT_TRUE(std::regex_search(reloading->text, usec, std::regex("MONOTONIC_USEC=(\\d+)")))
      << reloading->text;
  const uint64_t stamped = std::stoull(usec[1]);
  EXPECT_GE(stamped, before_hup);
  EXPECT_LE(stamped, MonotonicUsecNow());
  ASSERT_TRUE(manager.Await("READY=1", 5s)) << manager.Log();

  // A config that does not load is refused, and the daemon says it is ready again anyway.
  dir_.Write("lanwatch.yaml", "devices: [this is not a config\n");
  daemon.Signal(SIGHUP);
  ASSERT_TRUE(manager.Await("RELOADING=1", 5s)) << manager.Log();
  ASSERT_TRUE(manager.Await("READY=1", 5s)) << manager.Log();

  // SIGTERM: STOPPING=1, then a clean exit.
  daemon.Signal(SIGTERM);
  ASSERT_TRUE(manager.Await("STOPPING=1", 5s)) << manager.Log();
  EXPECT_EQ(daemon.Wait(10s), 0) << DaemonLog();
}

TEST_F(SystemdNotify, NoWatchdogWhenTheManagerAsksForNone) {
  NotifySocket manager(notify_path_);
  const int port = testing::FreeTcpPort();
  auto daemon = StartDaemon(Config("1s"), port, "0");
  ASSERT_TRUE(manager.Await("READY=1", 15s)) << manager.Log() << "\n" << DaemonLog();
  while (manager.Receive(2500ms)) {
  }
  EXPECT_EQ(manager.Log().find("WATCHDOG=1"), std::string::npos) << manager.Log();
}

TEST(Version, BothBinariesPrintTheProjectVersion) {
  for (const std::string& binary : {testing::LanwatchBinary(), testing::LanwatchdBinary()}) {
    auto r = testing::RunCommand(binary + " --version");
    EXPECT_EQ(r.exit_code, 0) << binary << ": " << r.output;
    EXPECT_EQ(r.output, "lanwatch " LANWATCH_VERSION "\n") << binary;  // PROJECT_VERSION
  }
}

}  // namespace
}  // namespace lanwatch
