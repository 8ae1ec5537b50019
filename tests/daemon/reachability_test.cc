// The deciding side of reachability, fed by hand: ReachabilityMonitor's windows (Record, as
// the prober's thread calls it), the uplink's verdict, and how far ends weigh in a link's
// severity. The prober itself is tested against real sockets in tests/integration.
#include "daemon/reachability.h"

#include <gtest/gtest.h>

#include "daemon/far_end_silence.h"
#include "daemon/reachability_health.h"
#include "daemon/uplink_verdict.h"

namespace lanwatch {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

Config BureauConfig() {
  Config c;
  DeviceConfig router;
  router.name = "router";
  router.role = DeviceRole::kRouter;
  router.address = "198.18.1.1";
  DeviceConfig core;
  core.name = "core-switch";
  core.address = "198.18.1.2";
  c.devices = {router, core};
  LinkConfig uplink;
  uplink.name = "uplink";
  uplink.kind = LinkKind::kUplink;
  uplink.device = "router";
  uplink.peer = "198.18.0.1";
  uplink.beyond = "198.19.0.2";
  LinkConfig datong;
  datong.name = "datong";
  datong.kind = LinkKind::kSubordinate;
  datong.device = "core-switch";
  datong.peer = "198.18.1.101";
  LinkConfig bare;  // no peer: not probed
  bare.name = "maoji";
  bare.device = "core-switch";
  c.links = {uplink, datong, bare};
  return c;
}

ProbeResult Result(const std::string& target, Clock::time_point sent,
                   std::optional<double> rtt_ms) {
  ProbeResult r;
  r.target = target;
  r.sent_steady = sent;
  r.outcome = rtt_ms ? ProbeOutcome::kReply : ProbeOutcome::kLost;
  if (rtt_ms) r.rtt = std::chrono::nanoseconds(static_cast<int64_t>(*rtt_ms * 1e6));
  return r;
}

TEST(ProbeTargets, EachPeerThenTheUplinksBeyondAndRouter) {
  std::vector<ProbeTargetSpec> t = ProbeTargets(BureauConfig());
  std::vector<ProbeTargetSpec> want = {{"198.18.0.1", "uplink", probe_role::kPeer},
                                       {"198.19.0.2", "uplink", probe_role::kBeyond},
                                       {"198.18.1.1", "uplink", probe_role::kRouter},
                                       {"198.18.1.101", "datong", probe_role::kPeer}};
  EXPECT_EQ(t, want);
}

TEST(ProbeTargets, ARouterKnownByNameIsNotEchoed) {
  Config c = BureauConfig();
  c.devices[0].address = "router.bureau.example";
  for (const ProbeTargetSpec& t : ProbeTargets(c)) EXPECT_NE(t.role, probe_role::kRouter);
}

TEST(ReachabilityMonitor, WindowsFollowRecordedOutcomesPerTarget) {
  Config c = BureauConfig();
  ReachabilityMonitor monitor(ProbeTargets(c), c.probes);
  EXPECT_EQ(monitor.mode(), "");  // no prober: fed by hand
  const auto t0 = Clock::now();
  // datong: 10 probes a second apart, 2 lost; RTT 1..8 ms.
  for (int i = 0; i < 10; ++i) {
    std::optional<double> rtt;
    if (i != 3 && i != 7) rtt = 1.0 + i;
    monitor.Record(Result("198.18.1.101", t0 + seconds(i), rtt));
  }
  monitor.Record(Result("198.18.99.99", t0, 1.0));  // not a target: ignored
  auto snap = monitor.Snapshot(t0 + milliseconds(9500));
  ASSERT_EQ(snap.size(), 4u);
  const ProbeTargetStatus& d = snap[3];
  EXPECT_EQ(d.target, "198.18.1.101");
  EXPECT_EQ(d.link, "datong");
  EXPECT_EQ(d.window.sent, 10u);
  EXPECT_EQ(d.window.lost, 2u);
  ASSERT_TRUE(d.window.loss_ratio);
  EXPECT_DOUBLE_EQ(*d.window.loss_ratio, 0.2);
  ASSERT_TRUE(d.window.rtt_median_seconds);
  EXPECT_NEAR(*d.window.rtt_median_seconds, 0.0055, 1e-9);  // of 1 2 3 5 6 7 9 10 ms
  EXPECT_EQ(d.sent_total, 10u);
  EXPECT_EQ(d.lost_total, 2u);
  EXPECT_EQ(d.histogram.count, 8u);
  EXPECT_EQ(d.window_length, c.probes.window);
  EXPECT_TRUE(d.measured());
  EXPECT_TRUE(d.up());
  EXPECT_FALSE(snap[0].measured());  // nothing recorded for the ISP yet
  // Ten seconds on, the window holds only the last probes; the counters keep everything.
  auto later = monitor.Snapshot(t0 + milliseconds(18500));
  EXPECT_EQ(later[3].window.sent, 1u);
  EXPECT_EQ(later[3].sent_total, 10u);
}

TEST(ReachabilityMonitor, AnIcmpErrorIsALostProbe) {
  Config c = BureauConfig();
  ReachabilityMonitor monitor(ProbeTargets(c), c.probes);
  ProbeResult r = Result("198.18.1.101", Clock::now(), std::nullopt);
  r.outcome = ProbeOutcome::kError;
  r.error = "No route to host";
  monitor.Record(r);
  auto snap = monitor.Snapshot();
  EXPECT_EQ(snap[3].window.lost, 1u);
  EXPECT_FALSE(snap[3].up());
}

// The uplink as JudgeUplink sees it: one helper per fact.
struct UplinkCase {
  Config config = BureauConfig();
  LinkStatus link;
  DeviceStatus router;
  std::vector<ProbeTargetStatus> probes;

