#include "app/sim/sim_registry.h"

#include <algorithm>
#include <array>

#include <sqlite3.h>

namespace chorus::sim {
namespace {

using core::Bytes;
using core::Errc;
using core::fail;
using core::Result;
using core::Status;

// Migration N brings the schema from user_version N to N+1.
constexpr std::array<const char*, 1> kMigrations{
    R"sql(
    CREATE TABLE accounts(
      phone TEXT PRIMARY KEY,
      lid TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE devices(
      phone TEXT NOT NULL REFERENCES accounts(phone) ON DELETE CASCADE,
      device INTEGER NOT NULL,
      noise_key BLOB NOT NULL,
      identity_key BLOB,
      registration_id INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY(phone, device));
    )sql",
};

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  [[nodiscard]] bool ok() const noexcept { return stmt_ != nullptr; }
  void bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, core::BytesView blob) {
    sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, std::int64_t value) { sqlite3_bind_int64(stmt_, i, value); }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }

  [[nodiscard]] std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  [[nodiscard]] Bytes blob(int col) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    return p ? Bytes(p, p + sqlite3_column_bytes(stmt_, col)) : Bytes();
  }
  [[nodiscard]] std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  [[nodiscard]] core::Unexpected<core::Error> error(const char* what) const {
    return fail(Errc::Storage, std::string(what) + ": " + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

Status runToDone(Statement& st, const char* what) {
  if (!st.ok()) return st.error(what);
  if (st.step() != SQLITE_DONE) return st.error(what);
  return core::ok();
}

}  // namespace

Result<std::unique_ptr<SimRegistry>> SimRegistry::open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<SimRegistry> registry(new SimRegistry(db));  // owns db even when open failed
  if (rc != SQLITE_OK)
    return fail(Errc::Storage, std::string("cannot open sim.db: ") + sqlite3_errstr(rc));
  sqlite3_busy_timeout(db, 2000);
  CHORUS_CHECK(registry->exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"));
  CHORUS_CHECK(registry->migrate());
  CHORUS_CHECK(registry->load());
  return registry;
}

SimRegistry::~SimRegistry() {
  sqlite3_close(db_);
}

Status SimRegistry::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message ? message : "unknown error";
    sqlite3_free(message);
    return fail(Errc::Storage, "sim.db: " + detail);
  }
  return core::ok();
}

Status SimRegistry::migrate() {
  Statement version(db_, "PRAGMA user_version");
  if (!version.ok() || version.step() != SQLITE_ROW) return version.error("reading user_version");
  const std::int64_t current = version.integer(0);
  if (current < 0 || current > static_cast<std::int64_t>(kMigrations.size())) {
    return fail(Errc::Storage, "sim.db has schema version " + std::to_string(current) +
                                   ", newer than this chorus-sim knows");
  }
  for (auto v = static_cast<std::size_t>(current); v < kMigrations.size(); ++v) {
    CHORUS_CHECK(exec("BEGIN IMMEDIATE"));
    const std::string bump = "PRAGMA user_version=" + std::to_string(v + 1);
    auto step = exec(kMigrations[v]);
    if (step) step = exec(bump.c_str());
    if (!step) {
      (void)exec("ROLLBACK");
      return step;
    }
    CHORUS_CHECK(exec("COMMIT"));
  }
  return core::ok();
}

Status SimRegistry::load() {
  Statement accounts(db_, "SELECT phone, lid, created_at FROM accounts");
  if (!accounts.ok()) return accounts.error("loading accounts");
  int rc = 0;
  while ((rc = accounts.step()) == SQLITE_ROW) {
    AccountRecord a{accounts.text(0), accounts.text(1), accounts.integer(2)};
    accounts_.insert_or_assign(a.phone, std::move(a));
  }
  if (rc != SQLITE_DONE) return accounts.error("loading accounts");

  Statement devices(
      db_,
      "SELECT phone, device, noise_key, identity_key, registration_id, created_at FROM devices");
  if (!devices.ok()) return devices.error("loading devices");
  while ((rc = devices.step()) == SQLITE_ROW) {
    const std::int64_t number = devices.integer(1);
    if (number < 0 || number > 0xffff) continue;  // not a device number: ignore the row
    DeviceRecord d{devices.text(0),
                   static_cast<std::uint32_t>(number),
                   devices.blob(2),
                   devices.blob(3),
                   static_cast<std::uint32_t>(devices.integer(4)),
                   devices.integer(5)};
    devices_.insert_or_assign(DeviceKey{d.phone, d.device}, std::move(d));
  }
  if (rc != SQLITE_DONE) return devices.error("loading devices");
  return core::ok();
}

const AccountRecord* SimRegistry::findAccount(std::string_view phone) const {
  const auto it = accounts_.find(phone);
  return it == accounts_.end() ? nullptr : &it->second;
}

const DeviceRecord* SimRegistry::findDevice(std::string_view phone, std::uint32_t device) const {
  const auto it = devices_.find(DeviceKey{std::string(phone), device});
  return it == devices_.end() ? nullptr : &it->second;
}

Status SimRegistry::putAccount(AccountRecord account) {
  Statement st(db_,
               "INSERT INTO accounts(phone, lid, created_at) VALUES(?1, ?2, ?3) "
               "ON CONFLICT(phone) DO UPDATE SET lid = excluded.lid");
  if (!st.ok()) return st.error("saving account");
  st.bind(1, account.phone);
  st.bind(2, account.lid);
  st.bind(3, account.createdAt);
  CHORUS_CHECK(runToDone(st, "saving account"));
  accounts_.insert_or_assign(account.phone, std::move(account));
  return core::ok();
}

Status SimRegistry::putDevice(DeviceRecord device) {
  if (!findAccount(device.phone)) return fail(Errc::NotFound, "no such account");
  Statement st(
      db_,
      "INSERT OR REPLACE INTO devices(phone, device, noise_key, identity_key, registration_id, "
      "created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st.ok()) return st.error("saving device");
  st.bind(1, device.phone);
  st.bind(2, static_cast<std::int64_t>(device.device));
  st.bind(3, device.noiseKey);
  st.bind(4, device.identityKey);
  st.bind(5, static_cast<std::int64_t>(device.registrationId));
  st.bind(6, device.createdAt);
  CHORUS_CHECK(runToDone(st, "saving device"));
  DeviceKey key{device.phone, device.device};
  devices_.insert_or_assign(std::move(key), std::move(device));
  return core::ok();
}

Status SimRegistry::removeDevice(std::string_view phone, std::uint32_t device) {
  Statement st(db_, "DELETE FROM devices WHERE phone = ?1 AND device = ?2");
  if (!st.ok()) return st.error("removing device");
  st.bind(1, phone);
  st.bind(2, static_cast<std::int64_t>(device));
  CHORUS_CHECK(runToDone(st, "removing device"));
  devices_.erase(DeviceKey{std::string(phone), device});
  return core::ok();
}

std::uint64_t SimRegistry::addPending(PendingCompanion companion) {
  const std::uint64_t handle = nextPending_++;
  pending_.emplace(handle, std::move(companion));
  return handle;
}

void SimRegistry::removePending(std::uint64_t handle) {
  pending_.erase(handle);
}

const PendingCompanion* SimRegistry::findPendingByRef(std::string_view ref) const {
  for (const auto& [handle, companion] : pending_) {
    if (std::find(companion.refs.begin(), companion.refs.end(), ref) != companion.refs.end()) {
      return &companion;
    }
  }
  return nullptr;
}

}  // namespace chorus::sim
