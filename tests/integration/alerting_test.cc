// The whole alerting path of lanwatchd on loopback: a real agent (snmpd) and a device that
// never answers, a real SMTP server (aiosmtpd) and a real Alertmanager, the state database
// on disk, and the CLI around it (`check --explain`, `silence`).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <memory>
#include <thread>

#include "tests/support/agents.h"
#include "tests/support/alertmanager.h"
#include "tests/support/exposition.h"
#include "tests/support/smtp_sink.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::FindValue;
using testing::HttpGet;
using testing::ParseExposition;
using testing::RunCommand;

class Alerting : public ::testing::Test {
 protected:
  void SetUp() override {
    snmpd_ = std::make_unique<testing::SnmpdAgent>();
    sink_ = std::make_unique<testing::SmtpSink>();
    alertmanager_ = std::make_unique<testing::AlertmanagerServer>();
    ghost_port_ = testing::FreeUdpPort();  // nothing listens: a device that never answers
    port_ = testing::FreeTcpPort();
  }

  std::string Config(const std::string& language = "zh") {
    return dir_.Write("lanwatch.yaml",
                      fmt::format(R"(site: 测试局
poll_interval: 2s
snmp: {{timeout: 300ms, retries: 0}}
alerts: {{unreachable_for: 0s}}
notify:
  language: {}
  group_wait: 1s
  email: {{url: "{}", from: lanwatch@bureau.example, to: [it@bureau.example]}}
  alertmanager: {{urls: ["{}"]}}
devices:
  - {{name: server, role: server, address: 127.0.0.1, snmp: {{community: {}, port: {}}}}}
  - {{name: 县局交换机, role: switch, address: 127.0.0.1, parent: server,
     snmp: {{community: public, port: {}}}}}
links:
  - {{name: 县局光纤, kind: subordinate, device: 县局交换机, interface: {{index: 1}}}}
)",
                                  language, sink_->url(), alertmanager_->url(), testing::kCommunity,
                                  snmpd_->port(), ghost_port_));
  }
  void StartDaemon(const std::string& config, const std::string& state_dir) {
    daemon_ = ChildProcess::Start({testing::LanwatchdBinary(), "-c", config, "--listen",
                                   fmt::format("127.0.0.1:{}", port_), "--state-dir", state_dir},
                                  dir_.path() + "/lanwatchd.log");
    ASSERT_TRUE(testing::WaitUntil(10s, [&] { return HttpGet(port_, "/-/ready").first == 200; }))
        << Log();
  }
  std::optional<double> Metric(const std::string& name,
                               const std::map<std::string, std::string>& labels) {
    auto [status, body] = HttpGet(port_, "/metrics");
    return status == 200 ? FindValue(ParseExposition(body), name, labels) : std::nullopt;
  }
  std::string Log() { return testing::ReadFile(dir_.path() + "/lanwatchd.log"); }
  std::string State() const { return dir_.path() + "/state"; }

  testing::TempDir dir_;
  std::unique_ptr<testing::SnmpdAgent> snmpd_;
  std::unique_ptr<testing::SmtpSink> sink_;
  std::unique_ptr<testing::AlertmanagerServer> alertmanager_;
  int ghost_port_ = 0, port_ = 0;
  ChildProcess daemon_;
};

