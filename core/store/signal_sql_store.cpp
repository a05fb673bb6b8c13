#include "core/store/signal_sql_store.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "core/crypto/x25519.h"
#include "core/store/credential_store.h"

namespace chorus::core::store {

namespace {

using signal::kKeySize;
using signal::kMaxPreKeyId;
using signal::kSignatureSize;

// Tables and encrypted columns (signal_schema.h); RowId keys come from rowKey().
constexpr std::string_view kPreKeys = "signal_prekeys";
constexpr std::string_view kRetiredSignedPreKeys = "signal_retired_signed_prekeys";
constexpr std::string_view kSessions = "signal_sessions";
constexpr std::string_view kSenderKeys = "signal_sender_keys";
constexpr std::string_view kPrivateKey = "private_key";
constexpr std::string_view kRecord = "record";

// The RowIds bind sealed values to the plain address (rowKey()); they are associated data,
// never stored, so the user and group id stay off the disk.

// A row's primary key parts as one unambiguous string: each part length-prefixed, so that
// ("a.b", 1) and ("a", "b.1") or parts holding separators can never name the same row.
std::string rowKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view part : parts) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  }
  return key;
}

std::string addressKey(const signal::SignalAddress& address) {
  return rowKey({address.user, std::to_string(address.device)});
}

std::string senderKeyKey(const signal::SenderKeyName& name) {
  return rowKey({name.groupId, name.sender.user, std::to_string(name.sender.device)});
}

std::int64_t toUnixMs(TimePoint t) noexcept {
  return t.time_since_epoch().count();
}
TimePoint fromUnixMs(std::int64_t ms) noexcept {
  return TimePoint(Millis(ms));
}

std::uint32_t followingPreKeyId(std::uint32_t id) noexcept {
  return id >= kMaxPreKeyId ? 1 : id + 1;
}

Status checkSize(BytesView value, std::size_t size, std::string_view what) {
  if (value.size() != size) {
    return fail(Errc::InvalidArgument,
                std::string(what) + " must be " + std::to_string(size) + " bytes");
  }
  return ok();
}

Status checkPreKey(const signal::PreKey& key) {
  if (key.id == 0 || key.id > kMaxPreKeyId) {
    return fail(Errc::InvalidArgument, "prekey id out of the 24-bit range");
  }
  CHORUS_CHECK(checkSize(key.publicKey, kKeySize, "prekey public key"));
  return checkSize(key.privateKey.view(), kKeySize, "prekey private key");
}

// A stored key pair read back: both halves must be 32 bytes, or the row is damaged.
Status checkStoredPair(BytesView publicKey, const SecretBytes& privateKey, std::string_view what) {
  if (publicKey.size() != kKeySize || privateKey.size() != kKeySize) {
    return fail(Errc::Storage, "stored " + std::string(what) + " has the wrong size");
  }
  return ok();
}

Result<std::uint32_t> readId(const Statement& s, int column, std::string_view what) {
  const std::int64_t value = s.columnInt(column);
  if (s.columnType(column) != ColumnType::Integer || value < 0 || value > kMaxPreKeyId) {
    return fail(Errc::Storage, "stored " + std::string(what) + " id is out of range");
  }
  return static_cast<std::uint32_t>(value);
}

std::size_t changedRows(const Database& db) noexcept {
  const std::int64_t n = db.changes();
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

}  // namespace

Status SqlSignalStore::bindAddress(Statement& s, const signal::SignalAddress& address) const {
  CHORUS_CHECK(s.bindBlob(1, lookup_.hash(address.user)));
  return s.bindInt(2, address.device);
}

Status SqlSignalStore::bindSenderKeyName(Statement& s, const signal::SenderKeyName& name) const {
  CHORUS_CHECK(s.bindBlob(1, lookup_.hash(name.groupId)));
  CHORUS_CHECK(s.bindBlob(2, lookup_.hash(name.sender.user)));
  return s.bindInt(3, name.sender.device);
}

// ---- our identity ------------------------------------------------------------------------

Result<signal::IdentityKeyPair> SqlSignalStore::identityKeyPair() {
  CredentialStore credentials(db_, cipher_);
  CHORUS_TRY(c, credentials.load());
  return signal::IdentityKeyPair{std::move(c.identityKey.publicKey),
                                 std::move(c.identityKey.privateKey)};
}

