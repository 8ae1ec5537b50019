// The alert engine with hand-made snapshots and a clock handed in: `for`, hysteresis,
// suppression by topology, flapping folding, grouping, reminders, silences and restarts.
#include "daemon/alerts/alert_engine.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "daemon/link_health.h"
#include "tests/daemon/engine_rounds.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

// The bureau in miniature: a core switch with unit links, a router reached through it with
// the uplink. Each link's port is set by hand; Snapshot() evaluates links as the daemon does.
// A verdict as FiberHealth would give it.
FiberStatus Fiber(FiberState state, std::string reason = "", std::optional<double> rx = {},
                  std::optional<double> baseline = {}) {
  FiberStatus f;
  f.state = state;
  f.reason = std::move(reason);
  f.rx_dbm = rx;
  f.baseline_dbm = baseline;
  return f;
}

class FakeNetwork {
 public:
  FakeNetwork() {
    config.site = "bureau";
    config.notify.group_wait = 5s;
    config.notify.repeat_interval = 1h;
    AddDevice("core-switch", DeviceRole::kSwitch, "");
    AddDevice("router", DeviceRole::kRouter, "core-switch");
    for (const char* unit : {"datong", "panji", "maoji"}) {
      AddLink(unit, LinkKind::kSubordinate, "core-switch", 100e6);
    }
    AddLink("uplink", LinkKind::kUplink, "router", 10e6);
    for (auto& d : config.devices) d.alerts.unreachable_for = 0s;
  }

  void AddDevice(const std::string& name, DeviceRole role, const std::string& parent) {
    DeviceConfig d;
    d.name = name;
    d.role = role;
    d.parent = parent;
    config.devices.push_back(d);
    devices[name].up = true;
  }
  void AddLink(const std::string& name, LinkKind kind, const std::string& device, double capacity) {
    LinkConfig l;
    l.name = name;
    l.kind = kind;
    l.device = device;
    l.interface = {InterfaceKey::kName, "if-" + name};
    l.capacity_bps = capacity;
    l.thresholds.utilization_for = 60s;
    l.thresholds.flap_changes = 4;
    l.thresholds.flap_window = 60s;
    config.links.push_back(l);
    ports[name] = Port{};
  }

  struct Port {
    int oper_status = 1;
    double utilization = 0.1;
    uint64_t changes = 0;
    FiberStatus fiber = Fiber(FiberState::kUnknown, fiber_reason::kNoOptics);
  };
  struct Device {
    bool up = true;
  };

  NetworkStatus Snapshot() const {
    NetworkStatus s;
    s.site = config.site;
    for (const DeviceConfig& dc : config.devices) {
      DeviceStatus d;
      d.name = dc.name;
      d.polled = true;
      d.up = devices.at(dc.name).up;
      d.host_clock = !no_host_clock.contains(dc.name);
      if (!d.up) d.error = "timeout";
      if (reboots.contains(dc.name)) {
        d.discontinuities[discontinuity::kDeviceReboot] = reboots.at(dc.name);
      }
      if (agent_restarts.contains(dc.name)) {
        d.discontinuities[discontinuity::kAgentRestart] = agent_restarts.at(dc.name);
      }
      for (const LinkConfig& l : config.links) {
        if (l.device != dc.name) continue;
        const Port& p = ports.at(l.name);
        InterfaceStatus i;
        i.name = l.interface.value;
        i.admin_up = true;
        i.oper_status = p.oper_status;
        i.oper_up = p.oper_status == 1;
        i.speed_bps = static_cast<uint64_t>(*l.capacity_bps);
        i.state_changes_total = p.changes;
        if (i.oper_up) {
          i.receive_bps = p.utilization * *l.capacity_bps;
          i.transmit_bps = 0.01 * *l.capacity_bps;
          i.errors_per_second = 0;
          i.discards_per_second = 0;
        }
        d.interfaces.push_back(i);
      }
      s.devices.push_back(d);
    }
    for (const LinkConfig& l : config.links) {
      const DeviceStatus* d = s.FindDevice(l.device);
      const InterfaceStatus* i = nullptr;
      if (d && d->up) {
        for (const auto& candidate : d->interfaces) {
          if (candidate.name == l.interface.value) i = &candidate;
        }
      }
      LinkStatus link = EvaluateLink(l, d, i);
      link.fiber = ports.at(l.name).fiber;
      ApplyFiberVerdict(link);
      s.links.push_back(std::move(link));
    }
    return s;
  }

