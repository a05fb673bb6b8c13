#include "app/sim/sim_sqlite.h"

#include <sqlite3.h>

namespace chorus::sim {

SqlStatement::SqlStatement(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
}

SqlStatement::~SqlStatement() {
  sqlite3_finalize(stmt_);
}

void SqlStatement::bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void SqlStatement::bind(int i, core::BytesView blob) {
  sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
}

void SqlStatement::bind(int i, std::int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
}

int SqlStatement::step() {
  last_ = stmt_ ? sqlite3_step(stmt_) : SQLITE_MISUSE;
  return last_;
}

bool SqlStatement::stepRow() {
  return step() == SQLITE_ROW;
}

bool SqlStatement::finished() const noexcept {
  return last_ == SQLITE_DONE;
}

std::string SqlStatement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

core::Bytes SqlStatement::blob(int col) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
  return p ? core::Bytes(p, p + sqlite3_column_bytes(stmt_, col)) : core::Bytes();
}

std::int64_t SqlStatement::integer(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

core::Unexpected<core::Error> SqlStatement::error(const char* what) const {
  return core::fail(core::Errc::Storage, std::string(what) + ": " + sqlite3_errmsg(db_));
}

core::Status SqlStatement::run(const char* what) {
  if (!ok() || step() != SQLITE_DONE) return error(what);
  return core::ok();
}

void SqlStatement::reset() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  last_ = 0;
}

core::Status sqlExec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message ? message : "unknown error";
    sqlite3_free(message);
    return core::fail(core::Errc::Storage, "sim.db: " + detail);
  }
  return core::ok();
}

}  // namespace chorus::sim
