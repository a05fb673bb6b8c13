#include "app/sim/sim_registry.h"

#include <array>

#include <sqlite3.h>

#include "app/sim/sim_sqlite.h"

namespace chorus::sim {
namespace {

using core::Errc;
using core::fail;
using core::Result;
using core::Status;

constexpr std::int64_t kMaxDeviceNumber = 0xffff;

// Migration N brings the schema from user_version N to N+1.
constexpr std::array<const char*, 4> kMigrations{
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
    // The simulated phone's keys, ADV key indexes, signed prekeys, one-time prekeys and the
    // per-device delivery queue (stanzas kept until the device acks them).
    R"sql(
    ALTER TABLE accounts ADD COLUMN identity_pub BLOB;
    ALTER TABLE accounts ADD COLUMN identity_priv BLOB;
    ALTER TABLE accounts ADD COLUMN registration_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE accounts ADD COLUMN adv_raw_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE accounts ADD COLUMN next_key_index INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE accounts ADD COLUMN spk_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE accounts ADD COLUMN spk_pub BLOB;
    ALTER TABLE accounts ADD COLUMN spk_sig BLOB;
    ALTER TABLE accounts ADD COLUMN spk_priv BLOB;
    ALTER TABLE devices ADD COLUMN key_index INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE devices ADD COLUMN spk_id INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE devices ADD COLUMN spk_pub BLOB;
    ALTER TABLE devices ADD COLUMN spk_sig BLOB;
    CREATE TABLE prekeys(
      phone TEXT NOT NULL,
      device INTEGER NOT NULL,
      key_id INTEGER NOT NULL,
      pub BLOB NOT NULL,
      PRIMARY KEY(phone, device, key_id),
      FOREIGN KEY(phone, device) REFERENCES devices(phone, device) ON DELETE CASCADE);
    CREATE TABLE queue(
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      phone TEXT NOT NULL,
      device INTEGER NOT NULL,
      class TEXT NOT NULL,
      stanza_id TEXT NOT NULL,
      node BLOB NOT NULL);
    CREATE INDEX queue_by_device ON queue(phone, device, seq);
    )sql",
    // Groups (SimGroups): the group row and its members in joining order.
    R"sql(
    CREATE TABLE groups(
      id TEXT PRIMARY KEY,
      subject TEXT NOT NULL DEFAULT '',
      creator TEXT NOT NULL,
      subject_owner TEXT NOT NULL DEFAULT '',
      creation INTEGER NOT NULL DEFAULT 0,
      subject_time INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE group_members(
      group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
      phone TEXT NOT NULL,
      role INTEGER NOT NULL DEFAULT 0,
      seq INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY(group_id, phone));
    CREATE INDEX group_members_by_phone ON group_members(phone);
    )sql",
    // The simulated phones' Signal state (SimPhoneStore): one-time prekeys (kept once used, so
    // ids are never reused), remembered identities, sessions and sender keys.
    R"sql(
    CREATE TABLE phone_prekeys(
      phone TEXT NOT NULL REFERENCES accounts(phone) ON DELETE CASCADE,
      key_id INTEGER NOT NULL,
      pub BLOB NOT NULL,
      priv BLOB NOT NULL,
      handed_out INTEGER NOT NULL DEFAULT 0,
      used INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY(phone, key_id));
    CREATE TABLE phone_identities(
      phone TEXT NOT NULL REFERENCES accounts(phone) ON DELETE CASCADE,
      address TEXT NOT NULL,
      key BLOB NOT NULL,
      PRIMARY KEY(phone, address));
    CREATE TABLE phone_sessions(
      phone TEXT NOT NULL REFERENCES accounts(phone) ON DELETE CASCADE,
      user TEXT NOT NULL,
      device INTEGER NOT NULL,
      record BLOB NOT NULL,
      PRIMARY KEY(phone, user, device));
    CREATE TABLE phone_sender_keys(
      phone TEXT NOT NULL REFERENCES accounts(phone) ON DELETE CASCADE,
      name TEXT NOT NULL,
      record BLOB NOT NULL,
      PRIMARY KEY(phone, name));
    )sql",
};