Result<std::uint32_t> SqlSignalStore::registrationId() {
  CredentialStore credentials(db_, cipher_);
  CHORUS_TRY(c, credentials.load());
  return c.registrationId;
}

// ---- remote identities (public keys: stored plain, found by user hash) -------------------

Result<std::optional<Bytes>> SqlSignalStore::remoteIdentity(const signal::SignalAddress& address) {
  CHORUS_TRY(s, db_.prepare("SELECT identity_key FROM signal_identities"
                            " WHERE user_hash = ?1 AND device = ?2"));
  CHORUS_CHECK(bindAddress(s, address));
  CHORUS_TRY(found, s.step());
  if (!found) return std::optional<Bytes>{};
  return std::optional<Bytes>{s.columnBlob(0)};
}

Status SqlSignalStore::saveRemoteIdentity(const signal::SignalAddress& address, BytesView key) {
  CHORUS_CHECK(checkSize(key, kKeySize, "remote identity key"));
  CHORUS_TRY(s, db_.prepare("INSERT OR REPLACE INTO signal_identities"
                            " (user_hash, device, identity_key)"
                            " VALUES (?1, ?2, ?3)"));
  CHORUS_CHECK(bindAddress(s, address));
  CHORUS_CHECK(s.bindBlob(3, key));
  return s.run();
}

Status SqlSignalStore::removeRemoteIdentity(const signal::SignalAddress& address) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_identities"
                            " WHERE user_hash = ?1 AND device = ?2"));
  CHORUS_CHECK(bindAddress(s, address));
  return s.run();
}

// ---- one-time prekeys --------------------------------------------------------------------

Result<std::optional<signal::PreKey>> SqlSignalStore::preKey(std::uint32_t id) {
  if (id == 0 || id > kMaxPreKeyId) return std::optional<signal::PreKey>{};  // a peer's claim
  CHORUS_TRY(s, db_.prepare("SELECT public_key, private_key, used_at FROM signal_prekeys"
                            " WHERE id = ?1"));
  CHORUS_CHECK(s.bindInt(1, id));
  CHORUS_TRY(found, s.step());
  if (!found) return std::optional<signal::PreKey>{};
  if (!s.isNull(2)) {
    const TimePoint usedAt = fromUnixMs(s.columnInt(2));
    if (clock_.now() - usedAt > options_.usedPreKeyGrace) return std::optional<signal::PreKey>{};
  }
  const std::string key = std::to_string(id);
  CHORUS_TRY(privateKey, cipher_.open(RowId{kPreKeys, kPrivateKey, key}, s.columnBlob(1)));
  Bytes publicKey = s.columnBlob(0);
  CHORUS_CHECK(checkStoredPair(publicKey, privateKey, "prekey"));
  return std::optional<signal::PreKey>{
      signal::PreKey{id, std::move(publicKey), std::move(privateKey)}};
}

Status SqlSignalStore::insertPreKey(const signal::PreKey& key) {
  CHORUS_TRY(sealed, cipher_.seal(RowId{kPreKeys, kPrivateKey, std::to_string(key.id)},
                                  key.privateKey.view()));
  // REPLACE: after 16.7 million ids wrap, an id may still name a long-forgotten key.
  CHORUS_TRY(s, db_.prepare("INSERT OR REPLACE INTO signal_prekeys"
                            " (id, public_key, private_key, uploaded, used_at)"
                            " VALUES (?1, ?2, ?3, 0, NULL)"));
  CHORUS_CHECK(s.bindInt(1, key.id));
  CHORUS_CHECK(s.bindBlob(2, key.publicKey));
  CHORUS_CHECK(s.bindBlob(3, sealed));
  return s.run();
}

Status SqlSignalStore::storePreKey(const signal::PreKey& key) {
  CHORUS_CHECK(checkPreKey(key));
  CHORUS_TRY(next, nextPreKeyId());
  CHORUS_TRY(tx, db_.begin());
  CHORUS_CHECK(insertPreKey(key));
  if (key.id == next) {
    CHORUS_TRY(s, db_.prepare("UPDATE signal_state SET next_prekey_id = ?1 WHERE id = 1"));
    CHORUS_CHECK(s.bindInt(1, followingPreKeyId(next)));
    CHORUS_CHECK(s.run());
  }
  return tx.commit();
}

