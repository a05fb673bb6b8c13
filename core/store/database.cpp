#include "core/store/database.h"

#include <climits>
#include <string>

#include <sqlite3.h>

namespace chorus::core::store {

namespace {

constexpr std::size_t kMaxCachedSql = 256;  // distinct statements kept prepared
constexpr std::size_t kMaxIdlePerSql = 4;   // copies of one, for nested uses

// Result codes that mean the file system said no rather than SQLite's own logic.
bool isIoFailure(int rc) noexcept {
  switch (rc & 0xFF) {
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_READONLY: return true;
    default: return false;
  }
}

int sqlLength(std::string_view sql) noexcept {
  return sql.size() > static_cast<std::size_t>(INT_MAX) ? -1 : static_cast<int>(sql.size());
}

}  // namespace

// ---- Database ---------------------------------------------------------------------------

void Database::Closer::operator()(sqlite3* db) const noexcept {
  // Statements and transactions are RAII too, so none is left open here; v2 defers the close
  // rather than failing if one were.
  sqlite3_close_v2(db);
}

Error Database::error(int rc, std::string_view what) const {
  std::string detail(what);
  detail += ": ";
  // sqlite3_errmsg describes the last failure on this connection (never bound values);
  // sqlite3_errstr is the generic text of the code when there is no connection to ask.
  const char* message = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  detail += message ? message : "unknown SQLite error";
  detail += " (sqlite " + std::to_string(rc) + ")";
  return Error{isIoFailure(rc) ? Errc::Io : Errc::Storage, std::move(detail)};
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& file,
                                                 const Options& options) {
  if (file.empty()) return fail(Errc::InvalidArgument, "database path is empty");
  std::error_code ec;
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder, ec)) {
    return fail(Errc::Io, "cannot open database " + file.string() + ": folder does not exist");
  }
  return openWith(file.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options, true);
}

Result<std::unique_ptr<Database>> Database::openInMemory() {
  return openWith(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY,
                  Options{}, false);
}

Result<std::unique_ptr<Database>> Database::openWith(const std::string& name, int flags,
                                                     const Options& options, bool wal) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw,
                                 flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nullptr);
  std::unique_ptr<Database> db(new Database(raw));  // owns `raw` even when open failed
  const std::string label = "database " + name;
  if (rc != SQLITE_OK) {
    Error e = raw ? db->error(rc, "cannot open " + label)
                  : Error{Errc::Storage, "cannot open " + label + ": out of memory"};
    return Unexpected<Error>(std::move(e));
  }
  const auto timeoutMs = options.busyTimeout.count();
  sqlite3_busy_timeout(raw, timeoutMs > INT_MAX ? INT_MAX : static_cast<int>(timeoutMs));

  // The first read of the file: garbage or a truncated header fails here, not at some later
  // query. (SQLITE_NOTADB: "file is not a database".)
  if (auto probe = db->exec("SELECT count(*) FROM sqlite_master"); !probe) {
    return fail(probe.error().code, "cannot read " + label + ": " + probe.error().detail);
  }
  if (wal) {
    CHORUS_TRY(mode, db->prepare("PRAGMA journal_mode=WAL"));
    CHORUS_TRY(hasRow, mode.step());
    if (!hasRow || mode.columnText(0) != "wal") {
      return fail(Errc::Storage, "cannot switch " + label + " to WAL journaling");
    }
  }
  // Deleted rows (old key material) are overwritten, not left in free pages.
  CHORUS_CHECK(
      db->exec("PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; "
               "PRAGMA synchronous=NORMAL"));
  return db;
}

Database::~Database() = default;

