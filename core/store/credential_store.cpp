#include "core/store/credential_store.h"

#include <array>
#include <limits>

namespace chorus::core::store {

namespace {

constexpr std::string_view kTable = "credentials";
constexpr std::string_view kRowKey = "1";  // the single row's primary key
constexpr std::size_t kKeySize = crypto::kCurveKeySize;
constexpr std::size_t kSignatureSize = 64;
constexpr std::size_t kAdvSecretSize = 32;

constexpr std::string_view kSelect =
    "SELECT noise_public, noise_private, identity_public, identity_private, signed_prekey_id,"
    " signed_prekey_public, signed_prekey_private, signed_prekey_signature, registration_id,"
    " adv_secret, device_jid, lid, push_name, platform FROM credentials WHERE id = 1";

constexpr std::string_view kSelectIdentity =
    "SELECT device_jid, signed_device_identity, primary_identity_key, key_index"
    " FROM credentials WHERE id = 1";

constexpr std::string_view kUpsert =
    "INSERT OR REPLACE INTO credentials (id, noise_public, noise_private, identity_public,"
    " identity_private, signed_prekey_id, signed_prekey_public, signed_prekey_private,"
    " signed_prekey_signature, registration_id, adv_secret, device_jid, lid, push_name, platform,"
    " signed_device_identity, primary_identity_key, key_index)"
    " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

RowId row(std::string_view column) {
  return RowId{kTable, column, kRowKey};
}

Status checkSize(BytesView value, std::size_t size, std::string_view what) {
  if (value.size() != size) {
    return fail(Errc::InvalidArgument,
                std::string(what) + " must be " + std::to_string(size) + " bytes");
  }
  return ok();
}

// A stored key pair: the private half opened, then checked against the plain public half,
// so a public key edited on disk is caught here rather than at the server.
Result<crypto::KeyPair> readKeyPair(const Statement& s, int publicColumn, int privateColumn,
                                    std::string_view privateName, const ColumnCipher& cipher) {
  CHORUS_TRY(privateKey, cipher.open(row(privateName), s.columnBlob(privateColumn)));
  Bytes publicKey = s.columnBlob(publicColumn);
  if (privateKey.size() != kKeySize || publicKey.size() != kKeySize) {
    return fail(Errc::Storage, "stored " + std::string(privateName) + " key has the wrong size");
  }
  CHORUS_TRY(derived, crypto::keyPairFromPrivate(privateKey.view()));
  if (!constantTimeEqual(derived.publicKey, publicKey)) {
    return fail(Errc::Storage,
                "stored " + std::string(privateName) + " does not match its public key");
  }
  return crypto::KeyPair{std::move(privateKey), std::move(publicKey)};
}

Result<std::string> readText(const Statement& s, int column, std::string_view name,
                             const ColumnCipher& cipher) {
  CHORUS_TRY(plain, cipher.open(row(name), s.columnBlob(column)));
  return std::string(asString(plain.view()));
}

Result<std::uint32_t> readU32(const Statement& s, int column, std::string_view name) {
  const std::int64_t value = s.columnInt(column);
  if (s.columnType(column) != ColumnType::Integer || value < 0 ||
      value > std::numeric_limits<std::uint32_t>::max()) {
    return fail(Errc::Storage, "stored " + std::string(name) + " is out of range");
  }
  return static_cast<std::uint32_t>(value);
}

}  // namespace

DeviceCredentials DeviceCredentials::clone() const {
  DeviceCredentials c;
  c.noiseKey = {noiseKey.privateKey.clone(), noiseKey.publicKey};
  c.identityKey = {identityKey.privateKey.clone(), identityKey.publicKey};
  c.signedPreKey.id = signedPreKey.id;
  c.signedPreKey.keyPair = {signedPreKey.keyPair.privateKey.clone(),
                            signedPreKey.keyPair.publicKey};
  c.signedPreKey.signature = signedPreKey.signature;
  c.registrationId = registrationId;
  c.advSecret = advSecret.clone();
  c.deviceJid = deviceJid;
  c.lid = lid;
  c.pushName = pushName;
  c.platform = platform;
  return c;
}

Result<bool> CredentialStore::hasCredentials() {
  CHORUS_TRY(s, db_.prepare("SELECT 1 FROM credentials WHERE id = 1"));
  return s.step();
}

Result<DeviceCredentials> CredentialStore::load() {
  CHORUS_TRY(s, db_.prepare(kSelect));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return fail(Errc::NotFound, "no device credentials stored");

  DeviceCredentials c;
  CHORUS_TRY(noise, readKeyPair(s, 0, 1, "noise_private", cipher_));
  CHORUS_TRY(identity, readKeyPair(s, 2, 3, "identity_private", cipher_));
  CHORUS_TRY(prekeyId, readU32(s, 4, "signed_prekey_id"));
  CHORUS_TRY(prekey, readKeyPair(s, 5, 6, "signed_prekey_private", cipher_));
  CHORUS_TRY(registrationId, readU32(s, 8, "registration_id"));
  CHORUS_TRY(advSecret, cipher_.open(row("adv_secret"), s.columnBlob(9)));
  CHORUS_TRY(deviceJid, readText(s, 10, "device_jid", cipher_));
  CHORUS_TRY(lid, readText(s, 11, "lid", cipher_));
  CHORUS_TRY(pushName, readText(s, 12, "push_name", cipher_));
  Bytes signature = s.columnBlob(7);
  if (signature.size() != kSignatureSize || advSecret.size() != kAdvSecretSize) {
    return fail(Errc::Storage, "stored signed prekey signature or ADV secret has the wrong size");
  }
  c.noiseKey = std::move(noise);
  c.identityKey = std::move(identity);
  c.signedPreKey = {prekeyId, std::move(prekey), std::move(signature)};
  c.registrationId = registrationId;
  c.advSecret = std::move(advSecret);
  c.deviceJid = std::move(deviceJid);
  c.lid = std::move(lid);
  c.pushName = std::move(pushName);
  c.platform = s.columnText(13);
  return c;
}

Result<DeviceIdentity> CredentialStore::loadIdentity() {
  CHORUS_TRY(s, db_.prepare(kSelectIdentity));
  CHORUS_TRY(hasRow, s.step());
  if (!hasRow) return fail(Errc::NotFound, "no device credentials stored");

  DeviceIdentity identity;
  CHORUS_TRY(deviceJid, readText(s, 0, "device_jid", cipher_));
  const Bytes sealed = s.columnBlob(1);
  if (!sealed.empty()) {  // empty: not recorded
    CHORUS_TRY(signedIdentity, cipher_.open(row("signed_device_identity"), sealed));
    identity.signedDeviceIdentity = toBytes(signedIdentity.view());
  }
  identity.primaryIdentityKey = s.columnBlob(2);
  CHORUS_TRY(keyIndex, readU32(s, 3, "key_index"));
  identity.keyIndex = keyIndex;
  const bool consistent =
      identity.empty() ? identity.primaryIdentityKey.empty() && identity.keyIndex == 0
                       : identity.primaryIdentityKey.size() == kKeySize && !deviceJid.empty();
  if (!consistent) return fail(Errc::Storage, "stored device identity is inconsistent");
  return identity;
}

Status CredentialStore::save(const DeviceCredentials& c) {
  return save(c, DeviceIdentity{});
}

Status CredentialStore::save(const DeviceCredentials& c, const DeviceIdentity& identity) {
  CHORUS_CHECK(checkSize(c.noiseKey.publicKey, kKeySize, "noise public key"));
  CHORUS_CHECK(checkSize(c.noiseKey.privateKey.view(), kKeySize, "noise private key"));
  CHORUS_CHECK(checkSize(c.identityKey.publicKey, kKeySize, "identity public key"));
  CHORUS_CHECK(checkSize(c.identityKey.privateKey.view(), kKeySize, "identity private key"));
  CHORUS_CHECK(checkSize(c.signedPreKey.keyPair.publicKey, kKeySize, "signed prekey public key"));
  CHORUS_CHECK(
      checkSize(c.signedPreKey.keyPair.privateKey.view(), kKeySize, "signed prekey private key"));
  CHORUS_CHECK(checkSize(c.signedPreKey.signature, kSignatureSize, "signed prekey signature"));
  CHORUS_CHECK(checkSize(c.advSecret.view(), kAdvSecretSize, "ADV secret"));
  if (identity.empty()) {
    if (!identity.primaryIdentityKey.empty() || identity.keyIndex != 0) {
      return fail(Errc::InvalidArgument, "a key index or primary key without a device identity");
    }
  } else {
    if (!c.isPaired()) {
      return fail(Errc::InvalidArgument, "a device identity needs paired credentials");
    }
    CHORUS_CHECK(checkSize(identity.primaryIdentityKey, kKeySize, "primary identity key"));
  }

  // Encrypt everything first: nothing touches the database unless every value sealed.
  CHORUS_TRY(noisePrivate, cipher_.seal(row("noise_private"), c.noiseKey.privateKey.view()));
  CHORUS_TRY(identityPrivate,
             cipher_.seal(row("identity_private"), c.identityKey.privateKey.view()));
  CHORUS_TRY(prekeyPrivate,
             cipher_.seal(row("signed_prekey_private"), c.signedPreKey.keyPair.privateKey.view()));
  CHORUS_TRY(advSecret, cipher_.seal(row("adv_secret"), c.advSecret.view()));
  CHORUS_TRY(deviceJid, cipher_.seal(row("device_jid"), asBytes(c.deviceJid)));
  CHORUS_TRY(lid, cipher_.seal(row("lid"), asBytes(c.lid)));
  CHORUS_TRY(pushName, cipher_.seal(row("push_name"), asBytes(c.pushName)));
  Bytes signedIdentity;  // stays empty while there is none
  if (!identity.empty()) {
    CHORUS_TRY(sealed, cipher_.seal(row("signed_device_identity"), identity.signedDeviceIdentity));
    signedIdentity = std::move(sealed);
  }

  CHORUS_TRY(tx, db_.begin());
  CHORUS_TRY(s, db_.prepare(kUpsert));
  CHORUS_CHECK(s.bindBlob(1, c.noiseKey.publicKey));
  CHORUS_CHECK(s.bindBlob(2, noisePrivate));
  CHORUS_CHECK(s.bindBlob(3, c.identityKey.publicKey));
  CHORUS_CHECK(s.bindBlob(4, identityPrivate));
  CHORUS_CHECK(s.bindInt(5, c.signedPreKey.id));
  CHORUS_CHECK(s.bindBlob(6, c.signedPreKey.keyPair.publicKey));
  CHORUS_CHECK(s.bindBlob(7, prekeyPrivate));
  CHORUS_CHECK(s.bindBlob(8, c.signedPreKey.signature));
  CHORUS_CHECK(s.bindInt(9, c.registrationId));
  CHORUS_CHECK(s.bindBlob(10, advSecret));
  CHORUS_CHECK(s.bindBlob(11, deviceJid));
  CHORUS_CHECK(s.bindBlob(12, lid));
  CHORUS_CHECK(s.bindBlob(13, pushName));
  CHORUS_CHECK(s.bindText(14, c.platform));
  CHORUS_CHECK(s.bindBlob(15, signedIdentity));
  CHORUS_CHECK(s.bindBlob(16, identity.primaryIdentityKey));
  CHORUS_CHECK(s.bindInt(17, identity.keyIndex));
  CHORUS_CHECK(s.run());
  return tx.commit();
}

Status CredentialStore::clear() {
  CHORUS_TRY(tx, db_.begin());
  CHORUS_CHECK(db_.exec("DELETE FROM credentials"));
  return tx.commit();
}

}  // namespace chorus::core::store
