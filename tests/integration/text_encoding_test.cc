// A Chinese-localised switch (snmpsimd serving gbk_switch, tests/agents/make_recordings.py)
// sends its names in GBK. `lanwatch check`, `lanwatch discover` and lanwatchd's /metrics must
// carry them as proper UTF-8 (or U+FFFD where the config says utf-8), never abort, never break
// a scrape.
#include "config/text_encoding.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/support/agents.h"
#include "tests/support/exposition.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::RunCommand;

const std::string kFffd = "\xef\xbf\xbd";

class ChineseDevice : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { sim_ = new testing::OwnRecordingsAgent; }
  static void TearDownTestSuite() { delete sim_; }

  // The switch, and the same agent polled as a server (for hrStorage); `snmp` is extra
  // settings for the switch, e.g. "text_encoding: utf-8".
  std::string Config(const std::string& snmp = "") {
    return dir_.Write("lanwatch.yaml", fmt::format(R"(site: 测试分局
poll_interval: 1s
snmp: {{timeout: 1s, retries: 1, port: {}, community: gbk_switch}}
devices:
  - {{name: core-switch, role: switch, address: 127.0.0.1, snmp: {{{}}}}}
  - {{name: file-server, role: server, address: 127.0.0.1}}
links:
  - {{name: 大同, kind: subordinate, device: core-switch, interface: {{alias: 大同分局光纤}}, capacity: 100Mbit}}
  - {{name: uplink, kind: uplink, device: core-switch, interface: {{descr: 上联电信出口}}, capacity: 10Mbit}}
)",
                                                   sim_->port(), snmp));
  }
  testing::CommandResult Lanwatch(const std::string& args) {
    return RunCommand(fmt::format("{} {}", testing::LanwatchBinary(), args));
  }
  testing::CommandResult Discover(const std::string& args) {
    return Lanwatch(
        fmt::format("discover 127.0.0.1:{} --community gbk_switch {}", sim_->port(), args));
  }
  // lanwatchd's /metrics after a few rounds with `config`.
  std::string Metrics(const std::string& config) {
    int port = testing::FreeTcpPort();
    auto daemon = testing::ChildProcess::Start(
        {testing::LanwatchdBinary(), "-c", config, "--listen", fmt::format("127.0.0.1:{}", port)},
        dir_.path() + "/lanwatchd.log");
    EXPECT_TRUE(testing::WaitUntil(10s, [&] {
      return testing::HttpGet(port, "/-/ready").first == 200;
    })) << testing::ReadFile(dir_.path() + "/lanwatchd.log");
    std::this_thread::sleep_for(2500ms);  // rates need two rounds
    auto [status, body] = testing::HttpGet(port, "/metrics");
    EXPECT_EQ(status, 200);
    daemon.Signal(SIGTERM);
    EXPECT_EQ(daemon.Wait(3s), 0);
    std::string log = testing::ReadFile(dir_.path() + "/lanwatchd.log");
    EXPECT_TRUE(IsValidUtf8(log)) << log;
    return body;
  }

  testing::TempDir dir_;
  static testing::OwnRecordingsAgent* sim_;
};
testing::OwnRecordingsAgent* ChineseDevice::sim_ = nullptr;

// The display column where `needle` starts on the line of `text` that holds it.
std::optional<size_t> ColumnOf(const std::string& text, const std::string& line_start,
                               const std::string& needle) {
  std::stringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with(line_start)) continue;
    size_t at = line.find(needle);
    if (at != std::string::npos) return DisplayWidth(line.substr(0, at));
  }
  return std::nullopt;
}

