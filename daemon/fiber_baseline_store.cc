// clang-format off
// The fiber baselines, DIR/fiber.db (SQLite 3, WAL). Schema version 1 (PRAGMA user_version).
// Apart from lanwatch.db so that baselines (days of history, cheap to lose) and alert state
// (must survive kill -9) neither lock nor migrate each other.
//
// modules: the module a link's samples belong to; a row is replaced when the module changes.
//   link                TEXT    a LinkConfig::name; the primary key
//   serial, vendor      TEXT    the module's identity as the device reported it ('' unknown)
// samples: Rx readings a baseline is the median of; at most one an hour (over 7 days).
//   link                TEXT    a LinkConfig::name
//   at                  INTEGER unix seconds (UTC) the optics were read
//   rx_dbm              REAL    the weakest lane's Rx, dBm
//
// For example:
//   sqlite3 /var/lib/lanwatch/fiber.db "SELECT link, count(*), min(rx_dbm), max(rx_dbm),
//     datetime(min(at),'unixepoch','localtime') FROM samples GROUP BY link"
// To make lanwatch learn a link afresh (a fiber re-routed on purpose), stop lanwatchd, then
//   sqlite3 /var/lib/lanwatch/fiber.db "DELETE FROM samples WHERE link='uplink'"
// clang-format on
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>

#include "daemon/fiber_health.h"
#include "daemon/sqlite_db.h"

