// The reachability rules through the alert engine, with hand-made snapshots and a clock handed
// in: a unit's far end (unreachable folds loss, a port down ends them, latency with
// hysteresis), the uplink's verdict mapped to its rules, services down and up with `for`,
// certificate thresholds, and a service folded into its server's device_unreachable.
#include <gtest/gtest.h>

#include <map>

#include "daemon/alerts/alert_engine.h"
#include "daemon/uplink_verdict.h"
#include "tests/daemon/engine_rounds.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;

// A core switch with the unit link "datong" (peer 198.18.1.101), a router behind it with the
// uplink, and a server behind it with the web site. Every figure is set by hand.
class Bureau {
 public:
  Bureau() {
    config.site = "bureau";
    config.notify.group_wait = 5s;
    config.notify.repeat_interval = 0s;
    // An unreachable far end is held at least a poll (FarEndUnreachableHold): polls as
    // often as its `for`, so that the tests' rounds need not know which is longer.
    config.poll_interval = 10s;
    AddDevice("core-switch", DeviceRole::kSwitch, "");
    AddDevice("router", DeviceRole::kRouter, "core-switch");
    AddDevice("server", DeviceRole::kServer, "core-switch");
    AddLink("datong", LinkKind::kSubordinate, "core-switch", "198.18.1.101");
    AddLink("uplink", LinkKind::kUplink, "router", "198.18.0.1");
    config.links.back().beyond = "198.18.9.9";
    AddService("portal", "https://198.18.1.10/", "server");
    AddService("oa", "http://198.18.1.11/", "");
    Replies("datong", 10, 0);
  }
  void AddDevice(const std::string& name, DeviceRole role, const std::string& parent) {
    DeviceConfig d;
    d.name = name;
    d.role = role;
    d.parent = parent;
    d.alerts.unreachable_for = 0s;
    config.devices.push_back(d);
    up[name] = true;
  }
  void AddLink(const std::string& name, LinkKind kind, const std::string& device,
               const std::string& peer) {
    LinkConfig l;
    l.name = name;
    l.kind = kind;
    l.device = device;
    l.interface = {InterfaceKey::kName, "if-" + name};
    l.capacity_bps = 100e6;
    l.peer = peer;
    config.links.push_back(l);
    oper[name] = 1;
  }
  void AddService(const std::string& name, const std::string& url, const std::string& device) {
    ServiceConfig s;
    s.name = name;
    s.url = url;
    s.device = device;
    s.down_for = 20s;
    config.services.push_back(s);
    ServiceStatus st;
    st.name = name;
    st.kind = "http";
    st.target = url;
    st.device = device;
    st.checked = true;
    st.last.name = name;
    st.last.up = true;
    st.last.status = 200;
    services[name] = st;
  }
  // The far end's window: `sent` probes with an outcome, `lost` of them, replies at `rtt`.
  void Replies(const std::string& link, uint64_t sent, uint64_t lost, double rtt = 0.002) {
    WindowSummary w;
    w.sent = sent;
    w.lost = lost;
    if (sent > 0) w.loss_ratio = static_cast<double>(lost) / static_cast<double>(sent);
    if (lost < sent) w.rtt_min_seconds = w.rtt_median_seconds = w.rtt_max_seconds = rtt;
    far_end[link] = w;
  }
  void Verdict(UplinkVerdict v, std::string reason, std::optional<double> peer_loss = {},
               std::optional<double> beyond_loss = {}) {
    UplinkStatus u;
    u.verdict = v;
    u.reason = std::move(reason);
    u.peer_loss = peer_loss;
    u.beyond_loss = beyond_loss;
    uplink = u;
  }

