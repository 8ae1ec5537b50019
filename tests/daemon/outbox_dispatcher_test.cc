// The dispatcher with a fake receiver (fails its first K deliveries, records every attempt)
// over a real store, and a fake clock moved by hand: after moving it, the test calls Wake(),
// as nothing else would wake the thread early. One test runs on the system clock to see the
// thread wake by itself for a retry.
#include "daemon/alerts/outbox_dispatcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <stdexcept>

#include "tests/daemon/scratch_dir.h"

namespace lanwatch {
namespace {

using namespace std::chrono_literals;
using testing::ScratchDir;

class FakeClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point Now() const override {
    std::lock_guard lock(mu_);
    return steady_;
  }
  std::chrono::system_clock::time_point WallNow() const override {
    std::lock_guard lock(mu_);
    return wall_;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    steady_ += d;
    wall_ += d;
  }
  void StepWall(std::chrono::milliseconds d) {  // someone sets the clock
    std::lock_guard lock(mu_);
    wall_ += d;
  }

 private:
  mutable std::mutex mu_;
  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1000)};
  std::chrono::system_clock::time_point wall_ =
      std::chrono::system_clock::from_time_t(1'800'000'000);
};

// What a FakeReceiver saw; shared with the test, which no longer owns the receiver.
struct ReceiverLog {
  std::mutex mu;
  std::vector<std::string> attempts;   // every payload handed to Deliver
  std::vector<std::string> delivered;  // those it accepted
  int fail_next = 0;                   // this many attempts fail
  bool render_firing = false;          // RenderFiring gives a payload
  std::chrono::milliseconds takes{0};  // each Deliver blocks this long
  std::atomic<int> started{0};

  std::vector<std::string> Delivered() {
    std::lock_guard lock(mu);
    return delivered;
  }
  size_t Attempts() {
    std::lock_guard lock(mu);
    return attempts.size();
  }
};

class FakeReceiver final : public Receiver {
 public:
  FakeReceiver(std::string name, std::shared_ptr<ReceiverLog> log)
      : name_(std::move(name)), log_(std::move(log)) {}
  std::string_view name() const override { return name_; }
  std::string Render(const Notification& n) const override { return n.id; }
  std::expected<std::string, Error> Deliver(const std::string& payload) override {
    ++log_->started;
    std::this_thread::sleep_for(log_->takes);
    std::lock_guard lock(log_->mu);
    log_->attempts.push_back(payload);
    if (log_->fail_next > 0) {
      --log_->fail_next;
      return std::unexpected(Error("421 4.3.2 service not available"));
    }
    log_->delivered.push_back(payload);
    return "250 ok";
  }
  std::optional<std::string> RenderFiring(const std::vector<AlertNote>& firing) const override {
    if (!log_->render_firing) return std::nullopt;
    std::string payload = "firing:";
    for (const AlertNote& n : firing) payload += " " + n.key.ToString();
    return payload;
  }

 private:
  std::string name_;
  std::shared_ptr<ReceiverLog> log_;
};

bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

OutboxItem Item(const std::string& receiver, const std::string& id, WallTime at) {
  OutboxItem item;
  item.receiver = receiver;
  item.notification_id = id;
  item.payload = "mail " + id;
  item.created_at = at;
  return item;
}

AlertNote Note(const std::string& link, Severity severity = Severity::kCritical) {
  AlertNote n;
  n.key = {rule::kLinkDown, "sw", link};
  n.severity = severity;
  return n;
}

using Strings = std::vector<std::string>;

// A scratch state directory, a clock, receivers and a second connection to look with.
class OutboxDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = AlertStore::Open(dir_.path());
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }

  std::unique_ptr<OutboxDispatcher> Make(
      const std::vector<std::pair<std::string, std::shared_ptr<ReceiverLog>>>& receivers,
      std::chrono::milliseconds resend = 1min) {
    auto store = AlertStore::Open(dir_.path());
    if (!store) throw std::runtime_error(store.error().message);  // gtest reports it
    std::vector<std::unique_ptr<Receiver>> owned;
    for (const auto& [name, log] : receivers)
      owned.push_back(std::make_unique<FakeReceiver>(name, log));
    return std::make_unique<OutboxDispatcher>(std::move(*store), std::move(owned), clock_, resend);
  }

  void Queue(const std::vector<OutboxItem>& items) {
    auto saved = store_->SaveRound({}, items);
    ASSERT_TRUE(saved) << saved.error().message;
  }

  ReceiverStats StatsOf(const OutboxDispatcher& d, const std::string& name) {
    for (const ReceiverStats& s : d.Stats())
      if (s.name == name) return s;
    ADD_FAILURE() << "no stats for " << name;
    return {};
  }

  ScratchDir dir_;
  FakeClock clock_;
  std::unique_ptr<AlertStore> store_;
};