TEST_F(Alerting, AnUnreachableDeviceMailsOnceAndReachesAlertmanager) {
  StartDaemon(Config(), State());
  auto mails = sink_->WaitForMessages(1, 15s);
  ASSERT_EQ(mails.size(), 1u) << Log();
  auto mail = testing::ParseMail(mails[0]);
  EXPECT_EQ(mail["x_lanwatch_alerts"], "device_unreachable 县局交换机") << mail.dump();
  EXPECT_NE(mail["subject"].get<std::string>().find("县局交换机"), std::string::npos);
  EXPECT_NE(mail["body"].get<std::string>().find("县局光纤"), std::string::npos)
      << "what it hides is listed: " << mail["body"];
  // Its link says nothing of its own: suppressed by the device it hangs on.
  std::this_thread::sleep_for(5s);
  EXPECT_EQ(sink_->Messages().size(), 1u);

  ASSERT_TRUE(testing::WaitUntil(10s, [&] { return alertmanager_->Alerts().size() >= 2; }))
      << alertmanager_->Alerts().dump() << Log();
  bool unreachable = false, heartbeat = false;
  for (const auto& a : alertmanager_->Alerts()) {
    const auto& labels = a["labels"];
    unreachable |= labels["alertname"] == "DeviceUnreachable" && labels["device"] == "县局交换机" &&
                   labels["severity"] == "critical" && labels["site"] == "测试局";
    heartbeat |= labels["alertname"] == "LanwatchHeartbeat";
  }
  EXPECT_TRUE(unreachable) << alertmanager_->Alerts().dump();
  EXPECT_TRUE(heartbeat) << alertmanager_->Alerts().dump();

  EXPECT_EQ(
      Metric("lanwatch_alert_active",
             {{"alert", "device_unreachable"}, {"device", "县局交换机"}, {"severity", "critical"}}),
      1);
  EXPECT_EQ(Metric("lanwatch_alert_state_durable", {}), 1);
  EXPECT_GE(Metric("lanwatch_notifications_sent_total", {{"receiver", "email"}}).value_or(0), 1);
  EXPECT_GE(Metric("lanwatch_notifications_sent_total", {{"receiver", "alertmanager"}}).value_or(0),
            1);
  EXPECT_EQ(Metric("lanwatch_notification_queue_length", {{"receiver", "email"}}), 0);
  EXPECT_GT(Metric("lanwatch_notification_last_success_timestamp_seconds", {{"receiver", "email"}})
                .value_or(0),
            0);

  // The CLI reads the daemon's state: how long it has been firing.
  auto explain = RunCommand(fmt::format("{} check --explain -c {} --state-dir {}",
                                        testing::LanwatchBinary(), Config(), State()));
  EXPECT_NE(explain.output.find("device_unreachable  县局交换机"), std::string::npos)
      << explain.output;
  EXPECT_NE(explain.output.find("FIRING CRITICAL for"), std::string::npos) << explain.output;
  EXPECT_NE(explain.output.find("no verdict: 县局交换机 does not answer"), std::string::npos)
      << "its link cannot be judged:\n"
      << explain.output;
}

TEST_F(Alerting, ARestartNeitherRefiresNorForgetsAndASilenceHoldsMailBack) {
  std::string config = Config("en");
  StartDaemon(config, State());
  ASSERT_EQ(sink_->WaitForMessages(1, 15s).size(), 1u) << Log();
  daemon_.Signal(SIGKILL);
  daemon_.Wait(5s);
  StartDaemon(config, State());
  std::this_thread::sleep_for(6s);
  EXPECT_EQ(sink_->Messages().size(), 1u) << "no second firing mail after kill -9\n" << Log();

  auto silence =
      RunCommand(fmt::format("{} silence -c {} --state-dir {} add server --for 1h "
                             "--comment 'planned work'",
                             testing::LanwatchBinary(), config, State()));
  ASSERT_EQ(silence.exit_code, 0) << silence.output;
  auto list = RunCommand(fmt::format("{} silence -c {} --state-dir {} list",
                                     testing::LanwatchBinary(), config, State()));
  EXPECT_NE(list.output.find("planned work"), std::string::npos) << list.output;
  ASSERT_TRUE(testing::WaitUntil(5s, [&] {
    return Metric("lanwatch_silence_end_timestamp_seconds", {{"device", "server"}}).has_value();
  }));
  // The server's agent stops: planned, so silent.
  snmpd_->Stop();
  std::this_thread::sleep_for(6s);
  EXPECT_EQ(sink_->Messages().size(), 1u) << Log();
  EXPECT_EQ(Metric("lanwatch_alert_suppressed",
                   {{"alert", "device_unreachable"}, {"device", "server"}, {"reason", "silence"}}),
            1);
  auto unknown = RunCommand(fmt::format("{} silence -c {} --state-dir {} add nosuch --for 1h",
                                        testing::LanwatchBinary(), config, State()));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("no device 'nosuch'"), std::string::npos) << unknown.output;
}

TEST_F(Alerting, WithoutAWritableStateDirItStillMailsAndSaysSo) {
  std::string not_a_dir = dir_.Write("occupied", "a file where the state dir should be");
  StartDaemon(Config(), not_a_dir + "/state");
  ASSERT_EQ(sink_->WaitForMessages(1, 15s).size(), 1u) << Log();
  EXPECT_EQ(Metric("lanwatch_alert_state_durable", {}), 0);
  EXPECT_NE(Log().find("alert state is NOT durable"), std::string::npos) << Log();
}

}  // namespace
}  // namespace lanwatch
