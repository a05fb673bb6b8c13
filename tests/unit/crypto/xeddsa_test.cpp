#include "core/crypto/xeddsa.h"

#include <gtest/gtest.h>

#include "core/crypto/x25519.h"
#include "core/util/random.h"
#include "tests/unit/crypto/crypto_test_util.h"

namespace chorus::core::crypto {
namespace {

using test::errorOf;
using test::hex;

// From the "certchain" line of shared/protocol/vectors/noise.out, made by Baileys
// (noise.js): CertChain{leaf{details, signature}, intermediate{details, signature}}, the
// fields extracted once by hand. The intermediate is signed by a test root with private key
// 0x55 x 32, the leaf by the intermediate, private key 0x66 x 32.
constexpr const char* kIntermediateDetails =
    "080110001a20219e4d800da968d2a5fcb009c784f4746c7138edb9ee4844b739e830b05cf4242080e2cfaa062880ae"
    "99a40f";
constexpr const char* kIntermediateSignature =
    "63df4c67e220375fbbb8fc14327617a96148329989bcc4957076f9f59050b888"
    "fcc9acd406789c42728d5fb826ebc0b388f9b21e34b97dd40554aa6a142aa104";
constexpr const char* kLeafDetails =
    "080210011a20ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b2080e2cfaa062880ae"
    "99a40f";
constexpr const char* kLeafSignature =
    "6e7553473bb328a7f0428525f9c9bbcfe76cc2f9755de01f5845cb4e90930c54"
    "0fda1dc50465f70a0fa72dec6bfb15d567a7027e43b7578af14bbc30f570c08b";

Bytes publicKeyOf(std::uint8_t fill) {
  auto pair = keyPairFromPrivate(test::repeat(fill, 32));
  EXPECT_TRUE(pair.has_value());
  return pair.has_value() ? pair->publicKey : Bytes{};
}

TEST(XEdDSA, VerifiesBaileysCertificateChain) {
  const Bytes root = publicKeyOf(0x55);
  const Bytes intermediate = publicKeyOf(0x66);
  // The intermediate's details (field 3) carry its key.
  EXPECT_EQ(toHex(BytesView(hex(kIntermediateDetails)).subspan(6, 32)), toHex(intermediate));

  EXPECT_TRUE(xeddsaVerify(root, hex(kIntermediateDetails), hex(kIntermediateSignature)));
  EXPECT_TRUE(xeddsaVerify(intermediate, hex(kLeafDetails), hex(kLeafSignature)));

  // Crossed keys, messages and signatures all fail.
  EXPECT_FALSE(xeddsaVerify(intermediate, hex(kIntermediateDetails), hex(kIntermediateSignature)));
  EXPECT_FALSE(xeddsaVerify(root, hex(kLeafDetails), hex(kLeafSignature)));
  EXPECT_FALSE(xeddsaVerify(root, hex(kLeafDetails), hex(kIntermediateSignature)));
}

TEST(XEdDSA, SignVerifyRoundTrip) {
  SeededRandom random(5);
  auto pair = generateKeyPair(random);
  ASSERT_TRUE(pair.has_value());
  const Bytes message = toBytes("signed prekey 0x05||pub");
  auto signature = xeddsaSign(pair->privateKey.view(), message, random);
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(signature->size(), kSignatureSize);
  EXPECT_TRUE(xeddsaVerify(pair->publicKey, message, *signature));

  // Signatures are randomised: a second one differs but verifies too.
  auto second = xeddsaSign(pair->privateKey.view(), message, random);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*second, *signature);
  EXPECT_TRUE(xeddsaVerify(pair->publicKey, message, *second));