TEST_F(OutboxDispatcherTest, DeliversInOrderAndRemovesWhatWasTaken) {
  auto log = std::make_shared<ReceiverLog>();
  const WallTime t0 = clock_.WallNow();
  Queue({Item("email", "a", t0), Item("email", "b", t0), Item("email", "c", t0)});
  auto d = Make({{"email", log}});
  EXPECT_EQ(StatsOf(*d, "email").queued, 3);
  d->Start();
  ASSERT_TRUE(Eventually([&] { return log->Delivered().size() == 3; }));
  EXPECT_EQ(log->Delivered(), (Strings{"mail a", "mail b", "mail c"}));
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").queued == 0; }));
  EXPECT_TRUE(store_->OutboxLengths()->empty());
  const ReceiverStats s = StatsOf(*d, "email");
  EXPECT_EQ(s.sent_total, 3u);
  EXPECT_EQ(s.failed_total, 0u);
  EXPECT_EQ(s.last_success, t0);
  EXPECT_FALSE(s.failing_since);
  EXPECT_EQ(log->Attempts(), 3u);  // nothing twice
}

TEST_F(OutboxDispatcherTest, WakeDeliversWhatWasQueuedAfterStart) {
  auto log = std::make_shared<ReceiverLog>();
  auto d = Make({{"email", log}});
  d->Start();
  std::this_thread::sleep_for(50ms);  // the thread is asleep (for up to 30 s)
  Queue({Item("email", "a", clock_.WallNow())});
  d->Wake();
  ASSERT_TRUE(Eventually([&] { return log->Delivered().size() == 1; }, 2s));
}

TEST_F(OutboxDispatcherTest, RetriesAFailedItemAndLaterOnesWaitForIt) {
  auto log = std::make_shared<ReceiverLog>();
  log->fail_next = 2;
  const WallTime t0 = clock_.WallNow();
  Queue({Item("email", "a", t0), Item("email", "b", t0)});
  auto d = Make({{"email", log}});
  d->Start();
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").failed_total == 1; }));
  {
    const ReceiverStats s = StatsOf(*d, "email");
    EXPECT_EQ(s.failing_since, t0);
    EXPECT_EQ(s.last_error, "421 4.3.2 service not available");
    EXPECT_EQ(s.sent_total, 0u);
  }
  auto a = store_->OldestItem("email");
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->notification_id, "a");
  EXPECT_EQ((*a)->attempts, 1);
  EXPECT_EQ((*a)->next_attempt_at, t0 + 1s);
  EXPECT_EQ((*a)->last_error, "421 4.3.2 service not available");
  // b is due, but must not overtake a.
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(log->Attempts(), 1u);

  clock_.Advance(1s);
  d->Wake();
  // a fails again: 2 s. (Counted once the store has it.)
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").failed_total == 2; }));
  EXPECT_EQ((*store_->OldestItem("email"))->next_attempt_at, t0 + 3s);
  clock_.Advance(1s);
  d->Wake();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(log->Attempts(), 2u);  // not due yet
  clock_.Advance(1s);
  d->Wake();
  // Counted once the store has removed them.
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").sent_total == 2; }));
  EXPECT_EQ(log->Delivered(), (Strings{"mail a", "mail b"}));
  std::lock_guard lock(log->mu);
  EXPECT_EQ(log->attempts, (Strings{"mail a", "mail a", "mail a", "mail b"}));
  const ReceiverStats s = StatsOf(*d, "email");
  EXPECT_EQ(s.sent_total, 2u);
  EXPECT_EQ(s.failed_total, 2u);
  EXPECT_FALSE(s.failing_since);
  EXPECT_EQ(s.last_success, t0 + 3s);
  EXPECT_EQ(s.last_error, "421 4.3.2 service not available");  // kept: the last one seen
}

