#include "core/signal/session_cipher.h"

#include <gtest/gtest.h>

#include "core/crypto/xeddsa.h"
#include "core/signal/padding.h"
#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::signal {
namespace {

using test::Party;
using test::text;

constexpr std::uint8_t kVersionByte = 0x33;  // (3 << 4) | 3

class SessionCipherTest : public ::testing::Test {
 protected:
  Party alice{"15550000001", 3, 1};
  Party bob{"15550000002", 1, 2};

  // Alice builds a session from Bob's bundle and sends one pkmsg that Bob decrypts.
  EncryptedMessage establish() {
    EXPECT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle()).has_value());
    auto first = alice.sessions.encrypt(bob.address, text("first"));
    EXPECT_TRUE(first.has_value());
    EXPECT_EQ(first->type, MessageType::PreKey);
    auto plain = bob.sessions.decrypt(alice.address, first->type, first->bytes);
    EXPECT_TRUE(plain.has_value());
    return *first;
  }
  // Bob answers, which ends Alice's pkmsg phase.
  void reply() {
    auto answer = bob.sessions.encrypt(alice.address, text("answer"));
    ASSERT_TRUE(answer.has_value());
    ASSERT_EQ(answer->type, MessageType::Normal);
    ASSERT_TRUE(alice.sessions.decrypt(bob.address, answer->type, answer->bytes).has_value());
  }
};

TEST_F(SessionCipherTest, PreKeyMessageThenNormalMessagesBothWays) {
  ASSERT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle()).has_value());
  EXPECT_TRUE(alice.sessions.hasSession(bob.address).value());
  EXPECT_FALSE(bob.sessions.hasSession(alice.address).value());

  const Bytes hello = padMessage(text("hello"), *alice.random);
  auto m1 = alice.sessions.encrypt(bob.address, hello);
  ASSERT_TRUE(m1.has_value());
  EXPECT_EQ(m1->type, MessageType::PreKey);
  ASSERT_FALSE(m1->bytes.empty());
  EXPECT_EQ(m1->bytes[0], kVersionByte);

  auto p1 = bob.sessions.decrypt(alice.address, MessageType::PreKey, m1->bytes);
  ASSERT_TRUE(p1.has_value()) << describe(p1.error());
  EXPECT_EQ(*p1, hello);
  EXPECT_EQ(unpadMessage(*p1).value(), text("hello"));
  EXPECT_TRUE(bob.sessions.hasSession(alice.address).value());
  // The one-time prekey is used up; the remote identity is remembered raw (32 bytes).
  EXPECT_FALSE(bob.store->preKey(bob.preKeys[0].id).value().has_value());
  auto remembered = bob.store->remoteIdentity(alice.address).value();
  ASSERT_TRUE(remembered.has_value());
  EXPECT_EQ(*remembered, alice.store->identityKeyPair().value().publicKey);

  auto m2 = bob.sessions.encrypt(alice.address, text("hi back"));
  ASSERT_TRUE(m2.has_value());
  EXPECT_EQ(m2->type, MessageType::Normal);
  EXPECT_EQ(m2->bytes[0], kVersionByte);
  auto p2 = alice.sessions.decrypt(bob.address, MessageType::Normal, m2->bytes);
  ASSERT_TRUE(p2.has_value()) << describe(p2.error());
  EXPECT_EQ(*p2, text("hi back"));

  for (int i = 0; i < 3; ++i) {
    auto a = alice.sessions.encrypt(bob.address, text("from alice " + std::to_string(i)));
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->type, MessageType::Normal);
    EXPECT_EQ(bob.sessions.decrypt(alice.address, a->type, a->bytes).value(),
              text("from alice " + std::to_string(i)));
    auto b = bob.sessions.encrypt(alice.address, text("from bob " + std::to_string(i)));
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(alice.sessions.decrypt(bob.address, b->type, b->bytes).value(),
              text("from bob " + std::to_string(i)));
  }
  EXPECT_EQ(alice.sessions.remoteRegistrationId(bob.address).value(),
            bob.store->registrationId().value());
}

