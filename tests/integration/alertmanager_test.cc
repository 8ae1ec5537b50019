// AlertmanagerReceiver against a real Alertmanager 0.25: what it POSTs is taken as lanwatch
// means it (labels, annotations, times; firing is active, resolved is gone), the heartbeat
// stays up, and delivery to several Alertmanagers succeeds as long as one takes the alerts.
#include "tests/support/alertmanager.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "exporters/notify/alertmanager_receiver.h"

namespace lanwatch {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::pair<std::string, std::string> Describe(const AlertNote& note, NotificationKind kind) {
  std::string what = kind == NotificationKind::kResolved ? "已恢复" : "中断";
  return {fmt::format("{} 的链路 {} {}", note.key.device, note.key.link, what),
          fmt::format("自 {} 起", FormatRfc3339Millis(note.since))};
}

// A URL nothing listens on (a port free a moment ago): connection refused.
std::string DeadUrl() { return fmt::format("http://127.0.0.1:{}", testing::FreeTcpPort()); }

class Alertmanager : public ::testing::Test {
 protected:
  // A fresh Alertmanager per test, so that no test sees another's alerts. Started in SetUp:
  // a failure to start fails the test (from SetUpTestSuite, ctest would count a skip).
  void SetUp() override { am_ = std::make_unique<testing::AlertmanagerServer>(); }

  AlertmanagerReceiver Receiver(const std::vector<std::string>& urls) const {
    AlertmanagerOptions options;
    options.urls = urls;
    options.payload.site = "分局";
    options.payload.dashboard_url = "http://127.0.0.1:3000/d/lanwatch";
    return AlertmanagerReceiver(options, Describe);
  }

  // The alerts Alertmanager holds now, by alertname (each test sends distinct ones).
  std::map<std::string, json> AlertsByName(const std::string& query = "") const {
    std::map<std::string, json> by_name;
    for (const json& a : am_->Alerts(query)) by_name[a["labels"]["alertname"]] = a;
    return by_name;
  }

  static Notification Firing(std::string device, std::string link) {
    AlertNote note;
    note.key = {rule::kLinkDown, std::move(device), std::move(link)};
    note.severity = Severity::kCritical;
    // Alertmanager keeps milliseconds: a whole-millisecond start compares exactly.
    note.since =
        std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()) - 10min;
    Notification n;
    n.id = "n-1";
    n.kind = NotificationKind::kFiring;
    n.device = note.key.device;
    n.created_at = std::chrono::system_clock::now();
    n.alerts = {note};
    return n;
  }

  std::unique_ptr<testing::AlertmanagerServer> am_;
};

TEST_F(Alertmanager, FiringAlertIsActiveWithItsLabelsAndAnnotations) {
  AlertmanagerReceiver receiver = Receiver({am_->url()});
  Notification n = Firing("核心交换机", "磐基光纤");
  auto delivered = receiver.Deliver(receiver.Render(n));
  ASSERT_TRUE(delivered.has_value()) << delivered.error().message;
  EXPECT_EQ(*delivered, fmt::format("accepted by {} (HTTP 200)", am_->url()));

  json alerts = am_->Alerts();
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  const json& a = alerts[0];
  EXPECT_EQ(a["labels"], json({{"alertname", "LinkDown"},
                               {"severity", "critical"},
                               {"site", "分局"},
                               {"device", "核心交换机"},
                               {"link", "磐基光纤"}}));
  EXPECT_EQ(a["annotations"]["summary"], "核心交换机 的链路 磐基光纤 中断");
  EXPECT_EQ(a["annotations"]["description"],
            "自 " + FormatRfc3339Millis(n.alerts[0].since) + " 起");
  EXPECT_EQ(a["annotations"]["dashboard"], "http://127.0.0.1:3000/d/lanwatch");
  EXPECT_EQ(a["generatorURL"], "http://127.0.0.1:3000/d/lanwatch");
  EXPECT_EQ(a["startsAt"], FormatRfc3339Millis(n.alerts[0].since));
  EXPECT_EQ(a["status"]["state"], "active");
  // Four resend intervals (1 min) ahead; the string compares as the time (same format).
  EXPECT_GT(a["endsAt"].get<std::string>(),
            FormatRfc3339Millis(std::chrono::system_clock::now() + 3min));
  EXPECT_EQ(AlertsByName("active=true").count("LinkDown"), 1u);
}

