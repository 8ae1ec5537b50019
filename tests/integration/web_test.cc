// lanwatchd's web side as a browser and a script meet it, over real HTTP (curl) against a
// running lanwatchd polling real agents: the status page, a link's page, the stylesheet, the
// JSON API and the history behind the graphs; the headers that keep the page inert (CSP) and
// read-only; basic auth over everything but the liveness probes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "tests/support/agents.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::RunCommand;

constexpr double kUplinkInBps = 750'000 * 8;  // tests/agents/make_recordings.py: router wan0

struct Fetched {
  int status = 0;
  std::string headers;  // lower-cased
  std::string body;
};

class Web : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sim_) sim_ = new testing::OwnRecordingsAgent;
    if (!snmpd_) snmpd_ = new testing::SnmpdAgent;
  }
  static void TearDownTestSuite() {
    delete snmpd_;
    delete sim_;
    snmpd_ = nullptr;
    sim_ = nullptr;
  }

  std::string Config(const std::string& web = "") {
    return dir_.Write("lanwatch.yaml",
                      fmt::format(R"(site: 测试商务局
poll_interval: 1s
snmp: {{timeout: 1s, retries: 1}}
devices:
  - {{name: router, role: router, address: 127.0.0.1, parent: core-switch, snmp: {{community: router_hc, port: {0}}}}}
  - {{name: core-switch, role: switch, address: 127.0.0.1, snmp: {{community: switch48_c32, port: {0}}}}}
  - {{name: server, role: server, address: 127.0.0.1, parent: core-switch, snmp: {{community: {1}, port: {2}}}}}
links:
  - {{name: uplink, kind: uplink, device: router, interface: wan0, capacity: 10Mbit}}
  - {{name: 大同, kind: subordinate, device: core-switch, interface: {{index: 1}}, capacity: 100Mbit}}
  - {{name: panji, kind: subordinate, device: core-switch, interface: GigabitEthernet0/0/5, capacity: 100Mbit}}
{3}
)",
                                  sim_->port(), testing::kCommunity, snmpd_->port(), web));
  }

  void Start(const std::string& config) {
    port_ = testing::FreeTcpPort();
    daemon_ = ChildProcess::Start(
        {testing::LanwatchdBinary(), "-c", config, "--listen", fmt::format("127.0.0.1:{}", port_),
         "--state-dir", dir_.path() + "/state"},
        log());
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return Get("/-/ready").status == 200; }))
        << testing::ReadFile(log());
  }
  std::string log() const { return dir_.path() + "/lanwatchd.log"; }

  // GET (or another method) with curl: what a browser or script gets, headers included.
  Fetched Get(const std::string& path, const std::string& curl_args = "") {
    const std::string body = dir_.path() + "/body";
    auto r = RunCommand(fmt::format("curl -s -g -D - -o {} {} 'http://127.0.0.1:{}{}'", body,
                                    curl_args, port_, path));
    Fetched f;
    std::smatch m;
    if (std::regex_search(r.output, m, std::regex(R"(^HTTP/1\.1 (\d+))"))) {
      f.status = std::stoi(m[1]);
    }
    f.headers = r.output;
    for (char& c : f.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    f.body = testing::ReadFile(body);
    return f;
  }

  testing::TempDir dir_;
  ChildProcess daemon_;
  int port_ = 0;
  static testing::OwnRecordingsAgent* sim_;
  static testing::SnmpdAgent* snmpd_;
};
testing::OwnRecordingsAgent* Web::sim_ = nullptr;
testing::SnmpdAgent* Web::snmpd_ = nullptr;

// The element carrying data-link="NAME" (the first one), or "".
std::string LinkElement(const std::string& html, const std::string& link) {
  std::smatch m;
  std::regex element("<[^>]*data-link=\"" + link + "\"[^>]*>");
  return std::regex_search(html, m, element) ? m.str() : "";
}