TEST_F(SessionCipherTest, StaysPreKeyUntilTheFirstReply) {
  establish();
  auto second = alice.sessions.encrypt(bob.address, text("second"));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->type, MessageType::PreKey);
  EXPECT_EQ(bob.sessions.decrypt(alice.address, second->type, second->bytes).value(),
            text("second"));
  reply();
  auto third = alice.sessions.encrypt(bob.address, text("third"));
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->type, MessageType::Normal);
}

TEST_F(SessionCipherTest, BundleWithoutOneTimePreKey) {
  ASSERT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle(std::nullopt)).has_value());
  auto m = alice.sessions.encrypt(bob.address, text("no otk"));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(bob.sessions.decrypt(alice.address, m->type, m->bytes).value(), text("no otk"));
  EXPECT_EQ(bob.store->preKeyCount(), bob.preKeys.size());  // nothing consumed
}

TEST_F(SessionCipherTest, OutOfOrderWithinLimits) {
  establish();
  reply();
  std::vector<EncryptedMessage> sent;
  for (int i = 0; i < 20; ++i) {
    sent.push_back(alice.sessions.encrypt(bob.address, text("n" + std::to_string(i))).value());
  }
  for (int i = 19; i >= 0; --i) {
    auto plain = bob.sessions.decrypt(alice.address, MessageType::Normal,
                                      sent[static_cast<std::size_t>(i)].bytes);
    ASSERT_TRUE(plain.has_value()) << i << " " << describe(plain.error());
    EXPECT_EQ(*plain, text("n" + std::to_string(i)));
  }
}

TEST_F(SessionCipherTest, TooFarInTheFutureIsRefused) {
  establish();
  reply();
  EncryptedMessage last;
  for (int i = 0; i < 2003; ++i) last = alice.sessions.encrypt(bob.address, text("x")).value();
  auto r = bob.sessions.decrypt(alice.address, last.type, last.bytes);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::Protocol);
}

TEST_F(SessionCipherTest, DuplicateIsRejectedDistinctly) {
  EncryptedMessage first = establish();
  auto again = bob.sessions.decrypt(alice.address, first.type, first.bytes);
  ASSERT_FALSE(again.has_value());
  EXPECT_TRUE(isDuplicateMessage(again.error())) << describe(again.error());

  reply();
  auto m = alice.sessions.encrypt(bob.address, text("once")).value();
  ASSERT_TRUE(bob.sessions.decrypt(alice.address, m.type, m.bytes).has_value());
  auto dup = bob.sessions.decrypt(alice.address, m.type, m.bytes);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, Errc::Protocol);
  EXPECT_TRUE(isDuplicateMessage(dup.error()));
  EXPECT_FALSE(isUntrustedIdentity(dup.error()));
}

TEST_F(SessionCipherTest, TamperedMessagesAreRejected) {
  establish();
  reply();
  auto m = alice.sessions.encrypt(bob.address, text("integrity")).value();

  Bytes badMac = m.bytes;
  badMac.back() ^= 0x01;
  auto r1 = bob.sessions.decrypt(alice.address, m.type, badMac);
  ASSERT_FALSE(r1.has_value());
  EXPECT_EQ(r1.error().code, Errc::Crypto) << describe(r1.error());

  Bytes badBody = m.bytes;
  badBody[badBody.size() - 12] ^= 0x80;  // inside the AES ciphertext
  auto r2 = bob.sessions.decrypt(alice.address, m.type, badBody);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, Errc::Crypto) << describe(r2.error());

  auto r3 = bob.sessions.decrypt(alice.address, m.type, Bytes{0x33, 0x0a, 0xff});
  ASSERT_FALSE(r3.has_value());
  EXPECT_EQ(r3.error().code, Errc::Protocol) << describe(r3.error());
  auto r4 = bob.sessions.decrypt(alice.address, MessageType::PreKey, Bytes{0x33, 0x01});
  ASSERT_FALSE(r4.has_value());
  EXPECT_EQ(r4.error().code, Errc::Protocol);
  auto r5 = bob.sessions.decrypt(alice.address, m.type, Bytes{});
  ASSERT_FALSE(r5.has_value());
  EXPECT_EQ(r5.error().code, Errc::Protocol);
  // An old-version byte is refused as well.
  Bytes oldVersion = m.bytes;
  oldVersion[0] = 0x22;
  auto r6 = bob.sessions.decrypt(alice.address, m.type, oldVersion);
  ASSERT_FALSE(r6.has_value());
  EXPECT_EQ(r6.error().code, Errc::Protocol);

  // The untampered message still decrypts: failures wrote nothing.
  EXPECT_EQ(bob.sessions.decrypt(alice.address, m.type, m.bytes).value(), text("integrity"));
}

