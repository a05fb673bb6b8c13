// Walks the §2.7 vector one Noise operation at a time, checking every intermediate h, ck and k.
#include "core/protocol/noise/symmetric_state.h"

#include <gtest/gtest.h>

#include "core/crypto/x25519.h"
#include "tests/unit/protocol/noise/noise_test_util.h"

namespace chorus::core::noise {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): test-only helpers

Bytes dh(std::uint8_t privateFill, std::string_view publicHex) {
  const auto shared = crypto::x25519(Bytes(32, privateFill), hex(publicHex));
  EXPECT_TRUE(shared.has_value());
  return toBytes(shared->view());
}

TEST(SymmetricState, ProtocolNameIsUsedUnhashed) {
  EXPECT_EQ(toHex(asBytes({kProtocolName, kProtocolNameSize})), vectors::kProtocolNameHex);
}

TEST(SymmetricState, FollowsTheDeterministicVector) {
  SymmetricState s(hex(vectors::kPrologue));
  EXPECT_EQ(toHex(s.hash()), vectors::kHashAfterPrologue);
  EXPECT_EQ(toHex(s.chainingKey()), vectors::kProtocolNameHex);

  s.mixHash(hex(vectors::kClientEphemeralPub));
  EXPECT_EQ(toHex(s.hash()), vectors::kHashAfterClientEphemeral);
  s.mixHash(hex(vectors::kServerEphemeralPub));
  EXPECT_EQ(toHex(s.hash()), vectors::kHashAfterServerEphemeral);

  ASSERT_TRUE(s.mixKey(dh(vectors::kServerEphemeralByte, vectors::kClientEphemeralPub)));
  EXPECT_EQ(toHex(s.chainingKey()), vectors::kCkAfterEe);
  EXPECT_EQ(toHex(s.cipherKey()), vectors::kKAfterEe);

  auto encStatic = s.encryptAndHash(hex(vectors::kServerStaticPub));
  ASSERT_TRUE(encStatic.has_value());
  EXPECT_EQ(toHex(*encStatic), vectors::kEncryptedServerStatic);
  EXPECT_EQ(toHex(s.hash()), vectors::kHashAfterServerStatic);
  EXPECT_EQ(s.counter(), 1u);

  ASSERT_TRUE(s.mixKey(dh(vectors::kServerStaticByte, vectors::kClientEphemeralPub)));
  EXPECT_EQ(s.counter(), 0u);
  EXPECT_EQ(toHex(s.chainingKey()), vectors::kCkAfterEs);
  EXPECT_EQ(toHex(s.cipherKey()), vectors::kKAfterEs);

  auto encCert = s.encryptAndHash(hex(vectors::kCertChain));
  ASSERT_TRUE(encCert.has_value());
  EXPECT_EQ(toHex(BytesView(*encCert).first(16)), vectors::kEncryptedCertChainPrefix);
  EXPECT_EQ(toHex(s.hash()), vectors::kHashAfterCert);

  // The counter is shared and not reset: the client static goes out with n = 1.
  EXPECT_EQ(s.counter(), 1u);
  ASSERT_TRUE(s.encryptAndHash(hex(vectors::kClientStaticPub)).has_value());
  EXPECT_EQ(toHex(s.hash()), vectors::kHashAfterClientStatic);

  ASSERT_TRUE(s.mixKey(dh(vectors::kClientStaticByte, vectors::kServerEphemeralPub)));
  EXPECT_EQ(toHex(s.chainingKey()), vectors::kCkAfterSe);
  EXPECT_EQ(toHex(s.cipherKey()), vectors::kKAfterSe);

  auto keys = s.split();
  ASSERT_TRUE(keys.has_value());
  EXPECT_EQ(toHex(keys->first.view()), vectors::kClientWriteKey);
  EXPECT_EQ(toHex(keys->second.view()), vectors::kServerWriteKey);
}

TEST(SymmetricState, DecryptMirrorsEncrypt) {
  SymmetricState sender(hex("57410603"));
  SymmetricState receiver(hex("57410603"));
  const Bytes ikm(32, 9);
  ASSERT_TRUE(sender.mixKey(ikm));
  ASSERT_TRUE(receiver.mixKey(ikm));
  for (int i = 0; i < 3; ++i) {
    auto c = sender.encryptAndHash(hex("0102030405"));
    ASSERT_TRUE(c.has_value());
    auto p = receiver.decryptAndHash(*c);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(toHex(*p), "0102030405");
    EXPECT_EQ(toHex(sender.hash()), toHex(receiver.hash()));
  }
}

TEST(SymmetricState, CipherBeforeMixKeyIsAnInternalError) {
  SymmetricState s(hex("57410603"));
  EXPECT_EQ(errorOf(s.encryptAndHash(hex("00"))), Errc::Internal);
  EXPECT_EQ(errorOf(s.decryptAndHash(Bytes(20, 0))), Errc::Internal);
}

TEST(SymmetricState, FailedDecryptLeavesStateUntouched) {
  SymmetricState sender(hex("57410603"));
  SymmetricState receiver(hex("57410603"));
  ASSERT_TRUE(sender.mixKey(Bytes(32, 1)));
  ASSERT_TRUE(receiver.mixKey(Bytes(32, 1)));
  Bytes c = sender.encryptAndHash(hex("aabbcc")).value();
  const Bytes before = toBytes(receiver.hash());

  Bytes tampered = c;
  tampered[0] ^= 1;
  EXPECT_EQ(errorOf(receiver.decryptAndHash(tampered)), Errc::Crypto);
  EXPECT_EQ(errorOf(receiver.decryptAndHash(Bytes(15, 0))), Errc::Malformed);
  EXPECT_EQ(receiver.counter(), 0u);
  EXPECT_EQ(toBytes(receiver.hash()), before);
  EXPECT_TRUE(receiver.decryptAndHash(c).has_value());
}

}  // namespace
}  // namespace chorus::core::noise