  NetworkStatus Snapshot() const {
    NetworkStatus s;
    s.site = config.site;
    for (const DeviceConfig& dc : config.devices) {
      DeviceStatus d;
      d.name = dc.name;
      d.polled = true;
      d.up = up.at(dc.name);
      if (!d.up) d.error = "timeout";
      for (const LinkConfig& l : config.links) {
        if (l.device != dc.name || !d.up) continue;
        InterfaceStatus i;
        i.name = l.interface.value;
        i.admin_up = true;
        i.oper_status = oper.at(l.name);
        i.oper_up = i.oper_status == 1;
        i.state_changes_total = changes.contains(l.name) ? changes.at(l.name) : 0;
        i.speed_bps = 100'000'000;
        if (i.oper_up) i.receive_bps = i.transmit_bps = 1e6;
        i.errors_per_second = i.discards_per_second = 0;
        d.interfaces.push_back(i);
      }
      s.devices.push_back(d);
    }
    for (const LinkConfig& l : config.links) {
      LinkStatus link;
      link.name = l.name;
      link.kind = std::string(ToString(l.kind));
      link.device = l.device;
      link.peer = l.peer;
      if (oper.at(l.name) == 1) link.in_bps = link.out_bps = 1e6;  // no link_no_data
      if (auto it = far_end.find(l.name); it != far_end.end()) link.far_end = it->second;
      if (l.kind == LinkKind::kUplink) link.uplink = uplink;
      s.links.push_back(std::move(link));
    }
    for (const ServiceConfig& sc : config.services) s.services.push_back(services.at(sc.name));
    return s;
  }

  Config config;
  std::map<std::string, bool> up;
  std::map<std::string, int> oper;
  std::map<std::string, uint64_t> changes;  // state changes the port has counted
  std::map<std::string, WindowSummary> far_end;
  std::optional<UplinkStatus> uplink;
  std::map<std::string, ServiceStatus> services;
};

class ReachabilityRules : public EngineRounds<Bureau> {
 protected:
  // What `rule` observed of `link` in the last round.
  const Observation* Seen(const std::string& rule, const std::string& link) const {
    for (const Observation& o : observations_) {
      if (o.key.rule == rule && o.key.link == link) return &o;
    }
    return nullptr;
  }
  std::optional<AlertRecord> Record(const std::string& rule, const std::string& link) const {
    for (const AlertRecord& r : engine_.Records()) {
      if (r.key.rule == rule && r.key.link == link) return r;
    }
    return std::nullopt;
  }
};

TEST_F(ReachabilityRules, AFarEndThatAnswersNothingIsOneUnreachableMailNotALossMailToo) {
  EXPECT_TRUE(Rounds(0, 10).empty());
  net_.Replies("datong", 10, 10);
  auto sent = Rounds(15, 120);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].device, "core-switch");
  EXPECT_EQ(Rules(sent[0]), std::vector<std::string>{"far_end_unreachable:datong"});
  const AlertFacts& f = sent[0].alerts[0].facts;
  EXPECT_EQ(sent[0].alerts[0].severity, Severity::kCritical);
  EXPECT_EQ(f.detail, "198.18.1.101");
  EXPECT_EQ(f.value, 1.0);
  EXPECT_EQ(f.samples, 10.0);
  EXPECT_EQ(f.window_seconds, 10.0);
  EXPECT_FALSE(Record(rule::kFarEndLoss, "datong")) << "an outage is not loss: never pending";

  // Replies again; the window still holds the outage's lost probes for a while.
  std::vector<Notification> after;
  double at = 120;
  for (uint64_t lost : {9, 6, 3, 0, 0, 0, 0, 0, 0, 0}) {
    net_.Replies("datong", 10, lost);
    for (auto& n : Round(at += 5)) after.push_back(n);
  }
  for (auto& n : Rounds(200, 260)) after.push_back(n);
  ASSERT_EQ(after.size(), 1u) << "the resolved unreachable only, no loss mail from stale probes";
  EXPECT_EQ(after[0].kind, NotificationKind::kResolved);
  EXPECT_EQ(Rules(after[0]), std::vector<std::string>{"far_end_unreachable:datong"});
  for (const AlertRecord& r : engine_.Records()) {
    ADD_FAILURE() << "left: " << r.key.ToString() << " " << ToString(r.phase) << " "
                  << r.suppressed_by;
  }
}

