// libsignal's crypto provider: HMAC-SHA256 and AES-256-CBC (PKCS#7) on OpenSSL directly, with
// the algorithms fetched once (they run for every Signal message); SHA-512 and AES-256-CTR on
// core/crypto; randomness from the context's injected Random.
// Nothing may unwind through libsignal's C frames, so every callback catches everything and
// reports SG_ERR_UNKNOWN.
#include <climits>
#include <cstring>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>

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

// SHA-256 fetched once (an implicit EVP_sha256() fetch costs a lock and a lookup per call);
// null if the default provider has no SHA-256, which makes every HMAC fail cleanly.
const EVP_MD* sha256Md() {
  static const EVP_MD* const kMd = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return kMd;
}

// HMAC-SHA256 (RFC 2104) streamed into one OpenSSL digest context. This is the hottest code of
// a Signal message (a dozen HMACs per encrypt or decrypt: chain keys, HKDF, the MAC), and
// OpenSSL's SHA-256 uses the CPU's SHA extensions where libsodium's is portable C, 2-7x
// slower here. Updates go straight into the digest, nothing is buffered. After finish() the
// context computes a fresh HMAC with the same key, as libsignal's provider contract allows.
class Hmac {
 public:
  Hmac() : ctx_(EVP_MD_CTX_new()) {}
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;
  ~Hmac() { OPENSSL_cleanse(key_, sizeof key_); }  // EVP_MD_CTX_free wipes the digest state

  [[nodiscard]] bool init(BytesView key) {
    if (!ctx_ || sha256Md() == nullptr) return false;
    if (key.size() > kSha256BlockSize) {
      unsigned int len = 0;
      if (EVP_Digest(key.data(), key.size(), key_, &len, sha256Md(), nullptr) != 1) return false;
    } else if (!key.empty()) {
      std::memcpy(key_, key.data(), key.size());
    }
    return start();
  }
  [[nodiscard]] bool update(BytesView data) {
    if (!started_ && !start()) return false;
    return EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) == 1;
  }
  [[nodiscard]] bool finish(std::uint8_t (&mac)[crypto::kSha256Size]) {
    if (!started_ && !start()) return false;
    started_ = false;
    std::uint8_t inner[crypto::kSha256Size];
    unsigned int len = 0;
    const bool ok = EVP_DigestFinal_ex(ctx_.get(), inner, &len) == 1 && padded(kOuterPad) &&
                    EVP_DigestUpdate(ctx_.get(), inner, sizeof inner) == 1 &&
                    EVP_DigestFinal_ex(ctx_.get(), mac, &len) == 1;
    OPENSSL_cleanse(inner, sizeof inner);
    return ok;
  }

 private:
  bool start() {
    started_ = padded(kInnerPad);
    return started_;
  }
  // Starts the digest over key ⊕ pad (the key zero-padded to one block).
  bool padded(std::uint8_t pad) {
    std::uint8_t block[kSha256BlockSize];
    for (std::size_t i = 0; i < kSha256BlockSize; ++i) block[i] = key_[i] ^ pad;
    const bool ok = EVP_DigestInit_ex(ctx_.get(), sha256Md(), nullptr) == 1 &&
                    EVP_DigestUpdate(ctx_.get(), block, sizeof block) == 1;
    OPENSSL_cleanse(block, sizeof block);
    return ok;
  }

  struct CtxFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx_;
  std::uint8_t key_[kSha256BlockSize] = {};
  bool started_ = false;
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
// every call, a third of the cost of a message's AES.
const EVP_CIPHER* aes256Cbc() {
  static const EVP_CIPHER* const kCipher = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  return kCipher;
}

// AES-256-CBC with OpenSSL's PKCS#7 padding, as crypto::aesCbcEncrypt/aesCbcDecrypt and with
// the same error mapping: INVAL for a bad key or IV size, UNKNOWN for anything else (bad
// padding, not whole blocks).
int runCbc(signal_buffer** output, BytesView key, BytesView iv, BytesView input, bool encrypt) {
  if (key.size() != crypto::kAesKeySize || iv.size() != crypto::kCbcIvSize) return SG_ERR_INVAL;
  if (aes256Cbc() == nullptr || input.size() > static_cast<std::size_t>(INT_MAX) - kAesBlockSize)
    return SG_ERR_UNKNOWN;
  if (!encrypt && (input.empty() || input.size() % kAesBlockSize != 0)) return SG_ERR_UNKNOWN;
  struct CtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }  // wipes the keys
  };
  const std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  Bytes out(input.size() + kAesBlockSize);  // encryption adds at most one block
  int written = 0;
  int tail = 0;
  const bool ok = ctx &&
                  EVP_CipherInit_ex(ctx.get(), aes256Cbc(), nullptr, key.data(), iv.data(),
                                    encrypt ? 1 : 0) == 1 &&
                  EVP_CipherUpdate(ctx.get(), out.data(), &written, input.data(),
                                   static_cast<int>(input.size())) == 1 &&
                  EVP_CipherFinal_ex(ctx.get(), out.data() + written, &tail) == 1;
  const std::size_t length = static_cast<std::size_t>(written) + static_cast<std::size_t>(tail);
  const int rc = ok ? toOutput(output, BytesView(out.data(), length)) : SG_ERR_UNKNOWN;
  OPENSSL_cleanse(out.data(), out.size());  // plaintext, or what came out before bad padding
  return rc;
}

int runCipher(signal_buffer** output, int cipher, BytesView key, BytesView iv, BytesView input,
              bool encrypt) {
  if (cipher == SG_CIPHER_AES_CBC_PKCS5) return runCbc(output, key, iv, input, encrypt);
  if (cipher != SG_CIPHER_AES_CTR_NOPADDING) return SG_ERR_INVAL;
  Result<Bytes> result = crypto::aes256Ctr(key, iv, input);
  if (!result) return result.error().code == Errc::InvalidArgument ? SG_ERR_INVAL : SG_ERR_UNKNOWN;
  const int rc = toOutput(output, *result);
  OPENSSL_cleanse(result->data(), result->size());
  return rc;
}

int encryptFunc(signal_buffer** output, int cipher, const std::uint8_t* key, std::size_t keyLen,
                const std::uint8_t* iv, std::size_t ivLen, const std::uint8_t* in,
                std::size_t inLen, void*) {
  try {
    return runCipher(output, cipher, {key, keyLen}, {iv, ivLen}, {in, inLen}, true);
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

int decryptFunc(signal_buffer** output, int cipher, const std::uint8_t* key, std::size_t keyLen,
                const std::uint8_t* iv, std::size_t ivLen, const std::uint8_t* in,
                std::size_t inLen, void*) {
  try {
    return runCipher(output, cipher, {key, keyLen}, {iv, ivLen}, {in, inLen}, false);
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

}  // namespace

bool installCryptoProvider(SignalContext::Impl& impl) {
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