  Config config;
  std::map<std::string, Port> ports;
  std::map<std::string, Device> devices;
  std::map<std::string, uint64_t> reboots, agent_restarts;
  std::set<std::string> no_host_clock;  // devices without hrSystemUptime
};

using AlertEngineTest = EngineRounds<FakeNetwork>;

TEST_F(AlertEngineTest, ACutFiberFiresAtOnceAndTellsAfterTheGroupWait) {
  EXPECT_TRUE(Rounds(0, 10).empty());
  net_.ports["panji"].oper_status = 2;
  EXPECT_TRUE(Round(15).empty()) << "within the group wait";
  auto due = engine_.NextDue(net_.config.notify);
  ASSERT_TRUE(due);
  EXPECT_EQ(*due, now_ + 5s);
  auto sent = engine_.TakeDue(*due, net_.config.notify);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, NotificationKind::kFiring);
  EXPECT_EQ(sent[0].device, "core-switch");
  EXPECT_EQ(Rules(sent[0]), (std::vector<std::string>{"link_down:panji"}));
  EXPECT_EQ(sent[0].alerts[0].severity, Severity::kCritical);
  EXPECT_TRUE(Rounds(20, 100).empty()) << "told once";

  net_.ports["panji"].oper_status = 1;
  auto resolved = Rounds(105, 110);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].kind, NotificationKind::kResolved);
  ASSERT_EQ(resolved[0].alerts.size(), 1u);
  EXPECT_TRUE(resolved[0].alerts[0].ended);
  EXPECT_EQ(resolved[0].in_reply_to, std::vector<std::string>{sent[0].id});
  EXPECT_TRUE(Rounds(115, 200).empty());
  EXPECT_TRUE(engine_.Records().empty());
}

TEST_F(AlertEngineTest, AlertsOfOneDeviceWithinTheGroupWaitShareOneNotification) {
  Round(0);
  net_.ports["panji"].oper_status = 2;
  Round(1);
  net_.ports["maoji"].oper_status = 2;
  auto sent = Rounds(4, 8, 2);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(Rules(sent[0]), (std::vector<std::string>{"link_down:maoji", "link_down:panji"}));
}

TEST_F(AlertEngineTest, UtilizationHoldsForItsForAndClearsWithHysteresis) {
  net_.ports["uplink"].utilization = 0.97;
  EXPECT_TRUE(Rounds(0, 55).empty()) << "pending for less than utilization_for (60 s)";
  auto fired = Rounds(60, 70);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(Rules(fired[0]), std::vector<std::string>{"link_utilization:uplink"});
  EXPECT_EQ(fired[0].alerts[0].severity, Severity::kCritical);
  EXPECT_DOUBLE_EQ(*fired[0].alerts[0].facts.threshold, 0.95);
  // Hovering around the warning threshold, above the clear line (80 % - 10 %): no mail.
  std::vector<Notification> hovering;
  for (int i = 0; i < 40; ++i) {
    net_.ports["uplink"].utilization = (i / 3) % 2 ? 0.78 : 0.82;  // 15 s each side
    for (auto& n : Round(75 + 5 * i)) hovering.push_back(n);
  }
  EXPECT_TRUE(hovering.empty());
  net_.ports["uplink"].utilization = 0.65;
  auto resolved = Rounds(300, 310);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].kind, NotificationKind::kResolved);
  EXPECT_NEAR(*resolved[0].alerts[0].peak, 0.97, 1e-9);
}

TEST_F(AlertEngineTest, AValueOscillatingAroundTheThresholdNeverFires) {
  std::vector<Notification> sent;
  for (int i = 0; i < 100; ++i) {
    net_.ports["uplink"].utilization = i % 2 ? 0.79 : 0.81;
    for (auto& n : Round(5 * i)) sent.push_back(n);
  }
  EXPECT_TRUE(sent.empty()) << "pending starts over each time it drops below";
}

TEST_F(AlertEngineTest, AnUnreachableSwitchSendsOneMailListingWhatItHides) {
  Round(0);
  net_.devices["core-switch"].up = false;
  net_.devices["router"].up = false;  // reached through it
  auto sent = Rounds(5, 60);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].device, "core-switch");
  ASSERT_EQ(Rules(sent[0]), std::vector<std::string>{"device_unreachable:"});
  const AlertFacts& facts = sent[0].alerts[0].facts;
  EXPECT_EQ(facts.affected_devices, std::vector<std::string>{"router"});
  EXPECT_EQ(facts.affected_links, (std::vector<std::string>{"datong", "panji", "maoji", "uplink"}));
  net_.devices["core-switch"].up = true;
  net_.devices["router"].up = true;
  auto after = Rounds(65, 120);
  ASSERT_EQ(after.size(), 1u) << "the switch's resolved only, nothing per link or for the router";
  EXPECT_EQ(after[0].kind, NotificationKind::kResolved);
  EXPECT_EQ(after[0].device, "core-switch");
}

