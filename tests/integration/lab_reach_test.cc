// Reachability end to end in the bureau in a box: lanwatchd's echo probes of each unit's far
// end and of the ISP's side, and its checks of the bureau's web site and OA system, against
// faults injected for real (netfilter loss, netem/NFQUEUE delay, a cut fiber, the ISP's side
// going dark, a web server stopped). Mail goes to a real SMTP server.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <regex>
#include <thread>

#include "tests/integration/lab_fixture.h"

namespace lanwatch {
namespace {

using Clock = std::chrono::steady_clock;

// Probing faster than the lab's default (1 s), so that 400 probes take 10 s: the issue's
// sample for a loss figure. The window holds them all.
constexpr auto kProbeInterval = 25ms;
constexpr auto kWindow = 10s;

class LabReach : public LabMail {
 protected:
  std::string ConfigPath() override {
    std::string yaml = testing::ReadFile(testing::SourceDir() + "/config/lab.yaml");
    EXPECT_EQ(yaml.find("\nprobes:"), std::string::npos) << "lab.yaml sets probes: merge here";
    yaml += fmt::format("\nprobes: {{interval: {}ms, window: {}s, timeout: 1s}}\n",
                        kProbeInterval.count(), kWindow.count());
    return log_.Write("lab-fast-probes.yaml", yaml);
  }
  std::map<std::string, std::string> Peer(const std::string& link) {
    return {{"link", link}, {"role", "peer"}};
  }
  // Sent and lost since lanwatchd started, for the probes of `labels`.
  std::pair<double, double> Totals(const std::map<std::string, std::string>& labels) {
    auto m = Metrics();
    return {testing::FindValue(m, "lanwatch_probe_sent_total", labels).value_or(-1),
            testing::FindValue(m, "lanwatch_probe_lost_total", labels).value_or(-1)};
  }
  // The loss over the next `n` probes of `labels`, from the counters.
  double LossOverNext(const std::map<std::string, std::string>& labels, double n) {
    auto [sent0, lost0] = Totals(labels);
    EXPECT_GE(sent0, 0) << Summary();
    std::pair<double, double> now{sent0, lost0};
    testing::WaitUntil(60s, [&] {
      now = Totals(labels);
      return now.first - sent0 >= n;
    });
    EXPECT_GE(now.first - sent0, n) << Summary();
    return (now.second - lost0) / (now.first - sent0);
  }
  std::optional<double> Verdict(const std::string& verdict) {
    return Value("lanwatch_uplink_verdict", {{"link", "uplink"}, {"verdict", verdict}});
  }
  bool WaitForVerdict(const std::string& verdict, std::chrono::milliseconds timeout) {
    return testing::WaitUntil(timeout, [&] { return Verdict(verdict) == 1; });
  }
};

TEST_F(LabReach, AUnitsFarEndShowsLossDelayAndACut) {
  const auto datong = Peer("datong");
  ASSERT_EQ(Value("lanwatch_probe_up", datong), 1) << Summary();
  ASSERT_EQ(Value("lanwatch_probe_loss_ratio", datong), 0) << Summary();
  const double idle_rtt = Value("lanwatch_probe_rtt_median_seconds", datong).value_or(-1);
  ASSERT_GT(idle_rtt, 0);
  ASSERT_LT(idle_rtt, 0.005) << "a LAN fiber answers in well under a millisecond";
  EXPECT_EQ(Value("lanwatch_probe_mode_info", {{"mode", "raw"}}), 1)
      << "a new namespace's ping_group_range is \"1 0\": raw sockets, opened as root";

  // 20 % random loss: 20 % +- 5 % over 400 probes, and one far-end loss mail.
  Fault("loss datong 20");
  const double loss = LossOverNext(datong, 400);
  RecordProperty("loss_over_400_probes", fmt::format("{:.3f}", loss));
  std::cout << fmt::format("[ measured ] datong: {:.1f} % lost over 400 probes\n", loss * 100);
  EXPECT_NEAR(loss, 0.20, 0.05) << Summary();
  EXPECT_NEAR(Value("lanwatch_probe_loss_ratio", datong).value_or(-1), 0.20, 0.06);
  auto mails = WaitForMails(1, 30s);
  EXPECT_EQ(Count(mails, "firing", "far_end_loss core-switch/datong"), 1u) << Summary();
  Fault("noloss datong");
  WaitForMails(2, kWindow + 20s);
  EXPECT_EQ(Count(Mails(), "resolved", "far_end_loss core-switch/datong"), 1u) << Summary();

  // 50 ms added: the window's median RTT 50 ms +- 5 ms above idle, and a latency mail.
  Fault("delay datong 50");
  std::optional<double> median;
  testing::WaitUntil(kWindow + 10s, [&] {
    median = Value("lanwatch_probe_rtt_median_seconds", datong);
    return median && *median > 0.045;
  });
  std::this_thread::sleep_for(kWindow / 2);  // the window wholly delayed
  median = Value("lanwatch_probe_rtt_median_seconds", datong);
  ASSERT_TRUE(median) << Summary();
  RecordProperty("delay_median_ms", fmt::format("{:.2f}", *median * 1000));
  std::cout << fmt::format("[ measured ] datong: median RTT {:.2f} ms idle, {:.2f} ms delayed\n",
                           idle_rtt * 1000, *median * 1000);
  EXPECT_NEAR(*median - idle_rtt, 0.050, 0.005) << Summary();
  EXPECT_EQ(Value("lanwatch_probe_loss_ratio", datong), 0) << "delayed, not lost";
  mails = WaitForMails(3, 30s);
  EXPECT_EQ(Count(mails, "firing", "far_end_latency core-switch/datong"), 1u) << Summary();
  Fault("nodelay datong");
  WaitForMails(4, kWindow + 20s);
  EXPECT_EQ(Count(Mails(), "resolved", "far_end_latency core-switch/datong"), 1u) << Summary();

  // A cut: every probe lost; the mail is the fiber's, not a far-end one (the port is down).
  const size_t before_cut = Mails().size();
  Fault("cut datong");
  ASSERT_TRUE(testing::WaitUntil(kWindow + 10s, [&] {
    return Value("lanwatch_probe_loss_ratio", datong) == 1 &&
           Value("lanwatch_probe_up", datong) == 0;
  })) << Summary();
  std::this_thread::sleep_for(kPoll);
  mails = Mails();
  EXPECT_EQ(Count(mails, "firing", "fiber_no_light core-switch/datong"), 1u) << Summary();
  EXPECT_EQ(Count(mails, "firing", "far_end_unreachable"), 0u) << Summary();
  EXPECT_EQ(mails.size(), before_cut + 1) << Summary();
  Fault("restore datong");
  // Mended: the window's tail of lost probes ages out without a far-end alert.
  WaitForMails(before_cut + 2, 30s);
  std::this_thread::sleep_for(kWindow + kPoll);
  mails = Mails();
  EXPECT_EQ(Count(mails, "resolved", "fiber_no_light core-switch/datong"), 1u) << Summary();
  EXPECT_EQ(Count(mails, "firing", "far_end"), 2u) << "loss and latency only: " << Summary();
  EXPECT_EQ(Value("lanwatch_probe_loss_ratio", datong), 0) << Summary();
}

TEST_F(LabReach, TheUplinksVerdictTellsIspLossFromIspDown) {
  ASSERT_TRUE(WaitForVerdict("ok", 10s)) << Summary();
  EXPECT_EQ(Value("lanwatch_probe_up", {{"link", "uplink"}, {"role", "beyond"}}), 1)
      << "the host beyond the ISP answers";

  // Loss on the line, the line idle: the ISP's.
  Fault("loss uplink 20");
  ASSERT_TRUE(WaitForVerdict("isp_loss", kWindow + 10s)) << Summary();
  EXPECT_EQ(Verdict("saturated"), 0);
  auto mails = WaitForMails(1, kWindow + 20s);
  EXPECT_EQ(Count(mails, "firing", "uplink_isp_loss router/uplink"), 1u) << Summary();
  Fault("noloss uplink");
  ASSERT_TRUE(WaitForVerdict("ok", kWindow + 10s)) << Summary();
  WaitForMails(2, 20s);
  EXPECT_EQ(Count(Mails(), "resolved", "uplink_isp_loss router/uplink"), 1u) << Summary();

  // The ISP's side dark while the router and its port are fine: call the ISP.
  Fault("isp dark");
  ASSERT_TRUE(WaitForVerdict("isp_down", kWindow + 10s))
      << "every probe of a window lost: " << Summary();
  EXPECT_EQ(Value("lanwatch_link_up", {{"link", "uplink"}}), 1) << "the port stays up";
  mails = WaitForMails(3, 30s);  // held two polls, then the group wait
  ASSERT_EQ(Count(mails, "firing", "uplink_isp_down router/uplink"), 1u) << Summary();
  const Json& fired = mails.back();
  EXPECT_NE(fired["body"].get<std::string>().find("运营商"), std::string::npos) << fired["body"];
  auto check = Check("--json");
  Json report = Json::parse(check.output, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << check.output;
  bool seen = false;
  for (const Json& link : report["links"]) {
    if (link["name"] != "uplink") continue;
    seen = true;
    EXPECT_EQ(link["uplink"]["verdict"], "isp_down") << link.dump();
  }
  EXPECT_TRUE(seen) << check.output;
  EXPECT_EQ(check.exit_code, 2) << "CRITICAL: " << check.output;
  Fault("isp light");
  ASSERT_TRUE(WaitForVerdict("ok", kWindow + 10s)) << Summary();
  WaitForMails(4, 20s);
  std::this_thread::sleep_for(kPoll);
  mails = Mails();
  EXPECT_EQ(Count(mails, "resolved", "uplink_isp_down router/uplink"), 1u) << Summary();
  EXPECT_EQ(mails.size(), 4u) << "no loss alert from the outage's tail: " << Summary();
}

// lanwatchd as nobody, where ping_group_range admits it: unprivileged datagram sockets.
class LabServices : public LabReach {
 protected:
  void BeforeDaemon() override {
    auto r = testing::RunCommand(InLab("monitor") +
                                 " sysctl -qw net.ipv4.ping_group_range='0 2147483647'");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
};

TEST_F(LabServices, AStoppedWebServerIsDownAndMailedThenUpAgain) {
  EXPECT_EQ(Value("lanwatch_probe_mode_info", {{"mode", "datagram"}}), 1) << Summary();
  EXPECT_EQ(Value("lanwatch_probe_up", Peer("datong")), 1) << Summary();
  const std::map<std::string, std::string> web = {{"service", "网站"}};
  ASSERT_EQ(Value("lanwatch_service_up", web), 1) << Summary();
  EXPECT_EQ(Value("lanwatch_service_http_status", web), 200);
  EXPECT_GT(Value("lanwatch_service_time_to_first_byte_seconds", web).value_or(0), 0);
  EXPECT_EQ(Value("lanwatch_service_up", {{"service", "办公自动化"}}), 1) << Summary();

  Fault("service web stop");
  ASSERT_TRUE(testing::WaitUntil(15s, [&] { return Value("lanwatch_service_up", web) == 0; }))
      << Summary();
  auto mails = WaitForMails(1, 25s);
  ASSERT_EQ(Count(mails, "firing", "service_down server/网站"), 1u) << Summary();
  EXPECT_NE(mails[0]["body"].get<std::string>().find("http://198.18.1.10/"), std::string::npos)
      << mails[0]["body"];
  Fault("service web start");
  ASSERT_TRUE(testing::WaitUntil(15s, [&] { return Value("lanwatch_service_up", web) == 1; }))
      << Summary();
  mails = WaitForMails(2, 25s);
  EXPECT_EQ(Count(mails, "resolved", "service_down server/网站"), 1u) << Summary();
  EXPECT_EQ(Count(mails, "firing", "办公自动化"), 0u) << Summary();
}

}  // namespace
}  // namespace lanwatch