TEST_F(ChineseDevice, CheckJsonCarriesTheNamesAsUtf8) {
  auto r = Lanwatch(fmt::format("check -c {} --json --sample 1s", Config()));
  ASSERT_EQ(r.exit_code, 0) << r.output;  // OK: both links found, well under their capacity
  ASSERT_TRUE(IsValidUtf8(r.output));
  json report = json::parse(r.output);
  EXPECT_EQ(report["site"], "测试分局");
  EXPECT_EQ(report["devices"][0]["sys_name"], "核心交换机");
  EXPECT_EQ(report["devices"][1]["sys_name"], "核心交换机");
  // Links selected by a Chinese alias and a Chinese ifDescr in the (UTF-8) config resolve.
  EXPECT_EQ(report["links"][0]["name"], "大同");
  EXPECT_EQ(report["links"][0]["found"], true);
  EXPECT_EQ(report["links"][0]["interface"], "GE0/0/1");
  EXPECT_EQ(report["links"][1]["found"], true);
  EXPECT_EQ(report["links"][1]["interface"], "上联电信出口");  // no ifName: ifDescr
}

TEST_F(ChineseDevice, CheckTextIsUtf8AndItsTablesLineUp) {
  auto r = Lanwatch(fmt::format("-v check -c {} --sample 1s", Config()));  // logs too
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(IsValidUtf8(r.output));
  EXPECT_TRUE(r.output.starts_with("LANWATCH OK - 2/2 devices up, 2/2 links OK | ")) << r.output;
  EXPECT_NE(r.output.find("'大同_in_bps'="), std::string::npos) << r.output;
  // Columns line up on screen, where 汉字 take two columns each.
  auto header = ColumnOf(r.output, "LINK ", "DEVICE");
  ASSERT_TRUE(header) << r.output;
  EXPECT_EQ(ColumnOf(r.output, "大同 ", "core-switch"), header) << r.output;
  EXPECT_EQ(ColumnOf(r.output, "uplink ", "core-switch"), header) << r.output;
  EXPECT_EQ(ColumnOf(r.output, "uplink ", "up "), ColumnOf(r.output, "LINK ", "STATE")) << r.output;
  EXPECT_EQ(ColumnOf(r.output, "core-switch ", "核心交换机"), ColumnOf(r.output, "DEVICE ", "NOTE"))
      << r.output;
}

