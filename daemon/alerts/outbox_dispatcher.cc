#include "daemon/alerts/outbox_dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <tuple>

namespace lanwatch {
namespace {

using std::chrono::milliseconds;

constexpr auto kFirstBackoff = std::chrono::seconds(1);
constexpr auto kMaxBackoff = std::chrono::minutes(5);
// After a store error (the file locked past its busy timeout, a full disk): try again soon.
constexpr auto kStoreRetry = std::chrono::seconds(1);
// Items one receiver may deliver in one pass before the others get their turn (a backlog
// after an outage must not hold up another receiver's news).
constexpr int kItemsPerPass = 50;
// Wakes at least this often even when told nothing, in case an item was queued without a
// Wake() (another process); also refreshes the queued counts.
constexpr auto kMaxSleep = std::chrono::seconds(30);

// 1 s after the first failure, doubling with each further one, at most 5 min.
std::chrono::seconds Backoff(int failures_before) {
  const int doublings = std::clamp(failures_before, 0, 9);  // 2^9 s is past the cap
  return std::min<std::chrono::seconds>(kFirstBackoff * (1 << doublings), kMaxBackoff);
}

// What makes the firing set "changed": an alert starts, ends, changes severity or fires anew.
// New figures of the same alerts are not news; the next periodic re-send carries them.
using FiringSignature = std::vector<std::tuple<AlertKey, Severity, WallTime>>;
FiringSignature Signature(const std::vector<AlertNote>& notes) {
  FiringSignature sig;
  for (const AlertNote& n : notes) sig.emplace_back(n.key, n.severity, n.since);
  std::sort(sig.begin(), sig.end());
  return sig;
}

}  // namespace

struct OutboxDispatcher::Impl {
  // One receiver and what only the dispatcher thread knows of it.
  struct Lane {
    Receiver* receiver = nullptr;
    std::string name;
    uint64_t firing_generation_sent = 0;
    std::optional<std::chrono::steady_clock::time_point> firing_sent_at;
    bool wants_firing = false;  // its RenderFiring gave a payload last time
  };

  Impl(std::unique_ptr<AlertStore> s, std::vector<std::unique_ptr<Receiver>> r, const Clock& c,
       milliseconds resend)
      : store(std::move(s)), receivers(std::move(r)), clock(c), resend_interval(resend) {
    for (const auto& receiver : receivers) {
      Lane lane;
      lane.receiver = receiver.get();
      lane.name = std::string(receiver->name());
      ReceiverStats st;
      st.name = lane.name;
      lanes.push_back(std::move(lane));
      stats.push_back(std::move(st));
    }
  }

  // One pass over every receiver; returns how long the thread may sleep before the next.
  std::chrono::steady_clock::duration Pass();
  // Delivers `lane`'s queue in order until it is empty, its head is not due, an attempt
  // fails or it had its share of the pass; returns when its head is due next (unset: nothing
  // queued).
  std::optional<WallTime> DeliverQueue(Lane& lane);
  // Sends the firing set to `lane` if it changed or is due for a re-send.
  void SendFiring(Lane& lane);
  // Hands one payload to the receiver.
  std::expected<std::string, Error> Attempt(const Lane& lane, const std::string& payload);
  // Counts an attempt in the stats: after the store recorded it, so that what Stats() says
  // has happened is in the file.
  void Count(const Lane& lane, const std::expected<std::string, Error>& result);
  void RefreshQueued();
  ReceiverStats* FindStats(std::string_view name);  // under mu

  std::unique_ptr<AlertStore> store;  // the dispatcher thread's connection
  std::vector<std::unique_ptr<Receiver>> receivers;
  const Clock& clock;
  const milliseconds resend_interval;
  std::vector<Lane> lanes;  // the dispatcher thread's, once started

