#include "core/crypto/aes_cbc.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/crypto/aes_gcm.h"  // kAesKeySize
#include "core/crypto/evp_util.h"

namespace chorus::core::crypto {

namespace {

constexpr std::size_t kBlockSize = 16;

Status checkSizes(BytesView key, BytesView iv) {
  if (key.size() != kAesKeySize) return fail(Errc::InvalidArgument, "aes-cbc key must be 32 bytes");
  if (iv.size() != kCbcIvSize) return fail(Errc::InvalidArgument, "aes-cbc iv must be 16 bytes");
  return ok();
}

// One pass of AES-256-CBC with OpenSSL's PKCS#7 padding; false when OpenSSL rejects the input
// (on decryption that means the padding did not check out).
bool run(BytesView key, BytesView iv, BytesView in, int enc, Bytes& out) {
  detail::CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), iv.data(), enc) != 1) {
    return false;
  }
  // Encryption adds up to one block of padding; decryption never grows.
  out.resize(in.size() + kBlockSize);
  std::size_t written = 0;
  if (!detail::cipherUpdate(ctx.get(), out.data(), in, written)) return false;
  int finalLen = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + written, &finalLen) != 1 || finalLen < 0)
    return false;
  written += static_cast<std::size_t>(finalLen);
  out.resize(written);
  return true;
}

}  // namespace

Result<Bytes> aesCbcEncrypt(BytesView key, BytesView iv, BytesView plaintext) {
  CHORUS_CHECK(checkSizes(key, iv));
  Bytes out;
  if (!run(key, iv, plaintext, 1, out)) return fail(Errc::Crypto, "aes-cbc encryption failed");
  return out;
}

Result<Bytes> aesCbcDecrypt(BytesView key, BytesView iv, BytesView ciphertext) {
  CHORUS_CHECK(checkSizes(key, iv));
  if (ciphertext.empty() || ciphertext.size() % kBlockSize != 0) {
    return fail(Errc::Malformed, "aes-cbc ciphertext is not a whole number of blocks");
  }
  Bytes out;
  if (!run(key, iv, ciphertext, 0, out)) {
    // Whatever was decrypted before the padding check failed is not for anyone's eyes.
    OPENSSL_cleanse(out.data(), out.size());
    return fail(Errc::Crypto, "aes-cbc bad padding");
  }
  return out;
}

}  // namespace chorus::core::crypto