Status Database::exec(std::string_view sql) {
  // Statement by statement, so that rows returned along the way (pragmas) are simply drained.
  if (sqlLength(sql) < 0) return fail(Errc::InvalidArgument, "SQL text too long");
  const char* cursor = sql.data();
  const char* end = sql.data() + sql.size();
  while (cursor < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v2(db_.get(), cursor, static_cast<int>(end - cursor), &raw, &tail);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(raw);
      return Unexpected<Error>(error(rc, "SQL failed to prepare"));
    }
    cursor = tail ? tail : end;
    if (!raw) continue;  // whitespace or a comment
    Statement statement(*this, raw, nullptr);  // schema and pragmas: not cached
    for (;;) {
      CHORUS_TRY(more, statement.step());
      if (!more) break;
    }
  }
  return ok();
}

Result<Statement> Database::prepare(std::string_view sql) {
  const int length = sqlLength(sql);
  if (length < 0) return fail(Errc::InvalidArgument, "SQL text too long");
  auto cached = cache_.idle.find(std::string(sql));
  if (cached != cache_.idle.end() && !cached->second.empty()) {
    sqlite3_stmt* reused = cached->second.back();
    cached->second.pop_back();
    return Statement(*this, reused, &cached->first);
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_.get(), sql.data(), length, SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return Unexpected<Error>(error(rc, "SQL failed to prepare"));
  }
  if (!raw) return fail(Errc::InvalidArgument, "SQL text holds no statement");
  const std::string* key = nullptr;
  if (cached != cache_.idle.end()) {
    key = &cached->first;
  } else if (cache_.idle.size() < kMaxCachedSql) {
    key = &cache_.idle.emplace(std::string(sql), std::vector<sqlite3_stmt*>{}).first->first;
  }
  Statement statement(*this, raw, key);
  // One statement per Statement: trailing text would silently never run.
  for (const char* p = tail; p && p < sql.data() + sql.size(); ++p) {
    if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') {
      return fail(Errc::InvalidArgument, "prepare() takes one SQL statement; use exec() for more");
    }
  }
  return statement;
}

Result<Transaction> Database::begin() {
  const int level = depth_ + 1;
  // IMMEDIATE takes the write lock now, so a transaction never fails half-way on upgrading it.
  CHORUS_CHECK(exec(level == 1 ? std::string("BEGIN IMMEDIATE")
                               : "SAVEPOINT chorus_sp" + std::to_string(level)));
  depth_ = level;
  return Transaction(*this, level);
}

Result<int> Database::userVersion() {
  CHORUS_TRY(statement, prepare("PRAGMA user_version"));
  CHORUS_TRY(hasRow, statement.step());
  if (!hasRow) return fail(Errc::Storage, "PRAGMA user_version returned no row");
  const std::int64_t version = statement.columnInt(0);
  if (version < 0 || version > INT_MAX) return fail(Errc::Storage, "user_version out of range");
  return static_cast<int>(version);
}

Status Database::setUserVersion(int version) {
  if (version < 0) return fail(Errc::InvalidArgument, "user_version must not be negative");
  // Pragmas take no parameters; an int is safe to format.
  return exec("PRAGMA user_version=" + std::to_string(version));
}

std::int64_t Database::lastInsertRowId() const noexcept {
  return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t Database::changes() const noexcept {
  return sqlite3_changes64(db_.get());
}

// ---- Statement --------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      cacheKey_(std::exchange(other.cacheKey_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    cacheKey_ = std::exchange(other.cacheKey_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  release();
}

