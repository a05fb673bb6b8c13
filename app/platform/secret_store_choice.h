// Choosing where the account data keys live (architecture §2, "Secrets"): the OS keychain
// when one works, otherwise a passphrase the user picks (PassphraseSecretStore). Never a
// silent plaintext fallback.
//
// chooseSecretStore probes the keychain with a real round trip — write a random probe secret,
// read it back, compare, delete it — because "a keychain library is linked" says nothing
// about whether a Secret Service is running, unlocked and answering. It hands over:
//   * a ready KeychainSecretStore (no parent; the caller owns it), or
//   * Errc::Unsupported when there is no usable keychain (no D-Bus session, no Secret
//     Service, no backend, an I/O failure, different bytes read back): the UI/CLI asks for a
//     passphrase and opens a PassphraseSecretStore, or
//   * Errc::Cancelled when the user dismissed the keychain's unlock prompt: ask again or
//     offer the passphrase, the user's choice.
// `done` runs once, from the event loop, on the calling thread.
#pragma once

#include <QString>
#include <functional>
#include <memory>

#include "app/platform/keychain_secret_store.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::app {

// The keychain entry the probe writes and removes again.
inline constexpr char kKeychainProbeName[] = "chorus/probe";

using KeychainChoiceDone = std::function<void(core::Result<std::unique_ptr<KeychainSecretStore>>)>;

void chooseSecretStore(core::Random& random, KeychainChoiceDone done,
                       const QString& service = QString::fromLatin1(kKeychainService));

}  // namespace chorus::app