TEST_F(ReachabilityRules, LossToldBeforeTheFarEndWentSilentEndsInTheUnreachableMail) {
  Round(0);
  net_.Replies("datong", 10, 2);
  auto lossy = Rounds(5, 45);
  ASSERT_EQ(lossy.size(), 1u);
  EXPECT_EQ(Rules(lossy[0]), std::vector<std::string>{"far_end_loss:datong"});
  EXPECT_EQ(lossy[0].alerts[0].severity, Severity::kCritical) << "20 % is the critical line";
  net_.Replies("datong", 10, 10);
  auto dark = Rounds(50, 80);
  ASSERT_EQ(dark.size(), 1u);
  EXPECT_EQ(Rules(dark[0]), std::vector<std::string>{"far_end_unreachable:datong"});
  EXPECT_EQ(dark[0].alerts[0].facts.supersedes, std::vector<std::string>{"far_end_loss"});
  EXPECT_EQ(dark[0].in_reply_to, std::vector<std::string>{lossy[0].id});
  net_.Replies("datong", 10, 0);
  auto mended = Rounds(85, 200);
  ASSERT_EQ(mended.size(), 1u);
  EXPECT_EQ(Rules(mended[0]), std::vector<std::string>{"far_end_unreachable:datong"});
}

TEST_F(ReachabilityRules, APortThatGoesDownEndsTheFarEndAlertAndLinkDownTellsIt) {
  Round(0);
  net_.Replies("datong", 10, 10);
  auto dark = Rounds(5, 30);
  ASSERT_EQ(dark.size(), 1u);
  net_.oper["datong"] = 2;
  auto down = Rounds(35, 45);
  std::map<NotificationKind, std::vector<std::string>> by_kind;
  for (const auto& n : down) {
    for (const auto& r : Rules(n)) by_kind[n.kind].push_back(r);
  }
  EXPECT_EQ(by_kind[NotificationKind::kResolved],
            std::vector<std::string>{"far_end_unreachable:datong"});
  EXPECT_EQ(by_kind[NotificationKind::kFiring], std::vector<std::string>{"link_down:datong"});
  const Observation* seen = Seen(rule::kFarEndLoss, "datong");
  ASSERT_NE(seen, nullptr);
  EXPECT_TRUE(seen->judged);
  EXPECT_EQ(seen->level, Severity::kOk);
}

TEST_F(ReachabilityRules, TooFewProbesAllLostJudgeNothing) {
  Round(0);
  net_.Replies("datong", 2, 2);
  Round(5);
  const Observation* seen = Seen(rule::kFarEndUnreachable, "datong");
  ASSERT_NE(seen, nullptr);
  EXPECT_FALSE(seen->judged);
  net_.Replies("datong", 3, 3);
  Round(10);
  EXPECT_TRUE(Seen(rule::kFarEndUnreachable, "datong")->judged);
  EXPECT_EQ(Seen(rule::kFarEndUnreachable, "datong")->level, Severity::kCritical);
  net_.Replies("datong", 0, 0);
  Round(15);
  EXPECT_FALSE(Seen(rule::kFarEndLoss, "datong")->judged) << "nothing sent: no verdict";
}

TEST_F(ReachabilityRules, LatencyHoldsForItsForAndClearsWithHysteresis) {
  net_.Replies("datong", 10, 0, 0.200);
  EXPECT_TRUE(Rounds(0, 55).empty()) << "pending for less than far_end_rtt_for (60 s)";
  auto slow = Rounds(60, 70);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_EQ(Rules(slow[0]), std::vector<std::string>{"far_end_latency:datong"});
  EXPECT_EQ(slow[0].alerts[0].severity, Severity::kWarning);
  EXPECT_EQ(slow[0].alerts[0].facts.unit, "seconds");
  EXPECT_DOUBLE_EQ(*slow[0].alerts[0].facts.value, 0.200);
  EXPECT_DOUBLE_EQ(*slow[0].alerts[0].facts.threshold, 0.100);
  net_.Replies("datong", 10, 0, 0.080);  // below 100 ms, above the clear line (50 ms)
  EXPECT_TRUE(Rounds(75, 150).empty());
  net_.Replies("datong", 10, 10);  // no replies: no median, the alert stays as it is
  Rounds(155, 160);
  EXPECT_FALSE(Seen(rule::kFarEndLatency, "datong")->judged);
  net_.Replies("datong", 10, 0, 0.010);
  auto calm = Rounds(165, 200);
  bool resolved = false;
  for (const auto& n : calm) {
    for (const auto& r : Rules(n)) {
      if (r == "far_end_latency:datong") resolved = n.kind == NotificationKind::kResolved;
    }
  }
  EXPECT_TRUE(resolved);
}