void Statement::release() noexcept {
  if (stmt_ == nullptr) return;
  if (cacheKey_ != nullptr && db_ != nullptr) {
    db_->recycle(*cacheKey_, stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
}

void Database::recycle(const std::string& sql, sqlite3_stmt* stmt) noexcept {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto it = cache_.idle.find(sql);
  if (it == cache_.idle.end() || it->second.size() >= kMaxIdlePerSql) {
    sqlite3_finalize(stmt);
    return;
  }
  it->second.push_back(stmt);
}

Database::StatementCache::~StatementCache() {
  for (auto& [sql, statements] : idle) {
    (void)sql;
    for (sqlite3_stmt* stmt : statements) sqlite3_finalize(stmt);
  }
}

Status Statement::checkBind(int rc, int index) {
  if (rc == SQLITE_OK) return ok();
  if (rc == SQLITE_RANGE) {
    return fail(Errc::InvalidArgument, "SQL parameter " + std::to_string(index) + " out of range");
  }
  return Unexpected<Error>(db_->error(rc, "cannot bind SQL parameter " + std::to_string(index)));
}

Status Statement::bindInt(int index, std::int64_t value) {
  return checkBind(sqlite3_bind_int64(stmt_, index, value), index);
}

Status Statement::bindReal(int index, double value) {
  return checkBind(sqlite3_bind_double(stmt_, index, value), index);
}

Status Statement::bindText(int index, std::string_view value) {
  return checkBind(sqlite3_bind_text64(stmt_, index, value.empty() ? "" : value.data(),
                                       value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
                   index);
}

Status Statement::bindBlob(int index, BytesView value) {
  // A non-null pointer even for an empty value: a null one would bind SQL NULL.
  static const std::uint8_t kEmpty = 0;
  return checkBind(sqlite3_bind_blob64(stmt_, index, value.empty() ? &kEmpty : value.data(),
                                       value.size(), SQLITE_TRANSIENT),
                   index);
}

Status Statement::bindNull(int index) {
  return checkBind(sqlite3_bind_null(stmt_, index), index);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_);
    return false;
  }
  Error e = db_->error(rc, "SQL statement failed");
  sqlite3_reset(stmt_);
  return Unexpected<Error>(std::move(e));
}

Status Statement::run() {
  CHORUS_TRY(hasRow, step());
  if (hasRow) {
    sqlite3_reset(stmt_);
    return fail(Errc::Internal, "run() on a statement that returns rows");
  }
  return ok();
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::columnCount() const noexcept {
  return sqlite3_column_count(stmt_);
}

ColumnType Statement::columnType(int column) const noexcept {
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER: return ColumnType::Integer;
    case SQLITE_FLOAT: return ColumnType::Real;
    case SQLITE_TEXT: return ColumnType::Text;
    case SQLITE_BLOB: return ColumnType::Blob;
    default: return ColumnType::Null;
  }
}

std::int64_t Statement::columnInt(int column) const noexcept {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::columnReal(int column) const noexcept {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::columnText(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (!text || size <= 0) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

Bytes Statement::columnBlob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (!data || size <= 0) return {};
  return {data, data + size};
}

SecretBytes Statement::columnSecretBlob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (!data || size <= 0) return {};
  return SecretBytes(BytesView(data, static_cast<std::size_t>(size)));
}

// ---- Transaction ------------------------------------------------------------------------

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), level_(other.level_) {}

Transaction::~Transaction() {
  if (db_) (void)finish(false);  // nothing to report to from a destructor; SQLite stays consistent
}

Status Transaction::commit() {
  return finish(true);
}

Status Transaction::rollback() {
  return finish(false);
}

Status Transaction::finish(bool commit) {
  if (!db_) return fail(Errc::Internal, "transaction already ended");
  if (db_->depth_ != level_) {
    return fail(Errc::Internal, "transaction ended while a nested one is still open");
  }
  Database& db = *db_;
  db_ = nullptr;
  db.depth_ = level_ - 1;
  // SQLite rolls a transaction back by itself after some errors (disk full, I/O); then there
  // is nothing left to end, and a commit must report that its work is gone.
  if (sqlite3_get_autocommit(db.db_.get()) != 0) {
    if (commit) return fail(Errc::Storage, "transaction was rolled back by SQLite after an error");
    return ok();
  }
  if (level_ == 1) {
    auto status = db.exec(commit ? "COMMIT" : "ROLLBACK");
    if (!status && commit) (void)db.exec("ROLLBACK");  // a failed COMMIT leaves it open
    return status;
  }
  const std::string name = "chorus_sp" + std::to_string(level_);
  if (commit) return db.exec("RELEASE " + name);
  return db.exec("ROLLBACK TO " + name + "; RELEASE " + name);
}

}  // namespace chorus::core::store