  UplinkCase() {
    link.name = "uplink";
    link.found = link.up = link.admin_up = true;
    link.in_utilization = 0.3;
    link.out_utilization = 0.1;
    router.name = "router";
    router.polled = router.up = true;
    Probe(probe_role::kPeer, 10, 0, 0.003);
    Probe(probe_role::kBeyond, 10, 0, 0.010);
    Probe(probe_role::kRouter, 10, 0, 0.0004);
  }
  void Probe(const char* role, uint64_t sent, uint64_t lost, double rtt) {
    std::erase_if(probes, [&](const ProbeTargetStatus& p) { return p.role == role; });
    ProbeTargetStatus p;
    p.link = "uplink";
    p.role = role;
    p.window.sent = sent;
    p.window.lost = lost;
    if (sent > 0) p.window.loss_ratio = static_cast<double>(lost) / static_cast<double>(sent);
    if (lost < sent) p.window.rtt_median_seconds = rtt;
    probes.push_back(p);
  }
  UplinkStatus Judge() const { return JudgeUplink(config.links[0], link, &router, probes); }
};

TEST(UplinkVerdict, AllWellIsOk) {
  UplinkCase u;
  UplinkStatus s = u.Judge();
  EXPECT_EQ(s.verdict, UplinkVerdict::kOk);
  EXPECT_EQ(s.peer_loss, 0.0);
  EXPECT_EQ(s.utilization, 0.3);
  EXPECT_EQ(s.beyond_rtt_median_seconds, 0.010);
}

TEST(UplinkVerdict, AFloodThatSilencesTheProbesIsSaturatedNotIspDown) {
  UplinkCase u;
  u.link.out_utilization = 1.0;
  for (ProbeTargetStatus& p : u.probes) {
    if (p.role == probe_role::kRouter) continue;
    p.window.lost = 6;  // the flood's queue drops a run of them
    p.window.loss_ratio = 0.6;
    p.window.trailing_lost = 4;
    p.window.silent_seconds = 4.5;
  }
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kSaturated);
}