TEST_F(ReachabilityRules, TheUplinksFarEndIsItsVerdictsNotTheFarEndRules) {
  net_.Replies("uplink", 10, 10);
  net_.Verdict(UplinkVerdict::kIspDown, uplink_reason::kPeerAndBeyondLost, 1.0, 1.0);
  Round(0);
  EXPECT_EQ(Seen(rule::kFarEndUnreachable, "uplink"), nullptr);
  EXPECT_EQ(Seen(rule::kFarEndLoss, "uplink"), nullptr);
  EXPECT_EQ(Seen(rule::kUplinkIspDown, "datong"), nullptr) << "a unit link has no verdict";
  const Observation* down = Seen(rule::kUplinkIspDown, "uplink");
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->key.device, "router");
}

TEST_F(ReachabilityRules, EachUplinkVerdictMapsToItsRule) {
  struct Case {
    UplinkVerdict verdict;
    const char* reason;
    std::optional<double> peer_loss;
    bool judged;
    Severity isp_down, isp_loss;
  };
  const Case cases[] = {
      {UplinkVerdict::kOk, "", 0.0, true, Severity::kOk, Severity::kOk},
      {UplinkVerdict::kSaturated, uplink_reason::kUtilization, 0.3, true, Severity::kOk,
       Severity::kOk},
      {UplinkVerdict::kRouterDown, uplink_reason::kRouterUnreachable, 1.0, true, Severity::kOk,
       Severity::kOk},
      {UplinkVerdict::kIspDown, uplink_reason::kPortDown, std::nullopt, true, Severity::kOk,
       Severity::kOk},
      {UplinkVerdict::kIspLoss, uplink_reason::kPeerLoss, 0.08, true, Severity::kOk,
       Severity::kWarning},
      // The dark side's 100 % is uplink_isp_down's to tell, never a loss alert of its own.
      {UplinkVerdict::kIspDown, uplink_reason::kPeerAndBeyondLost, 1.0, true, Severity::kCritical,
       Severity::kOk},
      {UplinkVerdict::kUnknown, uplink_reason::kNoProbes, std::nullopt, false, Severity::kOk,
       Severity::kOk},
  };
  double at = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(ToString(c.verdict)) + "/" + c.reason);
    net_.Verdict(c.verdict, c.reason, c.peer_loss);
    Round(at += 5);
    const Observation* down = Seen(rule::kUplinkIspDown, "uplink");
    const Observation* loss = Seen(rule::kUplinkIspLoss, "uplink");
    ASSERT_NE(down, nullptr);
    ASSERT_NE(loss, nullptr);
    EXPECT_EQ(down->judged, c.judged);
    EXPECT_EQ(loss->judged, c.judged);
    EXPECT_EQ(down->level, c.isp_down);
    EXPECT_EQ(loss->level, c.isp_loss);
    EXPECT_EQ(down->facts.detail, c.reason);
  }
}

TEST_F(ReachabilityRules, IspDownFiresAfterItsForAndFoldsTheIspLoss) {
  Round(0);
  net_.Verdict(UplinkVerdict::kIspDown, uplink_reason::kPeerAndBeyondLost, 1.0, 1.0);
  EXPECT_TRUE(Round(5).empty());
  auto sent = Rounds(10, 60);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].device, "router");
  EXPECT_EQ(Rules(sent[0]), std::vector<std::string>{"uplink_isp_down:uplink"});
  EXPECT_EQ(sent[0].alerts[0].facts.detail, uplink_reason::kPeerAndBeyondLost);
  // The ISP answers again but loses packets: the loss held while it was down (100 %) is no
  // news; the loss now is, after its own `for`.
  net_.Verdict(UplinkVerdict::kIspLoss, uplink_reason::kBeyondLoss, 0.01, 0.18);
  auto lossy = Rounds(65, 110);
  std::vector<std::string> told;
  for (const auto& n : lossy) {
    for (const auto& r : Rules(n)) told.push_back(std::string(ToString(n.kind)) + " " + r);
  }
  EXPECT_EQ(told, (std::vector<std::string>{"resolved uplink_isp_down:uplink",
                                            "firing uplink_isp_loss:uplink"}));
  EXPECT_EQ(lossy.back().alerts[0].severity, Severity::kWarning) << "18 %, not the outage's 100 %";
  // Saturation is the bureau's own traffic: an isp_loss that fired ends with it.
  net_.Verdict(UplinkVerdict::kSaturated, uplink_reason::kUtilization, 0.01, 0.18);
  auto full = Rounds(115, 130);
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(full[0].kind, NotificationKind::kResolved);
  EXPECT_EQ(Rules(full[0]), std::vector<std::string>{"uplink_isp_loss:uplink"});
}

