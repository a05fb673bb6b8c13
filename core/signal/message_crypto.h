// Internal to core/signal: the symmetric primitives of every Signal message — HMAC-SHA256 and
// AES-256-CBC (PKCS#7) — shared by libsignal's crypto provider (crypto_provider.cpp) and our own
// symmetric-ratchet step (symmetric_ratchet.cpp), which run them for every message.
#pragma once

#include <cstddef>
#include <cstdint>

#include <openssl/sha.h>

#include "core/crypto/hash.h"  // kSha256Size
#include "core/util/bytes.h"

struct evp_cipher_ctx_st;  // OpenSSL's EVP_CIPHER_CTX
struct evp_cipher_st;      // OpenSSL's EVP_CIPHER

namespace chorus::core::signal::detail {

// HMAC-SHA256 (RFC 2104) on OpenSSL's SHA-256 block functions. This is the hottest code of a
// Signal message (a dozen HMACs per encrypt or decrypt: chain keys, HKDF, the MAC), each over a
// few dozen bytes, so the fixed costs dominate: init absorbs key ⊕ ipad and key ⊕ opad once
// into plain SHA256_CTX values (no heap, no EVP dispatch), finish copies the opad state. The
// SHA256_* functions run the same assembly as EVP (SHA extensions where the CPU has them;
// libsodium's portable C is 2-7x slower here); EVP's per-call context setup cost as much as the
// hashing. After finish() the object computes a fresh HMAC with the same key.
class HmacSha256 {
 public:
  HmacSha256() = default;
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;
  ~HmacSha256();

  [[nodiscard]] bool init(BytesView key);
  [[nodiscard]] bool update(BytesView data);
  [[nodiscard]] bool finish(std::uint8_t (&mac)[crypto::kSha256Size]);

 private:
  SHA256_CTX start_{};  // after key ⊕ ipad: where every message starts
  SHA256_CTX inner_{};  // start_ plus the message so far
  SHA256_CTX outer_{};  // after key ⊕ opad
};

// The AES-256-CBC cipher, fetched once (EVP_aes_256_cbc() is an implicit fetch — a lock and a
// lookup — on every call). Null when OpenSSL has no AES.
[[nodiscard]] const evp_cipher_st* aes256Cbc();

// One AES-256-CBC pass with PKCS#7 padding on `ctx` (initialised once with aes256Cbc()),
// re-keyed for this message and afterwards re-keyed with zeros so the message key's schedule
// does not stay in memory. `out` must hold input.size() + 16 bytes when encrypting,
// input.size() when decrypting (whole blocks only). False when OpenSSL refuses (bad sizes, bad
// padding); `written` is then meaningless and `out` may hold partial output the caller wipes.
[[nodiscard]] bool runAesCbc(evp_cipher_ctx_st* ctx, BytesView key, BytesView iv, BytesView input,
                             std::uint8_t* out, std::size_t& written, bool encrypt);

}  // namespace chorus::core::signal::detail