TEST(UplinkVerdict, FullLineIsSaturatedNotIspLoss) {
  UplinkCase u;
  u.link.out_utilization = 0.97;
  u.Probe(probe_role::kBeyond, 10, 3, 0.4);  // saturation itself drops and delays
  u.Probe(probe_role::kPeer, 10, 3, 0.4);
  UplinkStatus s = u.Judge();
  EXPECT_EQ(s.verdict, UplinkVerdict::kSaturated);
  EXPECT_EQ(s.reason, uplink_reason::kUtilization);
}

TEST(UplinkVerdict, LossPastTheRouterOnAnIdleLineIsIspLoss) {
  UplinkCase u;
  u.Probe(probe_role::kBeyond, 10, 2, 0.01);
  u.Probe(probe_role::kPeer, 10, 2, 0.003);
  UplinkStatus s = u.Judge();
  EXPECT_EQ(s.verdict, UplinkVerdict::kIspLoss);
  EXPECT_EQ(s.reason, uplink_reason::kBeyondLoss);
  EXPECT_EQ(s.beyond_loss, 0.2);
}

TEST(UplinkVerdict, ANextHopThatIgnoresEchoIsNotLossWhileBeyondAnswers) {
  UplinkCase u;
  u.Probe(probe_role::kPeer, 10, 10, 0);
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kOk);
  u.config.links[0].beyond.clear();  // without a host beyond, the next hop decides
  std::erase_if(u.probes, [](const ProbeTargetStatus& p) { return p.role == probe_role::kBeyond; });
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kIspDown);
  EXPECT_EQ(u.Judge().reason, uplink_reason::kPeerLost);
}

TEST(UplinkVerdict, NothingPastTheRouterAnswersIsIspDown) {
  UplinkCase u;
  u.Probe(probe_role::kPeer, 8, 8, 0);
  u.Probe(probe_role::kBeyond, 8, 8, 0);
  UplinkStatus s = u.Judge();
  EXPECT_EQ(s.verdict, UplinkVerdict::kIspDown);
  EXPECT_EQ(s.reason, uplink_reason::kPeerAndBeyondLost);
  EXPECT_EQ(s.peer_loss, 1.0);
}

TEST(UplinkVerdict, ThePortDownIsIspDown) {
  UplinkCase u;
  u.link.up = false;
  EXPECT_EQ(u.Judge().reason, uplink_reason::kPortDown);
  u.link.admin_up = false;  // shut on purpose: not the ISP's
  EXPECT_NE(u.Judge().verdict, UplinkVerdict::kIspDown);
}

TEST(UplinkVerdict, ARouterSilentOnSnmpAndEchoIsRouterDown) {
  UplinkCase u;
  u.router.up = false;
  u.link.found = false;  // no interface table from a router that does not answer
  u.Probe(probe_role::kRouter, 10, 10, 0);
  u.Probe(probe_role::kPeer, 10, 10, 0);
  u.Probe(probe_role::kBeyond, 10, 10, 0);
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kRouterDown);
  // It answers echo: its agent is down, the line is judged on the probes past it.
  u.Probe(probe_role::kRouter, 10, 0, 0.0004);
  u.Probe(probe_role::kPeer, 10, 0, 0.003);
  u.Probe(probe_role::kBeyond, 10, 0, 0.01);
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kOk);
}

TEST(UplinkVerdict, NothingMeasuredIsUnknown) {
  UplinkCase u;
  u.link = LinkStatus{};
  u.router.polled = false;
  for (const char* role : {probe_role::kPeer, probe_role::kBeyond, probe_role::kRouter}) {
    u.Probe(role, 0, 0, 0);
  }
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kUnknown);
}

