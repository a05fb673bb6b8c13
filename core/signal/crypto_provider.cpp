// libsignal's crypto provider: HMAC-SHA256 and AES-256-CBC (PKCS#7) on OpenSSL directly, with
// the cipher fetched once (they run for every Signal message); SHA-512 and AES-256-CTR on
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
#include "core/signal/message_crypto.h"
#include "core/signal/signal_context_impl.h"

namespace chorus::core::signal::detail {

namespace {

constexpr std::size_t kAesBlockSize = 16;

// SHA-512 is fed small inputs (only outside the message path), so it collects the input and
// hashes it once at the end with core/crypto's one-shot function.
struct Accumulator {
  Bytes data;
  ~Accumulator() {
    if (!data.empty()) OPENSSL_cleanse(data.data(), data.size());
  }
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
    auto hmac = std::make_unique<HmacSha256>();
    if (!hmac->init(BytesView(key, keyLen))) return SG_ERR_UNKNOWN;
    *context = hmac.release();
    return 0;
  } catch (...) {
    return SG_ERR_NOMEM;
  }
}

int hmacUpdate(void* context, const std::uint8_t* data, std::size_t len, void*) {
  if (len == 0) return 0;
  return static_cast<HmacSha256*>(context)->update(BytesView(data, len)) ? 0 : SG_ERR_UNKNOWN;
}

int hmacFinal(void* context, signal_buffer** output, void*) {
  try {
    std::uint8_t mac[crypto::kSha256Size];
    if (!static_cast<HmacSha256*>(context)->finish(mac)) return SG_ERR_UNKNOWN;
    const int rc = toOutput(output, mac);
    OPENSSL_cleanse(mac, sizeof mac);
    return rc;
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

void hmacCleanup(void* context, void*) {
  delete static_cast<HmacSha256*>(context);
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

// AES-256-CBC with OpenSSL's PKCS#7 padding, as crypto::aesCbcEncrypt/aesCbcDecrypt and with
// the same error mapping: INVAL for a bad key or IV size, UNKNOWN for anything else (bad
// padding, not whole blocks). One context per SignalContext (impl.cbc), re-keyed for every
// message by runAesCbc: a fresh context per call cost more than the cipher. Ciphertext is
// written straight into libsignal's buffer (its size is known); plaintext goes through
// impl.cbcScratch, wiped.
int runCbc(SignalContext::Impl& impl, signal_buffer** output, BytesView key, BytesView iv,
           BytesView input, bool encrypt) {
  if (key.size() != crypto::kAesKeySize || iv.size() != crypto::kCbcIvSize) return SG_ERR_INVAL;
  if (input.size() > static_cast<std::size_t>(INT_MAX) - kAesBlockSize) return SG_ERR_UNKNOWN;
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
  std::size_t written = 0;
  const bool ok = runAesCbc(impl.cbc.get(), key, iv, input, out, written, encrypt);
  if (encrypt) {
    if (!ok) return SG_ERR_UNKNOWN;
    *output = sealed.release();
    return 0;
  }
  const int rc = ok ? toOutput(output, BytesView(out, written)) : SG_ERR_UNKNOWN;
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
