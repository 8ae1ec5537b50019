// clang-format off
// The state database, DIR/lanwatch.db (SQLite 3, WAL). Schema version 1 (PRAGMA user_version).
//
// Times are INTEGER milliseconds since the Unix epoch (UTC), rounded down; read them with
//   datetime(firing_since / 1000, 'unixepoch', 'localtime').
// A time an alert does not have yet is NULL, except pending_since and firing_since, which are
// 0 (1970-01-01) while unset, as in AlertRecord. Severities are the words lanwatch prints
// ('OK', 'WARNING', 'CRITICAL', 'UNKNOWN'), not Nagios codes; phases and kinds are the words
// of ToString(AlertPhase) and ToString(NotificationKind).
//
// alerts: what the engine remembers of each alert; replaced as a whole every round.
//   rule, device, link  TEXT    the AlertKey (link '' for device rules); the primary key
//   phase               TEXT    'pending', 'firing', 'resolved'
//   severity            TEXT    'WARNING', 'CRITICAL', ...
//   event               INTEGER 1: a one-off (a reboot), never resolved; else 0
//   pending_since       INTEGER ms
//   firing_since        INTEGER ms
//   resolved_at         INTEGER ms or NULL
//   notified_at         INTEGER ms or NULL: its firing notice (or last reminder) was queued
//   message_id          TEXT    Message-ID local part of the firing notification, or ''
//   peak                REAL    the worst value while pending or firing, or NULL
//   suppressed_by       TEXT    '', 'device:NAME', 'flapping' or 'silence:ID'
//   facts               TEXT    JSON, unset fields left out:
//                               {"value":0.97,"threshold":0.95,"unit":"ratio",
//                                "direction":"in","interface":"Gi0/1","detail":"",
//                                "affected_devices":[...],"affected_links":[...],
//                                "window_seconds":600,"supersedes":["link_down"]}
// outbox: notifications rendered for a receiver and not yet accepted by it; oldest (lowest
// id) first. A row is deleted once its receiver took it.
//   id                  INTEGER PRIMARY KEY AUTOINCREMENT (never reused)
//   receiver            TEXT   'email', 'alertmanager'
//   kind                TEXT   'firing', 'resolved', 'reminder', 'test'
//   notification_id     TEXT   Notification::id (the Message-ID local part)
//   payload             BLOB   exactly what goes on the wire (a whole mail, a JSON body)
//   created_at          INTEGER ms
//   attempts            INTEGER failed delivery attempts so far
//   next_attempt_at     INTEGER ms; due when <= now
//   last_error          TEXT   why the last attempt failed, or ''
// silences: maintenance windows; notifications for a device (link '') or one of its links are
// held back while starts <= now < ends.
//   id                  INTEGER PRIMARY KEY AUTOINCREMENT (alerts say 'silence:ID')
//   device, link        TEXT
//   starts, ends        INTEGER ms
//   comment, author     TEXT
//
// For example:
//   sqlite3 /var/lib/lanwatch/lanwatch.db "SELECT rule, device, link, phase,
//     datetime(firing_since/1000,'unixepoch','localtime') FROM alerts WHERE phase='firing'"
//   sqlite3 /var/lib/lanwatch/lanwatch.db "SELECT id, receiver, kind, attempts, last_error
//     FROM outbox"
// clang-format on
#include "daemon/alerts/alert_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "daemon/alerts/alert_codec.h"
#include "daemon/sqlite_db.h"