TEST_F(ChineseDevice, DiscoverJsonAndTextCarryTheNamesAsUtf8) {
  auto r = Discover("--json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(IsValidUtf8(r.output));
  json d = json::parse(r.output);
  EXPECT_EQ(d["system"]["name"], "核心交换机");
  EXPECT_EQ(d["system"]["descr"], "Huawei S5720 核心交换机 (lanwatch test)");
  EXPECT_EQ(d["system"]["vendor"], "Huawei");
  ASSERT_EQ(d["interfaces"].size(), 3u);
  EXPECT_EQ(d["interfaces"][0]["alias"], "大同分局光纤");
  EXPECT_EQ(d["interfaces"][1]["descr"], "上联电信出口");
  EXPECT_EQ(d["interfaces"][1]["alias"], "上联电信");
  EXPECT_EQ(d["interfaces"][2]["alias"], "田家庵区光" + kFffd);  // UTF-8 cut by the agent
  ASSERT_EQ(d["optics"].size(), 1u);
  // A module is named after its entity (the port that holds the Rx sensor), in GBK too.
  EXPECT_EQ(d["optics"][0]["sensor"], "大同分局光纤端口");
  EXPECT_DOUBLE_EQ(d["optics"][0]["lanes"][0]["rx_dbm"].get<double>(), -3.5);
  EXPECT_EQ(d["optics"][0]["interface"], "GE0/0/1");

  auto text = Discover("");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  ASSERT_TRUE(IsValidUtf8(text.output));
  EXPECT_NE(text.output.find("  name:        核心交换机\n"), std::string::npos) << text.output;
  EXPECT_EQ(ColumnOf(text.output, "2 ", "上联电信 "), ColumnOf(text.output, "INDEX ", "ALIAS"))
      << text.output;
}

TEST_F(ChineseDevice, DiscoverDraftsAConfigWithChineseNamesThatValidates) {
  auto r = Discover("--draft-config --text-encoding gbk");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(IsValidUtf8(r.output));
  EXPECT_NE(r.output.find("  - name: 核心交换机\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("      text_encoding: gb18030\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("  - name: 大同分局光纤\n    kind: subordinate\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("  - name: 上联电信\n    kind: uplink\n"), std::string::npos) << r.output;
  auto valid = Lanwatch("validate -c " + dir_.Write("draft.yaml", r.output));
  EXPECT_EQ(valid.exit_code, 0) << valid.output << r.output;
}

TEST_F(ChineseDevice, DiscoverTextEncodingFlag) {
  json forced = json::parse(Discover("--json --text-encoding utf-8").output);
  std::string name = forced["system"]["name"];
  EXPECT_TRUE(name.starts_with(kFffd)) << name;
  EXPECT_EQ(name.find("核心"), std::string::npos);
  EXPECT_EQ(forced["interfaces"][0]["name"], "GE0/0/1");  // ASCII is the same either way
  json gb = json::parse(Discover("--json --text-encoding gb18030").output);
  EXPECT_EQ(gb["system"]["name"], "核心交换机");
  auto bad = Discover("--text-encoding latin1");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("--text-encoding must be auto, utf-8 or gb18030"), std::string::npos)
      << bad.output;
}

TEST_F(ChineseDevice, MetricsParseForPrometheusWithTheChineseLabels) {
  std::string body = Metrics(Config());
  EXPECT_TRUE(IsValidUtf8(body));
  EXPECT_EQ(testing::PromtoolProblems(body), std::vector<std::string>{}) << body;
  auto m = testing::ParseExposition(body);
  EXPECT_EQ(testing::FindValue(m, "lanwatch_device_info",
                               {{"device", "core-switch"}, {"sys_name", "核心交换机"}}),
            1)
      << body;
  EXPECT_EQ(testing::FindValue(m, "lanwatch_interface_up",
                               {{"device", "core-switch"}, {"interface", "上联电信出口"}}),
            1);
  EXPECT_EQ(
      testing::FindValue(m, "lanwatch_host_storage_size_bytes",
                         {{"device", "file-server"}, {"storage", "物理内存"}, {"kind", "ram"}}),
      4194304.0 * 1024);
  EXPECT_EQ(
      testing::FindValue(m, "lanwatch_link_info", {{"link", "大同"}, {"interface", "GE0/0/1"}}), 1);
  auto in = testing::FindValue(m, "lanwatch_link_throughput_bits_per_second",
                               {{"link", "大同"}, {"direction", "in"}});
  ASSERT_TRUE(in) << body;
  EXPECT_NEAR(*in, 8e6, 8e6 * 0.05);
}

TEST_F(ChineseDevice, ForcedUtf8GivesReplacementCharactersAndStillParses) {
  std::string body = Metrics(Config("text_encoding: utf-8"));
  EXPECT_TRUE(IsValidUtf8(body));
  EXPECT_EQ(testing::PromtoolProblems(body), std::vector<std::string>{}) << body;
  auto m = testing::ParseExposition(body);
  bool replaced = false;
  for (const testing::MetricSample& s : m) {
    if (s.name != "lanwatch_device_info" || s.labels.at("device") != "core-switch") continue;
    replaced = s.labels.at("sys_name").starts_with(kFffd);
    EXPECT_EQ(s.labels.at("sys_name").find("核心"), std::string::npos);
  }
  EXPECT_TRUE(replaced) << body;
  // The file server (auto, the default) still reads the same agent's GBK.
  EXPECT_EQ(testing::FindValue(m, "lanwatch_device_info",
                               {{"device", "file-server"}, {"sys_name", "核心交换机"}}),
            1);
  // The Chinese selectors no longer match on the forced device, and the check says so.
  EXPECT_EQ(testing::FindValue(m, "lanwatch_link_severity", {{"link", "uplink"}}), 3);  // CRITICAL

  auto check =
      Lanwatch(fmt::format("check -c {} --json --sample 1s", Config("text_encoding: utf-8")));
  ASSERT_TRUE(IsValidUtf8(check.output));
  json report = json::parse(check.output);  // never an abort on what the device sent
  EXPECT_TRUE(report["devices"][0]["sys_name"].get<std::string>().starts_with(kFffd));
  EXPECT_EQ(report["links"][1]["problems"][0],
            "no interface with ifDescr '上联电信出口' on core-switch");
}

}  // namespace
}  // namespace lanwatch