Status SqlSignalStore::removePreKey(std::uint32_t id) {
  CHORUS_TRY(s, db_.prepare("UPDATE signal_prekeys SET used_at = ?2"
                            " WHERE id = ?1 AND used_at IS NULL"));
  CHORUS_CHECK(s.bindInt(1, id));
  CHORUS_CHECK(s.bindInt(2, toUnixMs(clock_.now())));
  return s.run();
}

Result<std::uint32_t> SqlSignalStore::nextPreKeyId() {
  CHORUS_TRY(s, db_.prepare("SELECT next_prekey_id FROM signal_state WHERE id = 1"));
  CHORUS_TRY(found, s.step());
  if (!found) return fail(Errc::Storage, "the signal state row is missing");
  CHORUS_TRY(id, readId(s, 0, "next prekey"));
  if (id == 0) return fail(Errc::Storage, "stored next prekey id is out of range");
  return id;
}

Status SqlSignalStore::storePreKeys(std::span<const signal::PreKey> keys) {
  if (keys.empty()) return ok();
  CHORUS_TRY(next, nextPreKeyId());
  std::uint32_t expected = next;
  for (const signal::PreKey& key : keys) {
    CHORUS_CHECK(checkPreKey(key));
    if (key.id != expected) {
      return fail(Errc::InvalidArgument, "new prekeys must have consecutive ids from " +
                                             std::to_string(next) + "; got " +
                                             std::to_string(key.id));
    }
    expected = followingPreKeyId(expected);
  }
  CHORUS_TRY(tx, db_.begin());
  for (const signal::PreKey& key : keys) CHORUS_CHECK(insertPreKey(key));
  CHORUS_TRY(s, db_.prepare("UPDATE signal_state SET next_prekey_id = ?1 WHERE id = 1"));
  CHORUS_CHECK(s.bindInt(1, expected));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Result<std::vector<signal::PreKeyBundle::OneTimePreKey>> SqlSignalStore::unuploadedPreKeys(
    std::size_t limit) {
  CHORUS_TRY(s, db_.prepare("SELECT id, public_key FROM signal_prekeys"
                            " WHERE uploaded = 0 AND used_at IS NULL ORDER BY id LIMIT ?1"));
  const auto max = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  CHORUS_CHECK(s.bindInt(1, static_cast<std::int64_t>(limit < max ? limit : max)));
  std::vector<signal::PreKeyBundle::OneTimePreKey> keys;
  for (;;) {
    CHORUS_TRY(more, s.step());
    if (!more) break;
    CHORUS_TRY(id, readId(s, 0, "prekey"));
    Bytes publicKey = s.columnBlob(1);
    if (publicKey.size() != kKeySize) {
      return fail(Errc::Storage, "stored prekey public key has the wrong size");
    }
    keys.push_back({id, std::move(publicKey)});
  }
  return keys;
}

Status SqlSignalStore::markPreKeysUploaded(std::span<const std::uint32_t> ids) {
  if (ids.empty()) return ok();
  CHORUS_TRY(tx, db_.begin());
  CHORUS_TRY(s, db_.prepare("UPDATE signal_prekeys SET uploaded = 1 WHERE id = ?1"));
  for (std::uint32_t id : ids) {
    CHORUS_CHECK(s.bindInt(1, id));
    CHORUS_CHECK(s.run());
  }
  return tx.commit();
}

Result<std::size_t> SqlSignalStore::uploadedPreKeyCount() {
  CHORUS_TRY(s, db_.prepare("SELECT count(*) FROM signal_prekeys"
                            " WHERE uploaded = 1 AND used_at IS NULL"));
  CHORUS_TRY(found, s.step());
  if (!found) return fail(Errc::Storage, "count returned no row");
  return static_cast<std::size_t>(s.columnInt(0));
}

Result<std::size_t> SqlSignalStore::purgeUsedPreKeys(TimePoint now, Millis grace) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_prekeys"
                            " WHERE used_at IS NOT NULL AND used_at < ?1"));
  CHORUS_CHECK(s.bindInt(1, toUnixMs(now - grace)));
  CHORUS_CHECK(s.run());
  return changedRows(db_);
}

// ---- signed prekeys ----------------------------------------------------------------------