std::uint32_t u32(std::int64_t v) {
  return static_cast<std::uint32_t>(v);
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
  // WAL with synchronous=NORMAL: commits survive a crash of chorus-sim without an fsync each
  // (only a power loss can drop the last ones), which the per-stanza queue writes need.
  CHORUS_CHECK(sqlExec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                           "PRAGMA foreign_keys=ON;"));
  CHORUS_CHECK(registry->migrate());
  CHORUS_CHECK(registry->load());
  return registry;
}

SimRegistry::~SimRegistry() {
  sqlite3_close(db_);
}

Status SimRegistry::migrate() {
  SqlStatement version(db_, "PRAGMA user_version");
  if (!version.ok() || !version.stepRow()) return version.error("reading user_version");
  const std::int64_t current = version.integer(0);
  if (current < 0 || current > static_cast<std::int64_t>(kMigrations.size())) {
    return fail(Errc::Storage, "sim.db has schema version " + std::to_string(current) +
                                   ", newer than this chorus-sim knows");
  }
  for (auto v = static_cast<std::size_t>(current); v < kMigrations.size(); ++v) {
    CHORUS_CHECK(sqlExec(db_, "BEGIN IMMEDIATE"));
    const std::string bump = "PRAGMA user_version=" + std::to_string(v + 1);
    auto step = sqlExec(db_, kMigrations[v]);
    if (step) step = sqlExec(db_, bump.c_str());
    if (!step) {
      (void)sqlExec(db_, "ROLLBACK");
      return step;
    }
    CHORUS_CHECK(sqlExec(db_, "COMMIT"));
  }
  return core::ok();
}