namespace lanwatch {
namespace {

using codec::FromMillis;
using codec::ToMillis;
using sqlite::Statement;

// A schema change is a new step at the end (and an update of the comment at the top): never
// edit a step that has shipped. The steps a file needs run in one transaction with the
// user_version update, so a file is at its old version or the newest, never between.
constexpr sqlite::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE alerts (
  rule          TEXT    NOT NULL,
  device        TEXT    NOT NULL,
  link          TEXT    NOT NULL DEFAULT '',
  phase         TEXT    NOT NULL,
  severity      TEXT    NOT NULL,
  event         INTEGER NOT NULL DEFAULT 0,
  pending_since INTEGER NOT NULL,
  firing_since  INTEGER NOT NULL,
  resolved_at   INTEGER,
  notified_at   INTEGER,
  message_id    TEXT    NOT NULL DEFAULT '',
  peak          REAL,
  suppressed_by TEXT    NOT NULL DEFAULT '',
  facts         TEXT    NOT NULL DEFAULT '{}',
  PRIMARY KEY (rule, device, link)
) WITHOUT ROWID;
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  receiver        TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  notification_id TEXT    NOT NULL,
  payload         BLOB    NOT NULL,
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_by_receiver ON outbox (receiver, id);
CREATE TABLE silences (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  device  TEXT    NOT NULL,
  link    TEXT    NOT NULL DEFAULT '',
  starts  INTEGER NOT NULL,
  ends    INTEGER NOT NULL,
  comment TEXT    NOT NULL DEFAULT '',
  author  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX silences_by_end ON silences (ends);
)sql"},
};
constexpr int kSchemaVersion = std::size(kMigrations);
static_assert(kMigrations[kSchemaVersion - 1].version == kSchemaVersion, "steps 1, 2, ... N");

// Another connection may hold the write lock for a round; wait for it rather than fail.
constexpr int kBusyTimeoutMs = 5000;

constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;

std::expected<void, Error> EnsureDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir.empty()) return std::unexpected(Error("no state directory given"));
  std::error_code ec;
  const fs::path path(dir);
  if (!fs::exists(path, ec)) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    // 0750: alert details are the site's business; the group may read them (backups).
    if (ec || (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST))
      return std::unexpected(Error(fmt::format("cannot create the state directory {}: {}", dir,
                                               ec ? ec.message() : std::strerror(errno))));
  }
  if (!fs::is_directory(path, ec))
    return std::unexpected(Error(fmt::format("the state directory {} is not a directory", dir)));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return std::unexpected(Error(
        fmt::format("the state directory {} is not writable: {}", dir, std::strerror(errno))));
  return {};
}

std::expected<void, Error> SetUp(sqlite3* db) {
  // WAL: the dispatcher and the CLI read while the daemon writes a round. The mode is kept
  // in the file; setting it again is a no-op.
  if (auto ok = sqlite::SetBusyTimeoutAndWal(db, std::chrono::milliseconds(kBusyTimeoutMs),
                                             "state database");
      !ok)
    return ok;
  // FULL: a committed round survives a power cut, not only a crash of lanwatchd.
  return sqlite::Exec(db, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
                      "set synchronous, foreign_keys");
}

std::expected<AlertRecord, Error> ReadAlert(const Statement& st) {
  AlertRecord r;
  r.key = {st.Text(0), st.Text(1), st.Text(2)};
  auto fail = [&](std::string what) {
    return std::unexpected(Error(fmt::format("alert {}: {}", r.key.ToString(), what)));
  };
  auto phase = codec::ParsePhase(st.Text(3));
  if (!phase) return fail(fmt::format("unknown phase '{}'", st.Text(3)));
  auto severity = codec::ParseSeverity(st.Text(4));
  if (!severity) return fail(fmt::format("unknown severity '{}'", st.Text(4)));
  auto facts = codec::FactsFromJson(st.Text(13));
  if (!facts) return fail(facts.error().message);
  r.phase = *phase;
  r.severity = *severity;
  r.event = st.Int(5) != 0;
  r.pending_since = FromMillis(st.Int(6));
  r.firing_since = FromMillis(st.Int(7));
  r.resolved_at = FromMillis(st.OptionalInt(8));
  r.notified_at = FromMillis(st.OptionalInt(9));
  r.message_id = st.Text(10);
  r.peak = st.OptionalDouble(11);
  r.suppressed_by = st.Text(12);
  r.facts = std::move(*facts);
  return r;
}

constexpr const char* kItemColumns =
    "id, receiver, kind, notification_id, payload, created_at, attempts, next_attempt_at, "
    "last_error";

std::expected<OutboxItem, Error> ReadItem(const Statement& st) {
  OutboxItem item;
  item.id = st.Int(0);
  auto kind = codec::ParseKind(st.Text(2));
  if (!kind)
    return std::unexpected(
        Error(fmt::format("outbox item {}: unknown kind '{}'", item.id, st.Text(2))));
  item.receiver = st.Text(1);
  item.kind = *kind;
  item.notification_id = st.Text(3);
  item.payload = st.Blob(4);
  item.created_at = FromMillis(st.Int(5));
  item.attempts = static_cast<int>(st.Int(6));
  item.next_attempt_at = FromMillis(st.Int(7));
  item.last_error = st.Text(8);
  return item;
}

Silence ReadSilence(const Statement& st) {
  return Silence{st.Int(0),  st.Text(1), st.Text(2), FromMillis(st.Int(3)), FromMillis(st.Int(4)),
                 st.Text(5), st.Text(6)};
}

