// OutboxDispatcher: one thread that delivers the outbox. It reads due items from its own
// AlertStore connection, hands each to its receiver in order, removes it only once the
// receiver accepted it, and retries a failed one with exponential backoff (1 s doubling to
// 5 min) while keeping it queued: an SMTP outage delays mail, never loses it. Delivery is
// at least once: a reply lost after the server took the mail means a resend of the same
// payload (same Message-ID). It also re-sends the firing alerts to receivers that want them
// (Alertmanager) every `resend_interval`. Wake() after queueing for prompt delivery.
// Times: the outbox's are wall times (Clock::WallNow); an item whose next attempt lies more
// than the longest backoff ahead is taken for a wall clock set back, and attempted at once.
// The re-send interval runs on the steady clock. Stats(), Wake(), SetFiring() and
// AddDropped() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon/alerts/alert_store.h"
#include "daemon/alerts/receiver.h"
#include "daemon/clock.h"

namespace lanwatch {

class OutboxDispatcher {
 public:
  OutboxDispatcher(std::unique_ptr<AlertStore> store,
                   std::vector<std::unique_ptr<Receiver>> receivers, const Clock& clock,
                   std::chrono::milliseconds resend_interval = std::chrono::minutes(1));
  ~OutboxDispatcher();  // stops the thread; an attempt in progress finishes first

  void Start();
  void Wake();
  // The alerts firing now, for RenderFiring; sent at once when they changed.
  void SetFiring(std::vector<AlertNote> firing);
  void AddDropped(std::string_view receiver, int64_t n);
  std::vector<ReceiverStats> Stats() const;

 private:
  void Run();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lanwatch
