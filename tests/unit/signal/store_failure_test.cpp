// A SignalStore that fails on demand: its Errc::Storage must reach the caller unchanged, and
// a failed decrypt must leave the state as it was.
#include <gtest/gtest.h>

#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::signal {
namespace {

using test::Party;
using test::text;

class FailingStore final : public SignalStore {
 public:
  explicit FailingStore(SignalStore& inner) : inner_(inner) {}
  bool failSessionWrites = false;
  bool failSessionReads = false;
  bool failPreKeys = false;
  bool failIdentity = false;
  bool failSenderKeys = false;

  Result<IdentityKeyPair> identityKeyPair() override {
    if (failIdentity) return broken();
    return inner_.identityKeyPair();
  }
  Result<std::uint32_t> registrationId() override { return inner_.registrationId(); }
  Result<std::optional<Bytes>> remoteIdentity(const SignalAddress& a) override {
    return inner_.remoteIdentity(a);
  }
  Status saveRemoteIdentity(const SignalAddress& a, BytesView k) override {
    return inner_.saveRemoteIdentity(a, k);
  }
  Status removeRemoteIdentity(const SignalAddress& a) override {
    return inner_.removeRemoteIdentity(a);
  }
  Result<std::optional<PreKey>> preKey(std::uint32_t id) override {
    if (failPreKeys) return broken();
    return inner_.preKey(id);
  }
  Status storePreKey(const PreKey& k) override { return inner_.storePreKey(k); }
  Status removePreKey(std::uint32_t id) override { return inner_.removePreKey(id); }
  Result<std::optional<SignedPreKey>> signedPreKey(std::uint32_t id) override {
    return inner_.signedPreKey(id);
  }
  Status storeSignedPreKey(const SignedPreKey& k) override { return inner_.storeSignedPreKey(k); }
  Status removeSignedPreKey(std::uint32_t id) override { return inner_.removeSignedPreKey(id); }
  Result<std::optional<SecretBytes>> session(const SignalAddress& a) override {
    if (failSessionReads) return broken();
    return inner_.session(a);
  }
  Status storeSession(const SignalAddress& a, BytesView r) override {
    if (failSessionWrites) return broken();
    return inner_.storeSession(a, r);
  }
  Result<bool> removeSession(const SignalAddress& a) override { return inner_.removeSession(a); }
  Result<std::vector<std::int32_t>> sessionDevices(std::string_view u) override {
    return inner_.sessionDevices(u);
  }
  Result<std::size_t> removeAllSessions(std::string_view u) override {
    return inner_.removeAllSessions(u);
  }
  Result<std::optional<SecretBytes>> senderKey(const SenderKeyName& n) override {
    return inner_.senderKey(n);
  }
  Status storeSenderKey(const SenderKeyName& n, BytesView r) override {
    if (failSenderKeys) return broken();
    return inner_.storeSenderKey(n, r);
  }

 private:
  static Unexpected<Error> broken() { return fail(Errc::Storage, "disk on fire"); }
  SignalStore& inner_;
};

TEST(StoreFailureTest, StorageErrorsReachTheCaller) {
  Party alice{"15550000001", 3, 21};
  Party bob{"15550000002", 1, 22};
  FailingStore failing(*bob.store);
  SignalContext context = SignalContext::create(failing, *bob.random).value();
  SessionCipher bobSessions(context);
  GroupCipher bobGroups(context);

  ASSERT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle()).has_value());
  auto m = alice.sessions.encrypt(bob.address, text("persist me")).value();

  failing.failSessionWrites = true;
  auto r1 = bobSessions.decrypt(alice.address, m.type, m.bytes);
  ASSERT_FALSE(r1.has_value());
  EXPECT_EQ(r1.error().code, Errc::Storage);
  EXPECT_EQ(r1.error().detail, "disk on fire");
  failing.failSessionWrites = false;

  failing.failPreKeys = true;
  auto r2 = bobSessions.decrypt(alice.address, m.type, m.bytes);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, Errc::Storage);
  failing.failPreKeys = false;

  failing.failIdentity = true;
  auto r3 = bobSessions.decrypt(alice.address, m.type, m.bytes);
  ASSERT_FALSE(r3.has_value());
  EXPECT_EQ(r3.error().code, Errc::Storage);
  failing.failIdentity = false;

  // Nothing was consumed by the failed attempts.
  EXPECT_TRUE(bob.store->preKey(bob.preKeys[0].id).value().has_value());
  EXPECT_EQ(bobSessions.decrypt(alice.address, m.type, m.bytes).value(), text("persist me"));

  failing.failSessionReads = true;
  auto r4 = bobSessions.encrypt(alice.address, text("x"));
  ASSERT_FALSE(r4.has_value());
  EXPECT_EQ(r4.error().code, Errc::Storage);
  failing.failSessionReads = false;

  failing.failSenderKeys = true;
  SenderKeyName own{"g@g.us", bob.address};
  auto r5 = bobGroups.createDistributionMessage(own);
  ASSERT_FALSE(r5.has_value());
  EXPECT_EQ(r5.error().code, Errc::Storage);
  failing.failSenderKeys = false;
  EXPECT_TRUE(bobGroups.createDistributionMessage(own).has_value());
}

TEST(StoreFailureTest, ForgetIdentityDropsSessionAndIdentity) {
  Party alice{"15550000001", 3, 31};
  Party bob{"15550000002", 1, 32};
  ASSERT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle()).has_value());
  ASSERT_TRUE(alice.store->remoteIdentity(bob.address).value().has_value());
  ASSERT_TRUE(alice.context->forgetIdentity(bob.address).has_value());
  EXPECT_FALSE(alice.store->remoteIdentity(bob.address).value().has_value());
  EXPECT_FALSE(alice.sessions.hasSession(bob.address).value());
}

}  // namespace
}  // namespace chorus::core::signal