TEST_F(OutboxDispatcherTest, BackoffDoublesFromOneSecondToFiveMinutes) {
  auto log = std::make_shared<ReceiverLog>();
  log->fail_next = 1'000;
  Queue({Item("email", "a", clock_.WallNow())});
  auto d = Make({{"email", log}});
  d->Start();
  uint64_t failures = 0;
  for (int expected_s : {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300}) {
    ++failures;
    ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").failed_total == failures; }));
    auto next = store_->NextAttempt("email");
    ASSERT_TRUE(next && *next);
    EXPECT_EQ(**next - clock_.WallNow(), std::chrono::seconds(expected_s))
        << "after failure " << failures;
    clock_.Advance(std::chrono::seconds(expected_s));
    d->Wake();
  }
}

TEST_F(OutboxDispatcherTest, OneFailingReceiverDoesNotHoldUpAnother) {
  auto email = std::make_shared<ReceiverLog>();
  auto am = std::make_shared<ReceiverLog>();
  email->fail_next = 1'000;
  const WallTime t0 = clock_.WallNow();
  Queue({Item("email", "a", t0), Item("alertmanager", "a", t0), Item("email", "b", t0),
         Item("alertmanager", "b", t0)});
  auto d = Make({{"email", email}, {"alertmanager", am}});
  d->Start();
  ASSERT_TRUE(Eventually([&] { return am->Delivered().size() == 2; }));
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "alertmanager").queued == 0; }));
  EXPECT_EQ(StatsOf(*d, "email").queued, 2);
  EXPECT_EQ(email->Attempts(), 1u);
  d->AddDropped("email", 3);
  d->AddDropped("nobody", 5);  // not a receiver: ignored
  EXPECT_EQ(StatsOf(*d, "email").dropped_total, 3u);
  EXPECT_EQ(StatsOf(*d, "alertmanager").dropped_total, 0u);
  EXPECT_EQ(d->Stats().size(), 2u);
}

TEST_F(OutboxDispatcherTest, ABacklogDoesNotHoldUpAnotherReceiver) {
  auto email = std::make_shared<ReceiverLog>();
  auto am = std::make_shared<ReceiverLog>();
  email->takes = 2ms;
  const WallTime t0 = clock_.WallNow();
  std::vector<OutboxItem> items;
  for (int i = 0; i < 200; ++i) items.push_back(Item("email", std::to_string(i), t0));
  items.push_back(Item("alertmanager", "news", t0));
  Queue(items);
  auto d = Make({{"email", email}, {"alertmanager", am}});
  d->Start();
  ASSERT_TRUE(Eventually([&] { return am->Delivered().size() == 1; }));
  EXPECT_LT(email->Delivered().size(), 200u);  // it had its turn before the backlog was done
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").sent_total == 200; }));
  const Strings delivered = email->Delivered();
  for (size_t i = 0; i < delivered.size(); ++i)
    EXPECT_EQ(delivered[i], "mail " + std::to_string(i));
}

TEST_F(OutboxDispatcherTest, NothingIsLostAcrossARestart) {
  auto failing = std::make_shared<ReceiverLog>();
  failing->fail_next = 1'000;
  const WallTime t0 = clock_.WallNow();
  Queue({Item("email", "a", t0), Item("email", "b", t0)});
  {
    auto d = Make({{"email", failing}});
    d->Start();
    ASSERT_TRUE(Eventually([&] { return failing->Attempts() == 1; }));
  }
  EXPECT_EQ(store_->OutboxLengths()->at("email"), 2);
  auto log = std::make_shared<ReceiverLog>();
  auto d = Make({{"email", log}});
  d->Start();
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(log->Delivered().empty());  // a's backoff holds across the restart
  clock_.Advance(1s);
  d->Wake();
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").sent_total == 2; }));
  EXPECT_EQ(log->Delivered(), (Strings{"mail a", "mail b"}));
  EXPECT_TRUE(store_->OutboxLengths()->empty());
}

TEST_F(OutboxDispatcherTest, AWallClockSetBackDoesNotHoldARetry) {
  auto log = std::make_shared<ReceiverLog>();
  log->fail_next = 1;
  Queue({Item("email", "a", clock_.WallNow())});
  auto d = Make({{"email", log}});
  d->Start();
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").failed_total == 1; }));
  clock_.StepWall(-2h);  // the retry, due in 1 s, now looks 2 h away
  d->Wake();
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "email").sent_total == 1; }, 2s));
}

