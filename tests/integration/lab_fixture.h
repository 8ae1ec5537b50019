// The bureau in a box as a gtest fixture: the lab up for one test and down after it, with
// nothing left behind, and lanwatchd started in its monitor namespace. Root only.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"
#include "tests/support/smtp_sink.h"

namespace lanwatch {

using namespace std::chrono_literals;

// This test process's own lab (LANWATCH_LAB, tests/lab/lab_names.sh), so that lab tests run
// side by side: namespaces lw-tPID-NODE, files under /run/lanwatch-lab-tPID.
inline const std::string& LabName() {
  static const std::string name = fmt::format("t{}", getpid());
  return name;
}
// The network namespace of a node of this process's lab.
inline std::string LabNs(const std::string& node) {
  return fmt::format("lw-{}-{}", LabName(), node);
}
// `ip netns exec` into that namespace, for a shell command line.
inline std::string InLab(const std::string& node) { return "ip netns exec " + LabNs(node); }

// `bureau ARGS` on this process's lab: a shell command line, and an argv to start as a child.
inline std::string Bureau(const std::string& args) {
  return fmt::format("LANWATCH_LAB={} {}/tests/lab/bureau {}", LabName(), testing::SourceDir(),
                     args);
}
inline std::vector<std::string> BureauArgv(std::initializer_list<std::string> args) {
  std::vector<std::string> argv = {"env", "LANWATCH_LAB=" + LabName(),
                                   testing::SourceDir() + "/tests/lab/bureau"};
  argv.insert(argv.end(), args);
  return argv;
}

// The lab, up for one test and down after it, with nothing left behind. No lanwatchd.
class LabAgents : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "the lab needs root";
#ifdef LANWATCH_NFQ_DELAY
    setenv("NFQ_DELAY", LANWATCH_NFQ_DELAY, 0);  // this build's delay helper, for `bureau`
#endif
    auto up = testing::RunCommand(Bureau("up --traffic off"));
    ASSERT_EQ(up.exit_code, 0) << up.output;
  }
  void TearDown() override {
    if (geteuid() != 0) return;
    daemon_.Stop();
    // Every process the lab recorded, to check that none survives `down`.
    auto pids =
        testing::RunCommand(fmt::format("cat /run/lanwatch-lab-{}/*.pid", LabName())).output;
    auto down = testing::RunCommand(Bureau("down"));
    EXPECT_EQ(down.exit_code, 0) << down.output;
    EXPECT_EQ(testing::RunCommand(fmt::format("ip netns list | grep -c '^{}'", LabNs(""))).output,
              "0\n")
        << "namespaces left";
    std::stringstream lines(pids);
    for (std::string pid; std::getline(lines, pid);) {
      std::string stat = testing::ReadFile("/proc/" + pid + "/stat");
      EXPECT_TRUE(stat.empty() || stat.find(") Z ") != std::string::npos) << "pid " << pid;
    }
    EXPECT_FALSE(daemon_.running());
  }

  // Starts lanwatchd in the monitor namespace with `config` and waits for its first round.
  void StartDaemon(const std::string& config) {
    daemon_ = testing::ChildProcess::Start(
        {"ip", "netns", "exec", LabNs("monitor"), testing::LanwatchdBinary(), "-c", config,
         "--user", "nobody", "--state-dir", state_dir()},
        log_.path() + "/lanwatchd.log");
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return !Metrics().empty(); }))
        << testing::ReadFile(log_.path() + "/lanwatchd.log");
  }
  std::vector<testing::MetricSample> Metrics() {
    auto r = testing::RunCommand(InLab("monitor") + " curl -sf http://127.0.0.1:9731/metrics");
    return r.exit_code == 0 ? testing::ParseExposition(r.output)
                            : std::vector<testing::MetricSample>{};
  }
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels) {
    return testing::FindValue(Metrics(), name, labels);
  }
  // `lanwatch check` beside this test's lanwatchd, reading its state (fiber baselines).
  testing::CommandResult Check(const std::string& flags = "") {
    return testing::RunCommand(fmt::format("{} {} check {} --state-dir {} -c {}/config/lab.yaml",
                                           InLab("monitor"), testing::LanwatchBinary(), flags,
                                           state_dir(), testing::SourceDir()));
  }

  // Alert state of this test's lanwatchd, kept across its restarts within the test.
  std::string state_dir() const { return log_.path() + "/state"; }

  testing::TempDir log_;
  testing::ChildProcess daemon_;
};