Result<std::optional<SqlSignalStore::CurrentSignedPreKey>>
SqlSignalStore::loadCurrentSignedPreKey() {
  CredentialStore credentials(db_, cipher_);
  auto loaded = credentials.load();
  if (!loaded) {
    if (loaded.error().code == Errc::NotFound) return std::optional<CurrentSignedPreKey>{};
    return Unexpected<Error>(std::move(loaded).error());
  }
  SignedPreKeyRecord& record = loaded->signedPreKey;
  CurrentSignedPreKey current{
      signal::SignedPreKey{record.id, std::move(record.keyPair.publicKey),
                           std::move(record.keyPair.privateKey), std::move(record.signature), 0},
      std::nullopt};
  CHORUS_TRY(s, db_.prepare("SELECT signed_prekey_created FROM signal_state"
                            " WHERE id = 1 AND signed_prekey_id = ?1"));
  CHORUS_CHECK(s.bindInt(1, record.id));
  CHORUS_TRY(found, s.step());
  if (found && !s.isNull(0)) {
    current.createdAt = fromUnixMs(s.columnInt(0));
    current.key.timestampMs = static_cast<std::uint64_t>(std::max<std::int64_t>(0, s.columnInt(0)));
  }
  return std::optional<CurrentSignedPreKey>{std::move(current)};
}

Result<SqlSignalStore::CurrentSignedPreKey> SqlSignalStore::currentSignedPreKey() {
  CHORUS_TRY(current, loadCurrentSignedPreKey());
  if (!current) return fail(Errc::NotFound, "no device credentials stored");
  return std::move(*current);
}

Result<std::optional<signal::SignedPreKey>> SqlSignalStore::signedPreKey(std::uint32_t id) {
  CHORUS_TRY(current, loadCurrentSignedPreKey());
  if (current && current->key.id == id) {
    return std::optional<signal::SignedPreKey>{std::move(current->key)};
  }
  CHORUS_TRY(s, db_.prepare("SELECT public_key, private_key, signature, created_at"
                            " FROM signal_retired_signed_prekeys WHERE id = ?1"));
  CHORUS_CHECK(s.bindInt(1, id));
  CHORUS_TRY(found, s.step());
  if (!found) return std::optional<signal::SignedPreKey>{};
  CHORUS_TRY(privateKey, cipher_.open(RowId{kRetiredSignedPreKeys, kPrivateKey, std::to_string(id)},
                                      s.columnBlob(1)));
  Bytes publicKey = s.columnBlob(0);
  Bytes signature = s.columnBlob(2);
  CHORUS_CHECK(checkStoredPair(publicKey, privateKey, "signed prekey"));
  if (signature.size() != kSignatureSize) {
    return fail(Errc::Storage, "stored signed prekey signature has the wrong size");
  }
  const auto createdAt = static_cast<std::uint64_t>(std::max<std::int64_t>(0, s.columnInt(3)));
  return std::optional<signal::SignedPreKey>{signal::SignedPreKey{
      id, std::move(publicKey), std::move(privateKey), std::move(signature), createdAt}};
}

