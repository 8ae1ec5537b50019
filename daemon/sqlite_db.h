// SQLite, wrapped for lanwatch's stores: an owned connection, prepared statements that finalize
// themselves and a write transaction that rolls back unless committed. Every failure is an
// Error that says what was being done and what SQLite answered (sqlite3_errmsg). sqlite3.h
// stays in sqlite_db.cc; this header only names the handle types. Internal to daemon/: the
// alert store and the fiber baselines (daemon/fiber_baseline_store.cc).
// Like a connection, each object is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lanwatch::sqlite {

struct DbCloser {
  void operator()(sqlite3* db) const noexcept;
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

// Opens `path` for reading and writing, creating it if missing. Refuses a file it could only
// read (SQLite would silently open it read-only and fail at the first write).
std::expected<DbHandle, Error> Open(const std::string& path);

// Sets journal_mode=WAL and returns the mode the file is in after it ("wal", or e.g.
// "delete" on a file system without shared memory). Switching takes an exclusive lock, for
// which SQLite does not wait when another connection is opening the same new file at the
// same moment: this tries again for up to `patience`.
std::expected<std::string, Error> SetWalMode(sqlite3* db, std::chrono::milliseconds patience);

// busy_timeout, then journal_mode=WAL (as SetWalMode); where the file system cannot have
// WAL, says so in the log, naming `store`, and goes on.
std::expected<void, Error> SetBusyTimeoutAndWal(sqlite3* db, std::chrono::milliseconds busy,
                                                std::string_view store);

// Runs statements that return no rows (several, separated by `;`).
std::expected<void, Error> Exec(sqlite3* db, const std::string& sql, std::string_view what);

// Rows the last INSERT, UPDATE or DELETE on `db` changed.
int64_t Changes(sqlite3* db);

// One prepared statement. Bind() records a failure and Step() reports it, so that binding
// reads as a list; indexes start at 1, columns at 0, as in SQLite.
class Statement {
 public:
  static std::expected<Statement, Error> Prepare(sqlite3* db, std::string_view sql,
                                                 std::string_view what);

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::optional<int64_t> value);  // nullopt: NULL
  Statement& Bind(int index, std::optional<double> value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);

  // true: a row is ready to read; false: done.
  std::expected<bool, Error> Step();
  // Steps to the end of a statement that returns no rows.
  std::expected<void, Error> Run();
  // Ready to bind and step again (a loop of inserts).
  void Reset();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::optional<double> OptionalDouble(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const noexcept;
  };
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string_view what);
  void NoteBind(int rc, int index);

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  std::string what_;
  std::optional<Error> bind_error_;
};

// BEGIN IMMEDIATE: takes the write lock at once (waiting up to the busy timeout), so the
// transaction cannot fail half way for a lock another connection holds. Rolls back on
// destruction unless Commit() succeeded.
class Transaction {
 public:
  static std::expected<Transaction, Error> Begin(sqlite3* db, std::string_view what);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  std::expected<void, Error> Commit();

 private:
  Transaction(sqlite3* db, std::string_view what) : db_(db), what_(what) {}
  sqlite3* db_;  // null once committed or moved from
  std::string what_;
};

// The first column of the first row of `sql` as an integer (a PRAGMA, a COUNT).
std::expected<int64_t, Error> QueryInt(sqlite3* db, const char* sql, std::string_view what);

// One step of a schema: applying `sql` to version `version - 1` makes version `version`.
struct Migration {
  int version;
  const char* sql;
};

// Brings the file's PRAGMA user_version up to the last of `migrations` (versions 1, 2, ... N)
// in one transaction, re-reading it under the write lock (another connection may have
// migrated meanwhile); refuses a file from a newer lanwatch.
std::expected<void, Error> Migrate(sqlite3* db, std::span<const Migration> migrations);

}  // namespace lanwatch::sqlite
