#include "core/crypto/aes_ctr.h"

#include <openssl/evp.h>

#include "core/crypto/evp_util.h"

namespace chorus::core::crypto {

namespace {
constexpr std::size_t kKeySize = 32;
constexpr std::size_t kIvSize = 16;
}  // namespace

Result<Bytes> aes256Ctr(BytesView key, BytesView iv, BytesView input) {
  if (key.size() != kKeySize || iv.size() != kIvSize) {
    return fail(Errc::InvalidArgument, "aes-ctr needs a 32-byte key and a 16-byte iv");
  }
  detail::CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, key.data(), iv.data()) != 1) {
    return fail(Errc::Crypto, "aes-ctr setup failed");
  }
  Bytes out(input.size() + kIvSize);
  std::size_t written = 0;
  if (!detail::cipherUpdate(ctx.get(), out.data(), input, written)) {
    return fail(Errc::Crypto, "aes-ctr failed");
  }
  int finalLen = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &finalLen) != 1 || finalLen < 0) {
    return fail(Errc::Crypto, "aes-ctr failed");
  }
  written += static_cast<std::size_t>(finalLen);
  out.resize(written);
  return out;
}

}  // namespace chorus::core::crypto
