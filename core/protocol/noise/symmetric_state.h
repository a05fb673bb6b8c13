// SymmetricState: the Noise SymmetricState + CipherState pair for
// Noise_XX_25519_AESGCM_SHA256 as WhatsApp runs it (protocol notes §2.1–§2.3): h and ck start
// as the 32-byte protocol name (unhashed, because it is exactly 32 bytes), the prologue is the
// 4-byte intro header, and ONE nonce counter serves both directions during the handshake.
// NoiseInitiator and NoiseResponder drive it; tests use it directly to check every
// intermediate h / ck / k of the deterministic vector.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "core/crypto/aes_gcm.h"
#include "core/util/bytes.h"
#include "core/util/result.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::noise {

// "Noise_XX_25519_AESGCM_SHA256" padded with 4 NUL bytes to 32.
inline constexpr char kProtocolName[] = "Noise_XX_25519_AESGCM_SHA256\0\0\0";
inline constexpr std::size_t kProtocolNameSize = 32;
static_assert(sizeof(kProtocolName) == kProtocolNameSize);

class SymmetricState {
 public:
  // Initialize with the protocol name, then MixHash(prologue).
  explicit SymmetricState(BytesView prologue);

  // h = SHA256(h || data)
  void mixHash(BytesView data);
  // (ck, k) = HKDF-SHA256(salt = ck, ikm, info = "", 64 bytes); n = 0.
  [[nodiscard]] Status mixKey(BytesView inputKeyMaterial);
  // c = AES-GCM(k, iv(n), aad = h, plaintext); n++; MixHash(c). Requires a prior mixKey.
  [[nodiscard]] Result<Bytes> encryptAndHash(BytesView plaintext);
  // The mirror of encryptAndHash; Errc::Crypto when the tag does not verify, Errc::Malformed
  // when shorter than a tag. The counter advances only on success.
  [[nodiscard]] Result<Bytes> decryptAndHash(BytesView ciphertext);
  // HKDF-SHA256(salt = ck, ikm = "", info = "", 64): {initiator-write key, responder-write key}.
  [[nodiscard]] Result<std::pair<SecretBytes, SecretBytes>> split() const;

  // Inspection for tests and the deterministic vector; never log these.
  [[nodiscard]] BytesView hash() const noexcept { return h_; }
  [[nodiscard]] BytesView chainingKey() const noexcept { return ck_.view(); }
  [[nodiscard]] BytesView cipherKey() const noexcept { return k_.view(); }
  [[nodiscard]] std::uint64_t counter() const noexcept { return n_; }

 private:
  [[nodiscard]] Status checkCipher() const;

  Bytes h_;
  SecretBytes ck_;
  SecretBytes k_;
  std::optional<crypto::AesGcm> cipher_;  // keyed with k_ after the first mixKey
  std::uint64_t n_ = 0;
};

}  // namespace chorus::core::noise