TEST_F(AlertEngineTest, AnAlertThatFiredBeforeItsParentWentDownStillEnds) {
  Round(0);
  net_.ports["uplink"].oper_status = 2;
  auto fired = Rounds(5, 15);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].device, "router");
  net_.devices["core-switch"].up = false;
  net_.devices["router"].up = false;
  auto outage = Rounds(20, 60);
  ASSERT_EQ(outage.size(), 1u);
  EXPECT_EQ(outage[0].device, "core-switch");
  net_.devices["core-switch"].up = true;
  net_.devices["router"].up = true;
  net_.ports["uplink"].oper_status = 1;
  auto after = Rounds(65, 80);
  ASSERT_EQ(after.size(), 2u);
  std::map<std::string, std::vector<std::string>> resolved;
  for (const auto& n : after) {
    EXPECT_EQ(n.kind, NotificationKind::kResolved);
    resolved[n.device] = Rules(n);
  }
  EXPECT_EQ(resolved["router"], std::vector<std::string>{"link_down:uplink"});
  EXPECT_EQ(resolved["core-switch"], std::vector<std::string>{"device_unreachable:"});
}

TEST_F(AlertEngineTest, FlappingSupersedesTheDownMailAndEndsOnce) {
  Round(0);
  net_.ports["panji"].oper_status = 2;
  net_.ports["panji"].changes = 1;
  auto first = Rounds(5, 10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(Rules(first[0]), std::vector<std::string>{"link_down:panji"});
  std::vector<Notification> during;
  for (int i = 0; i < 10; ++i) {  // down and up again, every poll
    net_.ports["panji"].oper_status = i % 2 ? 2 : 1;
    net_.ports["panji"].changes += i == 0 ? 4 : 2;  // up again, after flaps the poll missed
    for (auto& n : Round(15 + 5 * i)) during.push_back(n);
  }
  for (auto& n : Rounds(65, 70)) during.push_back(n);
  ASSERT_EQ(during.size(), 1u) << "one flapping notice, no down/up storm";
  EXPECT_EQ(Rules(during[0]), std::vector<std::string>{"link_flapping:panji"});
  EXPECT_EQ(during[0].alerts[0].facts.supersedes, std::vector<std::string>{"link_down"});
  net_.ports["panji"].oper_status = 1;
  auto calm = Rounds(75, 200);
  ASSERT_EQ(calm.size(), 1u);
  EXPECT_EQ(calm[0].kind, NotificationKind::kResolved);
  EXPECT_EQ(Rules(calm[0]), std::vector<std::string>{"link_flapping:panji"});
}

TEST_F(AlertEngineTest, NoLightFoldsTheLinksDownAlertIntoOneMail) {
  Round(0);
  net_.ports["panji"].oper_status = 2;
  net_.ports["panji"].fiber = Fiber(FiberState::kNoLight, "", -40.0);
  auto cut = Rounds(5, 15);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(Rules(cut[0]), std::vector<std::string>{"fiber_no_light:panji"});
  EXPECT_EQ(cut[0].alerts[0].severity, Severity::kCritical);
  EXPECT_EQ(cut[0].alerts[0].facts.value, -40.0);
  net_.ports["panji"].oper_status = 1;
  net_.ports["panji"].fiber = Fiber(FiberState::kOk, "", -5.1, -5.0);
  auto mended = Rounds(20, 60);
  ASSERT_EQ(mended.size(), 1u) << "the down alert that was never told ends silently";
  EXPECT_EQ(mended[0].kind, NotificationKind::kResolved);
  EXPECT_EQ(Rules(mended[0]), std::vector<std::string>{"fiber_no_light:panji"});
  EXPECT_TRUE(engine_.Records().empty());
}

TEST_F(AlertEngineTest, NoLightFoundAfterTheDownMailSupersedesIt) {
  Round(0);
  net_.ports["panji"].oper_status = 2;  // optics not yet re-read: the verdict is unknown
  net_.ports["panji"].fiber = Fiber(FiberState::kUnknown, fiber_reason::kOpticsOutdated);
  auto down = Rounds(5, 10);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(Rules(down[0]), std::vector<std::string>{"link_down:panji"});
  net_.ports["panji"].fiber = Fiber(FiberState::kNoLight, "", -40.0);
  auto dark = Rounds(15, 25);
  ASSERT_EQ(dark.size(), 1u);
  EXPECT_EQ(Rules(dark[0]), std::vector<std::string>{"fiber_no_light:panji"});
  EXPECT_EQ(dark[0].alerts[0].facts.supersedes, std::vector<std::string>{"link_down"});
  EXPECT_EQ(dark[0].in_reply_to, std::vector<std::string>{down[0].id});
  net_.ports["panji"].oper_status = 1;
  net_.ports["panji"].fiber = Fiber(FiberState::kOk, "", -5.0, -5.0);
  auto mended = Rounds(30, 60);
  ASSERT_EQ(mended.size(), 1u);
  EXPECT_EQ(Rules(mended[0]), std::vector<std::string>{"fiber_no_light:panji"});
}

TEST_F(AlertEngineTest, DegradedLightWarnsAndAnUnknownVerdictChangesNothing) {
  Round(0);
  net_.ports["datong"].fiber =
      Fiber(FiberState::kDegraded, fiber_reason::kBelowBaseline, -9.0, -5.0);
  auto warned = Rounds(5, 15);
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(Rules(warned[0]), std::vector<std::string>{"fiber_degraded:datong"});
  EXPECT_EQ(warned[0].alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(warned[0].alerts[0].facts.threshold, -8.0) << "3 dB below the baseline";
  net_.ports["datong"].fiber = Fiber(FiberState::kUnknown, fiber_reason::kOpticsOutdated);
  EXPECT_TRUE(Rounds(20, 60).empty()) << "no optics this round: nothing is judged";
  net_.ports["datong"].fiber = Fiber(FiberState::kOk, "", -5.2, -5.0);
  auto cleared = Rounds(65, 70);
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_EQ(cleared[0].kind, NotificationKind::kResolved);
}

TEST_F(AlertEngineTest, AWarningThatTurnsCriticalIsToldAgainUnderTheFirstMail) {
  net_.ports["uplink"].utilization = 0.85;
  auto warned = Rounds(0, 70);
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].alerts[0].severity, Severity::kWarning);
  net_.ports["uplink"].utilization = 0.99;
  auto worse = Rounds(75, 90);
  ASSERT_EQ(worse.size(), 1u);
  EXPECT_EQ(worse[0].kind, NotificationKind::kFiring);
  EXPECT_EQ(worse[0].alerts[0].severity, Severity::kCritical);
  EXPECT_EQ(worse[0].in_reply_to, std::vector<std::string>{warned[0].id});
  net_.ports["uplink"].utilization = 0.1;
  auto resolved = Rounds(95, 105);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].in_reply_to, std::vector<std::string>{worse[0].id});
}