TEST_F(SessionCipherTest, TamperedPreKeyMessageIsRejectedWithoutSideEffects) {
  ASSERT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle()).has_value());
  auto m = alice.sessions.encrypt(bob.address, text("pk")).value();
  Bytes bad = m.bytes;
  bad[bad.size() - 10] ^= 0x01;  // the inner SignalMessage's MAC (before the trailing fields)
  auto r = bob.sessions.decrypt(alice.address, m.type, bad);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::Crypto) << describe(r.error());
  EXPECT_FALSE(bob.sessions.hasSession(alice.address).value());
  EXPECT_TRUE(bob.store->preKey(bob.preKeys[0].id).value().has_value());
  EXPECT_EQ(bob.sessions.decrypt(alice.address, m.type, m.bytes).value(), text("pk"));
}

TEST_F(SessionCipherTest, ChangedIdentityIsUntrusted) {
  establish();
  // Someone else, with another identity, claims Bob's address.
  Party mallory{"15550000002", 1, 99};
  auto viaBundle = alice.sessions.processBundle(bob.address, mallory.bundle());
  ASSERT_FALSE(viaBundle.has_value());
  EXPECT_EQ(viaBundle.error().code, Errc::Protocol);
  EXPECT_TRUE(isUntrustedIdentity(viaBundle.error()));

  // ... and sends Bob a pkmsg from Alice's address.
  ASSERT_TRUE(mallory.sessions.processBundle(bob.address, bob.bundle(1)).has_value());
  Party fakeAlice{"15550000001", 3, 77};
  ASSERT_TRUE(fakeAlice.sessions.processBundle(bob.address, bob.bundle(2)).has_value());
  auto forged = fakeAlice.sessions.encrypt(bob.address, text("trust me")).value();
  auto viaMessage = bob.sessions.decrypt(alice.address, forged.type, forged.bytes);
  ASSERT_FALSE(viaMessage.has_value());
  EXPECT_TRUE(isUntrustedIdentity(viaMessage.error())) << describe(viaMessage.error());

  // After the caller forgets the identity (e.g. an identity-change notification) it is accepted.
  ASSERT_TRUE(bob.context->forgetIdentity(alice.address).has_value());
  EXPECT_EQ(bob.sessions.decrypt(alice.address, forged.type, forged.bytes).value(),
            text("trust me"));
}

TEST_F(SessionCipherTest, BadSignedPreKeySignatureIsCrypto) {
  PreKeyBundle b = bob.bundle();
  b.signedPreKeySignature[10] ^= 0x01;
  auto r = alice.sessions.processBundle(bob.address, b);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::Crypto) << describe(r.error());
  EXPECT_FALSE(alice.sessions.hasSession(bob.address).value());

  // A signature over the raw 32-byte key (not over 0x05 ‖ key) is wrong as well.
  IdentityKeyPair bobIdentity = bob.store->identityKeyPair().value();
  PreKeyBundle rawSigned = bob.bundle();
  rawSigned.signedPreKeySignature =
      crypto::xeddsaSign(bobIdentity.privateKey.view(), rawSigned.signedPreKey, *bob.random)
          .value();
  auto r2 = alice.sessions.processBundle(bob.address, rawSigned);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, Errc::Crypto);
}

