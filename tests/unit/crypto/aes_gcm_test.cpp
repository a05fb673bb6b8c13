#include "core/crypto/aes_gcm.h"

#include <gtest/gtest.h>

#include "core/util/random.h"
#include "tests/unit/crypto/crypto_test_util.h"

namespace chorus::core::crypto {
namespace {

using test::errorOf;
using test::hex;

// The GCM specification (McGrew & Viega, "The Galois/Counter Mode of Operation"), test cases
// 13-16: the AES-256 ones. Sealed output is ciphertext || tag.
struct GcmCase {
  const char* name;
  const char* key;
  const char* iv;
  const char* aad;
  const char* plaintext;
  const char* sealed;
};

constexpr const char* kKey15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr const char* kPlain15 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr const char* kPlain16 =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";

const GcmCase kCases[] = {
    {"TC13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"TC14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"},
    {"TC15", kKey15, "cafebabefacedbaddecaf888", "", kPlain15,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"TC16", kKey15, "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     kPlain16,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST(AesGcm, SpecTestCases13To16OneShot) {
  for (const GcmCase& c : kCases) {
    auto sealed = aesGcmEncrypt(hex(c.key), hex(c.iv), hex(c.aad), hex(c.plaintext));
    ASSERT_TRUE(sealed.has_value()) << c.name;
    EXPECT_EQ(toHex(*sealed), c.sealed) << c.name;
    auto opened = aesGcmDecrypt(hex(c.key), hex(c.iv), hex(c.aad), hex(c.sealed));
    ASSERT_TRUE(opened.has_value()) << c.name;
    EXPECT_EQ(toHex(*opened), c.plaintext) << c.name;
  }
}

// One AesGcm serves many messages: the IV is reset per call without redoing the key.
TEST(AesGcm, ReusedContextGivesSameResults) {
  auto gcm = AesGcm::create(hex(kKey15));
  ASSERT_TRUE(gcm.has_value());
  for (int round = 0; round < 3; ++round) {
    for (const GcmCase& c : {kCases[2], kCases[3]}) {
      auto sealed = gcm->seal(hex(c.iv), hex(c.aad), hex(c.plaintext));
      ASSERT_TRUE(sealed.has_value());
      EXPECT_EQ(toHex(*sealed), c.sealed) << c.name;
      auto opened = gcm->open(hex(c.iv), hex(c.aad), *sealed);
      ASSERT_TRUE(opened.has_value());
      EXPECT_EQ(toHex(*opened), c.plaintext) << c.name;
    }
  }
}

TEST(AesGcm, RejectsTampering) {
  auto gcm = AesGcm::create(hex(kKey15));
  ASSERT_TRUE(gcm.has_value());
  const Bytes iv = hex("cafebabefacedbaddecaf888");
  const Bytes aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const Bytes sealed = hex(kCases[3].sealed);

  Bytes badTag = sealed;
  badTag.back() ^= 0x01;
  EXPECT_EQ(errorOf(gcm->open(iv, aad, badTag)), Errc::Crypto);

  Bytes badBody = sealed;
  badBody[0] ^= 0x80;
  EXPECT_EQ(errorOf(gcm->open(iv, aad, badBody)), Errc::Crypto);

  Bytes badAad = aad;
  badAad[3] ^= 0x01;
  EXPECT_EQ(errorOf(gcm->open(iv, badAad, sealed)), Errc::Crypto);
  EXPECT_EQ(errorOf(gcm->open(iv, {}, sealed)), Errc::Crypto);

  Bytes badIv = iv;
  badIv[11] ^= 0x01;
  EXPECT_EQ(errorOf(gcm->open(badIv, aad, sealed)), Errc::Crypto);

  Bytes truncated(sealed.begin(), sealed.end() - 1);
  EXPECT_EQ(errorOf(gcm->open(iv, aad, truncated)), Errc::Crypto);

  // A bare tag (empty plaintext) that does not match.
  EXPECT_EQ(errorOf(gcm->open(iv, aad, Bytes(16, 0))), Errc::Crypto);

  // The context is still good after failures.
  auto opened = gcm->open(iv, aad, sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(toHex(*opened), kPlain16);
}

TEST(AesGcm, RejectsMalformedInput) {
  EXPECT_EQ(errorOf(AesGcm::create(Bytes(16, 0))), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(AesGcm::create(Bytes(31, 0))), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(AesGcm::create({})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(aesGcmEncrypt(Bytes(24, 0), Bytes(12, 0), {}, {})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(aesGcmDecrypt(Bytes(33, 0), Bytes(12, 0), {}, Bytes(16, 0))),
            Errc::InvalidArgument);

  auto gcm = AesGcm::create(Bytes(32, 0));
  ASSERT_TRUE(gcm.has_value());
  EXPECT_EQ(errorOf(gcm->seal(Bytes(16, 0), {}, {})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(gcm->seal(Bytes(8, 0), {}, {})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(gcm->open(Bytes(11, 0), {}, Bytes(16, 0))), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(gcm->open(Bytes(12, 0), {}, Bytes(15, 0))), Errc::Malformed);
  EXPECT_EQ(errorOf(gcm->open(Bytes(12, 0), {}, {})), Errc::Malformed);
}

TEST(AesGcm, MovedObjectWorksAndMovedFromRefuses) {
  auto created = AesGcm::create(hex(kKey15));
  ASSERT_TRUE(created.has_value());
  AesGcm gcm = std::move(created).value();
  AesGcm other = std::move(gcm);
  auto sealed = other.seal(hex("cafebabefacedbaddecaf888"), {}, hex(kPlain15));
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(toHex(*sealed), kCases[2].sealed);
  // NOLINTNEXTLINE(bugprone-use-after-move): a moved-from cipher reports misuse, not UB.
  EXPECT_EQ(errorOf(gcm.seal(hex("cafebabefacedbaddecaf888"), {}, {})), Errc::InvalidArgument);
}

TEST(AesGcm, LargerMessagesRoundTrip) {
  SeededRandom random(7);
  const Bytes key = random.bytes(32);
  const Bytes iv = random.bytes(12);
  const Bytes plaintext = random.bytes(1 << 20);
  auto sealed = aesGcmEncrypt(key, iv, asBytes("aad"), plaintext);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sealed->size(), plaintext.size() + kGcmTagSize);
  auto opened = aesGcmDecrypt(key, iv, asBytes("aad"), *sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, plaintext);
}

}  // namespace
}  // namespace chorus::core::crypto
