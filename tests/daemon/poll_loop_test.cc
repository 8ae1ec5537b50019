// The poll loop with fakes of both seams: a scripted sample source and a clock moved by hand.
#include "daemon/poll_loop.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>

#include "tests/daemon/fake_clock.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

using testing::FakeClock;

// Answers each poll with what `script` makes of the round number, taken "now" on the clock.
class ScriptedSource final : public SampleSource {
 public:
  using Script = std::function<std::optional<DeviceSample>(int round)>;
  ScriptedSource(const FakeClock& clock, Script script)
      : clock_(clock), script_(std::move(script)) {}

  std::vector<DevicePoll> Poll(const Config& config, const PollRequest& request) override {
    ++round_;
    last_deadline = request.deadline;
    std::vector<DevicePoll> polls;
    for (const DeviceConfig& d : config.devices) {
      DevicePoll poll{&d, {}, script_(round_), {}};
      if (poll.sample) {
        poll.sample->taken_at = clock_.Now();
      } else {
        poll.result.failure_reason = snmp_error::kTimeout;
        poll.result.failure_message = "no reply (timeout)";
      }
      polls.push_back(std::move(poll));
    }
    return polls;
  }
  void Retain(const Config&) override { ++retained; }

  std::chrono::steady_clock::time_point last_deadline;
  int retained = 0;

 private:
  const FakeClock& clock_;
  Script script_;
  int round_ = 0;
};

Config OneSwitch() {
  Config config;
  config.poll_interval = 10s;
  DeviceConfig sw;
  sw.name = "sw";
  sw.role = DeviceRole::kSwitch;
  config.devices.push_back(sw);
  LinkConfig link;
  link.name = "datong";
  link.kind = LinkKind::kSubordinate;
  link.device = "sw";
  link.interface = {InterfaceKey::kName, "Gi0/1"};
  link.capacity_bps = 100e6;
  config.links.push_back(link);
  return config;
}

DeviceSample SwitchAt(uint32_t uptime_ticks, uint64_t in_octets, uint32_t last_change = 0) {
  DeviceSample s;
  s.system.uptime_ticks = uptime_ticks;
  InterfaceSample& p = s.interfaces[1];
  p.index = 1;
  p.name = p.description = "Gi0/1";
  p.admin_up = true;
  p.oper_status = 1;
  p.speed_bps = 1'000'000'000;
  p.in_octets = in_octets;
  p.out_octets = 0;
  p.counter_bits = 64;
  p.last_change_ticks = last_change;
  return s;
}

TEST(PollLoop, RoundsTurnSamplesIntoRatesOnTheClocksTime) {
  FakeClock clock;
  const Config config = OneSwitch();
  ScriptedSource source(clock, [](int round) {
    // 1.25 MB per 10 s: 1 Mbit/s; sysUpTime advancing with the fake clock.
    return SwitchAt(100'000 + round * 1000, static_cast<uint64_t>(round) * 1'250'000, 50'000);
  });
  PollLoop loop(source, clock);
  RoundSummary first = loop.RunRound(config, {clock.Now() + 9s, {}});
  EXPECT_EQ(first.reachable, 1);
  EXPECT_EQ(loop.Snapshot(config).links[0].severity, Severity::kUnknown);  // no rate yet
  clock.Advance(10s);
  loop.RunRound(config, {clock.Now() + 9s, {}});
  NetworkStatus status = loop.Snapshot(config);
  EXPECT_EQ(status.taken_at, clock.WallNow());
  ASSERT_TRUE(status.links[0].in_bps);
  EXPECT_DOUBLE_EQ(*status.links[0].in_bps, 1e6);
  EXPECT_EQ(status.links[0].severity, Severity::kOk);
  // ifLastChange 500 s into the agent's 1020 s: 520 s before the sample, on the wall clock.
  const InterfaceStatus& port = status.devices[0].interfaces[0];
  ASSERT_TRUE(port.last_change_unix_seconds);
  EXPECT_DOUBLE_EQ(*port.last_change_unix_seconds,
                   std::chrono::duration<double>(clock.WallNow().time_since_epoch()).count() - 520);
}

