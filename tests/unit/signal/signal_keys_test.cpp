#include "core/signal/signal_keys.h"

#include <gtest/gtest.h>

#include "core/crypto/x25519.h"
#include "core/crypto/xeddsa.h"
#include "core/signal/memory_signal_store.h"
#include "core/signal/signal_address.h"

namespace chorus::core::signal {
namespace {

TEST(SignalKeysTest, IdentityAndRegistrationId) {
  SeededRandom random(1);
  IdentityKeyPair identity = generateIdentityKeyPair(random).value();
  EXPECT_EQ(identity.publicKey.size(), kKeySize);
  EXPECT_EQ(identity.privateKey.size(), kKeySize);
  EXPECT_EQ(crypto::keyPairFromPrivate(identity.privateKey.view()).value().publicKey,
            identity.publicKey);
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t id = generateRegistrationId(random);
    ASSERT_GE(id, 1u);
    ASSERT_LE(id, kMaxRegistrationId);
  }
}

TEST(SignalKeysTest, SignedPreKeySignsThePrefixedKey) {
  SeededRandom random(2);
  IdentityKeyPair identity = generateIdentityKeyPair(random).value();
  SignedPreKey spk = generateSignedPreKey(identity, 7, random, 1234).value();
  EXPECT_EQ(spk.id, 7u);
  EXPECT_EQ(spk.timestampMs, 1234u);
  EXPECT_EQ(spk.publicKey.size(), kKeySize);
  EXPECT_EQ(spk.privateKey.size(), kKeySize);
  ASSERT_EQ(spk.signature.size(), kSignatureSize);
  // The signature covers 0x05 ‖ pub (protocol §14.1), not the raw key.
  EXPECT_TRUE(
      crypto::xeddsaVerify(identity.publicKey, toSignalKey(spk.publicKey).value(), spk.signature));
  EXPECT_FALSE(crypto::xeddsaVerify(identity.publicKey, spk.publicKey, spk.signature));
  EXPECT_TRUE(verifySignedPreKey(identity.publicKey, spk.publicKey, spk.signature));
  Bytes bad = spk.signature;
  bad[0] ^= 1;
  EXPECT_FALSE(verifySignedPreKey(identity.publicKey, spk.publicKey, bad));
  EXPECT_FALSE(verifySignedPreKey(identity.publicKey, Bytes(31, 1), spk.signature));

  EXPECT_EQ(generateSignedPreKey(identity, 0, random).error().code, Errc::InvalidArgument);
  EXPECT_EQ(generateSignedPreKey(identity, kMaxPreKeyId + 1, random).error().code,
            Errc::InvalidArgument);
  IdentityKeyPair broken{identity.publicKey, SecretBytes(16)};
  EXPECT_EQ(generateSignedPreKey(broken, 1, random).error().code, Errc::InvalidArgument);
}

TEST(SignalKeysTest, PreKeysAreConsecutiveAndWrapAt24Bits) {
  SeededRandom random(3);
  auto keys = generatePreKeys(kMaxPreKeyId - 1, 4, random).value();
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0].id, kMaxPreKeyId - 1);
  EXPECT_EQ(keys[1].id, kMaxPreKeyId);
  EXPECT_EQ(keys[2].id, 1u);
  EXPECT_EQ(keys[3].id, 2u);
  for (const PreKey& k : keys) {
    EXPECT_EQ(k.publicKey.size(), kKeySize);
    EXPECT_EQ(k.privateKey.size(), kKeySize);
  }
  EXPECT_NE(keys[0].publicKey, keys[1].publicKey);
  EXPECT_EQ(generatePreKeys(0, 1, random).error().code, Errc::InvalidArgument);
  EXPECT_TRUE(generatePreKeys(1, 0, random).value().empty());
}

TEST(SignalKeysTest, ConvertsBetweenRawAndSignalKeys) {
  const Bytes raw(32, 0xAB);
  Bytes signalKey = toSignalKey(raw).value();
  ASSERT_EQ(signalKey.size(), kSignalKeySize);
  EXPECT_EQ(signalKey[0], kDjbType);
  EXPECT_EQ(fromSignalKey(signalKey).value(), raw);
  EXPECT_EQ(toSignalKey(signalKey).error().code, Errc::InvalidArgument);
  EXPECT_EQ(toSignalKey(Bytes(31)).error().code, Errc::InvalidArgument);
  EXPECT_EQ(fromSignalKey(raw).error().code, Errc::Protocol);
  signalKey[0] = 0x06;
  EXPECT_EQ(fromSignalKey(signalKey).error().code, Errc::Protocol);
}

TEST(SignalAddressTest, WhatsAppNames) {
  SignalAddress device{"15550000002", 1};
  EXPECT_EQ(device.toString(), "15550000002.1");
  EXPECT_EQ((SignalAddress{"15550000001", 0}).toString(), "15550000001.0");
  SenderKeyName name{"120363000000000000@g.us", {"15550000001", 3}};
  EXPECT_EQ(name.toString(), "120363000000000000@g.us::15550000001::3");
}

TEST(MemorySignalStoreTest, RoundTrips) {
  SeededRandom random(4);
  MemorySignalStore store = MemorySignalStore::generate(random).value();
  const SignalAddress a{"1", 1}, b{"1", 2}, c{"2", 1};
  EXPECT_FALSE(store.session(a).value().has_value());
  ASSERT_TRUE(store.storeSession(a, Bytes{1, 2}).has_value());
  ASSERT_TRUE(store.storeSession(b, Bytes{3}).has_value());
  ASSERT_TRUE(store.storeSession(c, Bytes{4}).has_value());
  EXPECT_EQ(toBytes(store.session(a).value()->view()), (Bytes{1, 2}));
  auto devices = store.sessionDevices("1").value();
  std::sort(devices.begin(), devices.end());
  EXPECT_EQ(devices, (std::vector<std::int32_t>{1, 2}));
  EXPECT_TRUE(store.removeSession(a).value());
  EXPECT_FALSE(store.removeSession(a).value());
  EXPECT_EQ(store.removeAllSessions("1").value(), 1u);
  EXPECT_TRUE(store.session(c).value().has_value());

  ASSERT_TRUE(store.saveRemoteIdentity(a, Bytes(32, 9)).has_value());
  EXPECT_EQ(*store.remoteIdentity(a).value(), Bytes(32, 9));
  ASSERT_TRUE(store.removeRemoteIdentity(a).has_value());
  EXPECT_FALSE(store.remoteIdentity(a).value().has_value());

  SenderKeyName name{"g@g.us", a};
  EXPECT_FALSE(store.senderKey(name).value().has_value());
  ASSERT_TRUE(store.storeSenderKey(name, Bytes{5}).has_value());
  EXPECT_EQ(toBytes(store.senderKey(name).value()->view()), Bytes{5});
}

}  // namespace
}  // namespace chorus::core::signal
