// X25519 Diffie-Hellman on raw 32-byte Curve25519 keys (libsodium). No 0x05 prefix here:
// the Signal layer adds it at its own boundary.
#pragma once

#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::crypto {

inline constexpr std::size_t kCurveKeySize = 32;

struct KeyPair {
  SecretBytes privateKey;  // 32 bytes, clamped
  Bytes publicKey;         // 32 bytes
};

// A fresh key pair from `random` (the private key is clamped as Curve25519 requires).
[[nodiscard]] Result<KeyPair> generateKeyPair(Random& random);
// The key pair of a given 32-byte private key (clamped on the way in).
[[nodiscard]] Result<KeyPair> keyPairFromPrivate(BytesView privateKey);
// X25519(priv, pub). Errc::Crypto for a low-order public key (all-zero shared secret),
// Errc::InvalidArgument for wrong sizes.
[[nodiscard]] Result<SecretBytes> x25519(BytesView privateKey, BytesView publicKey);

}  // namespace chorus::core::crypto