// Steps `st` to its end, handing each row to `read` (which returns expected<T, Error>).
template <typename T, typename Read>
std::expected<std::vector<T>, Error> ReadAll(Statement& st, Read read) {
  std::vector<T> out;
  for (;;) {
    auto row = st.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return out;
    auto value = read(st);
    if (!value) return std::unexpected(value.error());
    out.push_back(std::move(*value));
  }
}

}  // namespace

bool Silence::Covers(const AlertKey& key, WallTime at) const {
  return key.device == device && (link.empty() || link == key.link) && starts <= at && at < ends;
}

struct AlertStore::Impl {
  std::string path;
  OutboxLimits limits;
  sqlite::DbHandle db;

  std::expected<Statement, Error> Prepare(std::string_view sql, std::string_view what) {
    return Statement::Prepare(db.get(), sql, what);
  }
  // Every error the store returns names the file.
  std::unexpected<Error> Fail(const Error& e) const { return std::unexpected(e.context(path)); }

  std::expected<void, Error> InsertAlerts(const std::vector<AlertRecord>& records);
  std::expected<void, Error> InsertItems(const std::vector<OutboxItem>& items);
  std::expected<int64_t, Error> ApplyLimits(std::map<std::string, int64_t>* dropped);
  std::expected<int64_t, Error> DropOldest(const std::string& receiver, int64_t n,
                                           bool reminders_only);
};

std::expected<std::unique_ptr<AlertStore>, Error> AlertStore::Open(const std::string& dir,
                                                                   OutboxLimits limits) {
  if (auto ok = EnsureDirectory(dir); !ok) return std::unexpected(ok.error());
  auto impl = std::make_unique<Impl>();
  impl->path = (std::filesystem::path(dir) / "lanwatch.db").string();
  impl->limits = limits;
  auto db = sqlite::Open(impl->path);
  if (!db) return std::unexpected(db.error());
  impl->db = std::move(*db);
  if (auto ok = SetUp(impl->db.get()); !ok) return impl->Fail(ok.error());
  if (auto ok = sqlite::Migrate(impl->db.get(), kMigrations); !ok) return impl->Fail(ok.error());
  return std::unique_ptr<AlertStore>(new AlertStore(std::move(impl)));
}

AlertStore::AlertStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AlertStore::~AlertStore() = default;

const std::string& AlertStore::path() const { return impl_->path; }

std::expected<std::vector<AlertRecord>, Error> AlertStore::LoadAlerts() {
  auto st = impl_->Prepare(
      "SELECT rule, device, link, phase, severity, event, pending_since, firing_since, "
      "resolved_at, notified_at, message_id, peak, suppressed_by, facts FROM alerts "
      "ORDER BY rule, device, link",
      "load alerts");
  if (!st) return impl_->Fail(st.error());
  auto records = ReadAll<AlertRecord>(*st, ReadAlert);
  if (!records) return impl_->Fail(records.error().context("load alerts"));
  return records;
}