  mutable std::mutex mu;  // guards what follows
  std::condition_variable cv;
  std::atomic<bool> stop{false};  // set under mu, read anywhere
  bool wake = false;
  std::vector<ReceiverStats> stats;  // in the order of `lanes`
  std::vector<AlertNote> firing;
  FiringSignature firing_signature;
  uint64_t firing_generation = 0;  // 0: SetFiring never called
  std::thread thread;
};

OutboxDispatcher::OutboxDispatcher(std::unique_ptr<AlertStore> store,
                                   std::vector<std::unique_ptr<Receiver>> receivers,
                                   const Clock& clock, milliseconds resend_interval)
    : impl_(
          std::make_unique<Impl>(std::move(store), std::move(receivers), clock, resend_interval)) {
  impl_->RefreshQueued();  // no thread yet: the store is still ours
}

OutboxDispatcher::~OutboxDispatcher() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  // Deliver() cannot be interrupted: an attempt in progress ends by its own timeouts.
  if (impl_->thread.joinable()) impl_->thread.join();
}

void OutboxDispatcher::Start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([this] { Run(); });
}

void OutboxDispatcher::Wake() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->wake = true;
  }
  impl_->cv.notify_all();
}

void OutboxDispatcher::SetFiring(std::vector<AlertNote> firing) {
  FiringSignature sig = Signature(firing);
  {
    std::lock_guard lock(impl_->mu);
    const bool changed = impl_->firing_generation == 0 || sig != impl_->firing_signature;
    impl_->firing = std::move(firing);
    if (!changed) return;
    impl_->firing_signature = std::move(sig);
    ++impl_->firing_generation;
    impl_->wake = true;
  }
  impl_->cv.notify_all();
}

void OutboxDispatcher::AddDropped(std::string_view receiver, int64_t n) {
  std::lock_guard lock(impl_->mu);
  ReceiverStats* s = impl_->FindStats(receiver);
  if (s && n > 0) s->dropped_total += static_cast<uint64_t>(n);
}

std::vector<ReceiverStats> OutboxDispatcher::Stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

void OutboxDispatcher::Run() {
  Impl& d = *impl_;
  std::unique_lock lock(d.mu);
  while (!d.stop) {
    d.wake = false;  // a Wake() from here on is for the next pass
    lock.unlock();
    const auto sleep = d.Pass();
    lock.lock();
    d.cv.wait_for(lock, sleep, [&] { return d.stop || d.wake; });
  }
}

std::chrono::steady_clock::duration OutboxDispatcher::Impl::Pass() {
  std::chrono::steady_clock::duration sleep = kMaxSleep;
  for (Lane& lane : lanes) {
    if (stop) return sleep;
    if (auto next = DeliverQueue(lane))
      sleep = std::min<std::chrono::steady_clock::duration>(sleep, *next - clock.WallNow());
    if (stop) return sleep;
    SendFiring(lane);
    bool firing_left = false;
    {
      std::lock_guard lock(mu);
      firing_left = !firing.empty();
    }
    if (lane.wants_firing && firing_left && lane.firing_sent_at)
      sleep = std::min(sleep, *lane.firing_sent_at + resend_interval - clock.Now());
  }
  RefreshQueued();
  return std::max<std::chrono::steady_clock::duration>(sleep, {});
}

