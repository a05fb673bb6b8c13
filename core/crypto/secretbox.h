// Encryption at rest: XChaCha20-Poly1305 AEAD and Argon2id key derivation (libsodium).
#pragma once

#include <cstdint>

#include "core/util/bytes.h"
#include "core/util/random.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::crypto {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 24;
inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::size_t kArgon2SaltSize = 16;

[[nodiscard]] Result<Bytes> xchachaSeal(BytesView key, BytesView nonce, BytesView aad, BytesView plaintext);
// Errc::Crypto when authentication fails.
[[nodiscard]] Result<SecretBytes> xchachaOpen(BytesView key, BytesView nonce, BytesView aad, BytesView sealed);

// nonce || ciphertext || tag with a fresh random nonce: the form stored in database columns.
[[nodiscard]] Result<Bytes> sealWithRandomNonce(BytesView key, BytesView aad, BytesView plaintext, Random& random);
[[nodiscard]] Result<SecretBytes> openWithNonce(BytesView key, BytesView aad, BytesView box);

struct Argon2Params {
  std::uint64_t opsLimit = 3;                 // libsodium OPSLIMIT_MODERATE-ish, tuned in callers
  std::size_t memLimitBytes = 64u << 20;      // 64 MiB
};

// Argon2id13 (libsodium crypto_pwhash). Errc::InvalidArgument for a bad salt size or limits.
[[nodiscard]] Result<SecretBytes> argon2id(std::string_view passphrase, BytesView salt,
                                           std::size_t length, const Argon2Params& params);

}  // namespace chorus::core::crypto