Status SqlSignalStore::storeSignedPreKey(const signal::SignedPreKey& key) {
  if (key.id > kMaxPreKeyId) {
    return fail(Errc::InvalidArgument, "signed prekey id out of the 24-bit range");
  }
  CHORUS_CHECK(checkSize(key.publicKey, kKeySize, "signed prekey public key"));
  CHORUS_CHECK(checkSize(key.privateKey.view(), kKeySize, "signed prekey private key"));
  CHORUS_CHECK(checkSize(key.signature, kSignatureSize, "signed prekey signature"));
  // The credentials refuse to load a pair that does not match, so check before writing one.
  CHORUS_TRY(derived, crypto::keyPairFromPrivate(key.privateKey.view()));
  if (!constantTimeEqual(derived.publicKey, key.publicKey)) {
    return fail(Errc::InvalidArgument, "signed prekey public key does not match its private key");
  }

  CredentialStore credentials(db_, cipher_);
  CHORUS_TRY(c, credentials.load());
  if (!signal::verifySignedPreKey(c.identityKey.publicKey, key.publicKey, key.signature)) {
    return fail(Errc::InvalidArgument, "signed prekey is not signed by our identity key");
  }
  CHORUS_TRY(identity, credentials.loadIdentity());
  CHORUS_TRY(previous, loadCurrentSignedPreKey());
  const TimePoint now = clock_.now();
  const std::int64_t createdAt =
      key.timestampMs != 0 ? static_cast<std::int64_t>(key.timestampMs) : toUnixMs(now);

  CHORUS_TRY(tx, db_.begin());
  if (previous && previous->key.id != key.id) {
    const signal::SignedPreKey& old = previous->key;
    CHORUS_TRY(sealed,
               cipher_.seal(RowId{kRetiredSignedPreKeys, kPrivateKey, std::to_string(old.id)},
                            old.privateKey.view()));
    CHORUS_TRY(s, db_.prepare("INSERT OR REPLACE INTO signal_retired_signed_prekeys"
                              " (id, public_key, private_key, signature, created_at, retired_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    CHORUS_CHECK(s.bindInt(1, old.id));
    CHORUS_CHECK(s.bindBlob(2, old.publicKey));
    CHORUS_CHECK(s.bindBlob(3, sealed));
    CHORUS_CHECK(s.bindBlob(4, old.signature));
    CHORUS_CHECK(s.bindInt(5, previous->createdAt ? toUnixMs(*previous->createdAt) : 0));
    CHORUS_CHECK(s.bindInt(6, toUnixMs(now)));
    CHORUS_CHECK(s.run());
  }
  {
    CHORUS_TRY(s, db_.prepare("DELETE FROM signal_retired_signed_prekeys WHERE id = ?1"));
    CHORUS_CHECK(s.bindInt(1, key.id));
    CHORUS_CHECK(s.run());
  }
  c.signedPreKey = SignedPreKeyRecord{
      key.id, crypto::KeyPair{key.privateKey.clone(), key.publicKey}, key.signature};
  CHORUS_CHECK(credentials.save(c, identity));
  CHORUS_TRY(s, db_.prepare("UPDATE signal_state SET signed_prekey_id = ?1,"
                            " signed_prekey_created = ?2 WHERE id = 1"));
  CHORUS_CHECK(s.bindInt(1, key.id));
  CHORUS_CHECK(s.bindInt(2, createdAt));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Status SqlSignalStore::removeSignedPreKey(std::uint32_t id) {
  CHORUS_TRY(current, loadCurrentSignedPreKey());
  if (current && current->key.id == id) {
    return fail(Errc::InvalidArgument, "the current signed prekey cannot be removed");
  }
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_retired_signed_prekeys WHERE id = ?1"));
  CHORUS_CHECK(s.bindInt(1, id));
  return s.run();
}

Result<std::size_t> SqlSignalStore::purgeRetiredSignedPreKeys(TimePoint now, Millis grace) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_retired_signed_prekeys WHERE retired_at < ?1"));
  CHORUS_CHECK(s.bindInt(1, toUnixMs(now - grace)));
  CHORUS_CHECK(s.run());
  return changedRows(db_);
}

// ---- sessions ----------------------------------------------------------------------------

Result<std::optional<SecretBytes>> SqlSignalStore::session(const signal::SignalAddress& address) {
  CHORUS_TRY(s, db_.prepare("SELECT record FROM signal_sessions"
                            " WHERE user_hash = ?1 AND device = ?2"));
  CHORUS_CHECK(bindAddress(s, address));
  CHORUS_TRY(found, s.step());
  if (!found) return std::optional<SecretBytes>{};
  CHORUS_TRY(record, cipher_.open(RowId{kSessions, kRecord, addressKey(address)}, s.columnBlob(0)));
  return std::optional<SecretBytes>{std::move(record)};
}

Status SqlSignalStore::storeSession(const signal::SignalAddress& address, BytesView record) {
  CHORUS_TRY(sealed, cipher_.seal(RowId{kSessions, kRecord, addressKey(address)}, record));
  CHORUS_TRY(s, db_.prepare("INSERT OR REPLACE INTO signal_sessions (user_hash, device, record)"
                            " VALUES (?1, ?2, ?3)"));
  CHORUS_CHECK(bindAddress(s, address));
  CHORUS_CHECK(s.bindBlob(3, sealed));
  return s.run();
}

Result<bool> SqlSignalStore::removeSession(const signal::SignalAddress& address) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_sessions WHERE user_hash = ?1 AND device = ?2"));
  CHORUS_CHECK(bindAddress(s, address));
  CHORUS_CHECK(s.run());
  return changedRows(db_) > 0;
}

Result<std::vector<std::int32_t>> SqlSignalStore::sessionDevices(std::string_view user) {
  CHORUS_TRY(s, db_.prepare("SELECT device FROM signal_sessions WHERE user_hash = ?1"
                            " ORDER BY device"));
  CHORUS_CHECK(s.bindBlob(1, lookup_.hash(user)));
  std::vector<std::int32_t> devices;
  for (;;) {
    CHORUS_TRY(more, s.step());
    if (!more) break;
    const std::int64_t device = s.columnInt(0);
    if (device < std::numeric_limits<std::int32_t>::min() ||
        device > std::numeric_limits<std::int32_t>::max()) {
      return fail(Errc::Storage, "stored session device is out of range");
    }
    devices.push_back(static_cast<std::int32_t>(device));
  }
  return devices;
}

Result<std::size_t> SqlSignalStore::removeAllSessions(std::string_view user) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_sessions WHERE user_hash = ?1"));
  CHORUS_CHECK(s.bindBlob(1, lookup_.hash(user)));
  CHORUS_CHECK(s.run());
  return changedRows(db_);
}