NetworkStatus StatusWithDatong(uint64_t sent, uint64_t lost, double rtt, bool port_up = true) {
  NetworkStatus s;
  LinkStatus l;
  l.name = "datong";
  l.found = l.admin_up = true;
  l.up = port_up;
  l.severity = port_up ? Severity::kOk : Severity::kCritical;
  s.links.push_back(l);
  ProbeTargetStatus p;
  p.target = "198.18.1.101";
  p.link = "datong";
  p.role = probe_role::kPeer;
  p.window.sent = sent;
  p.window.lost = lost;
  p.window.loss_ratio = static_cast<double>(lost) / static_cast<double>(sent);
  if (lost < sent) p.window.rtt_median_seconds = rtt;
  s.probes.push_back(p);
  return s;
}

TEST(ApplyReachability, FarEndLossAndLatencyWeighInTheLinksSeverity) {
  Config c = BureauConfig();
  NetworkStatus fine = StatusWithDatong(10, 0, 0.0005);
  ApplyReachability(fine, c);
  EXPECT_EQ(fine.links[0].peer, "198.18.1.101");
  ASSERT_TRUE(fine.links[0].far_end);
  EXPECT_EQ(fine.links[0].severity, Severity::kOk);

  NetworkStatus lossy = StatusWithDatong(20, 4, 0.0005);  // 20% = critical by default
  ApplyReachability(lossy, c);
  EXPECT_EQ(lossy.links[0].severity, Severity::kCritical);
  ASSERT_EQ(lossy.links[0].problems.size(), 1u);
  EXPECT_EQ(lossy.links[0].problems[0], "far end 198.18.1.101: 20% of probes lost in 10s");

  NetworkStatus slow = StatusWithDatong(10, 0, 0.150);
  ApplyReachability(slow, c);
  EXPECT_EQ(slow.links[0].severity, Severity::kWarning);
  EXPECT_EQ(slow.links[0].problems[0], "far end 198.18.1.101: median round trip 150 ms");

  NetworkStatus dark = StatusWithDatong(10, 10, 0);
  ApplyReachability(dark, c);
  EXPECT_EQ(dark.links[0].severity, Severity::kCritical);
  EXPECT_EQ(dark.links[0].problems[0],
            "far end 198.18.1.101 does not answer: 10 of 10 probes lost in 10s");
}

TEST(ApplyReachability, ADownPortSaysItselfNotItsFarEnd) {
  Config c = BureauConfig();
  NetworkStatus s = StatusWithDatong(10, 10, 0, /*port_up=*/false);
  ApplyReachability(s, c);
  EXPECT_TRUE(s.links[0].problems.empty());
}

TEST(ApplyReachability, ServicesAreJudgedAgainstTheirConfig) {
  Config c;
  ServiceConfig web;
  web.name = "网站";
  web.url = "https://198.18.1.10/";
  c.services = {web};
  NetworkStatus s;
  ServiceStatus st;
  st.name = "网站";
  st.target = web.url;
  s.services = {st};
  ApplyReachability(s, c);
  EXPECT_EQ(s.services[0].severity, Severity::kUnknown);  // not checked yet
  s.services[0].checked = true;
  s.services[0].last.up = true;
  s.services[0].last.cert_days_left = 30;
  ApplyReachability(s, c);
  EXPECT_EQ(s.services[0].severity, Severity::kOk);
  s.services[0].last.cert_days_left = 10;
  ApplyReachability(s, c);
  EXPECT_EQ(s.services[0].severity, Severity::kWarning);
  EXPECT_EQ(s.services[0].problems.at(0), "网站's certificate expires in 10 days");
  s.services[0].last.up = false;
  s.services[0].last.error = "connection refused";
  ApplyReachability(s, c);
  EXPECT_EQ(s.services[0].severity, Severity::kCritical);
  EXPECT_EQ(s.services[0].problems.at(0), "网站 is down: connection refused");
}

}  // namespace
}  // namespace lanwatch

