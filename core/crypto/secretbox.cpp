#include "core/crypto/secretbox.h"

#include <sodium.h>

#include "core/crypto/crypto_detail.h"

namespace chorus::core::crypto {

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kAeadKeySize);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == kAeadNonceSize);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == kAeadTagSize);
static_assert(crypto_pwhash_argon2id_SALTBYTES == kArgon2SaltSize);

namespace {

Status checkKeyNonce(BytesView key, BytesView nonce) {
  if (key.size() != kAeadKeySize)
    return fail(Errc::InvalidArgument, "xchacha key must be 32 bytes");
  if (nonce.size() != kAeadNonceSize)
    return fail(Errc::InvalidArgument, "xchacha nonce must be 24 bytes");
  return ok();
}

}  // namespace

Result<Bytes> xchachaSeal(BytesView key, BytesView nonce, BytesView aad, BytesView plaintext) {
  CHORUS_CHECK(checkKeyNonce(key, nonce));
  if (plaintext.size() > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX) {
    return fail(Errc::TooLarge, "xchacha plaintext too long");
  }
  detail::ensureSodium();
  Bytes out(plaintext.size() + kAeadTagSize);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &written, plaintext.data(),
                                                 plaintext.size(), aad.data(), aad.size(), nullptr,
                                                 nonce.data(), key.data()) != 0 ||
      written != out.size()) {
    return fail(Errc::Crypto, "xchacha encryption failed");
  }
  return out;
}

Result<SecretBytes> xchachaOpen(BytesView key, BytesView nonce, BytesView aad, BytesView sealed) {
  CHORUS_CHECK(checkKeyNonce(key, nonce));
  if (sealed.size() < kAeadTagSize)
    return fail(Errc::Malformed, "xchacha input shorter than its tag");
  detail::ensureSodium();
  SecretBytes out(sealed.size() - kAeadTagSize);
  unsigned long long written = 0;
  // libsodium checks the tag before it decrypts anything, so a failure leaves `out` untouched.
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &written, nullptr, sealed.data(),
                                                 sealed.size(), aad.data(), aad.size(),
                                                 nonce.data(), key.data()) != 0 ||
      written != out.size()) {
    return fail(Errc::Crypto, "xchacha authentication failed");
  }
  return out;
}

Result<Bytes> sealWithRandomNonce(BytesView key, BytesView aad, BytesView plaintext,
                                  Random& random) {
  // 24-byte random nonces are what XChaCha is for: collisions stay negligible for any number
  // of rows a local database will ever hold.
  const Bytes nonce = random.bytes(kAeadNonceSize);
  CHORUS_TRY(sealed, xchachaSeal(key, nonce, aad, plaintext));
  Bytes box;
  box.reserve(nonce.size() + sealed.size());
  append(box, nonce);
  append(box, sealed);
  return box;
}

Result<SecretBytes> openWithNonce(BytesView key, BytesView aad, BytesView box) {
  if (box.size() < kAeadNonceSize + kAeadTagSize) {
    return fail(Errc::Malformed, "sealed box shorter than nonce and tag");
  }
  return xchachaOpen(key, box.first(kAeadNonceSize), aad, box.subspan(kAeadNonceSize));
}

Result<SecretBytes> argon2id(std::string_view passphrase, BytesView salt, std::size_t length,
                             const Argon2Params& params) {
  if (salt.size() != kArgon2SaltSize)
    return fail(Errc::InvalidArgument, "argon2 salt must be 16 bytes");
  if (length < crypto_pwhash_argon2id_BYTES_MIN || length > crypto_pwhash_argon2id_BYTES_MAX) {
    return fail(Errc::InvalidArgument, "argon2 output length out of range");
  }
  if (passphrase.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
    return fail(Errc::InvalidArgument, "argon2 passphrase too long");
  }
  if (params.opsLimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.opsLimit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      params.memLimitBytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params.memLimitBytes > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return fail(Errc::InvalidArgument, "argon2 limits out of range");
  }
  detail::ensureSodium();
  SecretBytes out(length);
  // crypto_pwhash declares every pointer nonnull; an empty string_view may hold nullptr.
  const char* passwd = passphrase.empty() ? "" : passphrase.data();
  if (crypto_pwhash(out.data(), out.size(), passwd, passphrase.size(), salt.data(), params.opsLimit,
                    params.memLimitBytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // With validated parameters this is libsodium failing to allocate the memory area.
    return fail(Errc::Crypto, "argon2id failed (out of memory?)");
  }
  return out;
}

}  // namespace chorus::core::crypto