// The lab with lanwatchd polling it every 5 s with config/lab.yaml.
class Lab : public LabAgents {
 protected:
  void SetUp() override {
    LabAgents::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    StartDaemon(testing::SourceDir() + "/config/lab.yaml");
  }
};

using Json = nlohmann::json;
using WallClock = std::chrono::system_clock;

// The lab config's poll interval and group wait; the bound on a mail's delay.
constexpr auto kPoll = 5s;
constexpr auto kGroupWait = 2s;
constexpr auto kMailBound = kPoll + kGroupWait + 2s;

// The lab with a real SMTP server (aiosmtpd) at 127.0.0.1:2525 in the monitor namespace and
// lanwatchd started with ConfigPath(); each mail read back with Python's email package.
class LabMail : public LabAgents {
 protected:
  virtual std::string ConfigPath() { return testing::SourceDir() + "/config/lab.yaml"; }
  // What a test sets in the lab before lanwatchd starts (a sysctl in the monitor namespace).
  virtual void BeforeDaemon() {}
  void SetUp() override {
    LabAgents::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    BeforeDaemon();
    if (HasFatalFailure()) return;
    testing::SmtpSinkOptions options;
    options.netns = LabNs("monitor");
    options.port = 2525;
    sink_ = std::make_unique<testing::SmtpSink>(options);
    StartDaemon(ConfigPath());
    // Settled: two rounds with rates, and not one mail for a healthy network.
    std::this_thread::sleep_for(2 * kPoll + 1s);
    ASSERT_EQ(Mails().size(), 0u) << "a false alarm at start: " << Summary();
  }
  void TearDown() override {
    daemon_.Stop();
    sink_.reset();
    LabAgents::TearDown();
  }

  std::vector<Json> Mails() const {
    std::vector<Json> out;
    for (const std::string& path : sink_->Messages()) {
      Json m = testing::ParseMail(path);
      struct stat st {};
      stat(path.c_str(), &st);
      m["arrived"] = static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec / 1e9;
      out.push_back(std::move(m));
    }
    return out;
  }
  std::vector<Json> WaitForMails(size_t n, std::chrono::milliseconds timeout) const {
    sink_->WaitForMessages(n, timeout);
    return Mails();
  }
  // One line per mail, for failure messages.
  std::string Summary() const {
    std::string out;
    for (const Json& m : Mails()) {
      out +=
          fmt::format("\n  [{}] {} | {}", m["x_lanwatch_kind"].get<std::string>(),
                      m["subject"].get<std::string>(), m["x_lanwatch_alerts"].get<std::string>());
    }
    return out + "\nlanwatchd log:\n" + testing::ReadFile(log_.path() + "/lanwatchd.log");
  }
  static double Now() {
    return std::chrono::duration<double>(WallClock::now().time_since_epoch()).count();
  }
  static size_t Count(const std::vector<Json>& mails, const std::string& kind,
                      const std::string& alert) {
    size_t n = 0;
    for (const Json& m : mails) {
      n += m["x_lanwatch_kind"] == kind &&
           m["x_lanwatch_alerts"].get<std::string>().find(alert) != std::string::npos;
    }
    return n;
  }
  void Fault(const std::string& args) {
    auto r = testing::RunCommand(Bureau("fault " + args));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  std::unique_ptr<testing::SmtpSink> sink_;
};

}  // namespace lanwatch