TEST_F(AlertEngineTest, AChildThatWentFiringWhileHiddenStartsOverWhenItsParentAnswers) {
  for (auto& d : net_.config.devices) d.alerts.unreachable_for = 10s;
  Round(0);
  net_.devices["core-switch"].up = false;
  net_.devices["router"].up = false;
  auto outage = Rounds(5, 60);
  ASSERT_EQ(outage.size(), 1u);
  EXPECT_EQ(outage[0].device, "core-switch");
  // The switch answers again; the router's poll of that round had already timed out.
  net_.devices["core-switch"].up = true;
  auto back = Round(65);
  net_.devices["router"].up = true;
  for (auto& n : Rounds(70, 90)) back.push_back(n);
  ASSERT_EQ(back.size(), 1u) << "the switch's resolved, no 'router unreachable'";
  EXPECT_EQ(back[0].device, "core-switch");
  EXPECT_EQ(back[0].kind, NotificationKind::kResolved);
}

TEST_F(AlertEngineTest, AToldDownAlertStillEndsWhenItsLinkFlapsUnderASilence) {
  net_.ports["panji"].oper_status = 2;
  net_.ports["panji"].changes = 1;
  auto down = Rounds(0, 5);
  ASSERT_EQ(down.size(), 1u);
  Silence s;
  s.id = 3;
  s.device = "core-switch";
  s.link = "panji";
  s.starts = start_;
  s.ends = start_ + 1h;
  silences_.push_back(s);
  std::vector<Notification> sent;
  for (int i = 0; i < 6; ++i) {  // the repair makes it flap, silenced
    net_.ports["panji"].oper_status = i % 2 ? 2 : 1;
    net_.ports["panji"].changes += 3;
    for (auto& n : Round(10 + 5 * i)) sent.push_back(n);
  }
  net_.ports["panji"].oper_status = 1;
  for (auto& n : Rounds(40, 150)) sent.push_back(n);
  ASSERT_EQ(sent.size(), 1u) << "the down mail's end, nothing of the silenced flapping";
  EXPECT_EQ(sent[0].kind, NotificationKind::kResolved);
  EXPECT_EQ(Rules(sent[0]), std::vector<std::string>{"link_down:panji"});
  EXPECT_EQ(sent[0].in_reply_to, std::vector<std::string>{down[0].id});
}

