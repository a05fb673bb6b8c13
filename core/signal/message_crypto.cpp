// The SHA256_* block functions (see HmacSha256) without OpenSSL 3's deprecation attributes.
#define OPENSSL_API_COMPAT 10101

#include "core/signal/message_crypto.h"

#include <climits>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/crypto/aes_cbc.h"  // kCbcIvSize
#include "core/crypto/aes_gcm.h"  // kAesKeySize

namespace chorus::core::signal::detail {

namespace {

constexpr std::size_t kSha256BlockSize = 64;
constexpr std::size_t kAesBlockSize = 16;
constexpr std::uint8_t kInnerPad = 0x36;  // RFC 2104
constexpr std::uint8_t kOuterPad = 0x5c;

// `ctx` = SHA-256 after absorbing key ⊕ pad (the key zero-padded to one block).
bool padded(SHA256_CTX& ctx, const std::uint8_t (&key)[kSha256BlockSize], std::uint8_t pad) {
  std::uint8_t block[kSha256BlockSize];
  for (std::size_t i = 0; i < kSha256BlockSize; ++i) block[i] = key[i] ^ pad;
  const bool ok = SHA256_Init(&ctx) == 1 && SHA256_Update(&ctx, block, sizeof block) == 1;
  OPENSSL_cleanse(block, sizeof block);
  return ok;
}

}  // namespace

HmacSha256::~HmacSha256() {
  OPENSSL_cleanse(&start_, sizeof start_);
  OPENSSL_cleanse(&inner_, sizeof inner_);
  OPENSSL_cleanse(&outer_, sizeof outer_);
}

bool HmacSha256::init(BytesView key) {
  std::uint8_t block[kSha256BlockSize] = {};
  if (key.size() > kSha256BlockSize) {
    SHA256(key.data(), key.size(), block);
  } else if (!key.empty()) {
    std::memcpy(block, key.data(), key.size());
  }
  const bool ok = padded(start_, block, kInnerPad) && padded(outer_, block, kOuterPad);
  OPENSSL_cleanse(block, sizeof block);
  inner_ = start_;
  return ok;
}

bool HmacSha256::update(BytesView data) {
  return SHA256_Update(&inner_, data.data(), data.size()) == 1;
}

bool HmacSha256::finish(std::uint8_t (&mac)[crypto::kSha256Size]) {
  std::uint8_t innerHash[crypto::kSha256Size];
  SHA256_CTX outer = outer_;
  const bool ok = SHA256_Final(innerHash, &inner_) == 1 &&
                  SHA256_Update(&outer, innerHash, sizeof innerHash) == 1 &&
                  SHA256_Final(mac, &outer) == 1;
  OPENSSL_cleanse(innerHash, sizeof innerHash);
  OPENSSL_cleanse(&outer, sizeof outer);
  inner_ = start_;
  return ok;
}

const evp_cipher_st* aes256Cbc() {
  static const EVP_CIPHER* const kCipher = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  return kCipher;
}

bool runAesCbc(evp_cipher_ctx_st* ctx, BytesView key, BytesView iv, BytesView input,
               std::uint8_t* out, std::size_t& written, bool encrypt) {
  if (ctx == nullptr || key.size() != crypto::kAesKeySize || iv.size() != crypto::kCbcIvSize)
    return false;
  if (input.size() > static_cast<std::size_t>(INT_MAX) - kAesBlockSize) return false;
  if (!encrypt && (input.empty() || input.size() % kAesBlockSize != 0)) return false;
  int body = 0;
  int tail = 0;
  const bool ok =
      EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data(), iv.data(), encrypt ? 1 : 0) == 1 &&
      EVP_CipherUpdate(ctx, out, &body, input.data(), static_cast<int>(input.size())) == 1 &&
      EVP_CipherFinal_ex(ctx, out + body, &tail) == 1;
  static constexpr std::uint8_t kZeroKey[crypto::kAesKeySize] = {};
  const bool wiped = EVP_CipherInit_ex(ctx, nullptr, nullptr, kZeroKey, nullptr, -1) == 1;
  written = static_cast<std::size_t>(body) + static_cast<std::size_t>(tail);
  return ok && wiped;
}

}  // namespace chorus::core::signal::detail