TEST_F(Alertmanager, ResolvedAlertIsNoLongerActive) {
  AlertmanagerReceiver receiver = Receiver({am_->url()});
  Notification n = Firing("核心交换机", "磐基光纤");
  ASSERT_TRUE(receiver.Deliver(receiver.Render(n)).has_value());
  ASSERT_EQ(AlertsByName("active=true").count("LinkDown"), 1u);

  n.kind = NotificationKind::kResolved;
  n.alerts[0].ended = std::chrono::system_clock::now() - 1s;
  std::string payload = receiver.Render(n);
  EXPECT_EQ(json::parse(payload)[0]["endsAt"], FormatRfc3339Millis(*n.alerts[0].ended));
  auto delivered = receiver.Deliver(payload);
  ASSERT_TRUE(delivered.has_value()) << delivered.error().message;
  // Alertmanager lists only alerts that have not ended: a resolved one is gone, active or not.
  EXPECT_EQ(AlertsByName().count("LinkDown"), 0u) << am_->Alerts().dump();
  EXPECT_EQ(AlertsByName("active=true").count("LinkDown"), 0u);
}

TEST_F(Alertmanager, FiringSetKeepsTheHeartbeatUp) {
  AlertmanagerReceiver receiver = Receiver({am_->url()});
  std::optional<std::string> payload = receiver.RenderFiring(Firing("路由器", "电信").alerts);
  ASSERT_TRUE(payload.has_value());
  auto delivered = receiver.Deliver(*payload);
  ASSERT_TRUE(delivered.has_value()) << delivered.error().message;

  auto alerts = AlertsByName("active=true");
  ASSERT_EQ(alerts.size(), 2u) << am_->Alerts().dump();
  EXPECT_EQ(alerts["LinkDown"]["labels"]["device"], "路由器");
  const json& heartbeat = alerts["LanwatchHeartbeat"];
  EXPECT_EQ(heartbeat["labels"],
            json({{"alertname", "LanwatchHeartbeat"}, {"severity", "none"}, {"site", "分局"}}));
  EXPECT_EQ(heartbeat["status"]["state"], "active");
}

TEST_F(Alertmanager, TestNotificationIsOneLanwatchTestAlert) {
  AlertmanagerReceiver receiver = Receiver({am_->url()});
  Notification n;
  n.id = "test-1";
  n.kind = NotificationKind::kTest;
  n.device = kSelfDevice;
  ASSERT_TRUE(receiver.Deliver(receiver.Render(n)).has_value());
  json alerts = am_->Alerts();
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts[0]["labels"]["alertname"], "LanwatchTest");
  EXPECT_EQ(alerts[0]["status"]["state"], "active");
  EXPECT_LT(alerts[0]["endsAt"].get<std::string>(),
            FormatRfc3339Millis(std::chrono::system_clock::now() + 6min));
}

TEST_F(Alertmanager, OneOfTwoTakingTheAlertsIsEnough) {
  std::string dead = DeadUrl();
  AlertmanagerReceiver receiver = Receiver({dead, am_->url()});
  auto delivered = receiver.Deliver(receiver.Render(Firing("核心交换机", "磐基光纤")));
  ASSERT_TRUE(delivered.has_value()) << delivered.error().message;
  EXPECT_TRUE(delivered->starts_with(
      fmt::format("accepted by {} (HTTP 200); not by the others: ", am_->url())))
      << *delivered;
  EXPECT_NE(delivered->find(dead + "/api/v2/alerts"), std::string::npos) << *delivered;
  EXPECT_EQ(AlertsByName("active=true").count("LinkDown"), 1u);
}

TEST_F(Alertmanager, NoneTakingThemIsAnErrorNamingEach) {
  std::string dead1 = DeadUrl(), dead2 = DeadUrl() + "/";  // the slash is not doubled
  AlertmanagerReceiver receiver = Receiver({dead1, dead2});
  auto delivered = receiver.Deliver(receiver.Render(Firing("核心交换机", "磐基光纤")));
  ASSERT_FALSE(delivered.has_value()) << *delivered;
  const std::string& why = delivered.error().message;
  EXPECT_TRUE(
      why.starts_with("no Alertmanager took the alerts: POST " + dead1 + "/api/v2/alerts: "))
      << why;
  std::string dead2_endpoint = dead2.substr(0, dead2.size() - 1) + "/api/v2/alerts";
  EXPECT_NE(why.find("; POST " + dead2_endpoint + ": "), std::string::npos) << why;
  EXPECT_NE(why.find("Couldn't connect to server"), std::string::npos) << why;
}

