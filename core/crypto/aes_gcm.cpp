#include "core/crypto/aes_gcm.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/crypto/evp_util.h"

namespace chorus::core::crypto {

// Two contexts, one per direction, each holding the expanded key: per frame only the IV is
// set, so sealing and opening never redo the key schedule or fetch the cipher again.
struct AesGcm::Impl {
  detail::CipherCtx encrypt;
  detail::CipherCtx decrypt;
};

namespace {

bool initContext(detail::CipherCtx& ctx, BytesView key, int enc) {
  ctx.reset(EVP_CIPHER_CTX_new());
  return ctx &&
         EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr, enc) == 1;
}

// Restarts `ctx` for a new message under the key it already holds.
bool startMessage(EVP_CIPHER_CTX* ctx, BytesView iv, BytesView aad) {
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), -1) != 1) return false;
  std::size_t ignored = 0;
  return detail::cipherUpdate(ctx, nullptr, aad, ignored);
}

}  // namespace

AesGcm::AesGcm(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AesGcm::AesGcm(AesGcm&&) noexcept = default;
AesGcm& AesGcm::operator=(AesGcm&&) noexcept = default;
AesGcm::~AesGcm() = default;

Result<AesGcm> AesGcm::create(BytesView key) {
  if (key.size() != kAesKeySize) return fail(Errc::InvalidArgument, "aes-gcm key must be 32 bytes");
  auto impl = std::make_unique<Impl>();
  if (!initContext(impl->encrypt, key, 1) || !initContext(impl->decrypt, key, 0)) {
    return fail(Errc::Crypto, "aes-gcm context setup failed");
  }
  return AesGcm(std::move(impl));
}

Result<Bytes> AesGcm::seal(BytesView iv, BytesView aad, BytesView plaintext) const {
  if (!impl_) return fail(Errc::InvalidArgument, "aes-gcm used after move");
  if (iv.size() != kGcmIvSize) return fail(Errc::InvalidArgument, "aes-gcm iv must be 12 bytes");
  EVP_CIPHER_CTX* ctx = impl_->encrypt.get();
  Bytes out(plaintext.size() + kGcmTagSize);
  std::size_t written = 0;
  std::uint8_t finalBlock[16];
  int finalLen = 0;
  if (!startMessage(ctx, iv, aad) || !detail::cipherUpdate(ctx, out.data(), plaintext, written) ||
      EVP_EncryptFinal_ex(ctx, finalBlock, &finalLen) != 1 || finalLen != 0 ||
      written != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                          out.data() + written) != 1) {
    return fail(Errc::Crypto, "aes-gcm encryption failed");
  }
  return out;
}

Result<Bytes> AesGcm::open(BytesView iv, BytesView aad, BytesView sealed) const {
  if (!impl_) return fail(Errc::InvalidArgument, "aes-gcm used after move");
  if (iv.size() != kGcmIvSize) return fail(Errc::InvalidArgument, "aes-gcm iv must be 12 bytes");
  if (sealed.size() < kGcmTagSize)
    return fail(Errc::Malformed, "aes-gcm input shorter than its tag");
  EVP_CIPHER_CTX* ctx = impl_->decrypt.get();
  const BytesView body = sealed.first(sealed.size() - kGcmTagSize);
  // OpenSSL's ctrl takes a non-const pointer although it only reads the tag.
  std::uint8_t tag[kGcmTagSize];
  std::copy(sealed.end() - static_cast<std::ptrdiff_t>(kGcmTagSize), sealed.end(), tag);

  Bytes out(body.size());
  std::size_t written = 0;
  if (!startMessage(ctx, iv, aad) || !detail::cipherUpdate(ctx, out.data(), body, written) ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize), tag) != 1) {
    return fail(Errc::Crypto, "aes-gcm decryption failed");
  }
  std::uint8_t finalBlock[16];
  int finalLen = 0;
  if (EVP_DecryptFinal_ex(ctx, finalBlock, &finalLen) != 1 || written != body.size()) {
    // Unauthenticated plaintext must not linger, even in memory the caller never sees.
    OPENSSL_cleanse(out.data(), out.size());
    return fail(Errc::Crypto, "aes-gcm tag mismatch");
  }
  return out;
}

Result<Bytes> aesGcmEncrypt(BytesView key, BytesView iv, BytesView aad, BytesView plaintext) {
  CHORUS_TRY(gcm, AesGcm::create(key));
  return gcm.seal(iv, aad, plaintext);
}

Result<Bytes> aesGcmDecrypt(BytesView key, BytesView iv, BytesView aad, BytesView sealed) {
  CHORUS_TRY(gcm, AesGcm::create(key));
  return gcm.open(iv, aad, sealed);
}

}  // namespace chorus::core::crypto
