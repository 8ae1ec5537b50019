// Alert mail end to end in the bureau in a box: faults injected for real, lanwatchd polling
// every 5 s with config/lab.yaml (group_wait 2 s), and a real SMTP server (aiosmtpd) at
// 127.0.0.1:2525 in the monitor namespace. Each mail is read back with Python's email package.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/lab_fixture.h"
#include "tests/support/smtp_sink.h"

namespace lanwatch {
namespace {

TEST_F(LabMail, ACutUnitMailsOnceOnTimeAndOnceWhenMended) {
  double cut = Now();
  Fault("cut panji");
  auto mails = WaitForMails(1, 20s);
  ASSERT_EQ(mails.size(), 1u) << Summary();
  const Json fired = mails[0];  // a copy: `mails` is refilled below
  EXPECT_EQ(fired["x_lanwatch_kind"], "firing");
  // The lab's switch reports its optics: a cut fiber is "no light", its link_down folded in.
  EXPECT_EQ(fired["x_lanwatch_alerts"], "fiber_no_light core-switch/panji");
  EXPECT_NE(fired["subject"].get<std::string>().find("panji"), std::string::npos);
  EXPECT_NE(fired["subject"].get<std::string>().find("中断"), std::string::npos)
      << fired["subject"];
  EXPECT_NE(fired["body"].get<std::string>().find("sw-panji"), std::string::npos);
  EXPECT_EQ(fired["auto_submitted"], "auto-generated");
  double delay = fired["arrived"].get<double>() - cut;
  RecordProperty("cut_to_mail_seconds", fmt::format("{:.2f}", delay));
  EXPECT_LE(delay, std::chrono::duration<double>(kMailBound).count()) << Summary();
  std::this_thread::sleep_for(2 * kPoll);
  EXPECT_EQ(Mails().size(), 1u) << "told once: " << Summary();

  double mended = Now();
  Fault("restore panji");
  mails = WaitForMails(2, 20s);
  ASSERT_EQ(mails.size(), 2u) << Summary();
  const Json& resolved = mails[1];
  EXPECT_EQ(resolved["x_lanwatch_kind"], "resolved");
  EXPECT_NE(resolved["subject"].get<std::string>().find("已恢复"), std::string::npos);
  EXPECT_EQ(resolved["in_reply_to"], fired["message_id"]) << "threads under the firing mail";
  EXPECT_LE(resolved["arrived"].get<double>() - mended,
            std::chrono::duration<double>(kMailBound).count());
  std::this_thread::sleep_for(2 * kPoll);
  EXPECT_EQ(Mails().size(), 2u) << Summary();
}

TEST_F(LabMail, TenFlapsMailAtMostTheFirstDownOneFlappingNoticeAndOneResolved) {
  Fault("flap panji 10");  // ~40 s of down/up, 2 s apart; returns when it is over
  // The lab's flap window is 30 s: it ends after a whole window without a change.
  testing::WaitUntil(30s + 2 * kPoll + kGroupWait + 5s, [&] {
    return Count(Mails(), "resolved", "link_flapping core-switch/panji") > 0;
  });
  std::this_thread::sleep_for(kPoll + kGroupWait);
  auto mails = Mails();
  EXPECT_LE(Count(mails, "firing", "link_down core-switch/panji"), 1u) << Summary();
  EXPECT_EQ(Count(mails, "firing", "link_flapping core-switch/panji"), 1u) << Summary();
  EXPECT_EQ(Count(mails, "resolved", "link_flapping core-switch/panji"), 1u) << Summary();
  EXPECT_EQ(Count(mails, "resolved", "link_down"), 0u) << "folded into flapping: " << Summary();
  EXPECT_LE(mails.size(), 3u) << Summary();
}

TEST_F(LabMail, SaturatingTheUplinkMailsOneUtilizationAlert) {
  Fault("saturate 30");  // longer than the lab's utilization_for (10 s)
  auto mails = WaitForMails(1, 40s);
  // Until the flood is over and the alert has cleared.
  WaitForMails(2, 40s);
  std::this_thread::sleep_for(kPoll);
  mails = Mails();
  EXPECT_EQ(Count(mails, "firing", "link_utilization router/uplink"), 1u) << Summary();
  EXPECT_EQ(Count(mails, "resolved", "link_utilization router/uplink"), 1u) << Summary();
  EXPECT_EQ(mails.size(), 2u) << "nothing else: " << Summary();
}

TEST_F(LabMail, AStoppedSwitchAgentIsOneMailListingItsSevenLinks) {
  Fault("agent stop switch");
  auto mails = WaitForMails(1, 30s);
  std::this_thread::sleep_for(2 * kPoll);
  mails = Mails();
  ASSERT_EQ(mails.size(), 1u) << Summary();
  EXPECT_EQ(mails[0]["x_lanwatch_alerts"], "device_unreachable core-switch");
  std::string body = mails[0]["body"];
  for (const char* unit :
       {"datong", "tianjiaan", "xiejiaji", "bagongshan", "panji", "maoji", "fengtai"}) {
    EXPECT_NE(body.find(unit), std::string::npos) << unit << " not listed:\n" << body;
  }
  Fault("agent start switch");
  mails = WaitForMails(2, 30s);
  std::this_thread::sleep_for(2 * kPoll);
  mails = Mails();
  ASSERT_EQ(mails.size(), 2u) << "one resolved, none per link: " << Summary();
  EXPECT_EQ(mails[1]["x_lanwatch_kind"], "resolved");
  EXPECT_EQ(mails[1]["x_lanwatch_alerts"], "device_unreachable core-switch");
  EXPECT_EQ(mails[1]["in_reply_to"], mails[0]["message_id"]);
}

TEST_F(LabMail, MailsQueuedDuringAnSmtpOutageAreAllDeliveredOnce) {
  sink_->Stop();
  Fault("cut maoji");
  std::this_thread::sleep_for(kMailBound + 3s);
  Fault("restore maoji");
  std::this_thread::sleep_for(kMailBound + 3s);
  // The outage shows in the metrics while it lasts.
  auto failed = Value("lanwatch_notifications_failed_total", {{"receiver", "email"}});
  ASSERT_TRUE(failed);
  EXPECT_GT(*failed, 0);
  EXPECT_EQ(Value("lanwatch_notification_queue_length", {{"receiver", "email"}}), 2);
  sink_->Start();
  // Retries back off up to 5 min; within the first minute they come every few seconds.
  auto mails = WaitForMails(2, 60s);
  std::this_thread::sleep_for(3 * kPoll);
  mails = Mails();
  ASSERT_EQ(mails.size(), 2u) << Summary();
  EXPECT_EQ(mails[0]["x_lanwatch_kind"], "firing");
  EXPECT_EQ(mails[1]["x_lanwatch_kind"], "resolved") << "in order";
  EXPECT_EQ(mails[1]["in_reply_to"], mails[0]["message_id"]);
  EXPECT_EQ(Value("lanwatch_notification_queue_length", {{"receiver", "email"}}), 0);
}

TEST_F(LabMail, KillNineWhileFiringNeitherRefiresNorLosesTheResolved) {
  Fault("cut fengtai");
  auto mails = WaitForMails(1, 20s);
  ASSERT_EQ(mails.size(), 1u) << Summary();
  daemon_.Signal(SIGKILL);
  daemon_.Wait(5s);
  StartDaemon(testing::SourceDir() + "/config/lab.yaml");
  std::this_thread::sleep_for(2 * kPoll + kGroupWait);
  EXPECT_EQ(Mails().size(), 1u) << "no second firing mail after kill -9: " << Summary();
  Fault("restore fengtai");
  mails = WaitForMails(2, 20s);
  ASSERT_EQ(mails.size(), 2u) << Summary();
  EXPECT_EQ(mails[1]["x_lanwatch_kind"], "resolved");
  EXPECT_EQ(mails[1]["in_reply_to"], mails[0]["message_id"]);
}

}  // namespace
}  // namespace lanwatch