TEST_F(Alertmanager, RejectedPayloadIsAnErrorWithTheCodeAndWhy) {
  AlertmanagerReceiver receiver = Receiver({am_->url()});
  auto malformed = receiver.Deliver(R"({"labels": {"alertname": "NotAnArray"}})");
  ASSERT_FALSE(malformed.has_value());
  EXPECT_NE(malformed.error().message.find(am_->url() + "/api/v2/alerts: HTTP 400: "),
            std::string::npos)
      << malformed.error().message;
  EXPECT_NE(malformed.error().message.find("cannot unmarshal object"), std::string::npos)
      << malformed.error().message;

  auto no_labels = receiver.Deliver(R"([{"labels": {}}])");
  ASSERT_FALSE(no_labels.has_value());
  EXPECT_NE(no_labels.error().message.find("HTTP 400: \"at least one label pair required\""),
            std::string::npos)
      << no_labels.error().message;
}

TEST_F(Alertmanager, NotAnAlertmanagerIsAnErrorWithTheCode) {
  // Alertmanager's own server, asked under a path where it serves nothing: 404.
  AlertmanagerReceiver receiver = Receiver({am_->url() + "/elsewhere"});
  auto delivered = receiver.Deliver(receiver.Render(Firing("核心交换机", "磐基光纤")));
  ASSERT_FALSE(delivered.has_value());
  EXPECT_EQ(delivered.error().message,
            fmt::format("no Alertmanager took the alerts: POST {}/elsewhere/api/v2/alerts: HTTP "
                        "404: 404 page not found ",
                        am_->url()));
  EXPECT_TRUE(am_->Alerts().empty());
}

TEST_F(Alertmanager, ASilentServerTimesOut) {
  // Listens, so the connection is made (by the kernel), and never answers.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { close(*f); });
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

  AlertmanagerOptions options;
  options.urls = {fmt::format("http://127.0.0.1:{}", ntohs(addr.sin_port)), am_->url()};
  options.http.total_timeout = 500ms;
  AlertmanagerReceiver receiver(options, Describe);
  auto started = std::chrono::steady_clock::now();
  auto delivered = receiver.Deliver(receiver.Render(Firing("核心交换机", "磐基光纤")));
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(delivered.has_value()) << delivered.error().message;
  // curl's own words, with the milliseconds it waited: 500, or 499 when its clock rounds down.
  constexpr std::string_view kTimedOut = "Operation timed out after ";
  const size_t at = delivered->find(kTimedOut);
  ASSERT_NE(at, std::string::npos) << *delivered;
  const int waited_ms = std::atoi(delivered->c_str() + at + kTimedOut.size());
  EXPECT_GE(waited_ms, 450) << *delivered;
  EXPECT_LT(waited_ms, 1000) << *delivered;
  EXPECT_LT(took, 3s);  // the next Alertmanager still got its turn, soon
  EXPECT_EQ(AlertsByName().count("LinkDown"), 1u);
}

TEST_F(Alertmanager, AnUrlThatIsNotHttpIsRefused) {
  AlertmanagerReceiver receiver = Receiver({"file:///tmp"});
  auto delivered = receiver.Deliver("[]");
  ASSERT_FALSE(delivered.has_value());
  EXPECT_NE(delivered.error().message.find("POST file:///tmp/api/v2/alerts: Protocol \"file\""),
            std::string::npos)
      << delivered.error().message;
}

TEST_F(Alertmanager, AmtoolAcceptsTheTestConfig) {
  testing::CommandResult checked = testing::RunCommand(
      fmt::format("{} check-config {}", testing::kAmtoolBinary, am_->config_path()));
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  EXPECT_NE(checked.output.find("SUCCESS"), std::string::npos) << checked.output;
}

}  // namespace
}  // namespace lanwatch