TEST_F(SessionCipherTest, KeySizesAtTheBoundary) {
  auto expectInvalid = [&](PreKeyBundle b) {
    auto r = alice.sessions.processBundle(bob.address, b);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::InvalidArgument) << describe(r.error());
  };
  PreKeyBundle b = bob.bundle();
  ASSERT_EQ(b.identityKey.size(), 32u);
  ASSERT_EQ(b.signedPreKey.size(), 32u);
  ASSERT_EQ(b.preKey->publicKey.size(), 32u);
  ASSERT_EQ(b.signedPreKeySignature.size(), 64u);

  PreKeyBundle prefixed = bob.bundle();
  prefixed.identityKey = toSignalKey(prefixed.identityKey).value();  // 33 bytes: refused
  expectInvalid(std::move(prefixed));
  PreKeyBundle shortSpk = bob.bundle();
  shortSpk.signedPreKey.pop_back();
  expectInvalid(std::move(shortSpk));
  PreKeyBundle longOtk = bob.bundle();
  longOtk.preKey->publicKey.push_back(0);
  expectInvalid(std::move(longOtk));
  PreKeyBundle shortSig = bob.bundle();
  shortSig.signedPreKeySignature.pop_back();
  expectInvalid(std::move(shortSig));
  PreKeyBundle bigId = bob.bundle();
  bigId.preKey->id = kMaxPreKeyId + 1;
  expectInvalid(std::move(bigId));
}

TEST_F(SessionCipherTest, MissingSessionAndPreKeysAreNotFound) {
  auto enc = alice.sessions.encrypt(bob.address, text("nobody"));
  ASSERT_FALSE(enc.has_value());
  EXPECT_EQ(enc.error().code, Errc::NotFound);
  EXPECT_EQ(alice.sessions.remoteRegistrationId(bob.address).error().code, Errc::NotFound);

  // A msg without a session.
  establish();
  reply();
  auto m = alice.sessions.encrypt(bob.address, text("m")).value();
  Party carol{"15550000003", 0, 3};
  auto noSession = carol.sessions.decrypt(alice.address, m.type, m.bytes);
  ASSERT_FALSE(noSession.has_value());
  EXPECT_EQ(noSession.error().code, Errc::NotFound) << describe(noSession.error());

  // A pkmsg for a one-time prekey the receiver no longer has.
  Party dave{"15550000004", 2, 4};
  ASSERT_TRUE(dave.store->removePreKey(dave.preKeys[3].id).has_value());
  ASSERT_TRUE(alice.sessions.processBundle(dave.address, dave.bundle(3)).has_value());
  auto pk = alice.sessions.encrypt(dave.address, text("gone")).value();
  auto noPreKey = dave.sessions.decrypt(alice.address, pk.type, pk.bytes);
  ASSERT_FALSE(noPreKey.has_value());
  EXPECT_EQ(noPreKey.error().code, Errc::NotFound) << describe(noPreKey.error());

  // A pkmsg for an unknown signed prekey.
  Party erin{"15550000005", 0, 5};
  ASSERT_TRUE(erin.store->removeSignedPreKey(1).has_value());
  ASSERT_TRUE(alice.sessions.processBundle(erin.address, erin.bundle()).has_value());
  auto spk = alice.sessions.encrypt(erin.address, text("gone")).value();
  auto noSpk = erin.sessions.decrypt(alice.address, spk.type, spk.bytes);
  ASSERT_FALSE(noSpk.has_value());
  EXPECT_EQ(noSpk.error().code, Errc::NotFound) << describe(noSpk.error());
}

TEST_F(SessionCipherTest, DeleteSession) {
  establish();
  ASSERT_TRUE(alice.sessions.deleteSession(bob.address).has_value());
  EXPECT_FALSE(alice.sessions.hasSession(bob.address).value());
  EXPECT_EQ(alice.sessions.encrypt(bob.address, text("x")).error().code, Errc::NotFound);
}

TEST_F(SessionCipherTest, InvalidAddresses) {
  SignalAddress noUser{"", 1};
  EXPECT_EQ(alice.sessions.processBundle(noUser, bob.bundle()).error().code, Errc::InvalidArgument);
  SignalAddress negative{"1555", -1};
  EXPECT_EQ(alice.sessions.decrypt(negative, MessageType::Normal, Bytes{1}).error().code,
            Errc::InvalidArgument);
}

TEST(MessageTypeTest, Names) {
  EXPECT_EQ(messageTypeName(MessageType::PreKey), "pkmsg");
  EXPECT_EQ(messageTypeName(MessageType::Normal), "msg");
  EXPECT_EQ(parseMessageType("pkmsg"), MessageType::PreKey);
  EXPECT_EQ(parseMessageType("msg"), MessageType::Normal);
  EXPECT_FALSE(parseMessageType("skmsg").has_value());
  EXPECT_FALSE(parseMessageType("").has_value());
}

}  // namespace
}  // namespace chorus::core::signal
