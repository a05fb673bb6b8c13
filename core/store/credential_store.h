// CredentialStore: the device credentials of one account (the linked companion's keys and
// identity) in its database. Private material and personal data (private keys, ADV secret,
// JIDs, push name) are ColumnCipher values; public keys, ids and the platform are plain.
// Saving replaces the whole record in one transaction (a savepoint when the caller has one
// open, so pairing can commit credentials together with other state); loading reads one row
// and either returns all of it or an error, never a partial record.
//
// The record also holds the DeviceIdentity that linking yields besides the credentials (the
// signed device identity is a ColumnCipher value; the phone's public identity key and the key
// index are plain). It is saved together with the credentials and empty while unpaired.
#pragma once

#include <cstdint>
#include <string>

#include "core/crypto/x25519.h"
#include "core/store/column_cipher.h"
#include "core/store/database.h"
#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::store {

struct SignedPreKeyRecord {
  std::uint32_t id = 0;
  crypto::KeyPair keyPair;
  Bytes signature;  // 64: XEdDSA by the identity key over 0x05 ‖ public key
};

struct DeviceCredentials {
  crypto::KeyPair noiseKey;
  crypto::KeyPair identityKey;
  SignedPreKeyRecord signedPreKey;
  std::uint32_t registrationId = 0;
  SecretBytes advSecret;  // 32
  std::string deviceJid;  // "<number>:<device>@s.whatsapp.net"; empty until paired
  std::string lid;        // "<lid>:<device>@lid"; empty when unknown
  std::string pushName;
  std::string platform;

  [[nodiscard]] bool isPaired() const noexcept { return !deviceJid.empty(); }
  [[nodiscard]] DeviceCredentials clone() const;
};

// What <pair-success> yields besides the credentials (protocol §6.3), kept for the
// <device-identity> of prekey messages. All empty while unpaired (and for records saved before
// schema step 2).
struct DeviceIdentity {
  Bytes signedDeviceIdentity;  // ADVSignedDeviceIdentity including our device signature
  Bytes primaryIdentityKey;    // 32: the phone's identity key (the account signature key)
  std::uint32_t keyIndex = 0;

  [[nodiscard]] bool empty() const noexcept { return signedDeviceIdentity.empty(); }
  [[nodiscard]] bool operator==(const DeviceIdentity&) const = default;
};

class CredentialStore {
 public:
  // Both must outlive the store. The schema comes from accountMigrations().
  CredentialStore(Database& db, const ColumnCipher& cipher) noexcept : db_(db), cipher_(cipher) {}

  [[nodiscard]] Result<bool> hasCredentials();
  // Errc::NotFound when none are stored; Errc::Crypto when they do not open under this data
  // key; Errc::Storage when the stored record is inconsistent (sizes, key pairs).
  [[nodiscard]] Result<DeviceCredentials> load();
  // The identity stored with the credentials (empty when none). Errors as load().
  [[nodiscard]] Result<DeviceIdentity> loadIdentity();
  // Errc::InvalidArgument when a key has the wrong size. Replaces the stored identity with an
  // empty one.
  [[nodiscard]] Status save(const DeviceCredentials& credentials);
  // Credentials and identity as one record. Errc::InvalidArgument also for an identity without
  // paired credentials, or a primary identity key that is not 32 bytes.
  [[nodiscard]] Status save(const DeviceCredentials& credentials, const DeviceIdentity& identity);
  // Forgets the device (logged out or unlinked). Not an error when nothing was stored.
  [[nodiscard]] Status clear();

 private:
  Database& db_;
  const ColumnCipher& cipher_;
};

}  // namespace chorus::core::store