Status SimRegistry::load() {
  SqlStatement accounts(db_,
                        "SELECT phone, lid, created_at, identity_pub, identity_priv, "
                        "registration_id, adv_raw_id, next_key_index, spk_id, spk_pub, spk_sig, "
                        "spk_priv FROM accounts");
  if (!accounts.ok()) return accounts.error("loading accounts");
  while (accounts.stepRow()) {
    AccountRecord a;
    a.phone = accounts.text(0);
    a.lid = accounts.text(1);
    a.createdAt = accounts.integer(2);
    a.identityKey = accounts.blob(3);
    a.identityPrivate = core::SecretBytes(accounts.blob(4));
    a.registrationId = u32(accounts.integer(5));
    a.advRawId = u32(accounts.integer(6));
    a.nextKeyIndex = u32(accounts.integer(7));
    a.signedPreKey = {u32(accounts.integer(8)), accounts.blob(9), accounts.blob(10)};
    a.signedPreKeyPrivate = core::SecretBytes(accounts.blob(11));
    std::string phone = a.phone;
    accounts_.insert_or_assign(std::move(phone), std::move(a));
  }
  if (!accounts.finished()) return accounts.error("loading accounts");

  SqlStatement devices(db_,
                       "SELECT phone, device, noise_key, identity_key, registration_id, "
                       "created_at, key_index, spk_id, spk_pub, spk_sig FROM devices");
  if (!devices.ok()) return devices.error("loading devices");
  while (devices.stepRow()) {
    const std::int64_t number = devices.integer(1);
    if (number < 0 || number > kMaxDeviceNumber) continue;  // not a device number: ignore it
    DeviceRecord d;
    d.phone = devices.text(0);
    d.device = u32(number);
    d.noiseKey = devices.blob(2);
    d.identityKey = devices.blob(3);
    d.registrationId = u32(devices.integer(4));
    d.createdAt = devices.integer(5);
    d.keyIndex = u32(devices.integer(6));
    d.signedPreKey = {u32(devices.integer(7)), devices.blob(8), devices.blob(9)};
    DeviceKey key{d.phone, d.device};
    devices_.insert_or_assign(std::move(key), std::move(d));
  }
  if (!devices.finished()) return devices.error("loading devices");
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

std::vector<const DeviceRecord*> SimRegistry::devicesOf(std::string_view phone) const {
  std::vector<const DeviceRecord*> out;
  for (auto it = devices_.lower_bound(DeviceKey{std::string(phone), 0});
       it != devices_.end() && it->first.first == phone; ++it) {
    out.push_back(&it->second);
  }
  return out;
}

std::vector<const DeviceRecord*> SimRegistry::allDevices() const {
  std::vector<const DeviceRecord*> out;
  out.reserve(devices_.size());
  for (const auto& [key, device] : devices_) out.push_back(&device);
  return out;
}

std::vector<const AccountRecord*> SimRegistry::allAccounts() const {
  std::vector<const AccountRecord*> out;
  out.reserve(accounts_.size());
  for (const auto& [phone, account] : accounts_) out.push_back(&account);
  return out;
}

Status SimRegistry::putAccount(AccountRecord account) {
  SqlStatement st(db_,
                  "INSERT OR REPLACE INTO accounts(phone, lid, created_at, identity_pub, "
                  "identity_priv, registration_id, adv_raw_id, next_key_index, spk_id, spk_pub, "
                  "spk_sig, spk_priv) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!st.ok()) return st.error("saving account");
  st.bind(1, account.phone);
  st.bind(2, account.lid);
  st.bind(3, account.createdAt);
  st.bind(4, account.identityKey);
  st.bind(5, account.identityPrivate.view());
  st.bind(6, static_cast<std::int64_t>(account.registrationId));
  st.bind(7, static_cast<std::int64_t>(account.advRawId));
  st.bind(8, static_cast<std::int64_t>(account.nextKeyIndex));
  st.bind(9, static_cast<std::int64_t>(account.signedPreKey.id));
  st.bind(10, account.signedPreKey.publicKey);
  st.bind(11, account.signedPreKey.signature);
  st.bind(12, account.signedPreKeyPrivate.view());
  CHORUS_CHECK(st.run("saving account"));
  std::string phone = account.phone;
  accounts_.insert_or_assign(std::move(phone), std::move(account));
  return core::ok();
}

Result<std::uint32_t> SimRegistry::takeKeyIndex(std::string_view phone) {
  const auto it = accounts_.find(phone);
  if (it == accounts_.end()) return fail(Errc::NotFound, "no such account");
  const std::uint32_t index = it->second.nextKeyIndex;
  SqlStatement st(db_, "UPDATE accounts SET next_key_index = ?1 WHERE phone = ?2");
  if (!st.ok()) return st.error("saving key index");
  st.bind(1, static_cast<std::int64_t>(index) + 1);
  st.bind(2, phone);
  CHORUS_CHECK(st.run("saving key index"));
  it->second.nextKeyIndex = index + 1;
  return index;
}

Status SimRegistry::putDevice(DeviceRecord device) {
  if (!findAccount(device.phone)) return fail(Errc::NotFound, "no such account");
  SqlStatement st(db_,
                  "INSERT INTO devices(phone, device, noise_key, identity_key, registration_id, "
                  "created_at, key_index, spk_id, spk_pub, spk_sig) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                  "ON CONFLICT(phone, device) DO UPDATE SET noise_key = excluded.noise_key, "
                  "identity_key = excluded.identity_key, registration_id = "
                  "excluded.registration_id, key_index = excluded.key_index, spk_id = "
                  "excluded.spk_id, spk_pub = excluded.spk_pub, spk_sig = excluded.spk_sig");
  if (!st.ok()) return st.error("saving device");
  st.bind(1, device.phone);
  st.bind(2, static_cast<std::int64_t>(device.device));
  st.bind(3, device.noiseKey);
  st.bind(4, device.identityKey);
  st.bind(5, static_cast<std::int64_t>(device.registrationId));
  st.bind(6, device.createdAt);
  st.bind(7, static_cast<std::int64_t>(device.keyIndex));
  st.bind(8, static_cast<std::int64_t>(device.signedPreKey.id));
  st.bind(9, device.signedPreKey.publicKey);
  st.bind(10, device.signedPreKey.signature);
  CHORUS_CHECK(st.run("saving device"));
  DeviceKey key{device.phone, device.device};
  devices_.insert_or_assign(std::move(key), std::move(device));
  return core::ok();
}

Status SimRegistry::removeDevice(std::string_view phone, std::uint32_t device) {
  SqlStatement st(db_, "DELETE FROM devices WHERE phone = ?1 AND device = ?2");
  if (!st.ok()) return st.error("removing device");
  st.bind(1, phone);
  st.bind(2, static_cast<std::int64_t>(device));
  CHORUS_CHECK(st.run("removing device"));
  SqlStatement queued(db_, "DELETE FROM queue WHERE phone = ?1 AND device = ?2");
  if (!queued.ok()) return queued.error("removing device queue");
  queued.bind(1, phone);
  queued.bind(2, static_cast<std::int64_t>(device));
  CHORUS_CHECK(queued.run("removing device queue"));
  devices_.erase(DeviceKey{std::string(phone), device});
  return core::ok();
}

}  // namespace chorus::sim