TEST_F(ReachabilityRules, AServiceDownForItsForFiresAndUpAgainResolves) {
  Round(0);
  ServiceStatus& oa = net_.services["oa"];
  oa.last.up = false;
  oa.last.status = 0;
  oa.last.error = "connection refused (curl 7: Failed to connect)";
  EXPECT_TRUE(Rounds(5, 20).empty()) << "down for less than down_for (20 s)";
  auto down = Rounds(25, 40);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].device, kServicesDevice) << "no device: grouped under services";
  EXPECT_EQ(Rules(down[0]), std::vector<std::string>{"service_down:oa"});
  EXPECT_EQ(down[0].alerts[0].facts.detail, oa.last.error);
  EXPECT_FALSE(down[0].alerts[0].facts.value) << "no answer, no status code";
  oa.last.status = 503;
  oa.last.error = "HTTP 503, expected 200-399";
  Rounds(45, 50);
  EXPECT_EQ(Record(rule::kServiceDown, "oa")->facts.value, 503.0);
  oa.last.up = true;
  oa.last.status = 200;
  oa.last.error.clear();
  auto back = Rounds(55, 70);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].kind, NotificationKind::kResolved);
  // Not checked yet (a reload, a new service): no verdict either way.
  oa.checked = false;
  oa.last.up = false;
  Round(75);
  EXPECT_FALSE(Seen(rule::kServiceDown, "oa")->judged);
}

TEST_F(ReachabilityRules, AServiceOfAnUnreachableServerIsFoldedIntoTheServersAlert) {
  Round(0);
  net_.up["server"] = false;
  ServiceStatus& portal = net_.services["portal"];
  portal.last.up = false;
  portal.last.error = "timeout after 5 s (curl 28: Connection timed out)";
  auto sent = Rounds(5, 60);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].device, "server");
  EXPECT_EQ(Rules(sent[0]), std::vector<std::string>{"device_unreachable:"});
  auto down = Record(rule::kServiceDown, "portal");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->key.device, "server");
  EXPECT_EQ(down->suppressed_by, "device:server");
  // The switch the server hangs off goes too: the root cause is the switch.
  net_.up["core-switch"] = false;
  Rounds(65, 70);
  EXPECT_EQ(Record(rule::kServiceDown, "portal")->suppressed_by, "device:core-switch");
  EXPECT_FALSE(Record(rule::kServiceDown, "oa")) << "oa is up and names no device";
}

TEST_F(ReachabilityRules, CertificateThresholds) {
  ServiceStatus& portal = net_.services["portal"];
  portal.last.cert_not_after = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 4h;
  struct Case {
    std::optional<int> days;
    bool judged;
    Severity level;
  };
  const Case cases[] = {{30, true, Severity::kOk},           {22, true, Severity::kOk},
                        {21, true, Severity::kWarning},      {8, true, Severity::kWarning},
                        {7, true, Severity::kCritical},      {-2, true, Severity::kCritical},
                        {std::nullopt, false, Severity::kOk}};
  double at = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.days ? std::to_string(*c.days) : "no certificate read");
    portal.last.cert_days_left = c.days;
    Round(at += 5);
    const Observation* seen = Seen(rule::kCertExpiring, "portal");
    ASSERT_NE(seen, nullptr);
    EXPECT_EQ(seen->judged, c.judged);
    EXPECT_EQ(seen->level, c.level);
    if (!c.days) continue;
    EXPECT_EQ(seen->facts.value, *c.days);
    EXPECT_EQ(seen->facts.unit, "days");
    EXPECT_EQ(seen->facts.detail, "2026-12-06T04:00:00Z");
  }
  // Plain http has no certificate to expire (judged OK: one that fired before ends);
  // cert_severity none turns the rule off.
  net_.services["oa"].last.cert_days_left = 3;
  Round(at += 5);
  EXPECT_TRUE(Seen(rule::kCertExpiring, "oa")->judged);
  EXPECT_EQ(Seen(rule::kCertExpiring, "oa")->level, Severity::kOk);
  net_.config.services[0].cert_severity = AlertSeverity::kNone;
  portal.last.cert_days_left = 3;
  Round(at += 5);
  EXPECT_EQ(Seen(rule::kCertExpiring, "portal")->level, Severity::kOk);
}

