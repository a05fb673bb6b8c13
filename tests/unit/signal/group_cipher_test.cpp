#include "core/signal/group_cipher.h"

#include <gtest/gtest.h>

#include "core/signal/padding.h"
#include "tests/unit/signal/signal_test_util.h"

namespace chorus::core::signal {
namespace {

using test::Party;
using test::text;

constexpr std::string_view kGroup = "120363000000000000@g.us";

class GroupCipherTest : public ::testing::Test {
 protected:
  Party alice{"15550000001", 3, 11};
  Party bob{"15550000002", 1, 12};
  Party carol{"15550000003", 0, 13};

  static SenderKeyName nameOf(const Party& p) { return {std::string(kGroup), p.address}; }

  // `sender` creates its SKDM and every other member processes it.
  void distribute(Party& sender, std::initializer_list<Party*> members) {
    auto skdm = sender.groups.createDistributionMessage(nameOf(sender));
    ASSERT_TRUE(skdm.has_value()) << describe(skdm.error());
    ASSERT_FALSE(skdm->empty());
    EXPECT_EQ((*skdm)[0], 0x33);
    for (Party* m : members) {
      auto r = m->groups.processDistributionMessage(nameOf(sender), *skdm);
      ASSERT_TRUE(r.has_value()) << describe(r.error());
    }
  }
};

TEST_F(GroupCipherTest, ThreeMembersExchangeSenderKeyMessages) {
  distribute(alice, {&bob, &carol});
  distribute(bob, {&alice, &carol});
  distribute(carol, {&alice, &bob});

  for (Party* sender : {&alice, &bob, &carol}) {
    for (int i = 0; i < 3; ++i) {
      const Bytes plain =
          padMessage(text(sender->address.user + " says " + std::to_string(i)), *sender->random);
      auto skmsg = sender->groups.encrypt(nameOf(*sender), plain);
      ASSERT_TRUE(skmsg.has_value()) << describe(skmsg.error());
      EXPECT_EQ((*skmsg)[0], 0x33);
      for (Party* receiver : {&alice, &bob, &carol}) {
        if (receiver == sender) continue;
        auto got = receiver->groups.decrypt(nameOf(*sender), *skmsg);
        ASSERT_TRUE(got.has_value()) << describe(got.error());
        EXPECT_EQ(*got, plain);
      }
    }
  }
}

TEST_F(GroupCipherTest, SenderKeyTravelsInsideAPairwiseMessage) {
  ASSERT_TRUE(alice.sessions.processBundle(bob.address, bob.bundle()).has_value());
  Bytes skdm = alice.groups.createDistributionMessage(nameOf(alice)).value();
  auto carrier = alice.sessions.encrypt(bob.address, padMessage(skdm, *alice.random)).value();
  auto received =
      unpadMessage(bob.sessions.decrypt(alice.address, carrier.type, carrier.bytes).value());
  ASSERT_TRUE(received.has_value());
  ASSERT_TRUE(bob.groups.processDistributionMessage(nameOf(alice), *received).has_value());
  auto skmsg = alice.groups.encrypt(nameOf(alice), text("to the group")).value();
  EXPECT_EQ(bob.groups.decrypt(nameOf(alice), skmsg).value(), text("to the group"));
}

TEST_F(GroupCipherTest, OutOfOrderDuplicateAndLateJoiner) {
  distribute(alice, {&bob});
  std::vector<Bytes> sent;
  for (int i = 0; i < 5; ++i)
    sent.push_back(alice.groups.encrypt(nameOf(alice), text(std::to_string(i))).value());
  EXPECT_EQ(bob.groups.decrypt(nameOf(alice), sent[4]).value(), text("4"));
  EXPECT_EQ(bob.groups.decrypt(nameOf(alice), sent[1]).value(), text("1"));
  auto dup = bob.groups.decrypt(nameOf(alice), sent[4]);
  ASSERT_FALSE(dup.has_value());
  EXPECT_TRUE(isDuplicateMessage(dup.error())) << describe(dup.error());
  EXPECT_EQ(bob.groups.decrypt(nameOf(alice), sent[0]).value(), text("0"));

  // Carol joins later: the SKDM describes the current chain, so she reads only what follows.
  distribute(alice, {&carol});
  auto next = alice.groups.encrypt(nameOf(alice), text("later")).value();
  EXPECT_EQ(carol.groups.decrypt(nameOf(alice), next).value(), text("later"));
  auto old = carol.groups.decrypt(nameOf(alice), sent[2]);
  ASSERT_FALSE(old.has_value());
  EXPECT_TRUE(isDuplicateMessage(old.error()));
}

TEST_F(GroupCipherTest, TamperedAndMalformedAreRejected) {
  distribute(alice, {&bob});
  Bytes skmsg = alice.groups.encrypt(nameOf(alice), text("signed")).value();

  Bytes badSignature = skmsg;
  badSignature.back() ^= 0x01;
  auto r1 = bob.groups.decrypt(nameOf(alice), badSignature);
  ASSERT_FALSE(r1.has_value());
  EXPECT_EQ(r1.error().code, Errc::Crypto) << describe(r1.error());

  Bytes badBody = skmsg;
  badBody[badBody.size() - 70] ^= 0x01;  // ciphertext, covered by the signature
  auto r2 = bob.groups.decrypt(nameOf(alice), badBody);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code, Errc::Crypto) << describe(r2.error());

