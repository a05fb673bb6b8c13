#include "core/crypto/xeddsa.h"

#include <algorithm>
#include <memory>

#include <signal/curve.h>
#include <signal/signal_protocol.h>

#include "core/crypto/crypto_detail.h"
#include "core/crypto/x25519.h"
#include "core/util/secret_bytes.h"

namespace chorus::core::crypto {

namespace {

// libsignal's serialised public keys carry a one-byte type in front: 0x05 for Curve25519.
constexpr std::uint8_t kDjbType = 0x05;

struct ContextFree {
  void operator()(signal_context* ctx) const { signal_context_destroy(ctx); }
};
struct RefFree {  // ec_public_key / ec_private_key are reference counted; the private one is wiped
  void operator()(void* key) const { signal_type_unref(static_cast<signal_type_base*>(key)); }
};
struct BufferFree {
  void operator()(signal_buffer* buffer) const { signal_buffer_free(buffer); }
};
using ContextPtr = std::unique_ptr<signal_context, ContextFree>;
using PublicKeyPtr = std::unique_ptr<ec_public_key, RefFree>;
using PrivateKeyPtr = std::unique_ptr<ec_private_key, RefFree>;
using BufferPtr = std::unique_ptr<signal_buffer, BufferFree>;

// The curve functions only ever ask the provider for randomness; libsignal nevertheless
// insists that the HMAC callbacks exist, so the rest refuse loudly instead of being null.
int randomFromChorus(std::uint8_t* data, std::size_t len, void* userData) {
  if (userData == nullptr) return SG_ERR_UNKNOWN;
  try {
    static_cast<Random*>(userData)->fill({data, len});
    return 0;
  } catch (...) {  // nothing may unwind through libsignal's C frames
    return SG_ERR_UNKNOWN;
  }
}
int hmacInitUnused(void**, const std::uint8_t*, std::size_t, void*) {
  return SG_ERR_UNKNOWN;
}
int hmacUpdateUnused(void*, const std::uint8_t*, std::size_t, void*) {
  return SG_ERR_UNKNOWN;
}
int hmacFinalUnused(void*, signal_buffer**, void*) {
  return SG_ERR_UNKNOWN;
}
void cleanupUnused(void*, void*) {}
int digestInitUnused(void**, void*) {
  return SG_ERR_UNKNOWN;
}
int cipherUnused(signal_buffer**, int, const std::uint8_t*, std::size_t, const std::uint8_t*,
                 std::size_t, const std::uint8_t*, std::size_t, void*) {
  return SG_ERR_UNKNOWN;
}

// A context per call: it is a small allocation, and it keeps `random` out of any global state
// so signing stays safe for callers on different threads with different sources.
ContextPtr makeContext(Random* random) {
  signal_context* raw = nullptr;
  if (signal_context_create(&raw, nullptr) != 0 || raw == nullptr) return nullptr;
  ContextPtr ctx(raw);
  signal_crypto_provider provider{};
  provider.random_func = randomFromChorus;
  provider.hmac_sha256_init_func = hmacInitUnused;
  provider.hmac_sha256_update_func = hmacUpdateUnused;
  provider.hmac_sha256_final_func = hmacFinalUnused;
  provider.hmac_sha256_cleanup_func = cleanupUnused;
  provider.sha512_digest_init_func = digestInitUnused;
  provider.sha512_digest_update_func = hmacUpdateUnused;
  provider.sha512_digest_final_func = hmacFinalUnused;
  provider.sha512_digest_cleanup_func = cleanupUnused;
  provider.encrypt_func = cipherUnused;
  provider.decrypt_func = cipherUnused;
  provider.user_data = random;
  if (signal_context_set_crypto_provider(ctx.get(), &provider) != 0) return nullptr;
  return ctx;
}

}  // namespace

Result<Bytes> xeddsaSign(BytesView privateKey, BytesView message, Random& random) {
  if (privateKey.size() != kCurveKeySize) {
    return fail(Errc::InvalidArgument, "xeddsa private key must be 32 bytes");
  }
  // XEdDSA signs with the scalar itself, so it must be the clamped one X25519 uses; otherwise
  // the signature would belong to a different public key than keyPairFromPrivate reports.
  CHORUS_TRY(pair, keyPairFromPrivate(privateKey));

  ContextPtr ctx = makeContext(&random);
  if (!ctx) return fail(Errc::Crypto, "libsignal context setup failed");
  ec_private_key* rawKey = nullptr;
  if (curve_decode_private_point(&rawKey, pair.privateKey.data(), pair.privateKey.size(),
                                 ctx.get()) != 0) {
    return fail(Errc::Crypto, "libsignal rejected the private key");
  }
  PrivateKeyPtr key(rawKey);
  signal_buffer* rawSignature = nullptr;
  if (curve_calculate_signature(ctx.get(), &rawSignature, key.get(), detail::nonNullData(message),
                                message.size()) != 0 ||
      rawSignature == nullptr) {
    return fail(Errc::Crypto, "xeddsa signing failed");
  }
  BufferPtr signature(rawSignature);
  if (signal_buffer_len(signature.get()) != kSignatureSize) {
    return fail(Errc::Crypto, "xeddsa signature has the wrong size");
  }
  const std::uint8_t* bytes = signal_buffer_data(signature.get());
  return Bytes(bytes, bytes + kSignatureSize);
}

bool xeddsaVerify(BytesView publicKey, BytesView message, BytesView signature) {
  if (publicKey.size() != kCurveKeySize || signature.size() != kSignatureSize) return false;
  ContextPtr ctx = makeContext(nullptr);
  if (!ctx) return false;
  std::uint8_t serialized[kCurveKeySize + 1];
  serialized[0] = kDjbType;
  std::copy(publicKey.begin(), publicKey.end(), serialized + 1);
  ec_public_key* rawKey = nullptr;
  if (curve_decode_point(&rawKey, serialized, sizeof serialized, ctx.get()) != 0) return false;
  PublicKeyPtr key(rawKey);
  // 1 valid, 0 invalid, negative on error: only an explicit 1 counts.
  return curve_verify_signature(key.get(), detail::nonNullData(message), message.size(),
                                signature.data(), signature.size()) == 1;
}

}  // namespace chorus::core::crypto
