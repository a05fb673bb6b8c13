// SqlSignalStore: the durable SignalStore of one account, on its database (architecture §2,
// "Storage in core"). Every secret is a ColumnCipher value bound to its row (signal_schema.h):
// one-time and retired signed prekey private keys, session records, sender-key records. No
// contact's user (phone number) or group id is stored: rows are found by their keyed hash
// under the account's Signal-domain LookupKey, so a stolen data folder cannot tell whom the
// sessions are with. Our
// identity key pair, registration id and current signed prekey are the device credentials and
// are read from (and, on rotation, written to) the credentials table through CredentialStore.
//
// Transactions: each call is atomic on its own; calls that write several rows use
// Database::begin(), which is a savepoint when the caller has a transaction open. So the
// messaging layer can open one transaction, decrypt (session and prekey writes land here),
// insert the message, and commit or roll back everything together.
//
// Prekey lifecycle beyond the interface (protocol §8.2, core/session/prekeys.h):
// * ids are 24-bit and handed out in order by nextPreKeyId(), wrapping from 0xFFFFFF to 1;
// * removePreKey() (libsignal, after a pkmsg used the key) only marks it used; preKey() still
//   returns it for `Options::usedPreKeyGrace` so a pkmsg that the sender re-encrypts with the
//   same bundle still decrypts; purgeUsedPreKeys() deletes it afterwards;
// * storeSignedPreKey() makes a key the current one (a rotation): the previous one is retired,
//   still found by signedPreKey(id) until purgeRetiredSignedPreKeys() drops it.
//
// Errors: Errc::Storage / Errc::Io from SQLite; Errc::Crypto when a value does not open (wrong
// data key, or a value moved from another row); Errc::NotFound for the identity or registration
// id before credentials exist; Errc::InvalidArgument for keys of the wrong size or ids out of
// range.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/signal/signal_store.h"
#include "core/store/column_cipher.h"
#include "core/store/database.h"
#include "core/store/lookup_key.h"
#include "core/util/clock.h"

namespace chorus::core::store {

// How long a used one-time prekey stays readable. A sender whose first pkmsg we could not
// decrypt re-encrypts after our retry receipt, and whatsmeow does so with the bundle it already
// fetched (same prekey id, new base key), so the key must outlive its first use. Retry receipts
// come within minutes; three days also cover a device that was off over a weekend, while keeping
// the window in which a stolen key could open a first message short.
inline constexpr Millis kUsedPreKeyGrace = std::chrono::days(3);
// How long a signed prekey stays readable after a rotation replaced it: a sender may have
// fetched our bundle just before, and the server keeps undelivered messages for about 30 days.
inline constexpr Millis kRetiredSignedPreKeyGrace = std::chrono::days(30);

class SqlSignalStore final : public signal::SignalStore {
 public:
  struct Options {
    Millis usedPreKeyGrace = kUsedPreKeyGrace;
  };

  // All four must outlive the store; the schema comes from accountMigrations(). `lookup` is
  // LookupKey::derive(dataKey, LookupDomain::Signal) of the data key under `cipher`. `clock`
  // stamps used and retired keys (core reads no clock of its own).
  SqlSignalStore(Database& db, const ColumnCipher& cipher, const LookupKey& lookup,
                 const Clock& clock, Options options) noexcept
      : db_(db), cipher_(cipher), lookup_(lookup), clock_(clock), options_(options) {
    assert(lookup.domain() == LookupDomain::Signal);
  }
  SqlSignalStore(Database& db, const ColumnCipher& cipher, const LookupKey& lookup,
                 const Clock& clock) noexcept
      : SqlSignalStore(db, cipher, lookup, clock, Options{}) {}

  // ---- SignalStore ----
  [[nodiscard]] Result<signal::IdentityKeyPair> identityKeyPair() override;
  [[nodiscard]] Result<std::uint32_t> registrationId() override;

  [[nodiscard]] Result<std::optional<Bytes>> remoteIdentity(
      const signal::SignalAddress& address) override;
  [[nodiscard]] Status saveRemoteIdentity(const signal::SignalAddress& address,
                                          BytesView key) override;
  [[nodiscard]] Status removeRemoteIdentity(const signal::SignalAddress& address) override;

  // A used prekey is still returned within the grace window.
  [[nodiscard]] Result<std::optional<signal::PreKey>> preKey(std::uint32_t id) override;
  // Adds or replaces one prekey as new (not uploaded, unused); advances nextPreKeyId() when
  // `key.id` is the id it would have handed out.
  [[nodiscard]] Status storePreKey(const signal::PreKey& key) override;
  // Marks the prekey used now (see the grace window); not an error when it is unknown.
  [[nodiscard]] Status removePreKey(std::uint32_t id) override;

