// The Grafana dashboards against the lab: a real Prometheus (its own data directory, on
// 127.0.0.1:9090 inside the monitor namespace, 5 s scrapes) scrapes lanwatchd for two
// minutes, one unit's fiber cut halfway so that alerts fire and state changes are counted;
// then every PromQL expression of every panel (tests/deploy/check_dashboards.py
// --print-queries, $link a real link, $__rate_interval 30s) must come back from
// /api/v1/query without error and with data. Root, about three minutes.
#include <fstream>
#include <iostream>
#include <set>

#include "tests/integration/lab_fixture.h"

namespace lanwatch {
namespace {

class LabGrafana : public Lab {
 protected:
  void TearDown() override {
    prometheus_.Stop();
    Lab::TearDown();
  }
  std::string PrometheusGet(const std::string& path_and_flags) {
    return testing::RunCommand(
               fmt::format("{} curl -sS -m 10 {}", InLab("monitor"), path_and_flags))
        .output;
  }
  testing::ChildProcess prometheus_;
};

TEST_F(LabGrafana, EveryPanelQueryReturnsDataFromARealPrometheus) {
  const std::string config = log_.path() + "/prometheus.yml";
  {
    std::ofstream f(config);
    // The rules a site alerting through Prometheus runs (deploy/prometheus), as they ship.
    f << "global: {scrape_interval: 5s, evaluation_interval: 5s}\n"
      << "rule_files: ['" << testing::SourceDir() << "/deploy/prometheus/lanwatch.rules.yml']\n"
      << "scrape_configs:\n"
         "  - job_name: lanwatch\n"
         "    static_configs: [{targets: ['127.0.0.1:9731']}]\n";
  }
  prometheus_ = testing::ChildProcess::Start(
      {"ip", "netns", "exec", LabNs("monitor"), "prometheus", "--config.file=" + config,
       "--storage.tsdb.path=" + log_.path() + "/prometheus-data",
       "--web.listen-address=127.0.0.1:9090"},
      log_.path() + "/prometheus.log");
  ASSERT_TRUE(testing::WaitUntil(30s, [&] {
    return PrometheusGet("http://127.0.0.1:9090/-/ready").find("Ready") != std::string::npos;
  })) << testing::ReadFile(log_.path() + "/prometheus.log");

  // A minute of the healthy bureau, then maoji's fiber is cut (its alerts fire, its state
  // changes), then another minute.
  std::this_thread::sleep_for(60s);
  auto cut = testing::RunCommand(Bureau("fault cut maoji"));
  ASSERT_EQ(cut.exit_code, 0) << cut.output;
  std::this_thread::sleep_for(60s);
  auto up = Json::parse(
      PrometheusGet("'http://127.0.0.1:9090/api/v1/query?query=up%7Bjob%3D%22lanwatch%22%7D'"));
  ASSERT_EQ(up["data"]["result"].size(), 1u) << up.dump();
  EXPECT_EQ(up["data"]["result"][0]["value"][1], "1") << "the scrape of lanwatchd works";

  // The cut fires Prometheus's rules as it fires lanwatch's own: no light on maoji, and its
  // link down (which Alertmanager's inhibition folds, as lanwatch folds it into one mail).
  const Json alerts = Json::parse(PrometheusGet("http://127.0.0.1:9090/api/v1/alerts"));
  std::set<std::string> firing;
  for (const Json& a : alerts["data"]["alerts"]) {
    if (a["state"] == "firing" && a["labels"].value("link", "") == "maoji") {
      firing.insert(a["labels"]["alertname"].get<std::string>());
    }
  }
  EXPECT_TRUE(firing.contains("FiberNoLight")) << alerts.dump();
  EXPECT_TRUE(firing.contains("LinkDown")) << alerts.dump();
  EXPECT_EQ(testing::FindValue(Metrics(), "lanwatch_alert_active",
                               {{"alert", "fiber_no_light"}, {"link", "maoji"}}),
            1);

  int checked = 0, empty = 0;
  std::string failures;
  for (const char* link : {"uplink", "panji"}) {
    auto listed = testing::RunCommand(fmt::format(
        "/usr/bin/python3 {}/tests/deploy/check_dashboards.py --print-queries --link {} "
        "--capture uplink --rate-interval 30s",
        testing::SourceDir(), link));
    ASSERT_EQ(listed.exit_code, 0) << listed.output;
    const Json queries = Json::parse(listed.output);
    ASSERT_GT(queries.size(), 50u);
    for (const Json& q : queries) {
      const std::string expr = q["expr"];
      const std::string where =
          fmt::format("{} / {} / {} ($link={}): {}", q["dashboard"].get<std::string>(),
                      q["panel"].get<std::string>(), q["refId"].get<std::string>(), link, expr);
      std::string path = log_.path() + "/query.txt";
      std::ofstream(path) << expr;
      auto reply = PrometheusGet(
          fmt::format("-G http://127.0.0.1:9090/api/v1/query --data-urlencode query@{}", path));
      Json r = Json::parse(reply, nullptr, false);
      ++checked;
      if (r.is_discarded() || r["status"] != "success") {
        failures.append("\n  error: ").append(where).append("\n    ").append(reply);
        continue;
      }
      if (!r["data"]["result"].empty()) continue;
      ++empty;
      failures += "\n  empty: " + where;
    }
  }
  RecordProperty("queries_checked", checked);
  EXPECT_EQ(empty, 0);
  EXPECT_TRUE(failures.empty()) << checked << " queries:" << failures;
  std::cout << checked << " queries checked\n";
}

}  // namespace
}  // namespace lanwatch
