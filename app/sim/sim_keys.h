// The simulator's long-term Noise identity: a test root key, an intermediate key and the server
// static key, plus the certificate chain root → intermediate → leaf(static) that ServerHello
// carries (protocol notes §2.5, §15.1). The private keys are created on first start and kept in
// DATA/keys.json (owner-only), so clients that pinned the root key keep trusting a restarted
// simulator. They are test keys for loopback use, not secrets worth a keychain.
#pragma once

#include <QString>

#include "core/crypto/x25519.h"
#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"

namespace chorus::sim {

class SimKeys {
 public:
  // Loads DIR/keys.json, or creates and saves fresh keys when it does not exist yet.
  // Errc::Io when the file cannot be read or written, Errc::Malformed when it is damaged.
  [[nodiscard]] static core::Result<SimKeys> loadOrCreate(const QString& dataDir,
                                                          core::Random& random);

  [[nodiscard]] const core::Bytes& rootPublicKey() const noexcept { return root_.publicKey; }
  [[nodiscard]] const core::crypto::KeyPair& serverStatic() const noexcept { return static_; }
  // A serialized CertChain; signed once per start (XEdDSA signatures are randomized).
  [[nodiscard]] const core::Bytes& certChain() const noexcept { return certChain_; }

 private:
  SimKeys() = default;

  core::crypto::KeyPair root_;
  core::crypto::KeyPair intermediate_;
  core::crypto::KeyPair static_;
  core::Bytes certChain_;
};

}  // namespace chorus::sim
