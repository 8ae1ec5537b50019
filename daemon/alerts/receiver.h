// Receiver: where notifications go (email, Alertmanager). The daemon decides what to say and
// queues it durably (AlertStore's outbox); a receiver turns it into its wire format and
// delivers it. Implementations live in exporters/notify; tests use fakes.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/error.h"
#include "daemon/alerts/alert.h"

namespace lanwatch {

// One queued delivery: a notification rendered for one receiver.
struct OutboxItem {
  int64_t id = 0;        // assigned by the store
  std::string receiver;  // Receiver::name()
  NotificationKind kind = NotificationKind::kFiring;
  std::string notification_id;
  // Exactly what goes on the wire, rendered once when queued so that a resend is the same
  // message (same Message-ID): a whole RFC 5322 mail, or a JSON body.
  std::string payload;
  WallTime created_at{};
  int attempts = 0;
  WallTime next_attempt_at{};
  std::string last_error;
};

// What the metrics and the receiver_failing rule know of one receiver.
struct ReceiverStats {
  std::string name;
  uint64_t sent_total = 0, failed_total = 0;  // delivery attempts that succeeded / failed
  uint64_t dropped_total = 0;                 // items the outbox limit dropped
  int64_t queued = 0;                         // outbox length
  std::optional<WallTime> last_success;
  // Since when every attempt has failed (unset while the last attempt succeeded).
  std::optional<WallTime> failing_since;
  std::string last_error;
};

class Receiver {
 public:
  virtual ~Receiver() = default;
  // "email", "alertmanager": the `receiver` label and the outbox's column.
  virtual std::string_view name() const = 0;
  virtual std::string Render(const Notification& n) const = 0;
  // Delivers a rendered payload; what the server answered (e.g. "250 2.0.0 Ok: queued"), or
  // why it did not take it. Blocking, with its own timeouts; called from one thread.
  virtual std::expected<std::string, Error> Deliver(const std::string& payload) = 0;
  // For receivers that forget alerts not re-sent (Alertmanager): every alert firing now, as
  // one payload re-sent periodically; nullopt: this receiver needs none.
  virtual std::optional<std::string> RenderFiring(const std::vector<AlertNote>& firing) const {
    (void)firing;
    return std::nullopt;
  }
};

}  // namespace lanwatch