namespace lanwatch {
namespace {

// Gone dark a few seconds ago: the window's ratio still says "some loss", the newest probes
// say "nothing answers".
TEST(FarEndSilence, TheNewestLostInARowForSecondsIsSilentBeforeTheWindowFills) {
  WindowSummary w;
  w.sent = 10;
  w.lost = 4;
  w.trailing_lost = 4;
  w.silent_seconds = 5.5;
  EXPECT_TRUE(FarEndSilent(w));
  w.silent_seconds = 2.0;  // a blip, or not yet long enough
  EXPECT_FALSE(FarEndSilent(w));
  w.silent_seconds = 5.5;
  w.trailing_lost = 2;  // two lost in a row at 20 % loss: loss, not silence
  EXPECT_FALSE(FarEndSilent(w));
  WindowSummary begun;
  begun.sent = begun.lost = 2;  // a window just begun
  EXPECT_FALSE(FarEndSilent(begun));
}

TEST(UplinkVerdict, TheIspSideGoneSilentIsIspDownAtOnce) {
  UplinkCase u;
  for (const char* role : {probe_role::kPeer, probe_role::kBeyond}) {
    u.Probe(role, 10, 5, 0.01);
    for (ProbeTargetStatus& p : u.probes) {
      if (p.role != role) continue;
      p.window.trailing_lost = 5;
      p.window.silent_seconds = 6;
    }
  }
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kIspDown);
}

TEST(ApplyReachability, AFarEndGoneSilentIsCriticalNotLossy) {
  NetworkStatus s = StatusWithDatong(10, 5, 0.0005);
  s.probes[0].window.trailing_lost = 5;
  s.probes[0].window.silent_seconds = 6;
  ApplyReachability(s, BureauConfig());
  EXPECT_EQ(s.links[0].severity, Severity::kCritical);
  ASSERT_EQ(s.links[0].problems.size(), 1u);
  EXPECT_EQ(s.links[0].problems[0], "far end 198.18.1.101 does not answer: the last 5 probes lost");
}

}  // namespace
}  // namespace lanwatch

namespace lanwatch {
namespace {

// A flood just over: its own lost probes are still in the window while the line is idle.
TEST(UplinkVerdict, AFloodsTailInTheWindowIsStillSaturatedNotIspLoss) {
  UplinkCase u;
  u.Probe(probe_role::kBeyond, 10, 4, 0.3);
  EXPECT_EQ(u.Judge().verdict, UplinkVerdict::kIspLoss) << "never full: the ISP's";
  UplinkStatus s = JudgeUplink(u.config.links[0], u.link, &u.router, u.probes,
                               std::chrono::seconds(4), std::chrono::seconds(10));
  EXPECT_EQ(s.verdict, UplinkVerdict::kSaturated);
  EXPECT_EQ(s.reason, uplink_reason::kRecentlyFull);
  s = JudgeUplink(u.config.links[0], u.link, &u.router, u.probes, std::chrono::seconds(12),
                  std::chrono::seconds(10));
  EXPECT_EQ(s.verdict, UplinkVerdict::kIspLoss) << "a window on, the loss is new";
}

TEST(SaturationMemory, RemembersWhenEachUplinkWasLastFull) {
  Config c = BureauConfig();
  SaturationMemory memory;
  NetworkStatus s;
  s.taken_at = std::chrono::system_clock::time_point(std::chrono::seconds(1000));
  LinkStatus uplink;
  uplink.name = "uplink";
  uplink.found = uplink.up = uplink.admin_up = true;
  uplink.out_utilization = 0.97;
  uplink.in_utilization = 0.1;
  s.links = {uplink};
  ApplyReachability(s, c, &memory);
  EXPECT_EQ(memory.SinceFull("uplink", s.taken_at + std::chrono::seconds(3)),
            std::chrono::milliseconds(3000));
  EXPECT_FALSE(memory.SinceFull("datong", s.taken_at));
}

}  // namespace
}  // namespace lanwatch