TEST_F(AlertEngineTest, AReminderEveryRepeatInterval) {
  net_.config.notify.repeat_interval = 60s;
  net_.ports["panji"].oper_status = 2;
  auto sent = Rounds(0, 150);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].kind, NotificationKind::kFiring);
  EXPECT_EQ(sent[1].kind, NotificationKind::kReminder);
  EXPECT_EQ(sent[2].kind, NotificationKind::kReminder);
  EXPECT_EQ(sent[1].in_reply_to, std::vector<std::string>{sent[0].id});
}

TEST_F(AlertEngineTest, ASilenceKeepsPlannedWorkQuiet) {
  Silence s;
  s.id = 7;
  s.device = "core-switch";
  s.link = "panji";
  s.starts = start_;
  s.ends = start_ + 10min;
  silences_.push_back(s);
  net_.ports["panji"].oper_status = 2;
  EXPECT_TRUE(Rounds(0, 60).empty());
  auto records = engine_.Records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].suppressed_by, "silence:7");
  net_.ports["panji"].oper_status = 1;
  EXPECT_TRUE(Rounds(65, 80).empty()) << "never told, so no resolved either";
  EXPECT_TRUE(engine_.Records().empty());
}

TEST_F(AlertEngineTest, ARestoredEngineNeitherRefiresNorForgetsTheResolved) {
  net_.ports["panji"].oper_status = 2;
  auto fired = Rounds(0, 10);
  ASSERT_EQ(fired.size(), 1u);
  AlertEngine restarted;
  restarted.Restore(engine_.Records());
  std::swap(engine_, restarted);
  EXPECT_TRUE(Rounds(15, 60).empty()) << "no second firing mail after a restart";
  net_.ports["panji"].oper_status = 1;
  auto resolved = Rounds(65, 75);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].in_reply_to, std::vector<std::string>{fired[0].id});
}

TEST_F(AlertEngineTest, AFiringNotYetToldIsToldAfterARestart) {
  net_.ports["panji"].oper_status = 2;
  EXPECT_TRUE(Round(0).empty());  // killed within the group wait
  AlertEngine restarted;
  restarted.Restore(engine_.Records());
  std::swap(engine_, restarted);
  auto sent = Rounds(5, 15);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].kind, NotificationKind::kFiring);
}

TEST_F(AlertEngineTest, ARebootIsToldOnceAndNeverResolved) {
  Round(0);
  net_.reboots["router"] = 1;
  auto sent = Rounds(5, 100);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(Rules(sent[0]), std::vector<std::string>{"device_rebooted:"});
  EXPECT_TRUE(engine_.Records().empty());
}

TEST_F(AlertEngineTest, AnAgentRestartAloneSendsNothingWhereTheHostClockCarriedOn) {
  Round(0);
  net_.agent_restarts["router"] = 1;  // its hrSystemUptime went on: only the agent restarted
  EXPECT_TRUE(Rounds(5, 60).empty());
  // A switch has no host clock: its agent's uptime going back is the device's reboot.
  net_.no_host_clock.insert("core-switch");
  Round(65);
  net_.agent_restarts["core-switch"] = 1;
  auto sent = Rounds(70, 100);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].device, "core-switch");
  EXPECT_EQ(Rules(sent[0]), std::vector<std::string>{"device_rebooted:"});
}

TEST_F(AlertEngineTest, AFailingReceiverAlertsThroughTheOthers) {
  net_.config.alerts.receiver_failing_for = 60s;
  ReceiverStats email;
  email.name = "email";
  email.failing_since = start_;
  receivers_.push_back(email);
  EXPECT_TRUE(Rounds(0, 55).empty());
  auto sent = Rounds(60, 70);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].device, kSelfDevice);
  EXPECT_EQ(sent[0].skip_receiver, "email");
}

}  // namespace
}  // namespace lanwatch