std::optional<WallTime> OutboxDispatcher::Impl::DeliverQueue(Lane& lane) {
  for (int delivered = 0; !stop; ++delivered) {
    if (delivered == kItemsPerPass) return clock.WallNow();  // more in the next pass
    auto head = store->OldestItem(lane.name);
    if (!head) {
      spdlog::warn("outbox for {}: {}", lane.name, head.error().message);
      return clock.WallNow() + kStoreRetry;
    }
    if (!*head) return std::nullopt;
    const OutboxItem& item = **head;
    // Not due: later items wait too, so that messages arrive in the order they were queued.
    // No backoff is longer than kMaxBackoff: an attempt further off means the wall clock was
    // set back since (NTP after a boot with a wrong RTC), so it goes now, not after the step.
    const WallTime now = clock.WallNow();
    if (item.next_attempt_at > now && item.next_attempt_at <= now + kMaxBackoff)
      return item.next_attempt_at;
    auto result = Attempt(lane, item.payload);
    if (result) {
      spdlog::debug("notify {}: {} {} delivered: {}", lane.name, ToString(item.kind),
                    item.notification_id, *result);
      auto removed = store->MarkDelivered(item.id);
      Count(lane, result);
      if (!removed) {
        // It will go again (at least once): better a duplicate than a lost notification.
        spdlog::warn("outbox for {}: {}", lane.name, removed.error().message);
        return clock.WallNow() + kStoreRetry;
      }
      continue;
    }
    const WallTime next = clock.WallNow() + Backoff(item.attempts);  // after the attempt
    auto marked = store->MarkFailed(item.id, next, result.error().message);
    Count(lane, result);
    if (!marked) {
      spdlog::warn("outbox for {}: {}", lane.name, marked.error().message);
      return clock.WallNow() + kStoreRetry;
    }
    return next;
  }
  return std::nullopt;
}

void OutboxDispatcher::Impl::SendFiring(Lane& lane) {
  const auto now = clock.Now();
  std::vector<AlertNote> notes;
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu);
    generation = firing_generation;
    const bool changed = generation != lane.firing_generation_sent;
    const bool resend = lane.wants_firing && !firing.empty() && lane.firing_sent_at &&
                        now - *lane.firing_sent_at >= resend_interval;
    if (!changed && !resend) return;
    notes = firing;
  }
  std::optional<std::string> payload = lane.receiver->RenderFiring(notes);
  lane.wants_firing = payload.has_value();
  lane.firing_generation_sent = generation;
  // Also after a failure: not durable, so it is retried with the next periodic re-send.
  lane.firing_sent_at = now;
  if (payload) Count(lane, Attempt(lane, *payload));
}

std::expected<std::string, Error> OutboxDispatcher::Impl::Attempt(const Lane& lane,
                                                                  const std::string& payload) {
  std::expected<std::string, Error> result;
  try {
    result = lane.receiver->Deliver(payload);
  } catch (const std::exception& e) {  // a receiver's bug must not end the thread
    result = std::unexpected(Error(fmt::format("Deliver threw: {}", e.what())));
  }
  return result;
}

void OutboxDispatcher::Impl::Count(const Lane& lane,
                                   const std::expected<std::string, Error>& result) {
  const WallTime at = clock.WallNow();
  std::lock_guard lock(mu);
  ReceiverStats* s = FindStats(lane.name);
  if (result) {
    if (s->failing_since)
      spdlog::info(
          "notify {}: delivering again after {} s of failures", lane.name,
          std::chrono::duration_cast<std::chrono::seconds>(at - *s->failing_since).count());
    ++s->sent_total;
    s->last_success = at;
    s->failing_since.reset();
  } else {
    if (!s->failing_since)
      spdlog::warn("notify {}: delivery failed, will retry: {}", lane.name, result.error().message);
    else
      spdlog::debug("notify {}: delivery failed again: {}", lane.name, result.error().message);
    ++s->failed_total;
    if (!s->failing_since) s->failing_since = at;
    s->last_error = result.error().message;
  }
}

void OutboxDispatcher::Impl::RefreshQueued() {
  auto lengths = store->OutboxLengths();
  if (!lengths) {
    spdlog::warn("outbox: {}", lengths.error().message);
    return;
  }
  std::lock_guard lock(mu);
  for (ReceiverStats& s : stats) {
    auto it = lengths->find(s.name);
    s.queued = it == lengths->end() ? 0 : it->second;
  }
}

ReceiverStats* OutboxDispatcher::Impl::FindStats(std::string_view name) {
  for (ReceiverStats& s : stats)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace lanwatch
