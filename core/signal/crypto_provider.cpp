// libsignal's crypto provider: HMAC-SHA256 and AES-256-CBC (PKCS#7) on OpenSSL directly, with
// the cipher fetched once (they run for every Signal message); SHA-512 and AES-256-CTR on
// core/crypto; randomness from the context's injected Random.
// Nothing may unwind through libsignal's C frames, so every callback catches everything and
// reports SG_ERR_UNKNOWN.
// The SHA256_* block functions (see Hmac) without OpenSSL 3's deprecation attributes.
#define OPENSSL_API_COMPAT 10101

#include <climits>
#include <cstring>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "core/crypto/aes_cbc.h"
#include "core/crypto/aes_ctr.h"
#include "core/crypto/aes_gcm.h"  // kAesKeySize
#include "core/crypto/hash.h"
#include "core/signal/signal_context_impl.h"

namespace chorus::core::signal::detail {

namespace {

constexpr std::size_t kSha256BlockSize = 64;
constexpr std::size_t kAesBlockSize = 16;
constexpr std::uint8_t kInnerPad = 0x36;  // RFC 2104
constexpr std::uint8_t kOuterPad = 0x5c;

// SHA-512 is fed small inputs (only outside the message path), so it collects the input and
// hashes it once at the end with core/crypto's one-shot function.
struct Accumulator {
  Bytes data;
  ~Accumulator() {
    if (!data.empty()) OPENSSL_cleanse(data.data(), data.size());
  }
};

// HMAC-SHA256 (RFC 2104) on OpenSSL's SHA-256 block functions. This is the hottest code of a
// Signal message (a dozen HMACs per encrypt or decrypt: chain keys, HKDF, the MAC), each over a
// few dozen bytes, so the fixed costs dominate: init absorbs key ⊕ ipad and key ⊕ opad once
// into plain SHA256_CTX values (no heap, no EVP dispatch), finish copies the opad state. The
// SHA256_* functions run the same assembly as EVP (SHA extensions where the CPU has them;
// libsodium's portable C is 2-7x slower here). They are deprecated in OpenSSL 3 in favour of
// EVP, whose per-call context setup cost as much as the hashing; OPENSSL_API_COMPAT above keeps
// them visible. After finish() the context computes a fresh HMAC with the same key, as
// libsignal's provider contract allows.
class Hmac {
 public:
  Hmac() = default;
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;
  ~Hmac() {
    OPENSSL_cleanse(&start_, sizeof start_);
    OPENSSL_cleanse(&inner_, sizeof inner_);
    OPENSSL_cleanse(&outer_, sizeof outer_);
  }