  // The current signed prekey or a retired one still in its grace period.
  [[nodiscard]] Result<std::optional<signal::SignedPreKey>> signedPreKey(std::uint32_t id) override;
  // Makes `key` the current signed prekey (written into the credentials; InvalidArgument unless
  // its key pair is consistent and signed by our identity). The one it replaces is retired now.
  [[nodiscard]] Status storeSignedPreKey(const signal::SignedPreKey& key) override;
  // Drops a retired signed prekey; InvalidArgument for the current one (rotate first).
  [[nodiscard]] Status removeSignedPreKey(std::uint32_t id) override;

  [[nodiscard]] Result<std::optional<SecretBytes>> session(
      const signal::SignalAddress& address) override;
  [[nodiscard]] Status storeSession(const signal::SignalAddress& address,
                                    BytesView record) override;
  [[nodiscard]] Result<bool> removeSession(const signal::SignalAddress& address) override;
  [[nodiscard]] Result<std::vector<std::int32_t>> sessionDevices(std::string_view user) override;
  [[nodiscard]] Result<std::size_t> removeAllSessions(std::string_view user) override;

  [[nodiscard]] Result<std::optional<SecretBytes>> senderKey(
      const signal::SenderKeyName& name) override;
  [[nodiscard]] Status storeSenderKey(const signal::SenderKeyName& name, BytesView record) override;
  // Forgets a sender key: for our own key of a group, the next send creates a new one (after a
  // member left, so they cannot read what follows).
  [[nodiscard]] Status removeSenderKey(const signal::SenderKeyName& name);

  // ---- who has our sender key ----
  // The devices that received our sender key of `groupId` in an SKDM: they get group texts as
  // one skmsg. Forgotten for the whole group when the key is replaced (removeSenderKeyHolders,
  // with removeSenderKey), and for every group when a user's devices change or their identity
  // does (forgetSenderKeyHolder): such a device may not have the key any more.
  [[nodiscard]] Result<bool> isSenderKeyHolder(std::string_view groupId,
                                               const signal::SignalAddress& device);
  // All or nothing; devices already recorded are fine.
  [[nodiscard]] Status addSenderKeyHolders(std::string_view groupId,
                                           std::span<const signal::SignalAddress> devices);
  [[nodiscard]] Status removeSenderKeyHolders(std::string_view groupId);
  [[nodiscard]] Status forgetSenderKeyHolder(std::string_view user);

  // ---- prekey management ----
  // The id the next new prekey gets (1 on a fresh database).
  [[nodiscard]] Result<std::uint32_t> nextPreKeyId();
  // A batch of new prekeys, as signal::generatePreKeys(nextPreKeyId(), n) makes them: the ids
  // must start at nextPreKeyId() and be consecutive (wrapping after 0xFFFFFF), else
  // InvalidArgument and nothing is stored. All or nothing.
  [[nodiscard]] Status storePreKeys(std::span<const signal::PreKey> keys);
  // Up to `limit` unused prekeys not yet uploaded (public halves only), lowest id first.
  [[nodiscard]] Result<std::vector<signal::PreKeyBundle::OneTimePreKey>> unuploadedPreKeys(
      std::size_t limit);
  // After the server accepted an upload. Unknown ids are ignored. All or nothing.
  [[nodiscard]] Status markPreKeysUploaded(std::span<const std::uint32_t> ids);
  // Unused prekeys the server has (uploaded and not used): whatsmeow's "database count".
  [[nodiscard]] Result<std::size_t> uploadedPreKeyCount();
  // Deletes prekeys used before `now - grace`; returns how many.
  [[nodiscard]] Result<std::size_t> purgeUsedPreKeys(TimePoint now, Millis grace);

  // ---- signed prekey rotation ----
  struct CurrentSignedPreKey {
    signal::SignedPreKey key;
    // When it became current; nullopt for the key made at linking (its age is not recorded:
    // the caller uses the linking time).
    std::optional<TimePoint> createdAt;
  };
  // NotFound before credentials exist.
  [[nodiscard]] Result<CurrentSignedPreKey> currentSignedPreKey();
  // Deletes signed prekeys retired before `now - grace`; returns how many.
  [[nodiscard]] Result<std::size_t> purgeRetiredSignedPreKeys(TimePoint now, Millis grace);

 private:
  // The current signed prekey; nullopt before credentials exist.
  [[nodiscard]] Result<std::optional<CurrentSignedPreKey>> loadCurrentSignedPreKey();
  [[nodiscard]] Status insertPreKey(const signal::PreKey& key);
  // Bind the hashed row keys: (user hash, device) to ?1 ?2; (group hash, sender user hash,
  // sender device) to ?1 ?2 ?3.
  [[nodiscard]] Status bindAddress(Statement& s, const signal::SignalAddress& address) const;
  [[nodiscard]] Status bindSenderKeyName(Statement& s, const signal::SenderKeyName& name) const;

  Database& db_;
  const ColumnCipher& cipher_;
  const LookupKey& lookup_;
  const Clock& clock_;
  Options options_;
};

}  // namespace chorus::core::store