TEST_F(ReachabilityRules, ACertificateAlertIsToldWithItsLowestDaysAndEndsWhenRenewed) {
  ServiceStatus& portal = net_.services["portal"];
  portal.last.cert_days_left = 6;
  auto fired = Rounds(0, 10);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].device, "server");
  EXPECT_EQ(fired[0].alerts[0].severity, Severity::kCritical);
  portal.last.cert_days_left = 5;
  Rounds(15, 20);
  EXPECT_EQ(Record(rule::kCertExpiring, "portal")->peak, 5.0) << "fewer days are worse";
  portal.last.cert_days_left = 90;
  auto renewed = Rounds(25, 35);
  ASSERT_EQ(renewed.size(), 1u);
  EXPECT_EQ(renewed[0].kind, NotificationKind::kResolved);
}

}  // namespace
}  // namespace lanwatch

namespace lanwatch {
namespace {

// A cut mended: for a window after, the far end's window still holds the cut's lost probes.
// Held at least a window (FarEndLossHold), they age out before a loss alert fires.
TEST_F(ReachabilityRules, TheLostProbesOfAMendedCutRaiseNoLossAlert) {
  net_.config.links[0].thresholds.far_end_loss_for = 2s;  // shorter than the 10 s window
  net_.config.links[0].thresholds.link_down_for = 0s;
  net_.config.notify.group_wait = 0s;  // a loss alert that fires is told at once
  Round(0);
  net_.oper["datong"] = 2;
  net_.Replies("datong", 10, 10);
  auto cut = Rounds(5, 15);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(Rules(cut[0]), std::vector<std::string>{"link_down:datong"});
  net_.oper["datong"] = 1;  // mended; the window ages out in two rounds
  net_.Replies("datong", 10, 7);
  auto tail = Rounds(20, 20);
  net_.Replies("datong", 10, 2);
  for (auto& n : Rounds(25, 25)) tail.push_back(std::move(n));
  net_.Replies("datong", 10, 0);
  for (auto& n : Rounds(30, 80)) tail.push_back(std::move(n));
  for (const auto& n : tail) {
    for (const auto& r : Rules(n)) {
      EXPECT_EQ(r, "link_down:datong") << "only the link's own resolved mail";
    }
  }
  // Loss that lasts longer than a window is news, with the shorter `for` still a window.
  net_.Replies("datong", 10, 3);
  EXPECT_TRUE(Rounds(85, 90).empty());
  auto lossy = Rounds(95, 95);
  ASSERT_EQ(lossy.size(), 1u);
  EXPECT_EQ(Rules(lossy[0]), std::vector<std::string>{"far_end_loss:datong"});
}

// A flapping port loses probes each time it goes down; the flapping notice says it all.
TEST_F(ReachabilityRules, AFlappingPortsLostProbesAreFoldedIntoItsFlappingNotice) {
  net_.config.links[0].thresholds.flap_changes = 4;
  net_.config.links[0].thresholds.flap_window = 120s;
  Round(0);
  net_.Replies("datong", 10, 4);
  std::vector<Notification> all;
  for (int i = 0; i < 8; ++i) {
    net_.oper["datong"] = i % 2 ? 1 : 2;
    ++net_.changes["datong"];
    for (auto& n : Rounds(5 + i * 10, 10 + i * 10)) all.push_back(std::move(n));
  }
  net_.oper["datong"] = 1;
  for (auto& n : Rounds(85, 120)) all.push_back(std::move(n));
  bool flapping = false;
  for (const auto& n : all) {
    for (const auto& r : Rules(n)) {
      flapping = flapping || r == "link_flapping:datong";
      EXPECT_NE(r, "far_end_loss:datong") << "folded into the flapping notice";
    }
  }
  EXPECT_TRUE(flapping);
}

}  // namespace
}  // namespace lanwatch