// ---- sender keys -------------------------------------------------------------------------

Result<std::optional<SecretBytes>> SqlSignalStore::senderKey(const signal::SenderKeyName& name) {
  CHORUS_TRY(s, db_.prepare("SELECT record FROM signal_sender_keys WHERE group_hash = ?1"
                            " AND sender_user_hash = ?2 AND sender_device = ?3"));
  CHORUS_CHECK(bindSenderKeyName(s, name));
  CHORUS_TRY(found, s.step());
  if (!found) return std::optional<SecretBytes>{};
  CHORUS_TRY(record,
             cipher_.open(RowId{kSenderKeys, kRecord, senderKeyKey(name)}, s.columnBlob(0)));
  return std::optional<SecretBytes>{std::move(record)};
}

Status SqlSignalStore::storeSenderKey(const signal::SenderKeyName& name, BytesView record) {
  CHORUS_TRY(sealed, cipher_.seal(RowId{kSenderKeys, kRecord, senderKeyKey(name)}, record));
  CHORUS_TRY(s, db_.prepare("INSERT OR REPLACE INTO signal_sender_keys"
                            " (group_hash, sender_user_hash, sender_device, record)"
                            " VALUES (?1, ?2, ?3, ?4)"));
  CHORUS_CHECK(bindSenderKeyName(s, name));
  CHORUS_CHECK(s.bindBlob(4, sealed));
  return s.run();
}

Status SqlSignalStore::removeSenderKey(const signal::SenderKeyName& name) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_sender_keys WHERE group_hash = ?1"
                            " AND sender_user_hash = ?2 AND sender_device = ?3"));
  CHORUS_CHECK(bindSenderKeyName(s, name));
  return s.run();
}

// ---- who has our sender key -------------------------------------------------------------

Result<bool> SqlSignalStore::isSenderKeyHolder(std::string_view groupId,
                                               const signal::SignalAddress& device) {
  CHORUS_TRY(s, db_.prepare("SELECT 1 FROM signal_sender_key_holders"
                            " WHERE group_hash = ?1 AND user_hash = ?2 AND device = ?3"));
  CHORUS_CHECK(bindSenderKeyName(s, {std::string(groupId), device}));
  return s.step();
}

Status SqlSignalStore::addSenderKeyHolders(std::string_view groupId,
                                           std::span<const signal::SignalAddress> devices) {
  if (devices.empty()) return ok();
  CHORUS_TRY(tx, db_.begin());
  for (const signal::SignalAddress& device : devices) {
    CHORUS_TRY(s, db_.prepare("INSERT OR IGNORE INTO signal_sender_key_holders"
                              " (group_hash, user_hash, device) VALUES (?1, ?2, ?3)"));
    CHORUS_CHECK(bindSenderKeyName(s, {std::string(groupId), device}));
    CHORUS_CHECK(s.run());
  }
  return tx.commit();
}

Status SqlSignalStore::removeSenderKeyHolders(std::string_view groupId) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_sender_key_holders WHERE group_hash = ?1"));
  CHORUS_CHECK(s.bindBlob(1, lookup_.hash(groupId)));
  return s.run();
}

Status SqlSignalStore::forgetSenderKeyHolder(std::string_view user) {
  CHORUS_TRY(s, db_.prepare("DELETE FROM signal_sender_key_holders WHERE user_hash = ?1"));
  CHORUS_CHECK(s.bindBlob(1, lookup_.hash(user)));
  return s.run();
}

}  // namespace chorus::core::store
