// CredentialStore: the device credentials of one account (the linked companion's keys and
// identity) in its database. Private material and personal data (private keys, ADV secret,
// JIDs, push name) are ColumnCipher values; public keys, ids and the platform are plain.
// Saving replaces the whole record in one transaction (a savepoint when the caller has one
// open, so pairing can commit credentials together with other state); loading reads one row
// and either returns all of it or an error, never a partial record.
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

class CredentialStore {
 public:
  // Both must outlive the store. The schema comes from accountMigrations().
  CredentialStore(Database& db, const ColumnCipher& cipher) noexcept : db_(db), cipher_(cipher) {}

  [[nodiscard]] Result<bool> hasCredentials();
  // Errc::NotFound when none are stored; Errc::Crypto when they do not open under this data
  // key; Errc::Storage when the stored record is inconsistent (sizes, key pairs).
  [[nodiscard]] Result<DeviceCredentials> load();
  // Errc::InvalidArgument when a key has the wrong size.
  [[nodiscard]] Status save(const DeviceCredentials& credentials);
  // Forgets the device (logged out or unlinked). Not an error when nothing was stored.
  [[nodiscard]] Status clear();

 private:
  Database& db_;
  const ColumnCipher& cipher_;
};

}  // namespace chorus::core::store
