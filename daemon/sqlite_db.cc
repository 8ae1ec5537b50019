#include "daemon/sqlite_db.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <thread>
#include <utility>

namespace lanwatch::sqlite {
namespace {

Error SqliteError(sqlite3* db, std::string_view what) {
  return Error(fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
}

// A string_view may point nowhere; SQLite would take a null pointer for NULL.
const char* NonNull(std::string_view s) { return s.data() ? s.data() : ""; }

}  // namespace

void DbCloser::operator()(sqlite3* db) const noexcept {
  // close_v2: any statement still open (there should be none) is finalized with it.
  sqlite3_close_v2(db);
}

std::expected<DbHandle, Error> Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle db(raw);  // owned even when the open failed: SQLite hands out a handle for errmsg
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db.get(), fmt::format("open {}", path)));
  sqlite3_extended_result_codes(db.get(), 1);
  if (sqlite3_db_readonly(db.get(), "main") == 1)
    return std::unexpected(Error(fmt::format("open {}: the file is read-only", path)));
  return db;
}

std::expected<std::string, Error> SetWalMode(sqlite3* db, std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    auto st = Statement::Prepare(db, "PRAGMA journal_mode = WAL", "set journal_mode");
    std::expected<bool, Error> row = st ? st->Step() : std::unexpected(st.error());
    if (row && *row) return st->Text(0);
    if (row) return std::unexpected(Error("set journal_mode: no result"));
    const int rc = sqlite3_errcode(db) & 0xff;
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || std::chrono::steady_clock::now() > deadline)
      return std::unexpected(row.error());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::expected<void, Error> Exec(sqlite3* db, const std::string& sql, std::string_view what) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::unique_ptr<char, decltype(&sqlite3_free)> owned(message, &sqlite3_free);
  if (rc != SQLITE_OK)
    return std::unexpected(
        Error(fmt::format("{}: {}", what, message ? message : sqlite3_errstr(rc))));
  return {};
}

int64_t Changes(sqlite3* db) { return sqlite3_changes64(db); }

void Statement::Finalizer::operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view what)
    : db_(db), stmt_(stmt), what_(what) {}

std::expected<Statement, Error> Statement::Prepare(sqlite3* db, std::string_view sql,
                                                   std::string_view what) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, NonNull(sql), static_cast<int>(sql.size()), &raw, nullptr);
  Statement statement(db, raw, what);
  if (rc != SQLITE_OK) return std::unexpected(SqliteError(db, what));
  return statement;
}

void Statement::NoteBind(int rc, int index) {
  if (rc != SQLITE_OK && !bind_error_)
    bind_error_ = SqliteError(db_, fmt::format("{}: bind parameter {}", what_, index));
}

Statement& Statement::Bind(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_.get(), index, value), index);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  NoteBind(sqlite3_bind_double(stmt_.get(), index, value), index);
  return *this;
}

Statement& Statement::Bind(int index, std::optional<int64_t> value) {
  if (value) return Bind(index, *value);
  NoteBind(sqlite3_bind_null(stmt_.get(), index), index);
  return *this;
}

Statement& Statement::Bind(int index, std::optional<double> value) {
  if (value) return Bind(index, *value);
  NoteBind(sqlite3_bind_null(stmt_.get(), index), index);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  NoteBind(sqlite3_bind_text64(stmt_.get(), index, NonNull(text), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8),
           index);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  // A null pointer would bind NULL, not an empty blob.
  NoteBind(sqlite3_bind_blob64(stmt_.get(), index, NonNull(bytes), bytes.size(), SQLITE_TRANSIENT),
           index);
  return *this;
}

std::expected<bool, Error> Statement::Step() {
  if (bind_error_) return std::unexpected(*bind_error_);
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(SqliteError(db_, what_));
}

std::expected<void, Error> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
  }
}

void Statement::Reset() {
  // reset() repeats the last step's error, which Step() already reported.
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_error_.reset();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<double> Statement::OptionalDouble(int column) const {
  if (IsNull(column)) return std::nullopt;
  return sqlite3_column_double(stmt_.get(), column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  int bytes = sqlite3_column_bytes(stmt_.get(), column);  // after _text(), as SQLite asks
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(bytes));
}

std::string Statement::Blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_.get(), column);
  int bytes = sqlite3_column_bytes(stmt_.get(), column);
  if (!blob) return {};  // an empty blob comes back as a null pointer
  return std::string(static_cast<const char*>(blob), static_cast<size_t>(bytes));
}

std::expected<Transaction, Error> Transaction::Begin(sqlite3* db, std::string_view what) {
  if (auto begun = Exec(db, "BEGIN IMMEDIATE", fmt::format("{}: begin", what)); !begun)
    return std::unexpected(begun.error());
  return Transaction(db, what);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), what_(std::move(other.what_)) {}

Transaction::~Transaction() {
  // A failed statement may have rolled the transaction back already (SQLITE_FULL, IOERR).
  if (db_ && sqlite3_get_autocommit(db_) == 0)
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::expected<void, Error> Transaction::Commit() {
  if (auto done = Exec(db_, "COMMIT", fmt::format("{}: commit", what_)); !done)
    return std::unexpected(done.error());  // still open: the destructor rolls it back
  db_ = nullptr;
  return {};
}

std::expected<int64_t, Error> QueryInt(sqlite3* db, const char* sql, std::string_view what) {
  auto st = Statement::Prepare(db, sql, what);
  if (!st) return std::unexpected(st.error());
  auto row = st->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(Error(fmt::format("{}: no result", what)));
  return st->Int(0);
}

std::expected<void, Error> Migrate(sqlite3* db, std::span<const Migration> migrations) {
  const int latest = static_cast<int>(migrations.size());
  auto version = QueryInt(db, "PRAGMA user_version", "read the schema version");
  if (!version) return std::unexpected(version.error());
  if (*version == latest) return {};
  auto tx = Transaction::Begin(db, "migrate the schema");
  if (!tx) return std::unexpected(tx.error());
  // Again, under the write lock: another connection may have migrated it meanwhile.
  version = QueryInt(db, "PRAGMA user_version", "read the schema version");
  if (!version) return std::unexpected(version.error());
  if (*version > latest)
    return std::unexpected(Error(fmt::format(
        "schema version {} is newer than this lanwatch's ({}): written by a newer lanwatch?",
        *version, latest)));
  for (const Migration& m : migrations) {
    if (m.version <= *version) continue;
    auto what = fmt::format("migrate the schema from version {} to {}", m.version - 1, m.version);
    if (auto ok = Exec(db, m.sql, what); !ok) return ok;
    if (auto ok = Exec(db, fmt::format("PRAGMA user_version = {}", m.version), what); !ok)
      return ok;
  }
  return tx->Commit();
}

std::expected<void, Error> SetBusyTimeoutAndWal(sqlite3* db, std::chrono::milliseconds busy,
                                                std::string_view store) {
  if (auto ok = Exec(db, fmt::format("PRAGMA busy_timeout = {}", busy.count()), "set busy_timeout");
      !ok)
    return ok;
  auto mode = SetWalMode(db, busy);
  if (!mode) return std::unexpected(mode.error());
  if (*mode != "wal")
    spdlog::warn("{}: journal_mode is {}, not wal: readers will wait for writers", store, *mode);
  return {};
}

}  // namespace lanwatch::sqlite
