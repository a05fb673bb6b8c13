#include "core/crypto/x25519.h"

#include <gtest/gtest.h>

#include "tests/unit/crypto/crypto_test_util.h"

namespace chorus::core::crypto {
namespace {

using test::errorOf;
using test::hex;
using test::hexOf;

// RFC 7748 §5.2: X25519 on arbitrary (unclamped) scalars and u-coordinates.
TEST(X25519, Rfc7748Section5_2Vectors) {
  auto out1 = x25519(hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                     hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
  ASSERT_TRUE(out1.has_value());
  EXPECT_EQ(hexOf(*out1), "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");

  // The u-coordinate's top bit is set here: RFC 7748 requires implementations to ignore it.
  auto out2 = x25519(hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                     hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
  ASSERT_TRUE(out2.has_value());
  EXPECT_EQ(hexOf(*out2), "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}

// RFC 7748 §5.2 iterated test: k = X25519(k, u), u = old k, starting from k = u = 9.
TEST(X25519, Rfc7748IteratedVector) {
  Bytes k(32, 0);
  k[0] = 9;
  Bytes u = k;
  for (int i = 1; i <= 1000; ++i) {
    auto next = x25519(k, u);
    ASSERT_TRUE(next.has_value());
    u = k;
    k = toBytes(next->view());
    if (i == 1) {
      EXPECT_EQ(toHex(k), "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
    }
  }
  EXPECT_EQ(toHex(k), "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

// RFC 7748 §6.1: Alice and Bob derive the same secret.
TEST(X25519, Rfc7748Section6_1DiffieHellman) {
  auto alice =
      keyPairFromPrivate(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  auto bob =
      keyPairFromPrivate(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice.has_value());
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(toHex(alice->publicKey),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(toHex(bob->publicKey),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

  auto ab = x25519(alice->privateKey.view(), bob->publicKey);
  auto ba = x25519(bob->privateKey.view(), alice->publicKey);
  ASSERT_TRUE(ab.has_value());
  ASSERT_TRUE(ba.has_value());
  EXPECT_EQ(hexOf(*ab), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_EQ(*ab, *ba);
}

// Public keys Baileys derived for the fixed keys of shared/protocol/vectors/noise.out.
TEST(X25519, MatchesBaileysPublicKeys) {
  const std::pair<std::uint8_t, const char*> cases[] = {
      {0x11, "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13"},
      {0x22, "0faa684ed28867b97f4a6a2dee5df8ce974e76b7018e3f22a1c4cf2678570f20"},
      {0x33, "7b0d47d93427f8311160781c7c733fd89f88970aef490d8aa0ee19a4cb8a1b14"},
      {0x44, "ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b"},
  };
  for (const auto& [fill, expected] : cases) {
    auto pair = keyPairFromPrivate(test::repeat(fill, 32));
    ASSERT_TRUE(pair.has_value());
    EXPECT_EQ(toHex(pair->publicKey), expected) << int{fill};
  }
}

TEST(X25519, PrivateKeysAreClamped) {
  auto pair = keyPairFromPrivate(test::repeat(0xff, 32));
  ASSERT_TRUE(pair.has_value());
  const std::uint8_t* key = pair->privateKey.data();
  EXPECT_EQ(key[0], 0xf8);
  EXPECT_EQ(key[31], 0x7f);

  auto zero = keyPairFromPrivate(test::repeat(0x00, 32));
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero->privateKey.data()[31], 0x40);
}

TEST(X25519, GeneratedPairsAgreeAndAreReproducible) {
  SeededRandom random(42);
  auto a = generateKeyPair(random);
  auto b = generateKeyPair(random);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(a->privateKey.size(), kCurveKeySize);
  EXPECT_EQ(a->publicKey.size(), kCurveKeySize);
  EXPECT_EQ(a->privateKey.data()[0] & 7, 0);
  EXPECT_NE(a->publicKey, b->publicKey);

  auto ab = x25519(a->privateKey.view(), b->publicKey);
  auto ba = x25519(b->privateKey.view(), a->publicKey);
  ASSERT_TRUE(ab.has_value() && ba.has_value());
  EXPECT_EQ(*ab, *ba);

  SeededRandom again(42);
  auto a2 = generateKeyPair(again);
  ASSERT_TRUE(a2.has_value());
  EXPECT_EQ(a2->publicKey, a->publicKey);

  // The derived public key is the one keyPairFromPrivate computes for the same private key.
  auto rederived = keyPairFromPrivate(a->privateKey.view());
  ASSERT_TRUE(rederived.has_value());
  EXPECT_EQ(rederived->publicKey, a->publicKey);
}

TEST(X25519, RejectsWrongSizes) {
  const Bytes key32 = test::repeat(0x11, 32);
  EXPECT_EQ(errorOf(keyPairFromPrivate(test::repeat(0x11, 31))), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(keyPairFromPrivate(test::repeat(0x11, 33))), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(keyPairFromPrivate({})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(x25519(test::repeat(0x11, 31), key32)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(x25519(key32, test::repeat(0x11, 33))), Errc::InvalidArgument);
  // 33 bytes with libsignal's 0x05 prefix is still the wrong size at this layer.
  const Bytes prefixed = concat({Bytes{0x05}, key32});
  EXPECT_EQ(errorOf(x25519(key32, prefixed)), Errc::InvalidArgument);
}

// Low-order points give an all-zero shared secret, which must be refused.
TEST(X25519, RejectsLowOrderPoints) {
  const Bytes priv = test::repeat(0x11, 32);
  Bytes zero(32, 0);
  Bytes one(32, 0);
  one[0] = 1;
  // A point of order 8 (from the list of Curve25519 small-subgroup points).
  const Bytes order8 = hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
  // p - 1 (order 2) and p (== 0 mod p).
  const Bytes pMinus1 = hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  const Bytes p = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  for (const Bytes& point : {zero, one, order8, pMinus1, p}) {
    EXPECT_EQ(errorOf(x25519(priv, point)), Errc::Crypto) << toHex(point);
  }
}

}  // namespace
}  // namespace chorus::core::crypto
