#include "core/crypto/aes_ctr.h"

#include <gtest/gtest.h>

namespace chorus::core::crypto {
namespace {

Bytes hex(std::string_view text) { return fromHex(text).value(); }

// NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt (and F.5.6 Decrypt: the same operation).
TEST(AesCtr, Sp80038aVectors) {
  const Bytes key = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
  const Bytes counter = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  const Bytes plain = hex(
      "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
      "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710");
  const Bytes cipher = hex(
      "601ec313775789a5b7a7f504bbf3d228 f443e3ca4d62b59aca84e990cacaf5c5"
      "2b0930daa23de94ce87017ba2d84988d dfc9c58db67aada613c2dd08457941a6");
  EXPECT_EQ(aes256Ctr(key, counter, plain).value(), cipher);
  EXPECT_EQ(aes256Ctr(key, counter, cipher).value(), plain);
  // A partial last block is a prefix of the keystream: no padding in CTR.
  EXPECT_EQ(aes256Ctr(key, counter, BytesView(plain).first(20)).value(), Bytes(cipher.begin(), cipher.begin() + 20));
  EXPECT_TRUE(aes256Ctr(key, counter, {}).value().empty());
}

TEST(AesCtr, RejectsWrongSizes) {
  const Bytes key(32, 1), iv(16, 2);
  EXPECT_EQ(aes256Ctr(Bytes(16, 1), iv, Bytes{1}).error().code, Errc::InvalidArgument);
  EXPECT_EQ(aes256Ctr(key, Bytes(12, 2), Bytes{1}).error().code, Errc::InvalidArgument);
}

}  // namespace
}  // namespace chorus::core::crypto
