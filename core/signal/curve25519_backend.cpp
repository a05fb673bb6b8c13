// curve25519_donna on libsodium, interposing libsignal-protocol-c's own (see the header), and
// the run-time check of which one libsignal calls.
#include "core/signal/curve25519_backend.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include <dlfcn.h>
#include <signal/curve.h>
#include <sodium.h>

#include "core/signal/signal_handles.h"

namespace chorus::core::signal {

namespace {

constexpr std::size_t kCurveBytes = 32;
static_assert(crypto_scalarmult_curve25519_BYTES == kCurveBytes);
static_assert(crypto_scalarmult_curve25519_SCALARBYTES == kCurveBytes);

// curve_generate_public_key passes this basepoint; libsodium has a faster fixed-base path.
constexpr std::uint8_t kBasePoint[kCurveBytes] = {9};

// RFC 7748 §6.1: Alice's private key (clamped, as libsignal stores keys), Bob's public key and
// their shared secret.
constexpr std::uint8_t kCheckPrivate[kCurveBytes] = {
    0x70, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
    0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x6a};
constexpr std::uint8_t kCheckPublic[kCurveBytes + 1] = {
    0x05,  // libsignal's key type prefix
    0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61, 0xc2, 0xec, 0xe4, 0x35, 0x37,
    0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78, 0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f};
constexpr std::uint8_t kCheckShared[kCurveBytes] = {
    0x4a, 0x5d, 0x9d, 0x5b, 0xa4, 0xce, 0x2d, 0xe1, 0x72, 0x8e, 0x3b, 0xf4, 0x80, 0x35, 0x0f, 0x25,
    0xe0, 0x7e, 0x21, 0xc9, 0x47, 0xd1, 0x9e, 0x33, 0x76, 0xf0, 0x9b, 0x3c, 0x1e, 0x16, 0x17, 0x42};

std::atomic<std::uint64_t> gCalls{0};

using DonnaFn = int (*)(std::uint8_t*, const std::uint8_t*, const std::uint8_t*);

// libsignal's own curve25519_donna: the next definition after ours in the lookup order. Null
// when there is none (a libsignal without the symbol, or linked statically).
DonnaFn builtinDonna() {
  static const DonnaFn kBuiltin = reinterpret_cast<DonnaFn>(dlsym(RTLD_NEXT, "curve25519_donna"));
  return kBuiltin;
}

// RFC 7748 decodeScalar25519 leaves these bits so: low three clear, bit 255 clear, bit 254 set.
bool isClamped(const std::uint8_t* scalar) {
  return (scalar[0] & 7U) == 0 && (scalar[kCurveBytes - 1] & 0xc0U) == 0x40U;
}

void ensureSodium() {
  // Picks the fastest implementation for this CPU; without libsodium nothing may run (the
  // stance of SystemRandom and core/crypto).
  static const bool kReady = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)kReady;
}

}  // namespace

std::uint64_t libsodiumCurve25519Calls() noexcept {
  return gCalls.load(std::memory_order_relaxed);
}

std::string_view curve25519BackendName(Curve25519Backend backend) noexcept {
  switch (backend) {
    case Curve25519Backend::Libsodium: return "libsodium";
    case Curve25519Backend::LibsignalBuiltin: return "libsignal built-in (not interposed)";
    case Curve25519Backend::Mismatch: return "wrong result";
  }
  return "unknown";
}

Curve25519Backend curve25519Backend() {
  ec_public_key* rawPublic = nullptr;
  ec_private_key* rawPrivate = nullptr;
  if (curve_decode_point(&rawPublic, kCheckPublic, sizeof kCheckPublic, nullptr) != 0) {
    return Curve25519Backend::Mismatch;
  }
  detail::Ref<ec_public_key> publicKey(rawPublic);
  if (curve_decode_private_point(&rawPrivate, kCheckPrivate, sizeof kCheckPrivate, nullptr) != 0) {
    return Curve25519Backend::Mismatch;
  }
  detail::Ref<ec_private_key> privateKey(rawPrivate);

  const std::uint64_t before = libsodiumCurve25519Calls();
  std::uint8_t* shared = nullptr;
  const int length = curve_calculate_agreement(&shared, publicKey.get(), privateKey.get());
  const std::uint64_t after = libsodiumCurve25519Calls();
  const bool right = length == static_cast<int>(kCurveBytes) && shared != nullptr &&
                     std::memcmp(shared, kCheckShared, kCurveBytes) == 0;
  std::free(shared);  // NOLINT: libsignal allocates the agreement with malloc
  if (!right) return Curve25519Backend::Mismatch;
  return after > before ? Curve25519Backend::Libsodium : Curve25519Backend::LibsignalBuiltin;
}

}  // namespace chorus::core::signal

// libsignal-protocol-c's contract (its src/curve25519/curve25519-donna.c): out = secret ·
// basepoint, the u-coordinate; returns 0. Unlike RFC 7748 X25519 it does NOT clamp the scalar
// (libsignal clamps when it generates a private key), so:
//  * a clamped scalar, which is every key libsignal or core/crypto generates, goes to
//    libsodium (which clamps, a no-op here). Donna ignores the top bit of u and reduces a
//    non-canonical u as libsodium does, and gives all zeros for a small-order point, where
//    libsodium answers -1 (output unwritten for a known small-order point): we write zeros
//    and answer 0, as donna would. tests/unit/signal/curve25519_backend_test.cpp compares
//    the two byte for byte on such inputs.
//  * any other scalar (only a stored key that was never clamped could be one) goes to
//    libsignal's own donna, so results never change; without it libsignal gets -1 and
//    reports SG_ERR_UNKNOWN rather than a different key.
// The branch on the scalar reveals only whether it is clamped. libsodium wipes its own stack.
extern "C" __attribute__((visibility("default"), used)) int curve25519_donna(
    std::uint8_t* out, const std::uint8_t* secret, const std::uint8_t* basepoint) {
  using namespace chorus::core::signal;
  if (!isClamped(secret)) {
    const DonnaFn builtin = builtinDonna();
    return builtin != nullptr ? builtin(out, secret, basepoint) : -1;
  }
  ensureSodium();
  gCalls.fetch_add(1, std::memory_order_relaxed);
  const int rc = std::memcmp(basepoint, kBasePoint, kCurveBytes) == 0
                     ? crypto_scalarmult_curve25519_base(out, secret)
                     : crypto_scalarmult_curve25519(out, secret, basepoint);
  if (rc != 0) sodium_memzero(out, kCurveBytes);
  return 0;
}
