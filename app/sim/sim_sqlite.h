// A thin RAII wrapper over one prepared sqlite3 statement, shared by the simulator's stores
// (SimRegistry, SimPreKeyStore, SimQueue). Errors become Errc::Storage with SQLite's message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/bytes.h"
#include "core/util/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace chorus::sim {

class SqlStatement {
 public:
  SqlStatement(sqlite3* db, const char* sql);
  ~SqlStatement();
  SqlStatement(const SqlStatement&) = delete;
  SqlStatement& operator=(const SqlStatement&) = delete;

  [[nodiscard]] bool ok() const noexcept { return stmt_ != nullptr; }
  void bind(int i, std::string_view text);
  void bind(int i, core::BytesView blob);
  void bind(int i, std::int64_t value);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  [[nodiscard]] bool stepRow();  // true while a row is available
  // After the stepRow() loop: false when it stopped on an error instead of SQLITE_DONE.
  [[nodiscard]] bool finished() const noexcept;
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] core::Bytes blob(int col) const;
  [[nodiscard]] std::int64_t integer(int col) const;
  [[nodiscard]] core::Unexpected<core::Error> error(const char* what) const;
  // Prepared, then stepped once to SQLITE_DONE; Errc::Storage otherwise.
  [[nodiscard]] core::Status run(const char* what);
  // Makes a kept statement ready for its next use (sqlite3_reset, bindings cleared).
  void reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int last_ = 0;
};

// Runs one or more SQL statements without results.
[[nodiscard]] core::Status sqlExec(sqlite3* db, const char* sql);

}  // namespace chorus::sim