std::expected<void, Error> AlertStore::Impl::InsertAlerts(const std::vector<AlertRecord>& records) {
  if (auto ok = sqlite::Exec(db.get(), "DELETE FROM alerts", "clear alerts"); !ok) return ok;
  auto st = Prepare(
      "INSERT INTO alerts (rule, device, link, phase, severity, event, pending_since, "
      "firing_since, resolved_at, notified_at, message_id, peak, suppressed_by, facts) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      "insert alert");
  if (!st) return std::unexpected(st.error());
  for (const AlertRecord& r : records) {
    st->Bind(1, r.key.rule)
        .Bind(2, r.key.device)
        .Bind(3, r.key.link)
        .Bind(4, ToString(r.phase))
        .Bind(5, ToString(r.severity))
        .Bind(6, int64_t{r.event})
        .Bind(7, ToMillis(r.pending_since))
        .Bind(8, ToMillis(r.firing_since))
        .Bind(9, ToMillis(r.resolved_at))
        .Bind(10, ToMillis(r.notified_at))
        .Bind(11, r.message_id)
        .Bind(12, r.peak)
        .Bind(13, r.suppressed_by)
        .Bind(14, codec::FactsToJson(r.facts));
    if (auto ok = st->Run(); !ok) return std::unexpected(ok.error().context(r.key.ToString()));
    st->Reset();
  }
  return {};
}

std::expected<void, Error> AlertStore::Impl::InsertItems(const std::vector<OutboxItem>& items) {
  auto st = Prepare(
      "INSERT INTO outbox (receiver, kind, notification_id, payload, created_at, attempts, "
      "next_attempt_at, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      "queue notification");
  if (!st) return std::unexpected(st.error());
  for (const OutboxItem& item : items) {
    const WallTime next =
        item.next_attempt_at == WallTime{} ? item.created_at : item.next_attempt_at;
    st->Bind(1, item.receiver)
        .Bind(2, ToString(item.kind))
        .Bind(3, item.notification_id)
        .BindBlob(4, item.payload)
        .Bind(5, ToMillis(item.created_at))
        .Bind(6, int64_t{item.attempts})
        .Bind(7, ToMillis(next))
        .Bind(8, item.last_error);
    if (auto ok = st->Run(); !ok)
      return std::unexpected(
          ok.error().context(fmt::format("{} for {}", item.notification_id, item.receiver)));
    st->Reset();
  }
  return {};
}

std::expected<int64_t, Error> AlertStore::Impl::DropOldest(const std::string& receiver, int64_t n,
                                                           bool reminders_only) {
  auto st = Prepare(reminders_only ? "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                                     "WHERE receiver = ?1 AND kind = 'reminder' "
                                     "ORDER BY id LIMIT ?2)"
                                   : "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
                                     "WHERE receiver = ?1 ORDER BY id LIMIT ?2)",
                    fmt::format("drop {} items of {} over the outbox limit", n, receiver));
  if (!st) return std::unexpected(st.error());
  st->Bind(1, receiver).Bind(2, n);
  if (auto ok = st->Run(); !ok) return std::unexpected(ok.error());
  return sqlite::Changes(db.get());
}

std::expected<int64_t, Error> AlertStore::Impl::ApplyLimits(
    std::map<std::string, int64_t>* dropped) {
  auto st = Prepare("SELECT receiver, COUNT(*) FROM outbox GROUP BY receiver HAVING COUNT(*) > ?1",
                    "count the outbox");
  if (!st) return std::unexpected(st.error());
  st->Bind(1, limits.max_items);
  auto over = ReadAll<std::pair<std::string, int64_t>>(
      *st, [](const Statement& s) -> std::expected<std::pair<std::string, int64_t>, Error> {
        return std::pair{s.Text(0), s.Int(1)};
      });
  if (!over) return std::unexpected(over.error());
  int64_t total = 0;
  for (const auto& [receiver, count] : *over) {
    const int64_t excess = count - limits.max_items;
    // Reminders first: a missed reminder repeats what was said; a missed firing or resolved
    // notice loses news.
    auto reminders = DropOldest(receiver, excess, true);
    if (!reminders) return reminders;
    int64_t n = *reminders;
    if (n < excess) {
      auto others = DropOldest(receiver, excess - n, false);
      if (!others) return others;
      n += *others;
    }
    spdlog::warn("outbox for {}: {} items over the limit of {}, dropped the oldest {}", receiver,
                 excess, limits.max_items, n);
    if (dropped) (*dropped)[receiver] += n;
    total += n;
  }
  return total;
}

std::expected<int64_t, Error> AlertStore::SaveRound(
    const std::vector<AlertRecord>& records, const std::vector<OutboxItem>& enqueue,
    std::map<std::string, int64_t>* dropped_by_receiver) {
  std::map<std::string, int64_t> dropped;
  auto tx = sqlite::Transaction::Begin(impl_->db.get(), "save round");
  if (!tx) return impl_->Fail(tx.error());
  if (auto ok = impl_->InsertAlerts(records); !ok)
    return impl_->Fail(ok.error().context("save round"));
  if (auto ok = impl_->InsertItems(enqueue); !ok)
    return impl_->Fail(ok.error().context("save round"));
  auto total = impl_->ApplyLimits(&dropped);
  if (!total) return impl_->Fail(total.error().context("save round"));
  if (auto ok = tx->Commit(); !ok) return impl_->Fail(ok.error());
  // Only once committed: a failed round dropped nothing.
  if (dropped_by_receiver)
    for (const auto& [receiver, n] : dropped) (*dropped_by_receiver)[receiver] += n;
  return total;
}

std::expected<std::vector<OutboxItem>, Error> AlertStore::DueItems(std::string_view receiver,
                                                                   WallTime now, int limit) {
  auto st = impl_->Prepare(fmt::format("SELECT {} FROM outbox WHERE receiver = ?1 AND "
                                       "next_attempt_at <= ?2 ORDER BY id LIMIT ?3",
                                       kItemColumns),
                           fmt::format("read due items of {}", receiver));
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, receiver).Bind(2, ToMillis(now)).Bind(3, int64_t{limit});
  auto items = ReadAll<OutboxItem>(*st, ReadItem);
  if (!items) return impl_->Fail(items.error());
  return items;
}

std::expected<std::optional<OutboxItem>, Error> AlertStore::OldestItem(std::string_view receiver) {
  auto st = impl_->Prepare(
      fmt::format("SELECT {} FROM outbox WHERE receiver = ?1 ORDER BY id LIMIT 1", kItemColumns),
      fmt::format("read the oldest item of {}", receiver));
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, receiver);
  auto items = ReadAll<OutboxItem>(*st, ReadItem);
  if (!items) return impl_->Fail(items.error());
  if (items->empty()) return std::nullopt;
  return std::move(items->front());
}