  [[nodiscard]] bool init(BytesView key) {
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
  [[nodiscard]] bool update(BytesView data) {
    return SHA256_Update(&inner_, data.data(), data.size()) == 1;
  }
  [[nodiscard]] bool finish(std::uint8_t (&mac)[crypto::kSha256Size]) {
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

 private:
  // `ctx` = SHA-256 after absorbing key ⊕ pad (the key zero-padded to one block).
  static bool padded(SHA256_CTX& ctx, const std::uint8_t (&key)[kSha256BlockSize],
                     std::uint8_t pad) {
    std::uint8_t block[kSha256BlockSize];
    for (std::size_t i = 0; i < kSha256BlockSize; ++i) block[i] = key[i] ^ pad;
    const bool ok = SHA256_Init(&ctx) == 1 && SHA256_Update(&ctx, block, sizeof block) == 1;
    OPENSSL_cleanse(block, sizeof block);
    return ok;
  }

  SHA256_CTX start_{};  // after key ⊕ ipad: where every message starts
  SHA256_CTX inner_{};  // start_ plus the message so far
  SHA256_CTX outer_{};  // after key ⊕ opad
};

SignalContext::Impl* implOf(void* userData) {
  return static_cast<SignalContext::Impl*>(userData);
}

int toOutput(signal_buffer** output, BytesView data) {
  BufferPtr buffer = makeBuffer(data);
  if (!buffer) return SG_ERR_NOMEM;
  *output = buffer.release();
  return 0;
}

int randomBytes(std::uint8_t* data, std::size_t len, void* userData) {
  try {
    if (len > 0) implOf(userData)->random.fill({data, len});
    return 0;
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

int hmacInit(void** context, const std::uint8_t* key, std::size_t keyLen, void*) {
  try {
    auto hmac = std::make_unique<Hmac>();
    if (!hmac->init(BytesView(key, keyLen))) return SG_ERR_UNKNOWN;
    *context = hmac.release();
    return 0;
  } catch (...) {
    return SG_ERR_NOMEM;
  }
}

int hmacUpdate(void* context, const std::uint8_t* data, std::size_t len, void*) {
  if (len == 0) return 0;
  return static_cast<Hmac*>(context)->update(BytesView(data, len)) ? 0 : SG_ERR_UNKNOWN;
}

int hmacFinal(void* context, signal_buffer** output, void*) {
  try {
    std::uint8_t mac[crypto::kSha256Size];
    if (!static_cast<Hmac*>(context)->finish(mac)) return SG_ERR_UNKNOWN;
    const int rc = toOutput(output, mac);
    OPENSSL_cleanse(mac, sizeof mac);
    return rc;
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

void hmacCleanup(void* context, void*) {
  delete static_cast<Hmac*>(context);
}

int sha512Update(void* context, const std::uint8_t* data, std::size_t len, void*) {
  try {
    if (len > 0) append(static_cast<Accumulator*>(context)->data, BytesView(data, len));
    return 0;
  } catch (...) {
    return SG_ERR_NOMEM;
  }
}

void sha512Cleanup(void* context, void*) {
  delete static_cast<Accumulator*>(context);
}

int sha512Init(void** context, void*) {
  try {
    *context = new Accumulator();
    return 0;
  } catch (...) {
    return SG_ERR_NOMEM;
  }
}

int sha512Final(void* context, signal_buffer** output, void*) {
  try {
    auto* acc = static_cast<Accumulator*>(context);
    Bytes digest = crypto::sha512(acc->data);
    OPENSSL_cleanse(acc->data.data(), acc->data.size());
    acc->data.clear();
    return toOutput(output, digest);
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

// AES-256-CBC fetched once: EVP_aes_256_cbc() is an implicit fetch (a lock and a lookup) on
// every call.
const EVP_CIPHER* aes256Cbc() {
  static const EVP_CIPHER* const kCipher = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  return kCipher;
}

// AES-256-CBC with OpenSSL's PKCS#7 padding, as crypto::aesCbcEncrypt/aesCbcDecrypt and with
// the same error mapping: INVAL for a bad key or IV size, UNKNOWN for anything else (bad
// padding, not whole blocks). One context per SignalContext (impl.cbc), re-keyed for every
// message: a fresh context per call cost more than the cipher. Afterwards it is re-keyed with
// zeros so the message key's schedule does not stay in memory. Ciphertext is written straight
// into libsignal's buffer (its size is known); plaintext goes through impl.cbcScratch, wiped.
int runCbc(SignalContext::Impl& impl, signal_buffer** output, BytesView key, BytesView iv,
           BytesView input, bool encrypt) {
  if (key.size() != crypto::kAesKeySize || iv.size() != crypto::kCbcIvSize) return SG_ERR_INVAL;
  if (input.size() > static_cast<std::size_t>(INT_MAX) - kAesBlockSize) return SG_ERR_UNKNOWN;
  if (!encrypt && (input.empty() || input.size() % kAesBlockSize != 0)) return SG_ERR_UNKNOWN;
  EVP_CIPHER_CTX* ctx = impl.cbc.get();
  if (ctx == nullptr) return SG_ERR_UNKNOWN;

  BufferPtr sealed;
  std::uint8_t* out = nullptr;
  if (encrypt) {  // PKCS#7 always adds 1..16 bytes
    sealed.reset(signal_buffer_alloc((input.size() / kAesBlockSize + 1) * kAesBlockSize));
    if (!sealed) return SG_ERR_NOMEM;
    out = signal_buffer_data(sealed.get());
  } else {
    impl.cbcScratch.resize(input.size());
    out = impl.cbcScratch.data();
  }
  int written = 0;
  int tail = 0;
  const bool ok =
      EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data(), iv.data(), encrypt ? 1 : 0) == 1 &&
      EVP_CipherUpdate(ctx, out, &written, input.data(), static_cast<int>(input.size())) == 1 &&
      EVP_CipherFinal_ex(ctx, out + written, &tail) == 1;
  static constexpr std::uint8_t kZeroKey[crypto::kAesKeySize] = {};
  const bool wiped = EVP_CipherInit_ex(ctx, nullptr, nullptr, kZeroKey, nullptr, -1) == 1;
  if (encrypt) {
    if (!ok || !wiped) return SG_ERR_UNKNOWN;
    *output = sealed.release();
    return 0;
  }
  const std::size_t length = static_cast<std::size_t>(written) + static_cast<std::size_t>(tail);
  const int rc = ok && wiped ? toOutput(output, BytesView(out, length)) : SG_ERR_UNKNOWN;
  OPENSSL_cleanse(out, input.size());  // plaintext, or what came out before bad padding
  return rc;
}

int runCipher(SignalContext::Impl& impl, signal_buffer** output, int cipher, BytesView key,
              BytesView iv, BytesView input, bool encrypt) {
  if (cipher == SG_CIPHER_AES_CBC_PKCS5) return runCbc(impl, output, key, iv, input, encrypt);
  if (cipher != SG_CIPHER_AES_CTR_NOPADDING) return SG_ERR_INVAL;
  Result<Bytes> result = crypto::aes256Ctr(key, iv, input);
  if (!result) return result.error().code == Errc::InvalidArgument ? SG_ERR_INVAL : SG_ERR_UNKNOWN;
  const int rc = toOutput(output, *result);
  OPENSSL_cleanse(result->data(), result->size());
  return rc;
}

int encryptFunc(signal_buffer** output, int cipher, const std::uint8_t* key, std::size_t keyLen,
                const std::uint8_t* iv, std::size_t ivLen, const std::uint8_t* in,
                std::size_t inLen, void* userData) {
  try {
    return runCipher(*implOf(userData), output, cipher, {key, keyLen}, {iv, ivLen}, {in, inLen},
                     true);
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

int decryptFunc(signal_buffer** output, int cipher, const std::uint8_t* key, std::size_t keyLen,
                const std::uint8_t* iv, std::size_t ivLen, const std::uint8_t* in,
                std::size_t inLen, void* userData) {
  try {
    return runCipher(*implOf(userData), output, cipher, {key, keyLen}, {iv, ivLen}, {in, inLen},
                     false);
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

}  // namespace

void CipherContextFree::operator()(evp_cipher_ctx_st* ctx) const {
  EVP_CIPHER_CTX_free(ctx);  // wipes the key schedule
}

bool installCryptoProvider(SignalContext::Impl& impl) {
  impl.cbc.reset(EVP_CIPHER_CTX_new());
  if (!impl.cbc || aes256Cbc() == nullptr ||
      EVP_CipherInit_ex(impl.cbc.get(), aes256Cbc(), nullptr, nullptr, nullptr, 1) != 1) {
    return false;
  }
  signal_crypto_provider provider{};
  provider.random_func = randomBytes;
  provider.hmac_sha256_init_func = hmacInit;
  provider.hmac_sha256_update_func = hmacUpdate;
  provider.hmac_sha256_final_func = hmacFinal;
  provider.hmac_sha256_cleanup_func = hmacCleanup;
  provider.sha512_digest_init_func = sha512Init;
  provider.sha512_digest_update_func = sha512Update;
  provider.sha512_digest_final_func = sha512Final;
  provider.sha512_digest_cleanup_func = sha512Cleanup;
  provider.encrypt_func = encryptFunc;
  provider.decrypt_func = decryptFunc;
  provider.user_data = &impl;
  return signal_context_set_crypto_provider(impl.context.get(), &provider) == 0;
}

}  // namespace chorus::core::signal::detail
