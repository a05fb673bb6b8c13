#include "core/crypto/hash.h"

#include <string>

#include <gtest/gtest.h>

#include "tests/unit/crypto/crypto_test_util.h"

namespace chorus::core::crypto {
namespace {

using test::errorOf;
using test::hex;
using test::hexOf;

constexpr std::string_view k448Bits = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr std::string_view k896Bits =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopq"
    "rsmnopqrst"
    "nopqrstu";

// FIPS 180-2 Appendix B (SHA-256) examples, plus the empty message.
TEST(Sha256, Fips180Vectors) {
  EXPECT_EQ(toHex(sha256(asBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(toHex(sha256(asBytes(k448Bits))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(toHex(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// FIPS 180-2 Appendix C (SHA-512) examples, the 448-bit message and the empty message.
TEST(Sha512, Fips180Vectors) {
  EXPECT_EQ(toHex(sha512(asBytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(toHex(sha512(asBytes(k896Bits))),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
            "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  EXPECT_EQ(toHex(sha512(asBytes(k448Bits))),
            "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
            "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
  EXPECT_EQ(toHex(sha512({})),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

// FIPS 180-2: one million 'a', fed in uneven pieces.
TEST(Sha256, IncrementalMillionA) {
  const std::string chunk(999, 'a');
  Sha256 hasher;
  std::size_t fed = 0;
  while (fed + chunk.size() <= 1000000) {
    hasher.update(asBytes(chunk));
    fed += chunk.size();
  }
  hasher.update(asBytes(std::string(1000000 - fed, 'a')));
  EXPECT_EQ(toHex(hasher.finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalMatchesOneShotAndResets) {
  Sha256 hasher;
  hasher.update(asBytes("ab"));
  hasher.update({});
  hasher.update(asBytes("c"));
  EXPECT_EQ(hasher.finish(), sha256(asBytes("abc")));
  // finish() starts a fresh hash.
  EXPECT_EQ(toHex(hasher.finish()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hasher.update(asBytes(k448Bits));
  EXPECT_EQ(hasher.finish(), sha256(asBytes(k448Bits)));
}

TEST(Sha256, MovedHasherKeepsStateAndMovedFromStartsAfresh) {
  Sha256 a;
  a.update(asBytes("ab"));
  Sha256 b(std::move(a));
  b.update(asBytes("c"));
  EXPECT_EQ(b.finish(), sha256(asBytes("abc")));
  a.update(asBytes("abc"));  // NOLINT(bugprone-use-after-move): defined to restart
  EXPECT_EQ(a.finish(), sha256(asBytes("abc")));
}

// RFC 4231 §4: HMAC-SHA-256 test cases 1-4, 6 and 7 (5 is a truncated output).
TEST(HmacSha256, Rfc4231Vectors) {
  EXPECT_EQ(toHex(hmacSha256(test::repeat(0x0b, 20), asBytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(toHex(hmacSha256(asBytes("Jefe"), asBytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(toHex(hmacSha256(test::repeat(0xaa, 20), test::repeat(0xdd, 50))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  EXPECT_EQ(toHex(hmacSha256(hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                             test::repeat(0xcd, 50))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Empty key and message (not in RFC 4231; checked against Python's hmac module).
  EXPECT_EQ(toHex(hmacSha256({}, {})),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  const Bytes truncated = hmacSha256(test::repeat(0x0c, 20), asBytes("Test With Truncation"));
  EXPECT_EQ(toHex(BytesView(truncated).first(16)), "a3b6167473100ee06e0c796c2955552b");
  // Keys longer than the block size are hashed first.
  EXPECT_EQ(toHex(hmacSha256(test::repeat(0xaa, 131),
                             asBytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(toHex(hmacSha256(
                test::repeat(0xaa, 131),
                asBytes("This is a test using a larger than block-size key and a larger than "
                        "block-size data. The key needs to be hashed before being used by the "
                        "HMAC algorithm."))),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

Bytes range(std::uint8_t first, std::uint8_t lastInclusive) {
  Bytes out;
  for (unsigned v = first; v <= lastInclusive; ++v) out.push_back(static_cast<std::uint8_t>(v));
  return out;
}

// RFC 5869 Appendix A.1-A.3 (the SHA-256 cases).
TEST(HkdfSha256, Rfc5869Vectors) {
  auto okm1 = hkdfSha256(test::repeat(0x0b, 22), range(0x00, 0x0c), range(0xf0, 0xf9), 42);
  ASSERT_TRUE(okm1.has_value());
  EXPECT_EQ(hexOf(*okm1),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  // The PRK of case 1 is HMAC(salt, IKM).
  EXPECT_EQ(toHex(hmacSha256(range(0x00, 0x0c), test::repeat(0x0b, 22))),
            "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");

  auto okm2 = hkdfSha256(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82);
  ASSERT_TRUE(okm2.has_value());
  EXPECT_EQ(hexOf(*okm2),
            "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            "cc30c58179ec3e87c14c01d5c1f3434f1d87");

  auto okm3 = hkdfSha256(test::repeat(0x0b, 22), {}, {}, 42);
  ASSERT_TRUE(okm3.has_value());
  EXPECT_EQ(hexOf(*okm3),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(HkdfSha256, OutputLengthLimits) {
  const Bytes ikm = test::repeat(0x0b, 22);
  auto empty = hkdfSha256(ikm, {}, {}, 0);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());

  auto longest = hkdfSha256(ikm, {}, {}, 255 * 32);
  ASSERT_TRUE(longest.has_value());
  EXPECT_EQ(longest->size(), 255u * 32u);
  // A shorter request is a prefix of a longer one.
  auto shorter = hkdfSha256(ikm, {}, {}, 33);
  ASSERT_TRUE(shorter.has_value());
  EXPECT_EQ(toHex(shorter->view()), toHex(longest->view().first(33)));

  EXPECT_EQ(errorOf(hkdfSha256(ikm, {}, {}, 255 * 32 + 1)), Errc::InvalidArgument);
}

}  // namespace
}  // namespace chorus::core::crypto
