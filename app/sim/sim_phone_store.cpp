#include "app/sim/sim_phone_store.h"

#include "app/sim/sim_registry.h"
#include "app/sim/sim_sqlite.h"

namespace chorus::sim {
namespace {

using core::Bytes;
using core::BytesView;
using core::Errc;
using core::fail;
using core::Result;
using core::SecretBytes;
using core::Status;
using core::signal::SignalAddress;

constexpr std::size_t kPreKeyBatch = 20;

std::int64_t i64(std::uint32_t v) {
  return static_cast<std::int64_t>(v);
}

}  // namespace

sqlite3* SimPhoneStore::db() const {
  return registry_.db();
}

Result<std::optional<Bytes>> SimPhoneStore::blobWhere(const char* sql, std::string_view key) const {
  SqlStatement st(db(), sql);
  if (!st.ok()) return st.error("reading phone state");
  st.bind(1, phone_);
  st.bind(2, key);
  if (st.stepRow()) return std::optional<Bytes>(st.blob(0));
  if (!st.finished()) return st.error("reading phone state");
  return std::optional<Bytes>();
}

Result<std::optional<OneTimePreKey>> SimPhoneStore::takePreKey(core::Random& random) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    SqlStatement pick(db(),
                      "SELECT key_id, pub FROM phone_prekeys WHERE phone = ?1 AND handed_out = 0 "
                      "AND used = 0 ORDER BY key_id LIMIT 1");
    if (!pick.ok()) return pick.error("reading phone prekeys");
    pick.bind(1, phone_);
    if (pick.stepRow()) {
      OneTimePreKey key{static_cast<std::uint32_t>(pick.integer(0)), pick.blob(1)};
      SqlStatement mark(db(), "UPDATE phone_prekeys SET handed_out = 1 WHERE phone = ?1 AND key_id = ?2");
      if (!mark.ok()) return mark.error("handing out a phone prekey");
      mark.bind(1, phone_);
      mark.bind(2, i64(key.id));
      CHORUS_CHECK(mark.run("handing out a phone prekey"));
      return std::optional<OneTimePreKey>(std::move(key));
    }
    if (!pick.finished()) return pick.error("reading phone prekeys");
    SqlStatement last(db(), "SELECT COALESCE(MAX(key_id), 0) FROM phone_prekeys WHERE phone = ?1");
    if (!last.ok()) return last.error("reading prekey ids");
    last.bind(1, phone_);
    if (!last.stepRow()) return last.error("reading prekey ids");
    const auto firstId = static_cast<std::uint32_t>(last.integer(0) % core::signal::kMaxPreKeyId) + 1;
    CHORUS_TRY(batch, core::signal::generatePreKeys(firstId, kPreKeyBatch, random));
    for (const auto& key : batch) CHORUS_CHECK(storePreKey(key));
  }
  return std::optional<OneTimePreKey>();
}

Result<core::signal::IdentityKeyPair> SimPhoneStore::identityKeyPair() {
  const AccountRecord* account = registry_.findAccount(phone_);
  if (!account || !account->hasPhone()) return fail(Errc::NotFound, "the account has no phone keys");
  return core::signal::IdentityKeyPair{account->identityKey, account->identityPrivate.clone()};
}

Result<std::uint32_t> SimPhoneStore::registrationId() {
  const AccountRecord* account = registry_.findAccount(phone_);
  if (!account) return fail(Errc::NotFound, "no such account");
  return account->registrationId;
}

Result<std::optional<Bytes>> SimPhoneStore::remoteIdentity(const SignalAddress& address) {
  return blobWhere("SELECT key FROM phone_identities WHERE phone = ?1 AND address = ?2",
                   address.toString());
}

Status SimPhoneStore::saveRemoteIdentity(const SignalAddress& address, BytesView key) {
  SqlStatement st(db(), "INSERT OR REPLACE INTO phone_identities(phone, address, key) VALUES(?1, ?2, ?3)");
  if (!st.ok()) return st.error("saving an identity");
  st.bind(1, phone_);
  st.bind(2, address.toString());
  st.bind(3, key);
  return st.run("saving an identity");
}

Status SimPhoneStore::removeRemoteIdentity(const SignalAddress& address) {
  SqlStatement st(db(), "DELETE FROM phone_identities WHERE phone = ?1 AND address = ?2");
  if (!st.ok()) return st.error("removing an identity");
  st.bind(1, phone_);
  st.bind(2, address.toString());
  return st.run("removing an identity");
}

Result<std::optional<core::signal::PreKey>> SimPhoneStore::preKey(std::uint32_t id) {
  SqlStatement st(db(), "SELECT pub, priv FROM phone_prekeys WHERE phone = ?1 AND key_id = ?2 AND used = 0");
  if (!st.ok()) return st.error("reading a phone prekey");
  st.bind(1, phone_);
  st.bind(2, i64(id));
  if (st.stepRow()) {
    return std::optional<core::signal::PreKey>(core::signal::PreKey{id, st.blob(0), SecretBytes(st.blob(1))});
  }
  if (!st.finished()) return st.error("reading a phone prekey");
  return std::optional<core::signal::PreKey>();
}