std::expected<std::optional<WallTime>, Error> AlertStore::NextAttempt(std::string_view receiver) {
  auto st = impl_->Prepare("SELECT MIN(next_attempt_at) FROM outbox WHERE receiver = ?1",
                           fmt::format("read the next attempt of {}", receiver));
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, receiver);
  auto row = st->Step();
  if (!row) return impl_->Fail(row.error());
  return FromMillis(st->OptionalInt(0));  // MIN() of no rows is NULL
}

std::expected<void, Error> AlertStore::MarkDelivered(int64_t id) {
  auto st = impl_->Prepare("DELETE FROM outbox WHERE id = ?1",
                           fmt::format("remove delivered item {}", id));
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, id);
  if (auto ok = st->Run(); !ok) return impl_->Fail(ok.error());
  return {};
}

std::expected<void, Error> AlertStore::MarkFailed(int64_t id, WallTime next_attempt,
                                                  const std::string& error) {
  auto st = impl_->Prepare(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 "
      "WHERE id = ?1",
      fmt::format("record the failed attempt of item {}", id));
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, id).Bind(2, ToMillis(next_attempt)).Bind(3, error);
  if (auto ok = st->Run(); !ok) return impl_->Fail(ok.error());
  return {};
}

std::expected<std::map<std::string, int64_t>, Error> AlertStore::OutboxLengths() {
  auto st =
      impl_->Prepare("SELECT receiver, COUNT(*) FROM outbox GROUP BY receiver", "count the outbox");
  if (!st) return impl_->Fail(st.error());
  std::map<std::string, int64_t> lengths;
  for (;;) {
    auto row = st->Step();
    if (!row) return impl_->Fail(row.error());
    if (!*row) return lengths;
    lengths[st->Text(0)] = st->Int(1);
  }
}

std::expected<int64_t, Error> AlertStore::AddSilence(const Silence& s) {
  if (s.device.empty()) return impl_->Fail(Error("add silence: no device"));
  if (s.ends <= s.starts)
    return impl_->Fail(
        Error(fmt::format("add silence for {}: it ends before it starts", s.device)));
  auto st = impl_->Prepare(
      "INSERT INTO silences (device, link, starts, ends, comment, author) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
      fmt::format("add silence for {}", s.device));
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, s.device)
      .Bind(2, s.link)
      .Bind(3, ToMillis(s.starts))
      .Bind(4, ToMillis(s.ends))
      .Bind(5, s.comment)
      .Bind(6, s.author);
  auto row = st->Step();
  if (!row) return impl_->Fail(row.error());
  const int64_t id = st->Int(0);
  if (auto ok = st->Run(); !ok) return impl_->Fail(ok.error());
  return id;
}

std::expected<bool, Error> AlertStore::RemoveSilence(int64_t id) {
  auto st =
      impl_->Prepare("DELETE FROM silences WHERE id = ?1", fmt::format("remove silence {}", id));
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, id);
  if (auto ok = st->Run(); !ok) return impl_->Fail(ok.error());
  return sqlite::Changes(impl_->db.get()) > 0;
}

std::expected<std::vector<Silence>, Error> AlertStore::Silences(WallTime now, bool include_ended) {
  const int64_t t = ToMillis(now);
  auto st = impl_->Prepare(
      fmt::format("SELECT id, device, link, starts, ends, comment, author FROM silences "
                  "WHERE {} ORDER BY starts, id",
                  include_ended ? "ends > ?1" : "starts <= ?1 AND ends > ?1"),
      "list silences");
  if (!st) return impl_->Fail(st.error());
  st->Bind(1, include_ended ? t - kDayMs : t);
  auto silences = ReadAll<Silence>(
      *st, [](const Statement& s) -> std::expected<Silence, Error> { return ReadSilence(s); });
  if (!silences) return impl_->Fail(silences.error());
  return silences;
}

}  // namespace lanwatch