namespace lanwatch {
namespace {

using sqlite::Statement;
using Module = FiberBaselineStore::Module;
using Sample = FiberBaselineStore::Sample;

// As in alert_store.cc: a schema change is a new step at the end, never an edit of one that
// has shipped; the steps run in one transaction with the user_version update.
constexpr sqlite::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE modules (
  link   TEXT NOT NULL PRIMARY KEY,
  serial TEXT NOT NULL DEFAULT '',
  vendor TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE samples (
  link   TEXT    NOT NULL,
  at     INTEGER NOT NULL,
  rx_dbm REAL    NOT NULL
);
CREATE INDEX samples_by_link ON samples (link, at);
)sql"},
};
constexpr int kSchemaVersion = std::size(kMigrations);
static_assert(kMigrations[kSchemaVersion - 1].version == kSchemaVersion, "steps 1, 2, ... N");

constexpr int kBusyTimeoutMs = 5000;

int64_t ToUnixSeconds(WallClockTime t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::expected<void, Error> SetUp(sqlite3* db) {
  if (auto ok = sqlite::SetBusyTimeoutAndWal(db, std::chrono::milliseconds(kBusyTimeoutMs),
                                             "fiber baselines");
      !ok)
    return ok;
  // NORMAL, not FULL: in WAL mode a power cut can lose the last samples, never the file, and
  // an hour's sample is not worth an fsync.
  return sqlite::Exec(db, "PRAGMA synchronous = NORMAL", "set synchronous");
}

class SqliteFiberBaselineStore final : public FiberBaselineStore {
 public:
  SqliteFiberBaselineStore(std::string path, sqlite::DbHandle db)
      : path_(std::move(path)), db_(std::move(db)) {}

  std::expected<std::pair<Module, std::vector<Sample>>, Error> Load(
      const std::string& link) override {
    const std::string what = fmt::format("load the baseline of {}", link);
    std::pair<Module, std::vector<Sample>> out;
    auto module =
        Statement::Prepare(db_.get(), "SELECT serial, vendor FROM modules WHERE link = ?1", what);
    if (!module) return Fail(module.error());
    module->Bind(1, link);
    auto row = module->Step();
    if (!row) return Fail(row.error());
    if (*row) out.first = {module->Text(0), module->Text(1)};
    auto samples = Statement::Prepare(
        db_.get(), "SELECT at, rx_dbm FROM samples WHERE link = ?1 ORDER BY at, rowid", what);
    if (!samples) return Fail(samples.error());
    samples->Bind(1, link);
    for (;;) {
      row = samples->Step();
      if (!row) return Fail(row.error());
      if (!*row) break;
      auto rx = samples->OptionalDouble(1);
      if (!rx) continue;  // NOT NULL; a hand-edited file may say otherwise
      out.second.push_back({WallClockTime(std::chrono::seconds(samples->Int(0))), *rx});
    }
    return out;
  }

  std::expected<void, Error> Reset(const std::string& link, const Module& module) override {
    const std::string what = fmt::format("start the baseline of {} over", link);
    auto tx = sqlite::Transaction::Begin(db_.get(), what);
    if (!tx) return Fail(tx.error());
    if (auto ok = Run("DELETE FROM samples WHERE link = ?1", what, link); !ok) return ok;
    auto st = Statement::Prepare(
        db_.get(), "INSERT OR REPLACE INTO modules (link, serial, vendor) VALUES (?1, ?2, ?3)",
        what);
    if (!st) return Fail(st.error());
    if (auto ok = st->Bind(1, link).Bind(2, module.serial).Bind(3, module.vendor).Run(); !ok)
      return Fail(ok.error());
    if (auto ok = tx->Commit(); !ok) return Fail(ok.error());
    return {};
  }

  std::expected<void, Error> Add(const std::string& link, const Sample& sample) override {
    const std::string what = fmt::format("add a sample of {}", link);
    auto st = Statement::Prepare(
        db_.get(), "INSERT INTO samples (link, at, rx_dbm) VALUES (?1, ?2, ?3)", what);
    if (!st) return Fail(st.error());
    if (auto ok = st->Bind(1, link).Bind(2, ToUnixSeconds(sample.at)).Bind(3, sample.rx_dbm).Run();
        !ok)
      return Fail(ok.error());
    return {};
  }

  std::expected<void, Error> Trim(const std::string& link, WallClockTime before) override {
    const std::string what = fmt::format("trim the samples of {}", link);
    auto st =
        Statement::Prepare(db_.get(), "DELETE FROM samples WHERE link = ?1 AND at < ?2", what);
    if (!st) return Fail(st.error());
    // Rounded up: a sample stored as second S was read in [S, S+1), older than `before` when
    // S < before.
    const int64_t cutoff =
        std::chrono::ceil<std::chrono::seconds>(before.time_since_epoch()).count();
    if (auto ok = st->Bind(1, link).Bind(2, cutoff).Run(); !ok) return Fail(ok.error());
    return {};
  }

  std::expected<void, Error> Forget(const std::string& link) override {
    const std::string what = fmt::format("forget the baseline of {}", link);
    auto tx = sqlite::Transaction::Begin(db_.get(), what);
    if (!tx) return Fail(tx.error());
    if (auto ok = Run("DELETE FROM samples WHERE link = ?1", what, link); !ok) return ok;
    if (auto ok = Run("DELETE FROM modules WHERE link = ?1", what, link); !ok) return ok;
    if (auto ok = tx->Commit(); !ok) return Fail(ok.error());
    return {};
  }

 private:
  // Every error the store returns names the file.
  std::unexpected<Error> Fail(const Error& e) const { return std::unexpected(e.context(path_)); }

  std::expected<void, Error> Run(const char* sql, const std::string& what,
                                 const std::string& link) {
    auto st = Statement::Prepare(db_.get(), sql, what);
    if (!st) return Fail(st.error());
    if (auto ok = st->Bind(1, link).Run(); !ok) return Fail(ok.error());
    return {};
  }

  std::string path_;
  sqlite::DbHandle db_;
};

class MemoryFiberBaselineStore final : public FiberBaselineStore {
 public:
  std::expected<std::pair<Module, std::vector<Sample>>, Error> Load(
      const std::string& link) override {
    auto it = links_.find(link);
    if (it == links_.end()) return std::pair<Module, std::vector<Sample>>{};
    return it->second;
  }
  std::expected<void, Error> Reset(const std::string& link, const Module& module) override {
    links_[link] = {module, {}};
    return {};
  }
  std::expected<void, Error> Add(const std::string& link, const Sample& sample) override {
    links_[link].second.push_back(sample);
    return {};
  }
  std::expected<void, Error> Trim(const std::string& link, WallClockTime before) override {
    std::erase_if(links_[link].second, [&](const Sample& s) { return s.at < before; });
    return {};
  }
  std::expected<void, Error> Forget(const std::string& link) override {
    links_.erase(link);
    return {};
  }

 private:
  std::map<std::string, std::pair<Module, std::vector<Sample>>> links_;
};

}  // namespace

std::expected<std::unique_ptr<FiberBaselineStore>, Error> OpenFiberBaselineStore(
    const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "fiber.db").string();
  // The state directory is made by PrepareStateDir and the alert store; SQLite would only say
  // "unable to open database file".
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return std::unexpected(
        Error(std::filesystem::exists(dir, ec)
                  ? fmt::format("open {}: {} is not a directory", path, dir)
                  : fmt::format("open {}: the state directory {} does not exist", path, dir)));
  auto db = sqlite::Open(path);
  if (!db) return std::unexpected(db.error());
  auto fail = [&](const Error& e) { return std::unexpected(e.context(path)); };
  if (auto ok = SetUp(db->get()); !ok) return fail(ok.error());
  if (auto ok = sqlite::Migrate(db->get(), kMigrations); !ok) return fail(ok.error());
  return std::make_unique<SqliteFiberBaselineStore>(path, std::move(*db));
}

std::unique_ptr<FiberBaselineStore> MakeMemoryFiberBaselineStore() {
  return std::make_unique<MemoryFiberBaselineStore>();
}

}  // namespace lanwatch
