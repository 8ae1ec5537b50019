// The bureau in a box as a gtest fixture: the lab up for one test and down after it, with
// nothing left behind, and lanwatchd started in its monitor namespace. Root only.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"

namespace lanwatch {

using namespace std::chrono_literals;

inline std::string Bureau(const std::string& args) {
  return fmt::format("{}/tests/lab/bureau {}", testing::SourceDir(), args);
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
    auto pids = testing::RunCommand("cat /run/lanwatch-lab/*.pid").output;
    auto down = testing::RunCommand(Bureau("down"));
    EXPECT_EQ(down.exit_code, 0) << down.output;
    EXPECT_EQ(testing::RunCommand("ip netns list | grep -c '^lw-'").output, "0\n")
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
        {"ip", "netns", "exec", "lw-monitor", testing::LanwatchdBinary(), "-c", config, "--user",
         "nobody", "--state-dir", state_dir()},
        log_.path() + "/lanwatchd.log");
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return !Metrics().empty(); }))
        << testing::ReadFile(log_.path() + "/lanwatchd.log");
  }
  std::vector<testing::MetricSample> Metrics() {
    auto r = testing::RunCommand("ip netns exec lw-monitor curl -sf http://127.0.0.1:9731/metrics");
    return r.exit_code == 0 ? testing::ParseExposition(r.output)
                            : std::vector<testing::MetricSample>{};
  }
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels) {
    return testing::FindValue(Metrics(), name, labels);
  }
  testing::CommandResult Check() {
    return testing::RunCommand(
        fmt::format("ip netns exec lw-monitor {} check -c {}/config/lab.yaml",
                    testing::LanwatchBinary(), testing::SourceDir()));
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

}  // namespace lanwatch
