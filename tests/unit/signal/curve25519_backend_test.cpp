// Our curve25519_donna (libsodium) against RFC 7748 and against libsignal-protocol-c's own
// donna, and proof that libsignal's key agreements and key generation in this very binary run
// on ours (ELF interposition, see core/signal/curve25519_backend.h).
#include "core/signal/curve25519_backend.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <signal/curve.h>

#include "core/signal/signal_handles.h"
#include "core/util/bytes.h"
#include "tests/unit/signal/signal_test_util.h"

extern "C" int curve25519_donna(std::uint8_t* out, const std::uint8_t* secret,
                                const std::uint8_t* basepoint);

namespace chorus::core::signal {
namespace {

using Key = std::array<std::uint8_t, 32>;
using DonnaFn = int (*)(std::uint8_t*, const std::uint8_t*, const std::uint8_t*);

Key key(std::string_view hexText) {
  Key k{};
  auto bytes = fromHex(hexText);
  EXPECT_TRUE(bytes.has_value() && bytes->size() == k.size()) << hexText;
  if (bytes && bytes->size() == k.size()) std::memcpy(k.data(), bytes->data(), k.size());
  return k;
}

std::string hexOf(const Key& k) {
  return toHex(BytesView(k.data(), k.size()));
}

// RFC 7748 decodeScalar25519; libsignal's donna takes scalars as they are.
Key clamped(Key scalar) {
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
  return scalar;
}

Key ours(const Key& scalar, const Key& u) {
  Key out{};
  EXPECT_EQ(curve25519_donna(out.data(), scalar.data(), u.data()), 0);
  return out;
}

// libsignal's own curve25519_donna: the next definition after this executable's.
DonnaFn libsignalDonna() {
  return reinterpret_cast<DonnaFn>(dlsym(RTLD_NEXT, "curve25519_donna"));
}

const Key kBase = key("0900000000000000000000000000000000000000000000000000000000000000");

TEST(Curve25519BackendTest, Rfc7748ScalarMultiplicationVectors) {  // RFC 7748 §5.2
  EXPECT_EQ(
      hexOf(ours(clamped(key("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4")),
                 key("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))),
      "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  // The u-coordinate has its top bit set, which must be ignored.
  EXPECT_EQ(
      hexOf(ours(clamped(key("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d")),
                 key("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))),
      "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}

TEST(Curve25519BackendTest, Rfc7748IteratedVectors) {  // RFC 7748 §5.2, 1 and 1,000 rounds
  Key k = kBase;
  Key u = kBase;
  const std::uint64_t before = libsodiumCurve25519Calls();
  for (int i = 1; i <= 1000; ++i) {
    const Key next = ours(clamped(k), u);
    u = k;
    k = next;
    if (i == 1) {
      EXPECT_EQ(hexOf(k), "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
    }
  }
  EXPECT_EQ(hexOf(k), "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
  EXPECT_EQ(libsodiumCurve25519Calls() - before, 1000U);  // all on libsodium
}

TEST(Curve25519BackendTest, Rfc7748DiffieHellman) {  // RFC 7748 §6.1, public keys by basepoint 9
  const Key alice =
      clamped(key("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  const Key bob = clamped(key("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  const Key alicePublic = ours(alice, kBase);
  const Key bobPublic = ours(bob, kBase);
  EXPECT_EQ(hexOf(alicePublic), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(hexOf(bobPublic), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const std::string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  EXPECT_EQ(hexOf(ours(alice, bobPublic)), shared);
  EXPECT_EQ(hexOf(ours(bob, alicePublic)), shared);
}

// Byte for byte what libsignal's donna answers: random keys, the top bit of u, non-canonical
// u ≥ p, the small-order points libsodium refuses (donna gives zeros), and unclamped scalars
// (libsignal's donna does not clamp; ours hands those back to it).
TEST(Curve25519BackendTest, SameAnswersAsLibsignalsOwnDonna) {
  const DonnaFn theirs = libsignalDonna();
  ASSERT_NE(theirs, nullptr) << "libsignal-protocol-c does not export curve25519_donna";
  ASSERT_NE(reinterpret_cast<void*>(theirs), reinterpret_cast<void*>(&curve25519_donna));

  std::vector<Key> points = {
      kBase,
      key("0000000000000000000000000000000000000000000000000000000000000000"),  // 0
      key("0100000000000000000000000000000000000000000000000000000000000000"),  // 1
      key("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),  // order 8
      key("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),  // order 8
      key("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // p - 1
      key("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // p
      key("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // p + 1
      key("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // 2^255 - 1
      key("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
      key("0000000000000000000000000000000000000000000000000000000000000080"),  // 0, top bit
  };
  SeededRandom random(7);
  for (int i = 0; i < 40; ++i) {
    Key u{};
    random.fill({u.data(), u.size()});
    points.push_back(u);
  }
  for (const Key& u : points) {
    for (int s = 0; s < 3; ++s) {
      Key scalar{};
      random.fill({scalar.data(), scalar.size()});
      if (s > 0) scalar = clamped(scalar);  // libsodium's path; the first one is not clamped
      Key expected{};
      ASSERT_EQ(theirs(expected.data(), scalar.data(), u.data()), 0);
      EXPECT_EQ(hexOf(ours(scalar, u)), hexOf(expected)) << "u = " << hexOf(u);
    }
  }
}

// The proof that matters: libsignal itself, in this binary, calls ours.
TEST(Curve25519BackendTest, LibsignalCallsOursForAgreementsAndKeyGeneration) {
  EXPECT_EQ(curve25519Backend(), Curve25519Backend::Libsodium)
      << curve25519BackendName(curve25519Backend());

  const std::uint64_t before = libsodiumCurve25519Calls();
  test::Party alice("15550000001", 1, 1);
  test::Party bob("15550000002", 1, 2);
  ASSERT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle()).has_value());
  const std::uint64_t afterBundle = libsodiumCurve25519Calls();
  // X3DH: a fresh base key, three or four agreements, the first ratchet key pair.
  EXPECT_GE(afterBundle - before, 4U);

  auto first = alice.sessions.encrypt(bob.address, test::text("hello"));
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(bob.sessions.decrypt(alice.address, first->type, first->bytes).has_value());
  auto answer = bob.sessions.encrypt(alice.address, test::text("hi"));
  ASSERT_TRUE(answer.has_value());
  const std::uint64_t beforeRatchet = libsodiumCurve25519Calls();
  ASSERT_TRUE(alice.sessions.decrypt(bob.address, answer->type, answer->bytes).has_value());
  // A DH ratchet step on receipt: two agreements and one new key pair.
  EXPECT_EQ(libsodiumCurve25519Calls() - beforeRatchet, 3U);

  // Key generation (curve_generate_key_pair = random private key + this): basepoint 9.
  const std::uint64_t beforeKeyPair = libsodiumCurve25519Calls();
  ec_private_key* rawPrivate = nullptr;
  const Key scalar =
      clamped(key("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  ASSERT_EQ(curve_decode_private_point(&rawPrivate, scalar.data(), scalar.size(), nullptr), 0);
  detail::Ref<ec_private_key> privateKey(rawPrivate);
  ec_public_key* rawPublic = nullptr;
  ASSERT_EQ(curve_generate_public_key(&rawPublic, privateKey.get()), 0);
  detail::Ref<ec_public_key> publicKey(rawPublic);
  EXPECT_EQ(libsodiumCurve25519Calls() - beforeKeyPair, 1U);
  signal_buffer* rawSerialized = nullptr;
  ASSERT_EQ(ec_public_key_serialize(&rawSerialized, publicKey.get()), 0);
  detail::BufferPtr serialized(rawSerialized);
  EXPECT_EQ(toHex(detail::view(serialized.get())),
            "058520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
}

}  // namespace
}  // namespace chorus::core::signal
