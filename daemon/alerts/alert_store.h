// AlertStore: the daemon's durable memory of alerts, in SQLite under `state_dir`
// (lanwatch.db; WAL, synchronous=FULL). It holds the alert records, the outbox of
// notifications not yet accepted by their receiver, and the maintenance silences. A round's
// records and the notifications it queued are written in one transaction, so a crash or
// `kill -9` at any point leaves either the round before or the round after: never a firing
// alert without its notification, never a notification queued twice. The schema is
// documented in alert_store.cc and migrated forward by PRAGMA user_version.
// One AlertStore per thread (each its own connection); several may open the same file.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/error.h"
#include "daemon/alerts/alert.h"
#include "daemon/alerts/receiver.h"

namespace lanwatch {

// Planned work: no notifications for a device (and its links), or for one link of it.
struct Silence {
  int64_t id = 0;
  std::string device;
  std::string link;  // empty: the whole device and its links
  WallTime starts{}, ends{};
  std::string comment, author;
  bool Covers(const AlertKey& key, WallTime at) const;
};

struct OutboxLimits {
  // Per receiver. Over it, the oldest reminders go first; firing and resolved notifications
  // only when nothing else is left to drop.
  int64_t max_items = 1000;
};

class AlertStore {
 public:
  // Opens (creating it and its directory if need be) DIR/lanwatch.db and migrates its schema.
  static std::expected<std::unique_ptr<AlertStore>, Error> Open(const std::string& dir,
                                                                OutboxLimits limits = {});
  ~AlertStore();
  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;

  const std::string& path() const;

  std::expected<std::vector<AlertRecord>, Error> LoadAlerts();
  // One transaction: replaces every alert record with `records` and queues `enqueue`
  // (ids assigned; an unset next_attempt_at means created_at), then applies the outbox
  // limit. Returns how many queued items the limit dropped, and, if `dropped_by_receiver` is
  // given, how many of each receiver (for OutboxDispatcher::AddDropped). On an error nothing
  // of the round is written.
  std::expected<int64_t, Error> SaveRound(
      const std::vector<AlertRecord>& records, const std::vector<OutboxItem>& enqueue,
      std::map<std::string, int64_t>* dropped_by_receiver = nullptr);

  // Items of `receiver` whose next attempt is due at `now`, oldest first.
  std::expected<std::vector<OutboxItem>, Error> DueItems(std::string_view receiver, WallTime now,
                                                         int limit = 50);
  // The oldest queued item of `receiver`, due or not: the one to deliver next by a sender
  // that keeps the order (a later item must not overtake one waiting for its retry).
  std::expected<std::optional<OutboxItem>, Error> OldestItem(std::string_view receiver);
  // The soonest next attempt of any queued item of `receiver`, if any.
  std::expected<std::optional<WallTime>, Error> NextAttempt(std::string_view receiver);
  // Both succeed for an id no longer queued (the limit may drop an item while it is sent).
  std::expected<void, Error> MarkDelivered(int64_t id);
  // attempts + 1, the next attempt and the error.
  std::expected<void, Error> MarkFailed(int64_t id, WallTime next_attempt,
                                        const std::string& error);
  // Queued items by receiver.
  std::expected<std::map<std::string, int64_t>, Error> OutboxLengths();

  // Returns its id. Refuses one without a device or that ends before it starts.
  std::expected<int64_t, Error> AddSilence(const Silence& s);
  std::expected<bool, Error> RemoveSilence(int64_t id);  // false: no such silence
  // Silences in force at `now`, or (all) every one not yet expired by more than a day.
  std::expected<std::vector<Silence>, Error> Silences(WallTime now, bool include_ended = false);

 private:
  struct Impl;
  explicit AlertStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace lanwatch