TEST_F(Web, ServesTheStatusPageTheLinkPagesAndTheApiFromALiveDaemon) {
  Start(Config());
  std::this_thread::sleep_for(4s);  // rounds with rates, and their history written

  Fetched page = Get("/");
  ASSERT_EQ(page.status, 200) << page.headers << testing::ReadFile(log());
  EXPECT_NE(page.headers.find("content-type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(page.headers.find("content-security-policy: default-src 'none'; style-src 'self'"),
            std::string::npos)
      << page.headers;
  EXPECT_NE(page.headers.find("x-content-type-options: nosniff"), std::string::npos);
  EXPECT_NE(page.body.find("测试商务局"), std::string::npos);  // the site, in its own words
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  for (const char* link : {"uplink", "大同", "panji"}) {
    const std::string element = LinkElement(page.body, link);
    ASSERT_FALSE(element.empty()) << link;
    EXPECT_NE(element.find("data-state=\"ok\""), std::string::npos) << element;
  }
  // Chinese by default (notify.language), English when the browser asks for it.
  EXPECT_NE(page.body.find("lang=\"zh-CN\""), std::string::npos);
  EXPECT_NE(Get("/", "-H 'Accept-Language: en-US,en;q=0.9'").body.find("lang=\"en\""),
            std::string::npos);
  EXPECT_NE(Get("/?lang=en").body.find("lang=\"en\""), std::string::npos);

  Fetched css = Get("/static/lanwatch.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_NE(css.headers.find("content-type: text/css"), std::string::npos);
  EXPECT_FALSE(css.body.empty());

  // A Chinese link name, percent-encoded as a browser sends it.
  Fetched datong = Get("/link/%E5%A4%A7%E5%90%8C");
  EXPECT_EQ(datong.status, 200);
  EXPECT_NE(datong.body.find("大同"), std::string::npos);
  EXPECT_EQ(Get("/link/nowhere").status, 404);
  EXPECT_EQ(Get("/no/such/page").status, 404);

  // The API says what `lanwatch check --json` says.
  Fetched api = Get("/api/v1/status");
  ASSERT_EQ(api.status, 200);
  EXPECT_NE(api.headers.find("content-type: application/json"), std::string::npos);
  auto status = nlohmann::json::parse(api.body);
  auto check = nlohmann::json::parse(
      RunCommand(fmt::format("{} check --json -c {}", testing::LanwatchBinary(),
                             dir_.path() + "/lanwatch.yaml"))
          .output);
  for (auto& [key, value] : check.items()) EXPECT_TRUE(status.contains(key)) << key;
  ASSERT_TRUE(status["links"].is_array());
  EXPECT_EQ(status["links"].size(), 3u);

  // The history the graphs are drawn from: the uplink's last hour at the poll's resolution,
  // its recent points the rate the agent moves at.
  Fetched history = Get("/api/v1/history/uplink?range=hour");
  ASSERT_EQ(history.status, 200) << history.body;
  auto series = nlohmann::json::parse(history.body);
  EXPECT_EQ(series["step_seconds"], 1);
  int known = 0;
  for (const auto& v : series["in_bps"]) {
    if (v.is_null()) continue;
    ++known;
    EXPECT_NEAR(v.get<double>(), kUplinkInBps, kUplinkInBps * 0.05);
  }
  EXPECT_GE(known, 2) << history.body;
  EXPECT_EQ(Get("/api/v1/history/uplink?range=fortnight").status, 404);

  // Read-only.
  Fetched post = Get("/", "-X POST -d x=1");
  EXPECT_EQ(post.status, 405);
  EXPECT_NE(post.headers.find("allow: get, head"), std::string::npos);
  EXPECT_EQ(Get("/", "-I").status, 200);

  daemon_.Signal(SIGTERM);
  EXPECT_EQ(daemon_.Wait(3s), 0);
}

TEST_F(Web, BasicAuthCoversThePagesTheApiAndMetricsButNotTheProbes) {
  const std::string password_file = dir_.Write("web.password", "s3cret 密码\n");
  Start(Config(fmt::format("web: {{basic_auth: {{user: it, password_file: {}}}}}", password_file)));
  for (const char* path : {"/", "/link/panji", "/api/v1/status", "/metrics"}) {
    Fetched anonymous = Get(path);
    EXPECT_EQ(anonymous.status, 401) << path;
    EXPECT_NE(anonymous.headers.find("www-authenticate: basic realm=\"lanwatch\""),
              std::string::npos)
        << path;
    EXPECT_EQ(Get(path, "-u 'it:wrong'").status, 401) << path;
    EXPECT_EQ(Get(path, "-u 'it:s3cret'").status, 401) << path;  // a prefix is not the password
    EXPECT_EQ(Get(path, "-u 'it:s3cret 密码'").status, 200) << path;
  }
  EXPECT_EQ(Get("/-/healthy").status, 200);
  EXPECT_EQ(Get("/-/ready").status, 200);
  // The password is never in the log.
  EXPECT_EQ(testing::ReadFile(log()).find("s3cret"), std::string::npos);
}

TEST_F(Web, AnUnreadablePasswordFileServesNothing) {
  const std::string config = Config("web: {basic_auth: {user: it, password_file: /nonexistent}}");
  auto r = RunCommand(fmt::format("{} -c {} --listen 127.0.0.1:{} --state-dir {}/state 2>&1",
                                  testing::LanwatchdBinary(), config, testing::FreeTcpPort(),
                                  dir_.path()));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("web.basic_auth.password_file /nonexistent"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace lanwatch