Status SimPhoneStore::storePreKey(const core::signal::PreKey& key) {
  SqlStatement st(db(),
                  "INSERT OR REPLACE INTO phone_prekeys(phone, key_id, pub, priv, handed_out, used) "
                  "VALUES(?1, ?2, ?3, ?4, 0, 0)");
  if (!st.ok()) return st.error("saving a phone prekey");
  st.bind(1, phone_);
  st.bind(2, i64(key.id));
  st.bind(3, key.publicKey);
  st.bind(4, key.privateKey.view());
  return st.run("saving a phone prekey");
}

// A used prekey keeps its row (without the private key) so its id is never generated again.
Status SimPhoneStore::removePreKey(std::uint32_t id) {
  SqlStatement st(db(), "UPDATE phone_prekeys SET used = 1, priv = x'' WHERE phone = ?1 AND key_id = ?2");
  if (!st.ok()) return st.error("removing a phone prekey");
  st.bind(1, phone_);
  st.bind(2, i64(id));
  return st.run("removing a phone prekey");
}

Result<std::optional<core::signal::SignedPreKey>> SimPhoneStore::signedPreKey(std::uint32_t id) {
  const AccountRecord* account = registry_.findAccount(phone_);
  if (!account || account->signedPreKey.id != id || account->signedPreKeyPrivate.size() == 0) {
    return std::optional<core::signal::SignedPreKey>();
  }
  return std::optional<core::signal::SignedPreKey>(core::signal::SignedPreKey{
      id, account->signedPreKey.publicKey, account->signedPreKeyPrivate.clone(),
      account->signedPreKey.signature, 0});
}

Status SimPhoneStore::storeSignedPreKey(const core::signal::SignedPreKey&) {
  return fail(Errc::Unsupported, "the phone's signed prekey is the account's");
}

Status SimPhoneStore::removeSignedPreKey(std::uint32_t) {
  return fail(Errc::Unsupported, "the phone's signed prekey is the account's");
}

Result<std::optional<SecretBytes>> SimPhoneStore::session(const SignalAddress& address) {
  SqlStatement st(db(), "SELECT record FROM phone_sessions WHERE phone = ?1 AND user = ?2 AND device = ?3");
  if (!st.ok()) return st.error("reading a session");
  st.bind(1, phone_);
  st.bind(2, address.user);
  st.bind(3, static_cast<std::int64_t>(address.device));
  if (st.stepRow()) return std::optional<SecretBytes>(SecretBytes(st.blob(0)));
  if (!st.finished()) return st.error("reading a session");
  return std::optional<SecretBytes>();
}

Status SimPhoneStore::storeSession(const SignalAddress& address, BytesView record) {
  SqlStatement st(db(),
                  "INSERT OR REPLACE INTO phone_sessions(phone, user, device, record) VALUES(?1, ?2, ?3, ?4)");
  if (!st.ok()) return st.error("saving a session");
  st.bind(1, phone_);
  st.bind(2, address.user);
  st.bind(3, static_cast<std::int64_t>(address.device));
  st.bind(4, record);
  return st.run("saving a session");
}

Result<bool> SimPhoneStore::removeSession(const SignalAddress& address) {
  CHORUS_TRY(existing, session(address));
  SqlStatement st(db(), "DELETE FROM phone_sessions WHERE phone = ?1 AND user = ?2 AND device = ?3");
  if (!st.ok()) return st.error("removing a session");
  st.bind(1, phone_);
  st.bind(2, address.user);
  st.bind(3, static_cast<std::int64_t>(address.device));
  CHORUS_CHECK(st.run("removing a session"));
  return existing.has_value();
}

Result<std::vector<std::int32_t>> SimPhoneStore::sessionDevices(std::string_view user) {
  SqlStatement st(db(), "SELECT device FROM phone_sessions WHERE phone = ?1 AND user = ?2");
  if (!st.ok()) return st.error("listing sessions");
  st.bind(1, phone_);
  st.bind(2, user);
  std::vector<std::int32_t> out;
  while (st.stepRow()) out.push_back(static_cast<std::int32_t>(st.integer(0)));
  if (!st.finished()) return st.error("listing sessions");
  return out;
}

Result<std::size_t> SimPhoneStore::removeAllSessions(std::string_view user) {
  CHORUS_TRY(devices, sessionDevices(user));
  SqlStatement st(db(), "DELETE FROM phone_sessions WHERE phone = ?1 AND user = ?2");
  if (!st.ok()) return st.error("removing sessions");
  st.bind(1, phone_);
  st.bind(2, user);
  CHORUS_CHECK(st.run("removing sessions"));
  return devices.size();
}

Result<std::optional<SecretBytes>> SimPhoneStore::senderKey(const core::signal::SenderKeyName& name) {
  CHORUS_TRY(record, blobWhere("SELECT record FROM phone_sender_keys WHERE phone = ?1 AND name = ?2",
                               name.toString()));
  if (!record) return std::optional<SecretBytes>();
  return std::optional<SecretBytes>(SecretBytes(*record));
}

Status SimPhoneStore::storeSenderKey(const core::signal::SenderKeyName& name, BytesView record) {
  SqlStatement st(db(), "INSERT OR REPLACE INTO phone_sender_keys(phone, name, record) VALUES(?1, ?2, ?3)");
  if (!st.ok()) return st.error("saving a sender key");
  st.bind(1, phone_);
  st.bind(2, name.toString());
  st.bind(3, record);
  return st.run("saving a sender key");
}

}  // namespace chorus::sim
