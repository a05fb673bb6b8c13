// Database: one account's SQLite file (sqlite3 C API) behind RAII handles. Opening sets WAL,
// foreign keys, secure_delete and a busy timeout and proves the file is a database; statements
// bind and read typed values; Transaction is BEGIN IMMEDIATE at the outside and a SAVEPOINT
// when nested. Confined to the engine thread (the connection is opened without mutexes).
//
// Errors: Errc::Io when the file system refuses (cannot open or create the file, read-only,
// disk full, I/O error); Errc::Storage for everything else SQLite reports (not a database,
// corruption, constraint, busy). Details name the operation and SQLite's message, never bound
// values: callers bind every value, so no secret ever appears in SQL text.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace chorus::core::store {

class Database;

enum class ColumnType { Integer, Real, Text, Blob, Null };

// A prepared statement. Parameters are 1-based (as ?1 in SQL); result columns are 0-based.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  [[nodiscard]] Status bindInt(int index, std::int64_t value);
  [[nodiscard]] Status bindReal(int index, double value);
  [[nodiscard]] Status bindText(int index, std::string_view value);
  [[nodiscard]] Status bindBlob(int index, BytesView value);
  [[nodiscard]] Status bindNull(int index);

  // Advances: true when a row is ready to read, false when the statement is done.
  [[nodiscard]] Result<bool> step();
  // Steps a statement that returns no rows (INSERT, UPDATE ...) to completion.
  [[nodiscard]] Status run();
  // Makes the statement runnable again and clears its bindings.
  void reset() noexcept;

  [[nodiscard]] int columnCount() const noexcept;
  [[nodiscard]] ColumnType columnType(int column) const noexcept;
  [[nodiscard]] bool isNull(int column) const noexcept {
    return columnType(column) == ColumnType::Null;
  }
  [[nodiscard]] std::int64_t columnInt(int column) const noexcept;
  [[nodiscard]] double columnReal(int column) const noexcept;
  [[nodiscard]] std::string columnText(int column) const;
  [[nodiscard]] Bytes columnBlob(int column) const;
  // For blobs that may hold key material: copied straight into wiped memory.
  [[nodiscard]] SecretBytes columnSecretBlob(int column) const;

 private:
  friend class Database;
  Statement(Database& db, sqlite3_stmt* stmt, const std::string* cacheKey) noexcept
      : db_(&db), stmt_(stmt), cacheKey_(cacheKey) {}
  [[nodiscard]] Status checkBind(int rc, int index);
  void release() noexcept;  // back to the database's cache, or finalized

  Database* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  const std::string* cacheKey_ = nullptr;  // the SQL it is cached under (nullptr: not cached)
};

// A transaction or, when another is open on the same database, a savepoint inside it. Ends in
// commit() or rollback(); a Transaction destroyed before either rolls back. Nested ones must
// end before their parent (last in, first out).
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  [[nodiscard]] Status commit();
  [[nodiscard]] Status rollback();
  [[nodiscard]] bool isActive() const noexcept { return db_ != nullptr; }

 private:
  friend class Database;
  Transaction(Database& db, int level) noexcept : db_(&db), level_(level) {}
  [[nodiscard]] Status finish(bool commit);

  Database* db_ = nullptr;
  int level_ = 0;  // 1 = the outer transaction, 2+ = savepoints
};

class Database {
 public:
  struct Options {
    std::chrono::milliseconds busyTimeout{5000};
  };

  // Opens or creates `file`. Its folder must exist: Database creates no folders.
  [[nodiscard]] static Result<std::unique_ptr<Database>> open(const std::filesystem::path& file,
                                                              const Options& options);
  [[nodiscard]] static Result<std::unique_ptr<Database>> open(const std::filesystem::path& file) {
    return open(file, Options{});
  }
  // A private in-memory database (tests, scratch work).
  [[nodiscard]] static Result<std::unique_ptr<Database>> openInMemory();

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs SQL without parameters, possibly several statements (schema, pragmas).
  [[nodiscard]] Status exec(std::string_view sql);
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  [[nodiscard]] Result<Transaction> begin();

  [[nodiscard]] Result<int> userVersion();
  [[nodiscard]] Status setUserVersion(int version);

  [[nodiscard]] std::int64_t lastInsertRowId() const noexcept;
  [[nodiscard]] std::int64_t changes() const noexcept;
  [[nodiscard]] int transactionDepth() const noexcept { return depth_; }

  // An error for SQLite result code `rc` while doing `what` (used by Statement/Transaction too).
  [[nodiscard]] Error error(int rc, std::string_view what) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept;
  };
  explicit Database(sqlite3* db) noexcept : db_(db) {}
  [[nodiscard]] static Result<std::unique_ptr<Database>> openWith(const std::string& name,
                                                                  int flags, const Options& options,
                                                                  bool wal);
  friend class Transaction;
  friend class Statement;
  // A finished statement of cached SQL comes back here, reset and unbound.
  void recycle(const std::string& sql, sqlite3_stmt* stmt) noexcept;

  // Declared before the statement cache: destroyed after it, so every cached statement is
  // finalized before the connection closes.
  std::unique_ptr<sqlite3, Closer> db_;
  // Prepared statements by SQL text, ready for reuse: compiling SQL is a third of the cost of
  // storing a received message otherwise. Several of one text when nested uses overlap.
  struct StatementCache {
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle;
    ~StatementCache();
  } cache_;
  int depth_ = 0;
};

}  // namespace chorus::core::store