  auto r3 = bob.groups.decrypt(nameOf(alice), Bytes{0x33, 0x08});
  ASSERT_FALSE(r3.has_value());
  EXPECT_EQ(r3.error().code, Errc::Protocol) << describe(r3.error());
  EXPECT_EQ(bob.groups.decrypt(nameOf(alice), Bytes{}).error().code, Errc::Protocol);

  auto r4 = carol.groups.processDistributionMessage(nameOf(alice), Bytes{0x33, 0x0a, 0x01});
  ASSERT_FALSE(r4.has_value());
  EXPECT_EQ(r4.error().code, Errc::Protocol) << describe(r4.error());
  EXPECT_EQ(carol.groups.processDistributionMessage(nameOf(alice), Bytes{}).error().code,
            Errc::Protocol);

  // Still intact after the failures.
  EXPECT_EQ(bob.groups.decrypt(nameOf(alice), skmsg).value(), text("signed"));
}

TEST_F(GroupCipherTest, MissingSenderKeysAreNotFound) {
  auto enc = alice.groups.encrypt(nameOf(alice), text("x"));
  ASSERT_FALSE(enc.has_value());
  EXPECT_EQ(enc.error().code, Errc::NotFound);

  distribute(alice, {&bob});
  Bytes skmsg = alice.groups.encrypt(nameOf(alice), text("x")).value();
  auto noKey = carol.groups.decrypt(nameOf(alice), skmsg);
  ASSERT_FALSE(noKey.has_value());
  EXPECT_EQ(noKey.error().code, Errc::NotFound);

  // Bob has a sender key from Carol, but not the key id Alice's message names.
  distribute(carol, {&bob});
  auto wrongKey = bob.groups.decrypt(nameOf(carol), skmsg);
  ASSERT_FALSE(wrongKey.has_value());
  EXPECT_EQ(wrongKey.error().code, Errc::NotFound) << describe(wrongKey.error());

  EXPECT_EQ(alice.groups.createDistributionMessage({"", alice.address}).error().code,
            Errc::InvalidArgument);
  EXPECT_EQ(alice.groups.hasSenderKey({std::string(kGroup), {"", 0}}).error().code,
            Errc::InvalidArgument);
  EXPECT_TRUE(alice.groups.hasSenderKey(nameOf(alice)).value());
  EXPECT_FALSE(alice.groups.hasSenderKey(nameOf(bob)).value());
}

}  // namespace
}  // namespace chorus::core::signal