TEST_F(OutboxDispatcherTest, WakesByItselfForARetry) {
  SystemClock system;
  auto log = std::make_shared<ReceiverLog>();
  log->fail_next = 1;
  Queue({Item("email", "a", system.WallNow())});
  auto store = AlertStore::Open(dir_.path());
  ASSERT_TRUE(store);
  std::vector<std::unique_ptr<Receiver>> receivers;
  receivers.push_back(std::make_unique<FakeReceiver>("email", log));
  OutboxDispatcher d(std::move(*store), std::move(receivers), system);
  d.Start();
  // No Wake(): the thread sleeps until the retry is due, 1 s after the failure.
  ASSERT_TRUE(Eventually([&] { return log->Delivered().size() == 1; }, 3s));
  EXPECT_EQ(log->Attempts(), 2u);
}

TEST_F(OutboxDispatcherTest, SendsTheFiringSetWhenItChangesAndEveryResendInterval) {
  auto am = std::make_shared<ReceiverLog>();
  am->render_firing = true;
  auto email = std::make_shared<ReceiverLog>();  // RenderFiring: nullopt
  auto d = Make({{"alertmanager", am}, {"email", email}}, 60s);
  d->Start();
  d->SetFiring({Note("datong")});
  ASSERT_TRUE(Eventually([&] { return am->Delivered().size() == 1; }));
  EXPECT_EQ(am->Delivered().back(), "firing: link_down sw/datong");

  AlertNote newer = Note("datong");
  newer.facts.value = 1;  // new figures, same alerts: not a change
  d->SetFiring({newer});
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(am->Attempts(), 1u);

  d->SetFiring({Note("datong"), Note("panji", Severity::kWarning)});
  ASSERT_TRUE(Eventually([&] { return am->Delivered().size() == 2; }));
  EXPECT_EQ(am->Delivered().back(), "firing: link_down sw/datong link_down sw/panji");

  clock_.Advance(59s);
  d->Wake();
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(am->Attempts(), 2u);
  clock_.Advance(1s);
  d->Wake();
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "alertmanager").sent_total == 3; }));
  EXPECT_EQ(am->Delivered().size(), 3u);
  EXPECT_EQ(am->Delivered().back(), "firing: link_down sw/datong link_down sw/panji");

  {
    std::lock_guard lock(am->mu);
    am->fail_next = 1;  // counted like any attempt
  }
  d->SetFiring({Note("panji")});
  ASSERT_TRUE(Eventually([&] { return StatsOf(*d, "alertmanager").failed_total == 1; }));
  EXPECT_EQ(email->Attempts(), 0u);
  EXPECT_EQ(StatsOf(*d, "email").sent_total, 0u);
}

TEST_F(OutboxDispatcherTest, StopsCleanlyWhileAReceiverBlocks) {
  auto log = std::make_shared<ReceiverLog>();
  log->takes = 300ms;
  const WallTime t0 = clock_.WallNow();
  Queue({Item("email", "a", t0), Item("email", "b", t0), Item("email", "c", t0)});
  auto d = Make({{"email", log}});
  d->Start();
  ASSERT_TRUE(Eventually([&] { return log->started == 1; }));
  const auto before = std::chrono::steady_clock::now();
  d.reset();  // waits for the delivery in progress, starts no other
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  EXPECT_EQ(log->started, 1);
  EXPECT_EQ(log->Delivered(), (Strings{"mail a"}));
  // The one that finished counts as delivered; the others wait for the next start.
  EXPECT_EQ(store_->OutboxLengths()->at("email"), 2);
  EXPECT_EQ((*store_->OldestItem("email"))->notification_id, "b");
}

TEST_F(OutboxDispatcherTest, DestroyedWithoutStartDoesNothing) {
  auto log = std::make_shared<ReceiverLog>();
  Queue({Item("email", "a", clock_.WallNow())});
  {
    auto d = Make({{"email", log}});
    std::this_thread::sleep_for(100ms);  // time enough for a thread, were there one
  }
  EXPECT_EQ(log->Attempts(), 0u);
  EXPECT_EQ(store_->OutboxLengths()->at("email"), 1);
}

}  // namespace
}  // namespace lanwatch
