#include "core/crypto/x25519.h"

#include <sodium.h>

#include "core/crypto/crypto_detail.h"

namespace chorus::core::crypto {

static_assert(crypto_scalarmult_BYTES == kCurveKeySize);
static_assert(crypto_scalarmult_SCALARBYTES == kCurveKeySize);

namespace {

// RFC 7748 §5 decodeScalar25519. libsodium clamps internally as well, but the stored private
// key is clamped too so it is also the scalar XEdDSA signs with.
void clamp(std::span<std::uint8_t> key) {
  key[0] &= 248;
  key[31] &= 127;
  key[31] |= 64;
}

Result<KeyPair> completePair(SecretBytes privateKey) {
  clamp(privateKey.span());
  Bytes publicKey(kCurveKeySize);
  if (crypto_scalarmult_base(publicKey.data(), privateKey.data()) != 0) {
    return fail(Errc::Crypto, "x25519 base multiplication failed");
  }
  return KeyPair{std::move(privateKey), std::move(publicKey)};
}

}  // namespace

Result<KeyPair> generateKeyPair(Random& random) {
  detail::ensureSodium();
  return completePair(random.secret(kCurveKeySize));
}

Result<KeyPair> keyPairFromPrivate(BytesView privateKey) {
  if (privateKey.size() != kCurveKeySize) {
    return fail(Errc::InvalidArgument, "x25519 private key must be 32 bytes");
  }
  detail::ensureSodium();
  return completePair(SecretBytes(privateKey));
}

Result<SecretBytes> x25519(BytesView privateKey, BytesView publicKey) {
  if (privateKey.size() != kCurveKeySize || publicKey.size() != kCurveKeySize) {
    return fail(Errc::InvalidArgument, "x25519 keys must be 32 bytes");
  }
  detail::ensureSodium();
  SecretBytes shared(kCurveKeySize);
  // libsodium returns -1 exactly when the result is all zeros, i.e. the peer sent a
  // low-order point: accepting it would make the "shared" secret public.
  if (crypto_scalarmult(shared.data(), privateKey.data(), publicKey.data()) != 0) {
    return fail(Errc::Crypto, "x25519 with a low-order public key");
  }
  return shared;
}

}  // namespace chorus::core::crypto
