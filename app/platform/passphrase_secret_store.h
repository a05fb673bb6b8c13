// PassphraseSecretStore: the SecretStore for machines without a usable keychain (architecture
// §2: "Without a keychain the user chooses a passphrase (Argon2id). Never a silent plaintext
// fallback.").
//
// Layout of its folder (normally <data>/secrets, owner-only 0700):
//   passphrase.json   {"version":1,"kdf":"argon2id13","salt":<hex 16 bytes>,"ops":N,
//                      "mem":<bytes>,"check":<hex box>} — no secret in it. "check" is a fixed
//                      text sealed under the derived key, so a wrong passphrase is detected by
//                      the AEAD (Errc::Crypto) even before any secret exists.
//   <sha256(name)>.secret   nonce || XChaCha20-Poly1305(secret), associated data = the name,
//                      so a file copied over another name's fails to open.
// Every file is 0600 and written atomically (QSaveFile: temporary file, then rename), so a
// crash leaves the old or the new secret, never a torn one.
//
// The key is derived once (create/unlock block for the Argon2id time, ~0.1-1 s with the
// defaults: call them before the engine starts or off the GUI thread). read/write/remove are
// small synchronous file operations; their completion runs before they return, which the
// SecretStore contract allows. Errors: NotFound (no such secret), Crypto (a file that does
// not authenticate), Malformed (a damaged file), Io (the file system).
#pragma once

#include <QString>
#include <memory>
#include <string_view>

#include "core/crypto/secretbox.h"
#include "core/store/secret_store.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::app {

class PassphraseSecretStore final : public core::store::SecretStore {
 public:
  // Argon2id cost when creating: 3 passes over 64 MiB.
  static constexpr core::crypto::Argon2Params kDefaultParams{3, 64u << 20};

  // Whether `folder` already holds a passphrase.json (then unlock, else create: the UI asks
  // for a new passphrase twice, or for the existing one once).
  [[nodiscard]] static bool isInitialized(const QString& folder);

  // `random` (nonces, salt) must outlive the store.
  // First use: makes the folder (0700) and passphrase.json with a fresh salt and `params`.
  // Errc::InvalidArgument for an empty passphrase or a folder that is already initialised
  // (never overwrite the salt the existing secrets depend on).
  [[nodiscard]] static core::Result<std::unique_ptr<PassphraseSecretStore>> create(
      const QString& folder, std::string_view passphrase, core::Random& random,
      const core::crypto::Argon2Params& params = kDefaultParams);

  // Later uses: derives the key with the stored salt and parameters and checks it.
  // Errc::Crypto for a wrong passphrase, NotFound when the folder is not initialised,
  // Malformed when passphrase.json is damaged or asks for unreasonable Argon2 costs.
  [[nodiscard]] static core::Result<std::unique_ptr<PassphraseSecretStore>> unlock(
      const QString& folder, std::string_view passphrase, core::Random& random);

  void read(const std::string& name, ReadDone done) override;
  void write(const std::string& name, core::SecretBytes value, Done done) override;
  void remove(const std::string& name, Done done) override;

  [[nodiscard]] const QString& folder() const noexcept { return folder_; }
  // The file that holds (or would hold) the secret `name`.
  [[nodiscard]] QString secretPath(const std::string& name) const;

 private:
  PassphraseSecretStore(QString folder, core::SecretBytes key, core::Random& random);

  [[nodiscard]] core::Result<core::SecretBytes> readSecret(const std::string& name) const;
  [[nodiscard]] core::Status writeSecret(const std::string& name, const core::SecretBytes& value);
  [[nodiscard]] core::Status removeSecret(const std::string& name);

  QString folder_;
  core::SecretBytes key_;
  core::Random& random_;
};

}  // namespace chorus::app