  // Empty and long messages.
  auto emptySig = xeddsaSign(pair->privateKey.view(), {}, random);
  ASSERT_TRUE(emptySig.has_value());
  EXPECT_TRUE(xeddsaVerify(pair->publicKey, {}, *emptySig));
  const Bytes big = random.bytes(64 * 1024);
  auto bigSig = xeddsaSign(pair->privateKey.view(), big, random);
  ASSERT_TRUE(bigSig.has_value());
  EXPECT_TRUE(xeddsaVerify(pair->publicKey, big, *bigSig));
}

// An unclamped private key signs as its clamped form, matching the public key X25519 derives.
TEST(XEdDSA, UnclampedPrivateKeySignsForItsPublicKey) {
  SeededRandom random(9);
  const Bytes raw = test::repeat(0xff, 32);
  auto signature = xeddsaSign(raw, asBytes("m"), random);
  ASSERT_TRUE(signature.has_value());
  EXPECT_TRUE(xeddsaVerify(publicKeyOf(0xff), asBytes("m"), *signature));
}

TEST(XEdDSA, RejectsTampering) {
  SeededRandom random(6);
  auto pair = generateKeyPair(random);
  auto other = generateKeyPair(random);
  ASSERT_TRUE(pair.has_value() && other.has_value());
  const Bytes message = toBytes("adv device identity");
  auto signature = xeddsaSign(pair->privateKey.view(), message, random);
  ASSERT_TRUE(signature.has_value());

  Bytes badMessage = message;
  badMessage[0] ^= 1;
  EXPECT_FALSE(xeddsaVerify(pair->publicKey, badMessage, *signature));
  EXPECT_FALSE(xeddsaVerify(pair->publicKey, {}, *signature));
  for (std::size_t i : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{63}}) {
    Bytes badSig = *signature;
    badSig[i] ^= 0x01;
    EXPECT_FALSE(xeddsaVerify(pair->publicKey, message, badSig)) << i;
  }
  // The sign bit XEdDSA stores in the top bit of the last byte matters too.
  Bytes flippedSign = *signature;
  flippedSign[63] ^= 0x80;
  EXPECT_FALSE(xeddsaVerify(pair->publicKey, message, flippedSign));
  EXPECT_FALSE(xeddsaVerify(other->publicKey, message, *signature));
  Bytes badKey = pair->publicKey;
  badKey[5] ^= 1;
  EXPECT_FALSE(xeddsaVerify(badKey, message, *signature));
  EXPECT_FALSE(xeddsaVerify(Bytes(32, 0), message, *signature));
  EXPECT_FALSE(xeddsaVerify(pair->publicKey, message, Bytes(64, 0)));
}

TEST(XEdDSA, RejectsWrongSizes) {
  SeededRandom random(8);
  auto pair = generateKeyPair(random);
  ASSERT_TRUE(pair.has_value());
  auto signature = xeddsaSign(pair->privateKey.view(), asBytes("m"), random);
  ASSERT_TRUE(signature.has_value());

  EXPECT_EQ(errorOf(xeddsaSign(Bytes(31, 1), asBytes("m"), random)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(xeddsaSign(Bytes(33, 1), asBytes("m"), random)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(xeddsaSign({}, asBytes("m"), random)), Errc::InvalidArgument);

  // A public key with libsignal's 0x05 prefix is the wrong size here.
  const Bytes prefixed = concat({Bytes{0x05}, pair->publicKey});
  EXPECT_FALSE(xeddsaVerify(prefixed, asBytes("m"), *signature));
  EXPECT_FALSE(xeddsaVerify(BytesView(pair->publicKey).first(31), asBytes("m"), *signature));
  EXPECT_FALSE(xeddsaVerify({}, asBytes("m"), *signature));
  EXPECT_FALSE(xeddsaVerify(pair->publicKey, asBytes("m"), BytesView(*signature).first(63)));
  Bytes longer = *signature;
  longer.push_back(0);
  EXPECT_FALSE(xeddsaVerify(pair->publicKey, asBytes("m"), longer));
  EXPECT_FALSE(xeddsaVerify(pair->publicKey, asBytes("m"), {}));
}

// A Random that throws must not unwind through libsignal's C code.
class ThrowingRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t>) override { throw std::runtime_error("no entropy"); }
};

TEST(XEdDSA, FailingRandomIsAnError) {
  ThrowingRandom random;
  EXPECT_EQ(errorOf(xeddsaSign(test::repeat(0x11, 32), asBytes("m"), random)), Errc::Crypto);
}

}  // namespace
}  // namespace chorus::core::crypto
