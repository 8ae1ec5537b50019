// Reachability as lanwatch publishes it: the echo probes, the uplink's verdict and the
// bureau's services in /metrics, and in `lanwatch check` (text and JSON).
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include "exporters/check_report.h"
#include "exporters/status_collector.h"

namespace lanwatch {
namespace {

using std::chrono::microseconds;

ProbeTargetStatus Probe(std::string target, std::string link, std::string role) {
  ProbeTargetStatus p;
  p.target = std::move(target);
  p.link = std::move(link);
  p.role = std::move(role);
  p.window_length = std::chrono::seconds(10);
  return p;
}

// datong's far end lost 2 of 10, the ISP's hop all 10, the host beyond is not measured yet.
NetworkStatus ReachabilityStatus() {
  NetworkStatus s;
  s.site = "bureau";
  s.taken_at = std::chrono::system_clock::from_time_t(1'800'000'000);

  ProbeTargetStatus datong = Probe("198.18.11.2", "datong", "peer");
  datong.window = {10, 2, 0.2, 0.0003, 0.0004, 0.0021, 0.0001, 0, std::nullopt};
  datong.sent_total = 400;
  datong.lost_total = 80;
  datong.histogram.cumulative = {250, 300, 310, 320, 320, 320, 320, 320, 320, 320, 320, 320};
  datong.histogram.count = 320;
  datong.histogram.sum_seconds = 0.16;
  ProbeTargetStatus isp = Probe("198.18.0.1", "uplink", "peer");
  isp.window = {10, 10, 1.0, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 10, 9.5};
  isp.sent_total = isp.lost_total = 10;
  ProbeTargetStatus beyond = Probe("198.18.0.9", "uplink", "beyond");
  s.probes = {datong, isp, beyond};

  LinkStatus d;
  d.name = "datong";
  d.kind = "subordinate";
  d.device = "core";
  d.found = d.up = true;
  d.peer = "198.18.11.2";
  d.far_end = datong.window;
  d.severity = Severity::kWarning;
  d.problems = {"far end 198.18.11.2: 20% lost over 10 s"};
  s.links.push_back(d);
  LinkStatus u;
  u.name = "uplink";
  u.kind = "uplink";
  u.device = "router";
  u.found = u.up = true;
  u.peer = "198.18.0.1";
  u.far_end = isp.window;
  UplinkStatus verdict;
  verdict.verdict = UplinkVerdict::kIspLoss;
  verdict.reason = "peer_loss";
  verdict.peer_loss = 0.18;
  verdict.beyond_loss = 0.2;
  verdict.utilization = 0.3;
  u.uplink = verdict;
  u.severity = Severity::kWarning;
  s.links.push_back(u);
  LinkStatus plain;
  plain.name = "panji";
  plain.severity = Severity::kOk;
  s.links.push_back(plain);

  ServiceStatus web;
  web.name = "网站";
  web.kind = "http";
  web.target = "https://198.18.1.10/";
  web.device = "server";
  web.checked = true;
  web.checked_at = s.taken_at;
  web.last.up = true;
  web.last.status = 200;
  web.last.connect_time = microseconds(1200);
  web.last.tls_handshake_time = microseconds(3400);
  web.last.time_to_first_byte = microseconds(8000);
  web.last.total_time = microseconds(9500);
  web.last.cert_not_after = std::chrono::sys_seconds(std::chrono::seconds(1'806'912'000));
  web.last.cert_days_left = 80;
  web.checks_total = 12;
  web.severity = Severity::kOk;
  ServiceStatus oa;
  oa.name = "oa";
  oa.kind = "tcp";
  oa.target = "198.18.1.10:8080";
  oa.checked = true;
  oa.last.error = "connect: Connection refused (curl 7)";
  oa.last.total_time = microseconds(500);
  oa.checks_total = 12;
  oa.failures_total = 3;
  oa.severity = Severity::kCritical;
  oa.problems = {"down: connect: Connection refused (curl 7)"};
  ServiceStatus mail;
  mail.name = "mail";
  mail.kind = "http";
  mail.target = "http://198.18.1.11/";
  s.services = {web, oa, mail};
  return s;
}

std::string Exposition(const NetworkStatus& s, const std::optional<DaemonStats>& daemon = {}) {
  return prometheus::TextSerializer().Serialize(BuildMetricFamilies(s, "1", daemon));
}

void ExpectLines(const std::string& text, const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    EXPECT_NE(text.find("\n" + line + "\n"), std::string::npos) << line << "\n" << text;
  }
}

void ExpectNoSeries(const std::string& text, const std::vector<std::string>& prefixes) {
  for (const std::string& prefix : prefixes) {
    EXPECT_EQ(text.find("\n" + prefix), std::string::npos) << prefix << "\n" << text;
  }
}

const std::string kDatong = R"(target="198.18.11.2",link="datong",role="peer")";
const std::string kIsp = R"(target="198.18.0.1",link="uplink",role="peer")";
const std::string kBeyond = R"(target="198.18.0.9",link="uplink",role="beyond")";

TEST(ReachabilityMetrics, ProbeTargetsCarryWindowFiguresCountersAndTheHistogram) {
  std::string text = Exposition(ReachabilityStatus());
  ExpectLines(text, {
                        "lanwatch_probe_window_seconds{" + kDatong + "} 10",
                        "lanwatch_probe_loss_ratio{" + kDatong + "} 0.2",
                        "lanwatch_probe_up{" + kDatong + "} 1",
                        "lanwatch_probe_sent_total{" + kDatong + "} 400",
                        "lanwatch_probe_lost_total{" + kDatong + "} 80",
                        "lanwatch_probe_rtt_min_seconds{" + kDatong + "} 0.0003",
                        "lanwatch_probe_rtt_median_seconds{" + kDatong + "} 0.0004",
                        "lanwatch_probe_rtt_max_seconds{" + kDatong + "} 0.0021",
                        "lanwatch_probe_jitter_seconds{" + kDatong + "} 0.0001",
                        "lanwatch_probe_rtt_seconds_count{" + kDatong + "} 320",
                        "lanwatch_probe_rtt_seconds_sum{" + kDatong + "} 0.16",
                        "lanwatch_probe_rtt_seconds_bucket{" + kDatong + ",le=\"0.0005\"} 250",
                        "lanwatch_probe_rtt_seconds_bucket{" + kDatong + ",le=\"0.001\"} 300",
                        "lanwatch_probe_rtt_seconds_bucket{" + kDatong + ",le=\"0.002\"} 310",
                        "lanwatch_probe_rtt_seconds_bucket{" + kDatong + ",le=\"0.005\"} 320",
                        "lanwatch_probe_rtt_seconds_bucket{" + kDatong + ",le=\"2\"} 320",
                        "lanwatch_probe_rtt_seconds_bucket{" + kDatong + ",le=\"+Inf\"} 320",
                        // Everything lost: down, 100 %, and no RTT figure at all.
                        "lanwatch_probe_loss_ratio{" + kIsp + "} 1",
                        "lanwatch_probe_up{" + kIsp + "} 0",
                        "lanwatch_probe_lost_total{" + kIsp + "} 10",
                        // Nothing measured yet: counters and buckets at 0, no window figures.
                        "lanwatch_probe_sent_total{" + kBeyond + "} 0",
                        "lanwatch_probe_rtt_seconds_bucket{" + kBeyond + ",le=\"+Inf\"} 0",
                        "lanwatch_probe_window_seconds{" + kBeyond + "} 10",
                    });
  // One bucket per bound and +Inf, no more.
  size_t buckets = 0;
  for (size_t at = 0;
       (at = text.find("lanwatch_probe_rtt_seconds_bucket{" + kDatong, at)) != std::string::npos;
       ++at) {
    ++buckets;
  }
  EXPECT_EQ(buckets, kRttBucketBounds.size() + 1);
  ExpectNoSeries(
      text, {"lanwatch_probe_rtt_min_seconds{" + kIsp, "lanwatch_probe_rtt_median_seconds{" + kIsp,
             "lanwatch_probe_rtt_max_seconds{" + kIsp, "lanwatch_probe_jitter_seconds{" + kIsp,
             "lanwatch_probe_loss_ratio{" + kBeyond, "lanwatch_probe_up{" + kBeyond,
             "lanwatch_probe_rtt_median_seconds{" + kBeyond});
}

TEST(ReachabilityMetrics, ServicesKeepTheirChineseNamesAndOnlyWhatWasMeasured) {
  std::string text = Exposition(ReachabilityStatus());
  const std::string web = R"(service="网站",kind="http",target="https://198.18.1.10/")";
  const std::string oa = R"(service="oa",kind="tcp",target="198.18.1.10:8080")";
  const std::string mail = R"(service="mail",kind="http",target="http://198.18.1.11/")";
  ExpectLines(text, {
                        "lanwatch_service_up{" + web + "} 1",
                        "lanwatch_service_http_status{" + web + "} 200",
                        "lanwatch_service_connect_seconds{" + web + "} 0.0012",
                        "lanwatch_service_tls_handshake_seconds{" + web + "} 0.0034",
                        "lanwatch_service_time_to_first_byte_seconds{" + web + "} 0.008",
                        "lanwatch_service_duration_seconds{" + web + "} 0.0095",
                        "lanwatch_service_cert_expiry_timestamp_seconds{" + web + "} 1806912000",
                        "lanwatch_service_checks_total{" + web + "} 12",
                        "lanwatch_service_failures_total{" + web + "} 0",
                        "lanwatch_service_up{" + oa + "} 0",
                        "lanwatch_service_duration_seconds{" + oa + "} 0.0005",
                        "lanwatch_service_failures_total{" + oa + "} 3",
                        "lanwatch_service_checks_total{" + mail + "} 0",
                    });
  // A refused connect reached no stage; TCP has no status, TLS or first byte; a service
  // not checked yet has no up series.
  ExpectNoSeries(
      text, {"lanwatch_service_connect_seconds{" + oa, "lanwatch_service_http_status{" + oa,
             "lanwatch_service_time_to_first_byte_seconds{" + oa,
             "lanwatch_service_tls_handshake_seconds{" + oa,
             "lanwatch_service_cert_expiry_timestamp_seconds{" + oa, "lanwatch_service_up{" + mail,
             "lanwatch_service_duration_seconds{" + mail});
}

TEST(ReachabilityMetrics, UplinkVerdictIsAStateSetAndTheProbeModeAnInfo) {
  DaemonStats daemon;
  daemon.probe_mode = "datagram";
  std::string text = Exposition(ReachabilityStatus(), daemon);
  ExpectLines(text, {
                        R"(lanwatch_uplink_verdict{link="uplink",verdict="isp_loss"} 1)",
                        R"(lanwatch_uplink_verdict{link="uplink",verdict="ok"} 0)",
                        R"(lanwatch_uplink_verdict{link="uplink",verdict="saturated"} 0)",
                        R"(lanwatch_uplink_verdict{link="uplink",verdict="isp_down"} 0)",
                        R"(lanwatch_uplink_verdict{link="uplink",verdict="router_down"} 0)",
                        R"(lanwatch_uplink_verdict{link="uplink",verdict="unknown"} 0)",
                        R"(lanwatch_probe_mode_info{mode="datagram"} 1)",
                    });
  ExpectNoSeries(text, {R"(lanwatch_uplink_verdict{link="datong")"});
  // Without echo probes running, no mode.
  ExpectNoSeries(Exposition(ReachabilityStatus(), DaemonStats{}), {"lanwatch_probe_mode_info{"});
}

TEST(ReachabilityMetrics, ScrapesTakeProbesFromTheSourceWhenOneIsSet) {
  StatusCollector collector("1");
  collector.Publish(ReachabilityStatus());
  auto scrape = [&] { return prometheus::TextSerializer().Serialize(collector.Collect()); };
  ExpectLines(scrape(), {"lanwatch_probe_sent_total{" + kDatong + "} 400"});
  int asked = 0;
  collector.SetProbeSource([&] {
    ++asked;
    ProbeTargetStatus fresh = Probe("198.18.11.2", "datong", "peer");
    fresh.sent_total = 401 + asked;
    return std::vector<ProbeTargetStatus>{fresh};
  });
  ExpectLines(scrape(), {"lanwatch_probe_sent_total{" + kDatong + "} 402"});
  std::string second = scrape();
  ExpectLines(second, {"lanwatch_probe_sent_total{" + kDatong + "} 403"});
  ExpectNoSeries(second, {"lanwatch_probe_sent_total{" + kIsp});  // the snapshot's are gone
  // The published services stay.
  EXPECT_NE(second.find("lanwatch_service_up{service=\"网站\""), std::string::npos);
}

TEST(ReachabilityCheck, TextShowsReachabilityTheUplinkVerdictAndServices) {
  std::string text = RenderNagiosReport(ReachabilityStatus(), Severity::kCritical);
  std::string first = text.substr(0, text.find('\n'));
  EXPECT_NE(first.find("service oa: down: connect: Connection refused (curl 7)"), std::string::npos)
      << first;
  EXPECT_NE(first.find("1/3 services up"), std::string::npos) << first;
  EXPECT_NE(first.find("'datong_peer_loss'=20.0%;;;0;100 'datong_peer_rtt'=0.400ms;;;0;"),
            std::string::npos)
      << first;
  EXPECT_NE(first.find("'网站_ttfb'=8.000ms;;;0;"), std::string::npos) << first;
  EXPECT_NE(text.find("\nuplink: isp_loss (loss to the ISP 18%, beyond 20%): call the ISP\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n\n"
                      "TARGET       LINK    ROLE    LOSS          MIN     MEDIAN  MAX     JITTER\n"
                      "198.18.11.2  datong  peer    20% (2/10)    0.3 ms  0.4 ms  2.1 ms  0.1 ms\n"
                      "198.18.0.1   uplink  peer    100% (10/10)  -       -       -       -\n"
                      "198.18.0.9   uplink  beyond  -             -       -       -       -\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n\n"
                      "SERVICE  KIND  TARGET                STATE    CODE  TTFB    CERT     ERROR\n"
                      "网站     http  https://198.18.1.10/  up       200   8.0 ms  80 days  \n"
                      "oa       tcp   198.18.1.10:8080      DOWN     -     -       -        "
                      "connect: Connection refused (curl 7)\n"
                      "mail     http  http://198.18.1.11/   unknown  -     -       -        \n"),
            std::string::npos)
      << text;
  for (const std::string& line : {std::string("TARGET"), std::string("SERVICE")}) {
    size_t at = text.find("\n" + line);
    ASSERT_NE(at, std::string::npos);
    EXPECT_LE(text.find('\n', at + 1) - at - 1, 100u) << "wider than 100 columns: " << line;
  }
}

TEST(ReachabilityCheck, UplinkLineWordsEveryVerdict) {
  auto line = [](UplinkVerdict v, std::string reason, std::optional<double> peer_loss = {},
                 std::optional<double> utilization = {}, std::string name = "uplink") {
    NetworkStatus s;
    LinkStatus l;
    l.name = std::move(name);
    UplinkStatus u;
    u.verdict = v;
    u.reason = std::move(reason);
    u.peer_loss = peer_loss;
    u.utilization = utilization;
    l.uplink = u;
    s.links.push_back(l);
    std::string text = RenderNagiosReport(s, Severity::kOk);
    size_t at = text.rfind("\nuplink");
    return at == std::string::npos ? text : text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  EXPECT_EQ(line(UplinkVerdict::kOk, "", 0.0), "uplink: ok (loss to the ISP 0%)");
  EXPECT_EQ(line(UplinkVerdict::kSaturated, "utilization", 0.12, 0.97),
            "uplink: saturated (utilization 97%, loss to the ISP 12%): not the ISP: find who "
            "fills the line");
  EXPECT_EQ(line(UplinkVerdict::kIspDown, "peer_and_beyond_lost", 1.0, {}, "电信"),
            "uplink 电信: isp_down (neither the ISP's hop nor the host beyond answers, loss to "
            "the ISP 100%): call the ISP");
  EXPECT_EQ(line(UplinkVerdict::kIspDown, "port_down"),
            "uplink: isp_down (the WAN port is down): call the ISP");
  EXPECT_EQ(line(UplinkVerdict::kRouterDown, "router_unreachable"),
            "uplink: router_down (the router answers neither SNMP nor echo): check the router "
            "(power, cabling, console)");
  EXPECT_EQ(line(UplinkVerdict::kUnknown, "no_probes"), "uplink: unknown (nothing measured yet)");
}

TEST(ReachabilityCheck, JsonCarriesFarEndUplinkProbesAndServicesWithNulls) {
  auto json = nlohmann::json::parse(RenderJsonReport(ReachabilityStatus(), Severity::kCritical));
  const auto& datong = json["links"][0];
  EXPECT_EQ(datong["far_end"]["peer"], "198.18.11.2");
  EXPECT_EQ(datong["far_end"]["sent"], 10);
  EXPECT_EQ(datong["far_end"]["lost"], 2);
  EXPECT_EQ(datong["far_end"]["loss_ratio"], 0.2);
  EXPECT_EQ(datong["far_end"]["rtt_median_seconds"], 0.0004);
  EXPECT_EQ(datong["far_end"]["jitter_seconds"], 0.0001);
  EXPECT_TRUE(datong["uplink"].is_null());
  const auto& uplink = json["links"][1];
  EXPECT_TRUE(uplink["far_end"]["rtt_min_seconds"].is_null());
  EXPECT_EQ(uplink["far_end"]["loss_ratio"], 1.0);
  EXPECT_EQ(uplink["uplink"]["verdict"], "isp_loss");
  EXPECT_EQ(uplink["uplink"]["reason"], "peer_loss");
  EXPECT_EQ(uplink["uplink"]["peer_loss"], 0.18);
  EXPECT_EQ(uplink["uplink"]["beyond_loss"], 0.2);
  EXPECT_TRUE(uplink["uplink"]["router_loss"].is_null());
  EXPECT_EQ(uplink["uplink"]["utilization"], 0.3);
  EXPECT_EQ(uplink["uplink"]["explanation"],
            "uplink: isp_loss (loss to the ISP 18%, beyond 20%): call the ISP");
  EXPECT_TRUE(json["links"][2]["far_end"].is_null());  // no peer

  ASSERT_EQ(json["probes"].size(), 3u);
  const auto& probe = json["probes"][0];
  EXPECT_EQ(probe["target"], "198.18.11.2");
  EXPECT_EQ(probe["role"], "peer");
  EXPECT_EQ(probe["window_seconds"], 10.0);
  EXPECT_EQ(probe["up"], true);
  EXPECT_EQ(probe["sent_total"], 400);
  EXPECT_EQ(probe["rtt_max_seconds"], 0.0021);
  EXPECT_EQ(probe["rtt_histogram"]["count"], 320);
  EXPECT_EQ(probe["rtt_histogram"]["buckets"][0]["le_seconds"], 0.0005);
  EXPECT_EQ(probe["rtt_histogram"]["buckets"][0]["count"], 250);
  EXPECT_EQ(json["probes"][1]["up"], false);
  EXPECT_TRUE(json["probes"][2]["up"].is_null());
  EXPECT_TRUE(json["probes"][2]["loss_ratio"].is_null());

  ASSERT_EQ(json["services"].size(), 3u);
  const auto& web = json["services"][0];
  EXPECT_EQ(web["name"], "网站");
  EXPECT_EQ(web["kind"], "http");
  EXPECT_EQ(web["device"], "server");
  EXPECT_EQ(web["checked_at"], "2027-01-15T08:00:00Z");
  EXPECT_EQ(web["up"], true);
  EXPECT_EQ(web["status_code"], 200);
  EXPECT_TRUE(web["error"].is_null());
  EXPECT_EQ(web["connect_seconds"], 0.0012);
  EXPECT_EQ(web["tls_handshake_seconds"], 0.0034);
  EXPECT_EQ(web["time_to_first_byte_seconds"], 0.008);
  EXPECT_EQ(web["total_seconds"], 0.0095);
  EXPECT_EQ(web["cert_not_after"], "2027-04-05T08:00:00Z");
  EXPECT_EQ(web["cert_days_left"], 80);
  EXPECT_EQ(web["checks_total"], 12);
  EXPECT_EQ(web["status"], "OK");
  const auto& oa = json["services"][1];
  EXPECT_EQ(oa["up"], false);
  EXPECT_TRUE(oa["status_code"].is_null());
  EXPECT_TRUE(oa["connect_seconds"].is_null());
  EXPECT_TRUE(oa["cert_days_left"].is_null());
  EXPECT_EQ(oa["error"], "connect: Connection refused (curl 7)");
  EXPECT_EQ(oa["failures_total"], 3);
  EXPECT_EQ(oa["status"], "CRITICAL");
  EXPECT_EQ(oa["problems"][0], "down: connect: Connection refused (curl 7)");
  const auto& mail = json["services"][2];
  EXPECT_EQ(mail["checked"], false);
  EXPECT_TRUE(mail["up"].is_null());
  EXPECT_TRUE(mail["total_seconds"].is_null());
  EXPECT_TRUE(mail["device"].is_null());
  EXPECT_EQ(mail["status"], "UNKNOWN");
}

}  // namespace
}  // namespace lanwatch
