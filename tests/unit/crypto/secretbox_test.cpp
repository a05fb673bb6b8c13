#include "core/crypto/secretbox.h"

#include <gtest/gtest.h>

#include "core/util/random.h"
#include "tests/unit/crypto/crypto_test_util.h"

namespace chorus::core::crypto {
namespace {

using test::errorOf;
using test::hex;
using test::hexOf;

// draft-irtf-cfrg-xchacha-03, Appendix A.3.1 (AEAD_XChaCha20_Poly1305).
constexpr std::string_view kPlaintext =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
    "sunscreen would be it.";
constexpr const char* kAad = "50515253c0c1c2c3c4c5c6c7";
constexpr const char* kKey = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
constexpr const char* kNonce = "404142434445464748494a4b4c4d4e4f5051525354555657";
constexpr const char* kCiphertext =
    "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
    "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
    "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
    "21f9664c97637da9768812f615c68b13b52e";
constexpr const char* kTag = "c0875924c1c7987947deafd8780acf49";

TEST(XChaCha, DraftAppendixA31Vector) {
  auto sealed = xchachaSeal(hex(kKey), hex(kNonce), hex(kAad), asBytes(kPlaintext));
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(toHex(*sealed), std::string(kCiphertext) + kTag);

  auto opened = xchachaOpen(hex(kKey), hex(kNonce), hex(kAad), *sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(asString(opened->view()), kPlaintext);
}

TEST(XChaCha, RejectsTamperingAndMalformedInput) {
  const Bytes key = hex(kKey);
  const Bytes nonce = hex(kNonce);
  const Bytes aad = hex(kAad);
  const Bytes sealed = hex(std::string(kCiphertext) + kTag);

  for (std::size_t i : {std::size_t{0}, sealed.size() / 2, sealed.size() - 1}) {
    Bytes tampered = sealed;
    tampered[i] ^= 0x04;
    EXPECT_EQ(errorOf(xchachaOpen(key, nonce, aad, tampered)), Errc::Crypto) << i;
  }
  EXPECT_EQ(errorOf(xchachaOpen(key, nonce, {}, sealed)), Errc::Crypto);
  Bytes otherNonce = nonce;
  otherNonce[23] ^= 1;
  EXPECT_EQ(errorOf(xchachaOpen(key, otherNonce, aad, sealed)), Errc::Crypto);
  EXPECT_EQ(errorOf(xchachaOpen(key, nonce, aad, Bytes(16, 0))), Errc::Crypto);

  EXPECT_EQ(errorOf(xchachaOpen(key, nonce, aad, Bytes(15, 0))), Errc::Malformed);
  EXPECT_EQ(errorOf(xchachaOpen(key, nonce, aad, {})), Errc::Malformed);
  EXPECT_EQ(errorOf(xchachaOpen(Bytes(31, 0), nonce, aad, sealed)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(xchachaOpen(key, Bytes(12, 0), aad, sealed)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(xchachaSeal(Bytes(16, 0), nonce, aad, {})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(xchachaSeal(key, Bytes(25, 0), aad, {})), Errc::InvalidArgument);
}

TEST(XChaCha, RandomNonceBoxRoundTrip) {
  SeededRandom random(11);
  const Bytes key = random.bytes(kAeadKeySize);
  auto box = sealWithRandomNonce(key, asBytes("row:42"), asBytes("secret value"), random);
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(box->size(), kAeadNonceSize + 12 + kAeadTagSize);
  auto opened = openWithNonce(key, asBytes("row:42"), *box);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(asString(opened->view()), "secret value");

  // Two boxes of the same value differ: each gets its own nonce.
  auto second = sealWithRandomNonce(key, asBytes("row:42"), asBytes("secret value"), random);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*box, *second);

  // The AAD binds the box to its row.
  EXPECT_EQ(errorOf(openWithNonce(key, asBytes("row:43"), *box)), Errc::Crypto);
  Bytes tamperedNonce = *box;
  tamperedNonce[0] ^= 1;
  EXPECT_EQ(errorOf(openWithNonce(key, asBytes("row:42"), tamperedNonce)), Errc::Crypto);

  auto emptyBox = sealWithRandomNonce(key, {}, {}, random);
  ASSERT_TRUE(emptyBox.has_value());
  auto emptyOpened = openWithNonce(key, {}, *emptyBox);
  ASSERT_TRUE(emptyOpened.has_value());
  EXPECT_TRUE(emptyOpened->empty());

  EXPECT_EQ(errorOf(openWithNonce(key, {}, Bytes(kAeadNonceSize + kAeadTagSize - 1, 0))),
            Errc::Malformed);
  EXPECT_EQ(errorOf(openWithNonce(key, {}, {})), Errc::Malformed);
  EXPECT_EQ(errorOf(openWithNonce(Bytes(8, 0), {}, *box)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(sealWithRandomNonce(Bytes(8, 0), {}, {}, random)), Errc::InvalidArgument);
}

// Argon2id v1.3 (version 0x13). libsodium requires a 16-byte salt, so the reference
// implementation's "somesalt" vectors cannot be fed to it; these outputs were computed with
// OpenSSL's independent Argon2id (via pyca/cryptography), which also reproduces the reference
// vector password/"somesalt"/t=2/m=64 MiB/p=1 -> 09316115...3cf7.
TEST(Argon2id, MatchesIndependentImplementation) {
  const std::string_view salt = "somesaltsomesalt";
  auto small = argon2id("password", asBytes(salt), 32, Argon2Params{2, 256 * 1024});
  ASSERT_TRUE(small.has_value());
  EXPECT_EQ(hexOf(*small), "cab746b4621993fdc91ec50787980b414a90a692f0bc68dfe19f9c25b3cba9ec");

  auto large = argon2id("password", asBytes(salt), 32, Argon2Params{2, 64u << 20});
  ASSERT_TRUE(large.has_value());
  EXPECT_EQ(hexOf(*large), "fc33b78139231d34b71626bd6245c1d72efa190ad605c3d8166a72adcedfa2c2");

  Bytes binarySalt;
  for (std::uint8_t i = 0; i < 16; ++i) binarySalt.push_back(i);
  auto longer =
      argon2id("correct horse battery staple", binarySalt, 64, Argon2Params{3, 1024 * 1024});
  ASSERT_TRUE(longer.has_value());
  EXPECT_EQ(hexOf(*longer),
            "1838b69c12e5f56eb415e8247d35edbd7cbeb1690fc6edc53abe25be2ff974ec"
            "e57d41482c12b0ebdb525129b7a79d67b865d6ff4687ecd34679f2a705c2eabd");

  // Empty passphrase at libsodium's minimum cost (t=1, 8 KiB).
  auto empty = argon2id({}, Bytes(16, 0), 16, Argon2Params{1, 8192});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(hexOf(*empty), "b006c1ede0239691562b55a5d1f152b9");
}

TEST(Argon2id, RejectsBadParameters) {
  const Bytes salt(16, 0x01);
  const Argon2Params cheap{1, 8192};
  EXPECT_TRUE(argon2id("pw", salt, 32, cheap).has_value());
  EXPECT_EQ(errorOf(argon2id("pw", Bytes(8, 1), 32, cheap)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(argon2id("pw", Bytes(17, 1), 32, cheap)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(argon2id("pw", salt, 15, cheap)), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(argon2id("pw", salt, 32, Argon2Params{0, 8192})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(argon2id("pw", salt, 32, Argon2Params{1, 8191})), Errc::InvalidArgument);
  EXPECT_EQ(errorOf(argon2id("pw", salt, 32, Argon2Params{1, 0})), Errc::InvalidArgument);
}

}  // namespace
}  // namespace chorus::core::crypto