TEST(PollLoop, AnUnreachableDeviceAndItsRecovery) {
  FakeClock clock;
  const Config config = OneSwitch();
  ScriptedSource source(clock, [](int round) -> std::optional<DeviceSample> {
    if (round == 2 || round == 3) return std::nullopt;
    return SwitchAt(100'000 + round * 1000, static_cast<uint64_t>(round) * 1'250'000);
  });
  PollLoop loop(source, clock);
  for (int round = 1; round <= 5; ++round) {
    RoundSummary summary = loop.RunRound(config, {clock.Now() + 9s, {}});
    NetworkStatus status = loop.Snapshot(config);
    const bool down = round == 2 || round == 3;
    EXPECT_EQ(summary.reachable, down ? 0 : 1) << round;
    const Severity expected = down         ? Severity::kCritical
                              : round == 1 ? Severity::kUnknown  // no rate from one sample
                                           : Severity::kOk;
    EXPECT_EQ(status.links[0].severity, expected) << round;
    if (round == 4) {
      // Across the 30 s gap the 64-bit counter is still good: a rate at once.
      ASSERT_TRUE(status.links[0].in_bps);
      EXPECT_DOUBLE_EQ(*status.links[0].in_bps, 1e6);
    }
    clock.Advance(10s);
  }
  const NetworkStatus snapshot = loop.Snapshot(config);
  const ReasonCounts& errors = snapshot.devices[0].snmp_errors;
  EXPECT_TRUE(errors.contains("timeout")) << "every known reason is there from the start";
  EXPECT_EQ(errors.value("timeout"), 0u)
      << "the scripted failure carries no error counts; the reason is in the result";
}

TEST(PollLoop, RetainForgetsDevicesAndTellsTheSource) {
  FakeClock clock;
  Config config = OneSwitch();
  ScriptedSource source(clock, [](int) { return SwitchAt(1000, 0); });
  PollLoop loop(source, clock);
  loop.RunRound(config, {clock.Now() + 9s, {}});
  config.devices[0].name = "other";
  loop.Retain(config);
  EXPECT_EQ(source.retained, 1);
  EXPECT_FALSE(loop.Snapshot(config).devices[0].polled);
}

TEST(PollLoop, ProgressComesAfterEachPartOfTheRoundButNotItsEnd) {
  FakeClock clock;
  Config config = OneSwitch();
  for (int k = 1; k < 100; ++k) {
    DeviceConfig sw = config.devices.front();
    sw.name = fmt::format("sw{}", k);
    config.devices.push_back(sw);
  }
  ScriptedSource source(clock, [](int round) { return SwitchAt(1000 + round * 1000, 0); });
  PollLoop loop(source, clock);
  std::vector<int> polled_at_progress;
  auto progress = [&] {
    int polled = 0;
    for (const DeviceStatus& d : loop.DeviceStatuses(config)) polled += d.polled ? 1 : 0;
    polled_at_progress.push_back(polled);
  };
  loop.RunRound(config, {clock.Now() + 9s, {}}, progress);
  // 100 devices in parts of 4 (100 / 32, rounded up): the last part ends the round, and
  // that is the caller's.
  std::vector<int> expected;
  for (int polled = 4; polled < 100; polled += 4) expected.push_back(polled);
  EXPECT_EQ(polled_at_progress, expected);
  const SharedItems<DeviceStatus> devices = loop.DeviceStatuses(config);
  ASSERT_EQ(devices.size(), 100u);
  EXPECT_EQ(devices[99].name, "sw99");
  EXPECT_TRUE(devices[99].polled);

  polled_at_progress.clear();
  loop.RunRound(config, {clock.Now() + 9s, {"sw"}}, progress);
  EXPECT_TRUE(polled_at_progress.empty()) << "one device asked: its end is the round's";
}

TEST(Schedule, KeepsItsPhaseAndSkipsWhatAnOverrunMissed) {
  const auto start = std::chrono::steady_clock::time_point(std::chrono::hours(5));
  Schedule schedule(start, 10s);
  EXPECT_EQ(schedule.deadline(), start + 9s);
  EXPECT_EQ(schedule.Advance(start + 2s), 0);
  EXPECT_EQ(schedule.slot(), start + 10s);
  // The round of slot 1 ran 25 s: slots 2 and 3 are skipped, slot 4 keeps the phase.
  EXPECT_EQ(schedule.Advance(start + 35s), 2);
  EXPECT_EQ(schedule.slot(), start + 40s);
}

// A source whose every device's turn never came (SnmpClient's kNotStarted).
class NeverStartedSource final : public SampleSource {
 public:
  std::vector<DevicePoll> Poll(const Config& config, const PollRequest&) override {
    std::vector<DevicePoll> polls;
    for (const DeviceConfig& d : config.devices) {
      DevicePoll poll{&d, {}, std::nullopt, {}};
      poll.result.failure_reason = snmp_error::kNotStarted;
      polls.push_back(std::move(poll));
    }
    return polls;
  }
  void Retain(const Config&) override {}
};

TEST(PollLoop, ADeviceNotStartedThisRoundKeepsItsLastState) {
  FakeClock clock;
  Config config;
  DeviceConfig sw;
  sw.name = "sw";
  sw.address = "198.18.0.2";
  config.devices.push_back(sw);
  NeverStartedSource source;
  PollLoop loop(source, clock);
  RoundSummary summary = loop.RunRound(config, PollRequest{clock.Now() + 1s, {}});
  EXPECT_EQ(summary.devices, 1);
  EXPECT_EQ(summary.not_started, 1);
  const NetworkStatus status = loop.Snapshot(config);
  const DeviceStatus& device = status.devices.at(0);
  EXPECT_FALSE(device.polled) << "not asked: not called down either";
  EXPECT_EQ(device.snmp_errors.contains(snmp_error::kNotStarted), false);
}

}  // namespace
}  // namespace lanwatch
