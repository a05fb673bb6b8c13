// libsignal's crypto provider on core/crypto: HMAC-SHA256, SHA-512, AES-256-CBC (PKCS#7) and
// AES-256-CTR, randomness from the context's injected Random. Nothing may unwind through
// libsignal's C frames, so every callback catches everything and reports SG_ERR_UNKNOWN.
#include <memory>

#include <openssl/crypto.h>

#include "core/crypto/aes_cbc.h"
#include "core/crypto/hash.h"
#include "core/crypto/aes_ctr.h"
#include "core/signal/signal_context_impl.h"

namespace chorus::core::signal::detail {

namespace {

// Both digests are fed small inputs (chain keys, one message at a time), so they collect the
// input and hash it once at the end with core/crypto's one-shot functions.
struct Accumulator {
  SecretBytes key;  // HMAC only
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
    auto acc = std::make_unique<Accumulator>();
    acc->key = SecretBytes(BytesView(key, keyLen));
    *context = acc.release();
    return 0;
  } catch (...) {
    return SG_ERR_NOMEM;
  }
}

int update(void* context, const std::uint8_t* data, std::size_t len, void*) {
  try {
    if (len > 0) append(static_cast<Accumulator*>(context)->data, BytesView(data, len));
    return 0;
  } catch (...) {
    return SG_ERR_NOMEM;
  }
}

int hmacFinal(void* context, signal_buffer** output, void*) {
  try {
    auto* acc = static_cast<Accumulator*>(context);
    Bytes mac = crypto::hmacSha256(acc->key.view(), acc->data);
    OPENSSL_cleanse(acc->data.data(), acc->data.size());
    acc->data.clear();
    const int rc = toOutput(output, mac);
    OPENSSL_cleanse(mac.data(), mac.size());
    return rc;
  } catch (...) {
    return SG_ERR_UNKNOWN;
  }
}

void cleanup(void* context, void*) {
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

int runCipher(signal_buffer** output, int cipher, BytesView key, BytesView iv, BytesView input,
              bool encrypt) {
  Result<Bytes> result = fail(Errc::Unsupported, "cipher");
  if (cipher == SG_CIPHER_AES_CBC_PKCS5) {
    result =
        encrypt ? crypto::aesCbcEncrypt(key, iv, input) : crypto::aesCbcDecrypt(key, iv, input);
  } else if (cipher == SG_CIPHER_AES_CTR_NOPADDING) {
    result = crypto::aes256Ctr(key, iv, input);
  } else {
    return SG_ERR_INVAL;
  }
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
  provider.hmac_sha256_update_func = update;
  provider.hmac_sha256_final_func = hmacFinal;
  provider.hmac_sha256_cleanup_func = cleanup;
  provider.sha512_digest_init_func = sha512Init;
  provider.sha512_digest_update_func = update;
  provider.sha512_digest_final_func = sha512Final;
  provider.sha512_digest_cleanup_func = cleanup;
  provider.encrypt_func = encryptFunc;
  provider.decrypt_func = decryptFunc;
  provider.user_data = &impl;
  return signal_context_set_crypto_provider(impl.context.get(), &provider) == 0;
}

}  // namespace chorus::core::signal::detail
